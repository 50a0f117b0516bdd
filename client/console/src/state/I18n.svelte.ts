// The console's language: Ukrainian first, English on request (remembered in this browser).
// Every text comes from the console's part of the catalogue, protocol/messages/console.ts.
import { getContext, setContext } from 'svelte';
import type { ErrorBody } from '../../../../protocol/errors.ts';
import { LOCALES, type Lang, type MessageParams } from '../../../../protocol/messages/lookup.ts';
import { consoleMessage as message, type ConsoleMessageKey } from '../../../../protocol/messages/console.ts';
import type { LineError } from '../lib/importErrors.ts';

const KEY = Symbol('i18n');
const STORAGE_KEY = 'radacast.console.lang';

export class I18n {
  #lang = $state<Lang>('uk');

  constructor() {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    this.#set(saved === 'en' ? 'en' : 'uk');
  }

  get lang(): Lang {
    return this.#lang;
  }

  get other(): Lang {
    return this.#lang === 'uk' ? 'en' : 'uk';
  }

  toggle(): void {
    this.#set(this.other);
    globalThis.localStorage?.setItem(STORAGE_KEY, this.#lang);
  }

  #set(lang: Lang): void {
    this.#lang = lang;
    document.documentElement.lang = lang;
  }

  t = (key: ConsoleMessageKey, params?: MessageParams): string => message(key, this.#lang, params);

  /** A refusal in the reader's language, from the server's catalogue texts. */
  error = (error: ErrorBody | null): string =>
    error ? error.messages[this.#lang] : message('console.connection.requestFailed', this.#lang);

  lineError = (e: LineError): string => message(e.key, this.#lang, { ...e.params, line: e.line });

  dateTime = (iso: string): string => new Date(iso).toLocaleString(LOCALES[this.#lang], { dateStyle: 'medium', timeStyle: 'short' });
}

export const setI18n = (i18n: I18n): I18n => setContext(KEY, i18n);
export const getI18n = (): I18n => getContext<I18n>(KEY);
