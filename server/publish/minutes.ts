// The sitting's results as a Word document for the official minutes (протокол): the clerk
// pastes it in. Each vote in the order of the published page with its subject, rule, required
// number, counts and result, then the per-member list by faction in the page's order and
// wording (a corrected choice shows the original too); the corrections with their reasons last.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Member, MemberChoice } from '../../protocol/model.ts';
import { message, type Lang, type MessageKey } from '../../protocol/messages.ts';
import { ballotText, choiceText, groupName, resultText, ruleText } from './labels.ts';
import { HumanTime } from './localTime.ts';
import { amendmentCount, originalChoice, type Publication, type PublishedVote } from './publication.ts';
import { correctionSubject, totalsText } from '../../protocol/recordCorrections.ts';

export interface MinutesOptions {
  lang: Lang;
  timeZone: string;
}

const cell = (text: string | TextRun[], bold = false): TableCell =>
  new TableCell({ children: [new Paragraph({ children: typeof text === 'string' ? [new TextRun({ text, bold })] : text })] });

const table = (rows: TableCell[][]): Table =>
  new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: rows.map((cells, i) => new TableRow({ children: cells, tableHeader: i === 0 })) });

class Minutes {
  readonly #time: HumanTime;

  constructor(
    readonly pub: Publication,
    readonly opts: MinutesOptions,
  ) {
    this.#time = new HumanTime(opts.lang, opts.timeZone);
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return message(key, this.opts.lang, params);
  }

  document(): Document {
    const { sitting } = this.pub;
    const held = sitting.openedAt ?? sitting.scheduledAt;
    const status = this.pub.status === 'final' ? 'publish.status.final' : 'publish.status.preliminary';
    return new Document({
      creator: 'radacast',
      title: `${this.t('publish.page.title')} — ${sitting.title}`,
      sections: [
        {
          children: [
            new Paragraph({ text: sitting.body.name }),
            new Paragraph({ heading: HeadingLevel.HEADING_1, text: `${this.t('publish.page.title')}: ${sitting.title}` }),
            new Paragraph({
              text: `${this.t(sitting.openedAt ? 'publish.page.scheduledAt' : 'publish.page.scheduledFor')}: ${this.#time.format(held, 'date')}`,
            }),
            new Paragraph({ children: [new TextRun({ text: `${this.t(status)}.`, bold: true })] }),
            ...(this.pub.votes.length === 0 ? [new Paragraph({ text: this.t('publish.page.noVotes') })] : []),
            ...this.pub.votes.flatMap((v) => this.vote(v)),
            ...this.corrections(),
            ...this.recordCorrections(),
          ],
        },
      ],
    });
  }

