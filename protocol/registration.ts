// Registration as every page shows it — the console's attendance panel and header, the quorum
// badge, the overlay, overlay.json and the residents' pages: members registered who hold a seat,
// out of the statutory seats, with a council's head (the mayor, who sits outside the seats,
// Art. 59) shown apart. One function, so no two screens can disagree on the count or its base.
import type { Lang } from './messages/lookup.ts';
import { sharedMessage as message } from './messages/shared.ts';
import type { SittingView } from './views.ts';

export interface Registration {
  /** Registered members holding a seat: a council's deputies, or every member of a committee. */
  registered: number;
  /** The statutory seats: the base of the count and of the quorum. */
  seats: number;
  /** Counted apart from the seats: a council's head; null for a body without one. */
  head: { present: boolean } | null;
  /** Registered members a quorum needs, and whether they are there (Art. 46). */
  needed: number;
  met: boolean;
  /** Members of a council are deputies; of any other body, members. */
  kind: 'deputies' | 'members';
}

export function registration(view: Pick<SittingView, 'body' | 'attendance' | 'quorum'>): Registration {
  const { body, quorum } = view;
  const extraHead = body.kind === 'council' && body.head !== null ? body.head : null;
  return {
    // The quorum's count is exactly this: the domain counts registered members but a council's head.
    registered: quorum.registered,
    seats: body.seats,
    head: extraHead === null ? null : { present: view.attendance.present.includes(extraHead) },
    needed: quorum.needed,
    met: quorum.met,
    kind: body.kind === 'council' ? 'deputies' : 'members',
  };
}

/** "депутатів" after "з 42", "депутата" after "з 41" (genitive after a numeral ending in 1, not 11). */
function seatNoun(r: Registration, lang: Lang): string {
  const one = new Intl.PluralRules(lang === 'uk' ? 'uk' : 'en').select(r.seats) === 'one';
  return message(`registration.${r.kind}.${one ? 'one' : 'other'}`, lang);
}

/** The base of the count: "з 42 депутатів". */
export function registrationBase(r: Registration, lang: Lang): string {
  return message('registration.base', lang, { seats: r.seats, noun: seatNoun(r, lang) });
}

/** The head's part: "+ міський голова", "міського голови немає", or nothing for a committee. */
export function registrationHeadText(r: Registration, lang: Lang): string {
  if (r.head === null) return '';
  return message(r.head.present ? 'registration.headPresent' : 'registration.headAbsent', lang);
}

/** "Зареєстровано 37 з 42 депутатів + міський голова". */
export function registrationText(r: Registration, lang: Lang): string {
  const count = message('registration.count', lang, { registered: r.registered, base: registrationBase(r, lang) });
  const head = registrationHeadText(r, lang);
  return head === '' ? count : `${count}${r.head?.present ? ' ' : ', '}${head}`;
}

/** "37/42 + голова": the same figure where there is room for a few characters only. */
export function registrationShort(r: Registration, lang: Lang): string {
  return message(r.head?.present ? 'registration.shortWithHead' : 'registration.short', lang, { registered: r.registered, seats: r.seats });
}
