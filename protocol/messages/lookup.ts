// How a text is looked up: the languages, the locale each formats in, and a lookup over the
// area catalogues a part needs. The catalogue is split by area (site, console, overlay, shared,
// and what only the server renders) so each page bundles only the areas it passes in here.
export const LANGS = ['uk', 'en'] as const;
export type Lang = (typeof LANGS)[number];
/** The locale each language formats dates and times in. */
export const LOCALES: Record<Lang, string> = { uk: 'uk-UA', en: 'en-GB' };

/** Texts by key, Ukrainian first, English second. Placeholders like {sittingId} are filled from params. */
export type Catalogue = Readonly<Record<string, readonly [string, string]>>;
export type MessageParams = Record<string, string | number>;
export type Lookup<K extends string> = (key: K, lang: Lang, params?: MessageParams) => string;

export function lookup<K extends string>(catalogue: Readonly<Record<K, readonly [string, string]>>): Lookup<K> {
  return (key, lang, params) => {
    const text = catalogue[key][lang === 'uk' ? 0 : 1];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}
