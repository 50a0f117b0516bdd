// Times of the record in the council's time zone. Machine formats carry the offset
// (`2026-12-10T10:05:00+02:00`, whole seconds, as Popolo's date pattern and ISO 8601 readers
// expect); people read dates in words with the time kept on the same line.
import { LOCALES, type Lang } from '../../protocol/messages.ts';
import { present } from '../../protocol/present.ts';

const machine = new Map<string, Intl.DateTimeFormat>();

function machineFormat(timeZone: string): Intl.DateTimeFormat {
  let f = machine.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    machine.set(timeZone, f);
  }
  return f;
}

/** ISO 8601 in `timeZone` with its offset and whole seconds, e.g. 2026-12-10T10:05:00+02:00. */
export function localIso(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(machineFormat(timeZone).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  // "GMT+02:00", or plain "GMT" at a zero offset.
  const offset = present(parts.timeZoneName, 'the offset machineFormat asks Intl for').replace('GMT', '') || '+00:00';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** The calendar day in `timeZone`, e.g. 2026-12-10. */
export const localDay = (iso: string, timeZone: string): string => localIso(iso, timeZone).slice(0, 10);

/** A moment in `timeZone` as a spreadsheet stores it: the wall-clock time, with no zone. */
export function wallClock(iso: string, timeZone: string): Date {
  return new Date(`${localIso(iso, timeZone).slice(0, 19)}Z`);
}

export type HumanStyle = 'date' | 'dateTime' | 'short';

/**
 * Dates as people read them: `date` "10 грудня 2026 р.", `dateTime` "10 грудня 2026 р. о 10:05",
 * `short` "10.12.2026, 10:05". Spaces are no-break spaces, so a date never wraps between the
 * year and the time.
 */
export class HumanTime {
  readonly #formats: Record<HumanStyle, Intl.DateTimeFormat>;

  constructor(lang: Lang, timeZone: string) {
    const locale = LOCALES[lang];
    this.#formats = {
      date: new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' }),
      dateTime: new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long', timeStyle: 'short' }),
      short: new Intl.DateTimeFormat(locale, { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
    };
  }

  format(iso: string, style: HumanStyle): string {
    return this.#formats[style].format(new Date(iso)).replace(/[ \u202f]/g, '\u00a0');
  }
}