  vote(v: PublishedVote): (Paragraph | Table)[] {
    const { lang } = this.opts;
    const line = (label: MessageKey, value: string) =>
      new Paragraph({ children: [new TextRun({ text: `${this.t(label)}: ` }), new TextRun({ text: value, bold: label === 'publish.page.result' })] });
    const out: (Paragraph | Table)[] = [
      new Paragraph({ heading: HeadingLevel.HEADING_2, keepNext: true, text: `${this.t('publish.page.number')} ${v.number}. ${v.subject}` }),
    ];
    if (v.item) {
      const title = v.item.draftNumber ? `${v.item.title} (${v.item.draftNumber})` : v.item.title;
      out.push(new Paragraph({ keepNext: true, text: this.t('publish.minutes.item', { number: v.item.number, title }) }));
    }
    if (v.forced) out.push(new Paragraph({ text: this.t('publish.page.forced', { reason: v.forced.reason }) }));
    out.push(
      line('publish.page.rule', ruleText(v.rule, lang)),
      line('publish.page.ballot', ballotText(v.ballot, lang)),
      line('publish.page.required', this.t('publish.minutes.required', { required: v.required, composition: v.composition })),
      new Paragraph({ text: this.t('publish.minutes.counts', { ...v.counts }) }),
      line('publish.page.result', resultText(v.result, lang)),
      line('publish.page.closedAt', this.#time.format(v.closedAt, 'dateTime')),
    );
    if (v.ballot === 'secret') {
      out.push(new Paragraph({ text: this.t('publish.page.secretNote') }));
      return out;
    }
    const rows: TableCell[][] = [[cell(this.t('publish.page.member'), true), cell(this.t('publish.page.result'), true)]];
    for (const group of this.pub.groups) {
      const voted = group.members.flatMap((m) => {
        const choice = v.choices?.[m.id];
        return choice === undefined ? [] : [{ m, choice }];
      });
      if (voted.length === 0) continue;
      rows.push([cell(groupName(group, lang), true), cell('')]);
      for (const { m, choice } of voted) rows.push([cell(m.name), cell(this.choice(v, m, choice))]);
    }
    out.push(table(rows));
    return out;
  }

  /** The member's choice as the page words it; a corrected one names the original as well. */
  choice(v: PublishedVote, m: Member, choice: MemberChoice): TextRun[] {
    const original = originalChoice(v, m.id);
    const now = new TextRun({ text: choiceText(choice, this.opts.lang) });
    if (original === undefined || original === choice) return [now];
    return [now, new TextRun({ text: ` (${this.t('publish.minutes.corrected', { from: choiceText(original, this.opts.lang) })})`, italics: true })];
  }

  corrections(): (Paragraph | Table)[] {
    const corrected = this.pub.votes.filter((v) => amendmentCount(v) > 0);
    if (corrected.length === 0) return [];
    const names = new Map(this.pub.sitting.roster.map((m) => [m.id, m.name]));
    const header = (
      ['publish.page.correctionVote', 'publish.page.member', 'publish.page.correctionFrom', 'publish.page.correctionTo', 'publish.page.correctionReason', 'publish.page.correctionAt'] as const
    ).map((k) => cell(this.t(k), true));
    const rows = corrected.flatMap((v) =>
      v.corrections.map((c) => [
        cell(`${v.number}. ${v.subject}`),
        cell(names.get(c.memberId) ?? c.memberId),
        cell(choiceText(c.from, this.opts.lang)),
        cell(choiceText(c.to, this.opts.lang)),
        cell(c.reason),
        cell(this.#time.format(c.at, 'dateTime')),
      ]).concat(
        (v.tallyCorrections ?? []).map((c) => [
          cell(`${v.number}. ${v.subject}`),
          cell(this.t('publish.page.secretTotals')),
          cell(totalsText(c.from, this.opts.lang)),
          cell(totalsText(c.to, this.opts.lang)),
          cell(c.reason),
          cell(this.#time.format(c.at, 'dateTime')),
        ]),
      ),
    );
    return [new Paragraph({ heading: HeadingLevel.HEADING_2, alignment: AlignmentType.LEFT, text: this.t('publish.page.correctionsCaption') }), table([header, ...rows])];
  }

  /** Corrections of the sitting's details, items and names, as on the page. */
  recordCorrections(): (Paragraph | Table)[] {
    const { sitting } = this.pub;
    const corrections = sitting.corrections ?? [];
    if (corrections.length === 0) return [];
    const value = (field: string, v: string | null): string =>
      v === null || v === '' ? this.t('correction.empty') : field === 'scheduledAt' ? this.#time.format(v, 'dateTime') : v;
    const header = (
      ['publish.page.correctionWhat', 'publish.page.correctionFrom', 'publish.page.correctionTo', 'publish.page.correctionReason', 'publish.page.correctionAt'] as const
    ).map((k) => cell(this.t(k), true));
    const rows = corrections.map((c) => [
      cell(correctionSubject(c, sitting, this.opts.lang)),
      cell(value(c.field, c.from)),
      cell(value(c.field, c.to)),
      cell(c.reason),
      cell(this.#time.format(c.at, 'dateTime')),
    ]);
    return [new Paragraph({ heading: HeadingLevel.HEADING_2, alignment: AlignmentType.LEFT, text: this.t('publish.page.recordCorrectionsCaption') }), table([header, ...rows])];
  }
}

export function minutesDocx(pub: Publication, opts: MinutesOptions): Promise<Buffer> {
  return Packer.toBuffer(new Minutes(pub, opts).document());
}
