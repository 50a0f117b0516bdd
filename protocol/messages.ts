// The one message catalogue for user-facing text, Ukrainian first, English second — kept in one
// file per area under messages/ so that each page bundles only its own strings:
//   messages/shared.ts          texts more than one page shows (and the server renders too)
//   messages/site.ts            the residents' pages (home, watch, embed)
//   messages/console.ts         the clerk's console
//   messages/overlay.ts         on air: the overlay page and overlay.json
//   messages/serverRendered.ts  what only the server renders: refusals, media and restream
//                               problems, published pages and files, the archive
// A new key goes into the file of the part that shows it (in a block headed with your area and
// issue, next to the related section); a key two pages show goes into shared.ts. Key names keep
// their prefix (`site.`, `console.`, `overlay.`, `error.`, …) whatever file holds them.
//
// This file joins the areas for the server, which renders texts of every area. Pages never import
// it (the lint walls say so): a page imports its own area's lookup.
import { consoleMessages } from './messages/console.ts';
import { lookup } from './messages/lookup.ts';
import { overlayMessages } from './messages/overlay.ts';
import { serverRenderedMessages } from './messages/serverRendered.ts';
import { sharedMessages } from './messages/shared.ts';
import { siteMessages } from './messages/site.ts';

export { LANGS, LOCALES, type Lang } from './messages/lookup.ts';

const catalogue = { ...sharedMessages, ...siteMessages, ...consoleMessages, ...overlayMessages, ...serverRenderedMessages };

export type MessageKey = keyof typeof catalogue;

export const message = lookup(catalogue);

/** Keys found in two of the areas, where a later area would silently win: must be none. */
type KeysInTwo<Areas extends readonly object[], Seen = never> = Areas extends readonly [infer First, ...infer Rest extends object[]]
  ? (keyof First & Seen) | KeysInTwo<Rest, Seen | keyof First>
  : never;
type MustBeNone<K extends never> = K;
export type NoKeyInTwoAreas = MustBeNone<
  KeysInTwo<[typeof sharedMessages, typeof siteMessages, typeof consoleMessages, typeof overlayMessages, typeof serverRenderedMessages]>
>;
