// Texts on air: the overlay page and overlay.json (GET /api/rooms/:room/overlay.json).
// Ukrainian first, English second. The overlay bundles this file and shared.ts only.
import { lookup, type Catalogue } from './lookup.ts';
import { sharedMessages } from './shared.ts';

export const overlayMessages = {
  'overlay.live': ['НАЖИВО', 'LIVE'],
  'overlay.item': ['Питання {number}', 'Item {number}'],
  'overlay.vote.open': ['ГОЛОСУВАННЯ', 'VOTING'],
  'overlay.vote.closed': ['ГОЛОСУВАННЯ ЗАВЕРШЕНО', 'VOTING CLOSED'],
  'overlay.vote.secret': ['Таємне голосування', 'Secret ballot'],
  'overlay.vote.required': ['Потрібно «за»: {required} із {composition}', '"For" needed: {required} of {composition}'],
  'overlay.vote.elapsed': ['Час голосування', 'Voting time'],
  'overlay.count.for': ['За', 'For'],
  'overlay.count.against': ['Проти', 'Against'],
  'overlay.count.abstain': ['Утрималися', 'Abstained'],
  'overlay.count.notVoting': ['Не голосували', 'Did not vote'],
  'overlay.count.absent': ['Відсутні', 'Absent'],
  'overlay.result.adopted': ['ПРИЙНЯТО', 'ADOPTED'],
  'overlay.result.rejected': ['НЕ ПРИЙНЯТО', 'NOT ADOPTED'],
  'overlay.result.threshold': ['Поріг: {required}', 'Threshold: {required}'],
  'overlay.rule.majority-of-composition': ['більшість від загального складу', 'majority of the total composition'],
  'overlay.rule.two-thirds-of-composition': ['дві третини від загального складу', 'two thirds of the total composition'],
  'overlay.rule.majority-of-present': ['більшість від присутніх', 'majority of those present'],
  'overlay.attendance.title': ['РЕЄСТРАЦІЯ', 'REGISTRATION'],
  'overlay.attendance.registered': ['Зареєстровано', 'Registered'],
  'overlay.attendance.needed': ['Для кворуму потрібно', 'Needed for a quorum'],
  'overlay.quorum.met': ['КВОРУМ Є', 'QUORUM PRESENT'],
  'overlay.quorum.notMet': ['КВОРУМУ НЕМАЄ', 'NO QUORUM'],
  'overlay.roll.title': ['ПОІМЕННЕ ГОЛОСУВАННЯ', 'ROLL-CALL VOTE'],
  'overlay.roll.secret': ['Таємне голосування: лише підсумки.', 'Secret ballot: totals only.'],
  'overlay.roll.head': ['Голова', 'Head'],
  'overlay.roll.none': ['Позафракційні', 'Not affiliated'],
  'overlay.roll.notInComposition': ['—', '—'],
  'overlay.choice.for': ['За', 'For'],
  'overlay.choice.against': ['Проти', 'Against'],
  'overlay.choice.abstain': ['Утримався', 'Abstained'],
  'overlay.choice.not-voting': ['Не голосував', 'Did not vote'],
  'overlay.choice.absent': ['Відсутній', 'Absent'],
  'overlay.break.default': ['ПЕРЕРВА', 'BREAK'],
  'overlay.break.until': ['Продовження о {time}', 'Resuming at {time}'],
  'overlay.count.pending': ['Ще не внесено', 'Not yet entered'],
  'overlay.choice.pending': ['Ще не внесено', 'Not yet entered'],
  'overlay.vote.counting': ['Таємне голосування: працює лічильна комісія', 'Secret ballot: the counting commission is at work'],
  'overlay.roll.secretTitle': ['ТАЄМНЕ ГОЛОСУВАННЯ', 'SECRET BALLOT'],
} as const satisfies Catalogue;

/** Every text on air: the overlay's own and the shared ones. */
export const overlayMessage = /* @__PURE__ */ lookup({ ...sharedMessages, ...overlayMessages });
export type OverlayMessageKey = Parameters<typeof overlayMessage>[0];
