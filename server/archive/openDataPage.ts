// The /opendata/ page: per body and per year, the motions and votings files, and the catalogue.
import { html } from '../publish/html.ts';
import { message } from '../../protocol/messages.ts';
import type { PageContext } from './archivePages.ts';
import { renderLayout } from './archivePages.ts';
import type { DatasetEntry } from './openDataSets.ts';

export function openDataPage(entries: DatasetEntry[], ctx: PageContext): string {
  const t = (key: Parameters<typeof message>[0], params?: Record<string, string | number>) => message(key, ctx.lang, params);
  // Each body's name and files, in the order of the entries.
  const bodies = new Map<string, { name: string; files: DatasetEntry[] }>();
  for (const e of entries) {
    const body = bodies.get(e.bodyId);
    if (body) body.files.push(e);
    else bodies.set(e.bodyId, { name: e.bodyName, files: [e] });
  }
  const list =
    entries.length === 0
      ? html`<p>${t('archive.opendata.none')}</p>`
      : [...bodies.values()].map(({ name, files }) => {
          return html`<section><h2>${name}</h2><ul>${files.map(
            (e) => html`<li><a href="${e.path}" download>${t(e.file === 'motions.csv' ? 'archive.opendata.motions' : 'archive.opendata.votings', { year: e.year })}</a></li>`,
          )}</ul></section>`;
        });
  return renderLayout(
    ctx,
    t('archive.opendata.title'),
    html`<p>${t('archive.opendata.intro')}</p><p><a href="/opendata/catalog.json">${t('archive.opendata.catalog')}</a></p>${list}`,
  );
}
