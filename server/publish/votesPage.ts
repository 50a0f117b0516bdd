// The human page of a sitting's roll-call votes (/sittings/:id/votes): complete HTML readable
// without JavaScript, Ukrainian by default with an English switch, a members × votes matrix
// grouped by faction, the totals of every vote, corrections shown as amendments with the
// original choice kept visible, the record's head hash, and a print stylesheet (A4 landscape).
import type { Member, MemberChoice } from '../../protocol/model.ts';
import type { ErrorBody } from '../../protocol/errors.ts';
import { message, type Lang, type MessageKey } from '../../protocol/messages.ts';
import type { RosterGroup } from '../../protocol/rosterGroups.ts';
import { html, SafeHtml } from './html.ts';
import { HumanTime, localIso, type HumanStyle } from './localTime.ts';
import { publicationPaths } from '../../protocol/publicationPaths.ts';
import { ballotText, choiceText, groupName, resultText, ruleText } from './labels.ts';
import { amendmentCount, originalChoice, rollCall, type Publication, type PublishedVote } from './publication.ts';
import { correctionSubject, totalsText } from '../../protocol/recordCorrections.ts';
import type { RecordCorrectionView } from '../../protocol/views.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Votes per matrix table: wide enough to read on screen, narrow enough for an A4 landscape page. */
export const MATRIX_COLUMNS = 10;

