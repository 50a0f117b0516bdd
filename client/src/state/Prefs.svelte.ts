// A resident's preferences on every residents' page: the language (Ukrainian unless `?lang=en`
// or an earlier choice in this browser) and light or dark (the system's choice until the
// resident picks one). All text comes from the site's part of the catalogue, protocol/messages/site.ts.
import { getContext, setContext } from 'svelte';
import { LOCALES, type Lang, type MessageParams } from '../../../protocol/messages/lookup.ts';
import { siteMessage, type SiteMessageKey } from '../../../protocol/messages/site.ts';

const KEY = Symbol('prefs');
const LANG_KEY = 'radacast.site.lang';
const THEME_KEY = 'radacast.site.theme';

export type Theme = 'light' | 'dark';

function stored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null; // storage blocked, e.g. in a third-party iframe
  }
}

function store(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // not remembered; the choice still applies to this page
  }
}

export class Prefs {
  #lang = $state<Lang>('uk');
  /** null: follow the system (prefers-color-scheme). */
  #chosenTheme = $state<Theme | null>(null);
  #systemDark = $state(false);
  readonly theme: Theme = $derived(this.#chosenTheme ?? (this.#systemDark ? 'dark' : 'light'));

  constructor(search: string) {
    const asked = new URLSearchParams(search).get('lang');
    this.#lang = asked === 'en' || asked === 'uk' ? asked : stored(LANG_KEY) === 'en' ? 'en' : 'uk';
    const theme = new URLSearchParams(search).get('theme') ?? stored(THEME_KEY);
    this.#chosenTheme = theme === 'light' || theme === 'dark' ? theme : null;
    const media = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    this.#systemDark = media?.matches ?? false;
    media?.addEventListener('change', (e) => (this.#systemDark = e.matches));
    $effect.root(() => {
      $effect(() => {
        document.documentElement.lang = this.#lang;
        document.documentElement.dataset.theme = this.theme;
      });
    });
  }

  get lang(): Lang {
    return this.#lang;
  }

  get otherLang(): Lang {
    return this.#lang === 'uk' ? 'en' : 'uk';
  }

  toggleLang(): void {
    this.#lang = this.otherLang;
    store(LANG_KEY, this.#lang);
  }

  toggleTheme(): void {
    this.#chosenTheme = this.theme === 'dark' ? 'light' : 'dark';
    store(THEME_KEY, this.#chosenTheme);
  }

  t = (key: SiteMessageKey, params?: MessageParams): string => siteMessage(key, this.#lang, params);

  dateTime = (iso: string): string => new Date(iso).toLocaleString(LOCALES[this.#lang], { dateStyle: 'long', timeStyle: 'short' });

  date = (iso: string): string => new Date(iso).toLocaleDateString(LOCALES[this.#lang], { dateStyle: 'long' });

  time = (iso: string | number): string => new Date(iso).toLocaleTimeString(LOCALES[this.#lang], { hour: '2-digit', minute: '2-digit' });

  clock = (ms: number): string =>
    new Date(ms).toLocaleTimeString(LOCALES[this.#lang], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const setPrefs = (prefs: Prefs): Prefs => setContext(KEY, prefs);
export const getPrefs = (): Prefs => getContext<Prefs>(KEY);
