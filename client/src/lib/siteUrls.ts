// Addresses of the residents' pages (server/http/pages.ts serves them) and the snippet that
// embeds a room's player on another website.
import type { Lang } from '../../../protocol/messages/lookup.ts';
import { linkTime } from './chapters.ts';
import { present } from '../../../protocol/present.ts';

const enc = encodeURIComponent;

export const sitePaths = {
  home: '/',
  live: (room: string) => `/live/${enc(room)}`,
  sitting: (id: string) => `/sittings/${enc(id)}`,
  /** The sitting's recording from `seconds` on. */
  moment: (id: string, seconds: number) => `/sittings/${enc(id)}?t=${linkTime(seconds)}`,
  embed: (room: string) => `/embed/${enc(room)}`,
  /** One sitting in the embeddable player: its recording once it is over. */
  embedSitting: (id: string) => `/embed/sittings/${enc(id)}`,
};

/** `path` as the page in `lang`: Ukrainian is the default and needs no parameter. */
export const withLang = (path: string, lang: Lang): string => (lang === 'en' ? `${path}?lang=en` : path);

/** What a page is about, read from its path; null when the path names nothing valid. */
export type PageTarget =
  | { kind: 'live'; room: string }
  | { kind: 'sitting'; id: string }
  | { kind: 'embed'; room: string }
  | { kind: 'embed-sitting'; id: string };

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function pageTarget(pathname: string): PageTarget | null {
  const embedded = /^\/embed\/sittings\/([^/]+)\/?$/.exec(pathname);
  if (embedded) {
    const target = pageTarget(`/sittings/${embedded[1]}`);
    return target?.kind === 'sitting' ? { kind: 'embed-sitting', id: target.id } : null;
  }
  const m = /^\/(live|sittings|embed)\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  const [, area, raw] = m;
  let id: string;
  try {
    id = decodeURIComponent(present(raw, 'the id the path pattern captures'));
  } catch {
    return null;
  }
  if (!ID.test(id)) return null;
  if (area === 'sittings') return { kind: 'sitting', id };
  return area === 'live' || area === 'embed' ? { kind: area, room: id } : null;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * An iframe for the council's website: 16:9 player plus the compact panel, fluid up to its
 * width. A room's embed follows its live stream; a sitting's (`{ sittingId }`) plays that
 * sitting's recording.
 */
export function embedSnippet(origin: string, what: string | { sittingId: string }, title: string, lang: Lang): string {
  const path = typeof what === 'string' ? sitePaths.embed(what) : sitePaths.embedSitting(what.sittingId);
  const src = `${origin}${withLang(path, lang)}`;
  return (
    `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="640" height="720" ` +
    `style="border:0;max-width:100%" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>`
  );
}
