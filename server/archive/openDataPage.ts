// The /opendata/ page: per body and per year, the motions and votings files, and the catalogue.
import { html } from '../publish/html.ts';
import { message } from '../../protocol/messages.ts';
import type { PageContext } from './archivePages.ts';
import { renderLayout } from './archivePages.ts';
import type { DatasetEntry } from './openDataSets.ts';

export function openDataPage(entries: DatasetEntry[], ctx: PageContext): string {
  const t = (key: Parameters<typeof message>[0], params?: Record<string, string | number>) => message(key, ctx.lang, params);
  const bodies = [...new Set(entries.map((e) => e.bodyId))];
  const list =
    entries.length === 0
      ? html`<p>${t('archive.opendata.none')}</p>`
      : bodies.map((bodyId) => {
          const own = entries.filter((e) => e.bodyId === bodyId);
          return html`<section><h2>${own[0]!.bodyName}</h2><ul>${own.map(
            (e) => html`<li><a href="${e.path}" download>${t(e.file === 'motions.csv' ? 'archive.opendata.motions' : 'archive.opendata.votings', { year: e.year })}</a></li>`,
          )}</ul></section>`;
        });
  return renderLayout(
    ctx,
    t('archive.opendata.title'),
    html`<p>${t('archive.opendata.intro')}</p><p><a href="/opendata/catalog.json">${t('archive.opendata.catalog')}</a></p>${list}`,
  );
}
