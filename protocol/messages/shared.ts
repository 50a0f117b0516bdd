// Texts more than one page shows (the residents' site, the console, the overlay) and the server
// renders too: statuses, choices, rules and ballots, a vote's stage, registration, the integrity
// alarm. Ukrainian first, English second. A key one page alone shows belongs in that page's file.
import { lookup, type Catalogue } from './lookup.ts';

export const sharedMessages = {
  'ui.integrity.alarm': [
    'Увага: журнал засідань не пройшов перевірку цілісності. Дані показано лише для читання; зміни не приймаються, доки адміністратор не відновить журнал.',
    'Warning: the record failed its integrity check. Data is shown read-only; no changes are accepted until an administrator repairs the record.',
  ],
  'ui.status.scheduled': ['Заплановано', 'Scheduled'],
  'ui.status.live': ['Наживо', 'Live'],
  'ui.status.closed': ['Завершено', 'Ended'],
  'publish.choice.for': ['За', 'For'],
  'publish.choice.against': ['Проти', 'Against'],
  'publish.choice.abstain': ['Утримався', 'Abstained'],
  'publish.choice.not-voting': ['Не голосував', 'Did not vote'],
  'publish.choice.absent': ['Відсутній', 'Absent'],
  'publish.rule.majority-of-composition': ['Більшість від загального складу', 'Majority of the total composition'],
  'publish.rule.two-thirds-of-composition': ['Дві третини від загального складу', 'Two thirds of the total composition'],
  'publish.rule.majority-of-present': ['Більшість від присутніх', 'Majority of those present'],
  'publish.ballot.roll-call': ['Поіменне', 'Roll-call'],
  'publish.ballot.secret': ['Таємне', 'Secret'],
  'publish.page.countFor': ['За', 'For'],
  'publish.page.countAgainst': ['Проти', 'Against'],
  'publish.page.countAbstain': ['Утрималися', 'Abstained'],
  'publish.page.countNotVoting': ['Не голосували', 'Did not vote'],
  'publish.page.countAbsent': ['Відсутні', 'Absent'],
  'publish.page.noFaction': ['Позафракційні', 'Not affiliated'],
  'publish.page.forced': ['Відкрито без кворуму: {reason}', 'Opened without a quorum: {reason}'],
  'overlay.draft': ['Проєкт № {number}', 'Draft No. {number}'],
  'overlay.rapporteur': ['Доповідає: {name}', 'Rapporteur: {name}'],
  'ui.status.cancelled': ['Скасовано', 'Cancelled'],
  'vote.stage.basis': ['за основу', 'as a basis'],
  'vote.stage.whole': ['в цілому', 'as a whole'],
  'vote.stage.basis-and-whole': ['за основу і в цілому', 'as a basis and as a whole'],
  'vote.stage.amendment': ['поправка №…', 'amendment No. …'],
  'vote.stage.amendmentNumber': ['поправка № {number}', 'amendment No. {number}'],
  'vote.stage.from-floor': ['з голосу', 'from the floor'],
  'vote.stage.procedural': ['процедурне', 'procedural'],
  'publish.choice.pending': ['Ще не внесено', 'Not yet entered'],
  'registration.count': ['Зареєстровано {registered} {base}', '{registered} {base} registered'],
  'registration.base': ['з {seats} {noun}', 'of {seats} {noun}'],
  'registration.deputies.one': ['депутата', 'deputy'],
  'registration.deputies.other': ['депутатів', 'deputies'],
  'registration.members.one': ['члена', 'member'],
  'registration.members.other': ['членів', 'members'],
  'registration.headPresent': ['+ міський голова', '+ the mayor'],
  'registration.headAbsent': ['міського голови немає', 'the mayor is not registered'],
  'registration.short': ['{registered}/{seats}', '{registered}/{seats}'],
  'registration.shortWithHead': ['{registered}/{seats} + голова', '{registered}/{seats} + mayor'],
} as const satisfies Catalogue;

/** A shared text, for the protocol helpers every part uses (registration, a vote's title). */
export const sharedMessage = /* @__PURE__ */ lookup(sharedMessages);
