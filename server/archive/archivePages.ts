// The residents' archive pages, rendered on the server (complete without JavaScript): the
// deputies of a body, one member's votes, and the search for decisions. Ukrainian by default,
// English with ?lang=en; readable at 360 px (tables scroll inside their own box).
import { LOCALES, message, type Lang, type MessageKey } from '../../protocol/messages.ts';
import type { MemberChoice } from '../../protocol/model.ts';
import { html, type SafeHtml } from '../publish/html.ts';
import { publicationPaths } from '../../protocol/publicationPaths.ts';
import type { DeputyStats, MemberSitting, MemberVote, Page, SearchHit } from './ArchiveQueries.ts';

export interface PageContext {
  lang: Lang;
  timeZone: string;
  /** The path and query of this page, for the language switch. */
  url: URL;
  /** Seconds into the sitting's recording where a vote was opened (or an item taken up), if recorded. */
  moment: (sittingId: string, kind: 'vote' | 'item', id: string) => number | null;
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #111; }
body { margin: 0 auto; padding: 0.75rem 1rem 3rem; max-width: 72rem; line-height: 1.45; }
a { color: #0b4f9c; }
nav ul { list-style: none; padding: 0; margin: 0 0 0.5rem; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
nav a, .more a { display: inline-block; padding: 0.6rem 0.1rem; }
h1 { font-size: 1.45rem; margin: 0.5rem 0; }
form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0.75rem 0; }
label { display: flex; flex-direction: column; font-size: 0.9rem; gap: 0.2rem; flex: 1 1 12rem; min-width: 0; }
input, select, button { font: inherit; min-height: 2.75rem; padding: 0 0.5rem; max-width: 100%; box-sizing: border-box; }
input, select { width: 100%; }
button { cursor: pointer; }
.scroll { overflow-x: auto; margin: 1rem 0; position: relative; }
.scroll:focus { outline: 2px solid #0b4f9c; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
th, td { border: 1px solid #999; padding: 0.3rem 0.45rem; vertical-align: top; text-align: left; }
thead th { background: #eef1f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td a { display: inline-block; min-height: 1.5rem; }
.links a { margin-right: 0.6rem; }
.result-adopted { color: #1d6b2f; font-weight: 600; }
.result-rejected { color: #8a1c1c; font-weight: 600; }
.secret { font-style: italic; color: #444; }
.error { border: 2px solid #8a1c1c; padding: 0.5rem 0.75rem; background: #fdecec; }
dl dt { font-weight: 600; margin-top: 0.5rem; }
dl dd { margin: 0; }
ol.hits { padding-left: 1.25rem; }
ol.hits li { margin: 0.75rem 0; }
.meta { color: #444; font-size: 0.9rem; }
.vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; }
`;

class View {
  // Built once per page: a formatter costs far more to make than to use, and a member's page
  // shows hundreds of dates.
  readonly #dates: Intl.DateTimeFormat;
  readonly #percents: Intl.NumberFormat;

  constructor(readonly ctx: PageContext) {
    this.#dates = new Intl.DateTimeFormat(LOCALES[ctx.lang], { dateStyle: 'medium', timeZone: ctx.timeZone });
    this.#percents = new Intl.NumberFormat(LOCALES[ctx.lang], { style: 'percent', maximumFractionDigits: 1 });
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return message(key, this.ctx.lang, params);
  }

  /** `path` in this page's language. */
  href(path: string, params: Record<string, string | undefined> = {}): string {
    const url = new URL(path, 'http://x');
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    if (this.ctx.lang === 'en') url.searchParams.set('lang', 'en');
    return url.pathname + url.search + url.hash;
  }

  date(iso: string): string {
    return this.#dates.format(new Date(iso));
  }

  percent(share: number | null): string {
    if (share === null) return '—';
    return this.#percents.format(share);
  }

  choice(choice: MemberChoice): string {
    return this.t(`publish.choice.${choice}`);
  }

  result(result: 'adopted' | 'rejected'): SafeHtml {
    return html`<span class="result-${result}">${this.t(`publish.result.${result}`)}</span>`;
  }

  links(sittingId: string, kind: 'vote' | 'item', id: string): SafeHtml {
    const seconds = this.ctx.moment(sittingId, kind, id);
    const table = publicationPaths(sittingId).page + (kind === 'vote' ? `#vote-${id}` : '');
    return html`<span class="links">${
      seconds === null
        ? ''
        : html`<a href="${this.href(`/sittings/${encodeURIComponent(sittingId)}`, { t: String(seconds) })}"><span aria-hidden="true">▶ </span>${this.t('archive.link.moment')}<span class="vh"> — ${this.t('archive.link.momentLabel')}</span></a>`
    }<a href="${this.href(table)}">${this.t('archive.link.table')}<span class="vh"> — ${this.t('archive.link.tableLabel')}</span></a></span>`;
  }

  layout(title: string, main: SafeHtml): string {
    const other: Lang = this.ctx.lang === 'uk' ? 'en' : 'uk';
    const switchUrl = new URL(this.ctx.url);
    if (other === 'en') switchUrl.searchParams.set('lang', 'en');
    else switchUrl.searchParams.delete('lang');
    const nav: [string, MessageKey][] = [
      ['/', 'archive.nav.home'],
      ['/deputies', 'archive.nav.deputies'],
      ['/search', 'archive.nav.search'],
      ['/opendata/', 'archive.nav.openData'],
    ];
    return `<!doctype html>${html`<html lang="${this.ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<nav aria-label="${this.t('archive.nav.label')}"><ul>
${nav.map(([path, key]) => html`<li><a href="${this.href(path)}"${this.ctx.url.pathname === path ? html` aria-current="page"` : ''}>${this.t(key)}</a></li>`)}
<li><a href="${switchUrl.pathname + switchUrl.search}" lang="${other}" hreflang="${other}">${this.t('archive.otherLanguage')}</a></li>
</ul></nav>
</header>
<main id="main">
<h1>${title}</h1>
${main}
</main>
</body>
</html>`.text}`;
  }
}

export interface DeputiesPageData {
  bodies: { id: string; name: string }[];
  bodyId: string;
  bodyName: string;
  closedSittings: number;
  name: string;
  sort: DeputySort;
  deputies: DeputyStats[];
}

export const DEPUTY_SORTS = ['name', 'faction', 'attendance', 'votes', 'withFaction'] as const;
export type DeputySort = (typeof DEPUTY_SORTS)[number];

/** Orders and filters the list as the form asked; the figures stay as the API gives them. */
export function selectDeputies(deputies: DeputyStats[], name: string, sort: DeputySort, lang: Lang): DeputyStats[] {
  const needle = name.trim().toLocaleLowerCase('uk-UA');
  const collator = new Intl.Collator(LOCALES[lang]);
  const byName = (a: DeputyStats, b: DeputyStats) => collator.compare(a.name, b.name);
  const desc = (f: (d: DeputyStats) => number | null) => (a: DeputyStats, b: DeputyStats) => (f(b) ?? -1) - (f(a) ?? -1) || byName(a, b);
  const order: Record<DeputySort, (a: DeputyStats, b: DeputyStats) => number> = {
    name: byName,
    faction: (a, b) => collator.compare(a.factionName ?? '\uffff', b.factionName ?? '\uffff') || byName(a, b),
    attendance: desc((d) => d.attendance.rate),
    votes: desc((d) => d.votes.total - d.votes.absent),
    withFaction: desc((d) => d.withFactionMajority),
  };
  return deputies.filter((d) => d.name.toLocaleLowerCase('uk-UA').includes(needle)).sort(order[sort]);
}

function definitions(v: View): SafeHtml {
  return html`<section aria-labelledby="definitions"><h2 id="definitions">${v.t('archive.definitions.title')}</h2>
<ul>
<li>${v.t('archive.definitions.attended')}</li>
<li>${v.t('archive.definitions.sittings')}</li>
<li>${v.t('archive.definitions.votes')}</li>
<li>${v.t('archive.definitions.withFaction')}</li>
</ul></section>`;
}

export function deputiesPage(data: DeputiesPageData, ctx: PageContext): string {
  const v = new View(ctx);
  const rows = selectDeputies(data.deputies, data.name, data.sort, ctx.lang);
  const form = html`<form method="get" action="/deputies">
${ctx.lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<label>${v.t('archive.deputies.body')}<select name="body">${data.bodies.map(
    (b) => html`<option value="${b.id}"${b.id === data.bodyId ? html` selected` : ''}>${b.name}</option>`,
  )}</select></label>
<label>${v.t('archive.deputies.name')}<input type="search" name="name" value="${data.name}" maxlength="100"></label>
<label>${v.t('archive.deputies.sort')}<select name="sort">${DEPUTY_SORTS.map(
    (s) => html`<option value="${s}"${s === data.sort ? html` selected` : ''}>${v.t(`archive.deputies.sort.${s}`)}</option>`,
  )}</select></label>
<button type="submit">${v.t('archive.deputies.show')}</button>
</form>`;
  const table =
    rows.length === 0
      ? html`<p>${v.t('archive.deputies.none')}</p>`
      : html`<div class="scroll" tabindex="0" role="region" aria-labelledby="deputies-caption"><table id="deputies">
<caption id="deputies-caption">${v.t('archive.deputies.caption', { body: data.bodyName, sittings: data.closedSittings })}</caption>
<thead><tr><th scope="col">${v.t('archive.col.member')}</th><th scope="col">${v.t('archive.col.faction')}</th>
<th scope="col">${v.t('archive.col.attendance')}</th><th scope="col">${v.t('archive.col.votes')}</th>
<th scope="col">${v.t('publish.page.countFor')}</th><th scope="col">${v.t('publish.page.countAgainst')}</th>
<th scope="col">${v.t('publish.page.countAbstain')}</th><th scope="col">${v.t('publish.page.countNotVoting')}</th>
<th scope="col">${v.t('publish.page.countAbsent')}</th><th scope="col">${v.t('archive.col.withFaction')}</th></tr></thead>
<tbody>${rows.map(
          (d) => html`<tr data-member="${d.id}"><th scope="row"><a href="${v.href(`/deputies/${encodeURIComponent(d.id)}`)}">${d.name}</a></th>
<td>${d.factionName ?? v.t('archive.nonAffiliated')}</td>
<td class="num">${v.t('archive.attendance.value', { attended: d.attendance.attended, sittings: d.attendance.sittings })} (${v.percent(d.attendance.rate)})</td>
<td class="num">${d.votes.total}</td><td class="num">${d.votes.for}</td><td class="num">${d.votes.against}</td>
<td class="num">${d.votes.abstain}</td><td class="num">${d.votes.notVoting}</td><td class="num">${d.votes.absent}</td>
<td class="num">${v.percent(d.withFactionMajority)}</td></tr>`,
        )}</tbody></table></div>`;
  return v.layout(v.t('archive.deputies.title'), html`${form}${table}${definitions(v)}`);
}

export interface MemberPageData {
  member: { id: string; name: string; factionName: string | null };
  stats: DeputyStats | null;
  filter: { from: string; to: string; q: string; sitting: string };
  sittings: MemberSitting[];
  votes: Page<MemberVote>;
}

export function memberPage(data: MemberPageData, ctx: PageContext): string {
  const v = new View(ctx);
  const { member, filter } = data;
  const self = `/deputies/${encodeURIComponent(member.id)}`;
  const summary = data.stats
    ? html`<p>${member.factionName ?? v.t('archive.nonAffiliated')}. ${v.t('archive.member.summary', {
        ...data.stats.votes,
        attended: data.stats.attendance.attended,
        sittings: data.stats.attendance.sittings,
      })}</p>`
    : html`<p>${member.factionName ?? v.t('archive.nonAffiliated')}.</p>`;
  const form = html`<form method="get" action="${self}" aria-label="${v.t('archive.member.filter')}">
${ctx.lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<label>${v.t('archive.member.sitting')}<select name="sitting"><option value="">${v.t('archive.member.allSittings')}</option>${data.sittings.map(
    (s) => html`<option value="${s.sittingId}"${s.sittingId === filter.sitting ? html` selected` : ''}>${v.date(s.scheduledAt)} — ${s.title}</option>`,
  )}</select></label>
<label>${v.t('archive.member.from')}<input type="date" name="from" value="${filter.from}"></label>
<label>${v.t('archive.member.to')}<input type="date" name="to" value="${filter.to}"></label>
<label>${v.t('archive.member.words')}<input type="search" name="q" value="${filter.q}" maxlength="200"></label>
<button type="submit">${v.t('archive.deputies.show')}</button>
</form>`;
  const votes =
    data.votes.items.length === 0
      ? html`<p>${v.t('archive.member.noVotes')}</p>`
      : html`<div class="scroll" tabindex="0" role="region" aria-labelledby="votes-caption"><table id="member-votes">
<caption id="votes-caption">${v.t('archive.member.votesCaption')}</caption>
<thead><tr><th scope="col">${v.t('archive.col.date')}</th><th scope="col">${v.t('publish.page.subject')}</th>
<th scope="col">${v.t('archive.col.choice')}</th><th scope="col">${v.t('publish.page.result')}</th>
<th scope="col">${v.t('archive.col.links')}</th></tr></thead>
<tbody>${data.votes.items.map(
          (vote) => html`<tr data-vote="${vote.sittingId}/${vote.voteId}"><td class="num">${v.date(vote.date)}</td>
<td>${vote.title}<span class="meta"> · ${vote.sittingTitle}</span></td>
<td>${vote.choice === null ? html`<span class="secret">${v.t('archive.secret')}</span>` : v.choice(vote.choice)}</td>
<td>${v.result(vote.result)} <span class="meta">${vote.counts.for}/${vote.counts.against}/${vote.counts.abstain}</span></td>
<td>${v.links(vote.sittingId, 'vote', vote.voteId)}</td></tr>`,
        )}</tbody></table></div>
${data.votes.nextCursor ? html`<p class="more"><a rel="next" href="${v.href(self, { ...filter, cursor: data.votes.nextCursor })}">${v.t('archive.more')}</a></p>` : ''}`;
  const attendance = html`<div class="scroll" tabindex="0" role="region" aria-labelledby="sittings-caption"><table id="member-sittings">
<caption id="sittings-caption">${v.t('archive.member.sittingsCaption')}</caption>
<thead><tr><th scope="col">${v.t('archive.col.date')}</th><th scope="col">${v.t('archive.col.sitting')}</th><th scope="col">${v.t('archive.col.attendance')}</th></tr></thead>
<tbody>${data.sittings.map(
    (s) => html`<tr><td class="num">${v.date(s.scheduledAt)}</td><td><a href="${v.href(publicationPaths(s.sittingId).page)}">${s.title}</a></td>
<td>${v.t(s.attended ? 'archive.member.attended' : 'archive.member.absent')}</td></tr>`,
  )}</tbody></table></div>`;
  return v.layout(v.t('archive.member.title', { name: member.name }), html`${summary}${form}${votes}${attendance}${definitions(v)}`);
}

export interface SearchPageData {
  q: string;
  error: string | null;
  hits: Page<SearchHit> | null;
}

export function searchPage(data: SearchPageData, ctx: PageContext): string {
  const v = new View(ctx);
  const form = html`<form method="get" action="/search" role="search">
${ctx.lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<label>${v.t('archive.search.label')}<input type="search" name="q" value="${data.q}" maxlength="200" required></label>
<button type="submit">${v.t('archive.search.submit')}</button>
</form><p class="meta">${v.t('archive.search.hint')}</p>`;
  const error = data.error === null ? '' : html`<p class="error" role="alert">${data.error}</p>`;
  const hits = data.hits;
  const results = !hits
    ? ''
    : hits.items.length === 0
      ? html`<p>${v.t('archive.search.none')}</p>`
      : html`<h2>${v.t('archive.search.results', { q: data.q })}</h2><ol class="hits">${hits.items.map(
          (hit) => html`<li data-kind="${hit.kind}"><strong>${hit.title}</strong>
<div class="meta">${v.t(`archive.search.kind.${hit.kind}`)} · ${v.date(hit.date)} · ${hit.sittingTitle}${
            hit.draftNumber ? html` · ${v.t('archive.search.draft', { number: hit.draftNumber })}` : ''
          }${hit.rapporteur ? html` · ${hit.rapporteur}` : ''}</div>
${hit.result ? html`<div>${v.result(hit.result)} <span class="meta">${hit.counts?.for}/${hit.counts?.against}/${hit.counts?.abstain}</span></div>` : ''}
<div>${
            hit.kind === 'vote' ? (hit.voteId === null ? '' : v.links(hit.sittingId, 'vote', hit.voteId)) : hit.itemId === null ? '' : v.links(hit.sittingId, 'item', hit.itemId)
          }</div></li>`,
        )}</ol>
${hits.nextCursor ? html`<p class="more"><a rel="next" href="${v.href('/search', { q: data.q, cursor: hits.nextCursor })}">${v.t('archive.more')}</a></p>` : ''}`;
  return v.layout(v.t('archive.search.title'), html`${form}${error}${results}`);
}

/** The common frame (navigation, language switch) around another archive page's content. */
export const renderLayout = (ctx: PageContext, title: string, main: SafeHtml): string => new View(ctx).layout(title, main);
