// Date-times between a form's local fields and the protocol's ISO 8601 with an offset
// ("2026-12-10T10:00:00+02:00"), in the browser's time zone. Pure given the Date.

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 with this moment's local offset, e.g. "2026-12-10T10:00:00+02:00". */
export function isoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** A `datetime-local` input's value ("2026-12-10T10:00") read as local time; null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  // A missing field (none, by the pattern) reads as an invalid date.
  const [y = NaN, mo = NaN, d = NaN, h = NaN, mi = NaN] = m.slice(1).map(Number);
  const date = new Date(y, mo - 1, d, h, mi);
  return Number.isNaN(date.getTime()) ? null : isoWithOffset(date);
}

/** A `time` input's "HH:MM" for this moment, in local time. */
export const hhmm = (date: Date): string => `${pad(date.getHours())}:${pad(date.getMinutes())}`;

/** Today (of `now`) at a `time` input's "HH:MM", with offset; null when invalid. */
export function todayAt(time: string, now: Date): string | null {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) return null;
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(m[1]), Number(m[2]));
  return Number.isNaN(date.getTime()) ? null : isoWithOffset(date);
}

/** The `datetime-local` input's value ("2026-12-10T10:00") for an ISO date-time, in local time. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${hhmm(date)}`;
}