export interface PageOptions {
  lang: Lang;
  /** IANA time zone the council lives in, for the times shown (the data itself stays ISO 8601). */
  timeZone: string;
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #111; }
body { margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 90rem; line-height: 1.4; }
header .body { margin: 0; color: #444; }
h1 { font-size: 1.5rem; margin: 0.25rem 0 0.5rem; }
nav ul { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; }
a { color: #0b4f9c; }
.status { border: 2px solid; border-radius: 0.3rem; padding: 0.5rem 0.75rem; margin: 0.75rem 0; }
.status-preliminary { border-color: #a15c00; background: #fff4e0; }
.status-final { border-color: #1d6b2f; background: #e9f6ec; }
.scroll { overflow-x: auto; margin: 1rem 0; position: relative; } /* relative: keeps .vh text inside */
.scroll:focus { outline: 2px solid #0b4f9c; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; font-size: 1.1rem; padding: 1.25rem 0 0.5rem; }
th, td { border: 1px solid #999; padding: 0.2rem 0.4rem; vertical-align: top; overflow-wrap: normal; word-break: normal; hyphens: manual; }
.summary .subject { min-width: 14rem; }
.summary td.num, .summary time, .corrections time { white-space: nowrap; }
thead th { background: #eef1f5; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th[scope="rowgroup"] { background: #dde3ea; text-align: left; }
tfoot th { text-align: left; }
tbody th[scope="row"] { font-weight: normal; text-align: left; white-space: nowrap; }
.matrix td { white-space: nowrap; }
.c-for { background: #e3f3e6; }
.c-against { background: #fbe4e4; }
.c-abstain { background: #fdf3d8; }
.c-not-voting { background: #eeeeee; }
.c-absent { color: #555; }
.corrected del { color: #7a1f1f; }
.corrected ins { text-decoration: none; font-weight: 600; }
.note { display: block; font-size: 0.8rem; color: #444; }
.result-adopted { font-weight: 600; color: #1d6b2f; }
.result-rejected { font-weight: 600; color: #8a1c1c; }
footer { margin-top: 2rem; font-size: 0.85rem; color: #333; }
code { word-break: break-all; }
.vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  /* The demo sitting's five votes fit two pages: the tables follow each other without forced
     breaks, rows are compact, and a faction's rows or a caption never stand alone at a page's foot. */
  body { max-width: none; padding: 0; font-size: 9pt; line-height: 1.2; }
  h1 { font-size: 13pt; margin: 0 0 2pt; }
  header p { margin: 2pt 0; }
  .status { padding: 2pt 6pt; margin: 4pt 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; margin: 4pt 0; }
  table { font-size: 7.5pt; page-break-inside: auto; }
  table.summary, table.corrections { width: 100%; }
  .summary .subject { width: 40%; }
  caption { font-size: 10pt; padding: 4pt 0 2pt; break-after: avoid; }
  th, td { padding: 0.5pt 3pt; line-height: 1.15; }
  .note { font-size: 7pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  /* A faction's name stays with its first member; the result row closes the table once, at its end. */
  tr:has(> th[scope="rowgroup"]) { break-after: avoid; }
  tfoot { display: table-row-group; }
  h1, h2, caption, thead { break-after: avoid; }
  footer { margin-top: 6pt; }
  .status, .c-for, .c-against, .c-abstain, .c-not-voting, thead th, th[scope="rowgroup"] {
    -webkit-print-color-adjust: exact; print-color-adjust: exact;
  }
}
`;

class Page {
  readonly #time: HumanTime;

  constructor(
    readonly pub: Publication,
    readonly opts: PageOptions,
  ) {
    this.#time = new HumanTime(opts.lang, opts.timeZone);
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return message(key, this.opts.lang, params);
  }

  format(iso: string, style: HumanStyle = 'dateTime'): string {
    return this.#time.format(iso, style);
  }

  /** A time people read, with the exact moment in the council's zone for machines. */
  time(iso: string, style: HumanStyle = 'dateTime'): SafeHtml {
    return html`<time datetime="${localIso(iso, this.opts.timeZone)}">${this.format(iso, style)}</time>`;
  }

  render(): string {
    const { sitting } = this.pub;
    const { lang } = this.opts;
    const paths = publicationPaths(sitting.id);
    const other: Lang = lang === 'uk' ? 'en' : 'uk';
    const otherHref = other === 'uk' ? paths.page : `${paths.page}?lang=en`;
    const inLang = (path: string) => (lang === 'en' ? `${path}?lang=en` : path);
    const title = `${this.t('publish.page.title')} — ${sitting.title}`;
    return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="alternate" hreflang="${other}" href="${otherHref}">
<link rel="alternate" type="application/json" href="${paths.votesJson}">
<link rel="alternate" type="text/csv" href="${paths.motionsCsv}">
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>
<p class="body">${sitting.body.name}</p>
<h1>${this.t('publish.page.title')}: ${sitting.title}</h1>
<p>${
      // The day it was held; before it opens, the day it is planned for.
      sitting.openedAt
        ? html`${this.t('publish.page.scheduledAt')}: ${this.time(sitting.openedAt, 'date')}`
        : html`${this.t('publish.page.scheduledFor')}: ${this.time(sitting.scheduledAt)}`
    }</p>
${this.status()}
${this.correctedNote()}
<nav aria-label="${this.t('publish.page.pageNav')}">
<ul>
<li><a href="${inLang(paths.watch)}">${this.t('publish.page.backToSitting')}</a></li>
<li><a href="${inLang('/')}">${this.t('publish.page.home')}</a></li>
<li><a href="${otherHref}" hreflang="${other}" lang="${other}">${message('publish.page.otherLanguage', lang)}</a></li>
</ul>
</nav>
<nav aria-label="${this.t('publish.page.downloads')}">
<ul>
<li><a href="${paths.motionsCsv}" type="text/csv">${this.t('publish.page.motionsCsv')}</a></li>
<li><a href="${paths.motionsXlsx}" type="${XLSX}">${this.t('publish.page.motionsXlsx')}</a></li>
<li><a href="${paths.votingsCsv}" type="text/csv">${this.t('publish.page.votingsCsv')}</a></li>
<li><a href="${paths.votingsXlsx}" type="${XLSX}">${this.t('publish.page.votingsXlsx')}</a></li>
<li><a href="${paths.minutesDocx}" type="${DOCX}">${this.t('publish.page.minutesDocx')}</a></li>
<li><a href="${paths.votesJson}" type="application/json">${this.t('publish.page.popolo')}</a></li>
</ul>
</nav>
</header>
<main>
${this.pub.votes.length === 0 ? html`<p>${this.t('publish.page.noVotes')}</p>` : [this.summary(), this.matrices(), this.corrections(), this.renames()]}
${this.recordCorrections()}
</main>
<footer>
${this.recordLine()}
</footer>
</body>
</html>
`.text;
  }

  status(): SafeHtml {
    const { sitting, status } = this.pub;
    if (status === 'final' && sitting.closedAt !== null) {
      const note = this.t('publish.status.finalNote', { closedAt: this.format(sitting.closedAt) });
      return html`<p class="status status-final" id="publication-status" data-status="final">
<strong>${this.t('publish.status.final')}.</strong> ${note}</p>`;
    }
    return html`<p class="status status-preliminary" id="publication-status" data-status="preliminary">
<strong>${this.t('publish.status.preliminary')}.</strong> ${this.t('publish.status.preliminaryNote')}</p>`;
  }

  summary(): SafeHtml {
    const headers: MessageKey[] = [
      'publish.page.number',
      'publish.page.item',
      'publish.page.subject',
      'publish.page.rule',
      'publish.page.ballot',
      'publish.page.composition',
      'publish.page.required',
      'publish.page.countFor',
      'publish.page.countAgainst',
      'publish.page.countAbstain',
      'publish.page.countNotVoting',
      'publish.page.countAbsent',
      'publish.page.result',
      'publish.page.closedAt',
    ];
    return html`<div class="scroll" role="region" aria-labelledby="summary-caption" tabindex="0">
<table class="summary">
<caption id="summary-caption">${this.t('publish.page.summaryCaption')}</caption>
<thead><tr>${headers.map((k) => html`<th scope="col">${this.t(k)}</th>`)}</tr></thead>
<tbody>
${this.pub.votes.map((v) => this.summaryRow(v))}
</tbody>
</table>
</div>
`;
  }

  summaryRow(v: PublishedVote): SafeHtml {
    const { counts } = v;
    const notes = [
      v.item && v.item.title !== v.subject ? html`<span class="note">${v.item.title}</span>` : null,
      v.item?.draftNumber ? html`<span class="note">${v.item.draftNumber}</span>` : null,
      v.forced ? html`<span class="note">${this.t('publish.page.forced', { reason: v.forced.reason })}</span>` : null,
      v.ballot === 'secret' ? html`<span class="note">${this.t('publish.page.secretNote')}</span>` : null,
      amendmentCount(v) > 0
        ? html`<span class="note"><a href="#corrections-${v.id}">${this.t('publish.page.corrected')} (${amendmentCount(v)})</a></span>`
        : null,
    ];
    return html`<tr id="vote-${v.id}">
<th scope="row">${v.number}</th>
<td>${v.item?.number ?? ''}</td>
<td class="subject">${v.subject}${notes}</td>
<td>${ruleText(v.rule, this.opts.lang)}</td>
<td>${ballotText(v.ballot, this.opts.lang)}</td>
<td class="num">${v.composition}</td>
<td class="num">${v.required}</td>
<td class="num">${counts.for}</td>
<td class="num">${counts.against}</td>
<td class="num">${counts.abstain}</td>
<td class="num">${counts.notVoting}</td>
<td class="num">${counts.absent}</td>
<td class="result-${v.result}">${resultText(v.result, this.opts.lang)}</td>
<td>${this.time(v.closedAt, 'short')}</td>
</tr>
`;
  }

  matrices(): SafeHtml[] {
    const votes = rollCall(this.pub.votes);
    const blocks: SafeHtml[] = [];
    for (let start = 0; start < votes.length; start += MATRIX_COLUMNS) {
      blocks.push(this.matrix(votes.slice(start, start + MATRIX_COLUMNS), start, votes.length));
    }
    // A dash marks a member outside a vote's composition (a mayor who did not take part).
    const dashes = votes.some((v) => this.pub.sitting.roster.some((m) => v.choices?.[m.id] === undefined));
    if (dashes) blocks.push(html`<p class="note">— ${this.t('publish.page.notInComposition')}</p>`);
    return blocks;
  }

  matrix(votes: PublishedVote[], start: number, total: number): SafeHtml {
    const captionId = `matrix-${start + 1}`;
    const caption = this.t('publish.page.matrixCaption', { from: start + 1, to: start + votes.length, total });
    return html`<div class="matrix-block">
<div class="scroll" role="region" aria-labelledby="${captionId}" tabindex="0">
<table class="matrix">
<caption id="${captionId}">${caption}</caption>
<thead><tr><th scope="col">${this.t('publish.page.member')}</th>${votes.map(
      (v) =>
        html`<th scope="col" title="${v.subject}"><a href="#vote-${v.id}">${v.number}</a>${
          v.item ? html`<span class="note">${this.t('publish.page.itemShort', { number: v.item.number })}</span>` : null
        }</th>`,
    )}</tr></thead>
${this.pub.groups.map((g) => this.group(g, votes))}
<tfoot><tr><th scope="row">${this.t('publish.page.result')}</th>${votes.map(
      (v) => html`<td class="result-${v.result}">${resultText(v.result, this.opts.lang)}</td>`,
    )}</tr></tfoot>
</table>
</div>
</div>
`;
  }

  group(group: RosterGroup, votes: PublishedVote[]): SafeHtml {
    return html`<tbody>
<tr><th scope="rowgroup" colspan="${votes.length + 1}">${groupName(group, this.opts.lang)}</th></tr>
${group.members.map((m) => html`<tr><th scope="row">${m.name}</th>${votes.map((v) => this.cell(v, m))}</tr>
`)}</tbody>
`;
  }

  cell(vote: PublishedVote, member: Member): SafeHtml {
    const choice = vote.choices?.[member.id];
    if (choice === undefined) {
      return html`<td><span aria-hidden="true">—</span><span class="vh">${this.t('publish.page.notInComposition')}</span></td>`;
    }
    const original = originalChoice(vote, member.id);
    if (original === undefined || original === choice) return html`<td class="c-${choice}">${this.choice(choice)}</td>`;
    const link = html`<a href="#corrections-${vote.id}" aria-label="${this.t('publish.page.correctionsCaption')}">*</a>`;
    const hidden = html`<span class="vh">${this.t('publish.page.corrected')}: </span>`;
    return html`<td class="c-${choice} corrected">${hidden}<del>${this.choice(original)}</del> <ins>${this.choice(choice)}</ins> ${link}</td>`;
  }

  choice(choice: MemberChoice): string {
    return choiceText(choice, this.opts.lang);
  }

  corrections(): SafeHtml | null {
    const corrected = this.pub.votes.filter((v) => amendmentCount(v) > 0);
    if (corrected.length === 0) return null;
    const names = new Map(this.pub.sitting.roster.map((m) => [m.id, m.name]));
    return html`<div class="scroll" role="region" aria-labelledby="corrections-caption" tabindex="0">
<table class="corrections">
<caption id="corrections-caption">${this.t('publish.page.correctionsCaption')}</caption>
<thead><tr>
<th scope="col">${this.t('publish.page.correctionVote')}</th>
<th scope="col">${this.t('publish.page.member')}</th>
<th scope="col">${this.t('publish.page.correctionFrom')}</th>
<th scope="col">${this.t('publish.page.correctionTo')}</th>
<th scope="col">${this.t('publish.page.correctionReason')}</th>
<th scope="col">${this.t('publish.page.correctionAt')}</th>
</tr></thead>
${corrected.map(
  (v) => html`<tbody id="corrections-${v.id}">
${v.corrections.map(
  (c) => html`<tr class="correction">
<th scope="row"><a href="#vote-${v.id}">${v.number}</a> ${v.subject}</th>
<td>${names.get(c.memberId) ?? c.memberId}</td>
<td><del>${this.choice(c.from)}</del></td>
<td><ins>${this.choice(c.to)}</ins></td>
<td>${c.reason}</td>
<td>${this.time(c.at)}</td>
</tr>
`,
)}${(v.tallyCorrections ?? []).map(
  (c) => html`<tr class="correction">
<th scope="row"><a href="#vote-${v.id}">${v.number}</a> ${v.subject}</th>
<td>${this.t('publish.page.secretTotals')}</td>
<td><del>${totalsText(c.from, this.opts.lang)}</del></td>
<td><ins>${totalsText(c.to, this.opts.lang)}</ins></td>
<td>${c.reason}</td>
<td>${this.time(c.at)}</td>
</tr>
`,
)}</tbody>
`,
)}</table>
</div>
`;
  }

  /** At the top, so a reader of a corrected record knows it before reading on. */
  correctedNote(): SafeHtml | null {
    const count = this.pub.sitting.corrections?.length ?? 0;
    if (count === 0) return null;
    return html`<p class="note" id="record-corrected"><a href="#record-corrections">${this.t('publish.page.recordCorrected', { count })}</a></p>`;
  }

  /** Corrections of the sitting's details, its items and members' names after it opened. */
  recordCorrections(): SafeHtml | null {
    const { sitting } = this.pub;
    const corrections = sitting.corrections ?? [];
    if (corrections.length === 0) return null;
    const value = (c: RecordCorrectionView, v: string | null): SafeHtml | string => {
      if (v === null || v === '') return this.t('correction.empty');
      return c.field === 'scheduledAt' ? this.time(v) : v;
    };
    return html`<div class="scroll" role="region" aria-labelledby="record-corrections-caption" tabindex="0">
<table class="corrections record-corrections" id="record-corrections">
<caption id="record-corrections-caption">${this.t('publish.page.recordCorrectionsCaption')}</caption>
<thead><tr>
<th scope="col">${this.t('publish.page.correctionWhat')}</th>
<th scope="col">${this.t('publish.page.correctionFrom')}</th>
<th scope="col">${this.t('publish.page.correctionTo')}</th>
<th scope="col">${this.t('publish.page.correctionReason')}</th>
<th scope="col">${this.t('publish.page.correctionAt')}</th>
</tr></thead>
<tbody>
${corrections.map(
  (c) => html`<tr class="correction">
<th scope="row">${correctionSubject(c, sitting, this.opts.lang)}</th>
<td><del>${value(c, c.from)}</del></td>
<td><ins>${value(c, c.to)}</ins></td>
<td>${c.reason}</td>
<td>${this.time(c.at)}</td>
</tr>
`,
)}</tbody>
</table>
</div>
`;
  }

  /** Changes of a vote's subject (vote.rename), shown as amendments like corrections. */
  renames(): SafeHtml | null {
    const renamed = this.pub.votes.filter((v) => (v.renames?.length ?? 0) > 0);
    if (renamed.length === 0) return null;
    return html`<div class="scroll" role="region" aria-labelledby="renames-caption" tabindex="0">
<table class="corrections renames">
<caption id="renames-caption">${this.t('publish.page.renamesCaption')}</caption>
<thead><tr>
<th scope="col">${this.t('publish.page.correctionVote')}</th>
<th scope="col">${this.t('publish.page.renameFrom')}</th>
<th scope="col">${this.t('publish.page.renameTo')}</th>
<th scope="col">${this.t('publish.page.correctionReason')}</th>
<th scope="col">${this.t('publish.page.correctionAt')}</th>
</tr></thead>
${renamed.map(
  (v) => html`<tbody id="renames-${v.id}">
${(v.renames ?? []).map(
  (r) => html`<tr class="rename">
<th scope="row"><a href="#vote-${v.id}">${v.number}</a></th>
<td><del>${r.from}</del></td>
<td><ins>${r.to}</ins></td>
<td>${r.reason}</td>
<td>${this.time(r.at)}</td>
</tr>
`,
)}</tbody>
`,
)}</table>
</div>
`;
  }

  recordLine(): SafeHtml {
    const { sitting } = this.pub;
    const paths = publicationPaths(sitting.id);
    // The hash goes into <code>: split the catalogue's sentence around its placeholder.
    const line = this.t('publish.page.record', { seq: sitting.seq, hash: '\u0000' }).split('\u0000');
    const log = html`<a href="${paths.log}">${this.t('publish.page.verifyLog')}</a>`;
    return html`<p id="record-head">${line[0]}<code>${sitting.headHash ?? '—'}</code>${line[1]}. ${log}</p>`;
  }
}

export function votesPage(pub: Publication, opts: PageOptions): string {
  return new Page(pub, opts).render();
}

/** The page's answer when there is nothing to show (unknown sitting, bad query): the catalogue's text. */
export function errorPage(error: ErrorBody, lang: Lang): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${error.messages[lang]}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
<h1>${error.messages[lang]}</h1>
<p><a href="/">radacast</a></p>
</main>
</body>
</html>
`.text;
}
