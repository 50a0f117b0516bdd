// The one message catalogue for user-facing text: Ukrainian first, English second.
// Placeholders like {sittingId} are filled from an error's context or a page's values.

export type Lang = 'uk' | 'en';
export const LANGS: readonly Lang[] = ['uk', 'en'];

const catalogue = {
  'error.invalid': ['Неправильні дані в запиті.', 'The request is not valid.'],
  'error.unauthorized': ['Потрібно увійти до системи.', 'You need to log in.'],
  'error.forbidden': ['Недостатньо прав для цієї дії.', 'You are not allowed to do this.'],
  'error.not-found': ['Не знайдено «{id}».', 'Not found: "{id}".'],
  'error.rate-limited': ['Забагато спроб. Спробуйте пізніше.', 'Too many attempts. Try again later.'],
  'error.payload-too-large': ['Запит завеликий.', 'The request is too large.'],
  'error.no-quorum': [
    'Немає кворуму: зареєстровано {registered}, потрібно щонайменше {needed}.',
    'No quorum: {registered} registered, at least {needed} needed.',
  ],
  'error.vote-not-open': ['Голосування «{voteId}» не відкрите.', 'Vote "{voteId}" is not open.'],
  'error.vote-not-closed': ['Голосування «{voteId}» ще триває.', 'Vote "{voteId}" is still open.'],
  'error.not-a-member': ['«{memberId}» не входить до складу органу.', '"{memberId}" is not a member of this body.'],
  'error.not-present': [
    '«{memberId}» не зареєстрований(-а). Спочатку зареєструйте.',
    '"{memberId}" is not registered present. Register them first.',
  ],
  'error.sitting-not-live': ['Засідання «{sittingId}» не розпочате.', 'Sitting "{sittingId}" is not live.'],
  'error.sitting-closed': ['Засідання «{sittingId}» закрите.', 'Sitting "{sittingId}" is closed.'],
  'error.sitting-live': ['Засідання «{sittingId}» вже триває.', 'Sitting "{sittingId}" is already live.'],
  'error.room-busy': [
    'У залі «{room}» вже триває засідання «{liveSittingId}».',
    'Sitting "{liveSittingId}" is already live in room "{room}".',
  ],
  'error.vote-open': [
    'Спочатку закрийте голосування «{voteId}».',
    'Close vote "{voteId}" first.',
  ],
  'error.item-done': ['Питання «{itemId}» вже розглянуто.', 'Item "{itemId}" is already done.'],
  'error.agenda-started': [
    'Порядок денний не можна змінити: розгляд питань розпочато.',
    'The agenda cannot change: an item has been started.',
  ],
  'error.wrong-ballot': [
    'Ця дія не підходить для голосування типу «{ballot}».',
    'This action does not fit a "{ballot}" vote.',
  ],
  'error.tally-exceeds-present': [
    'Підсумків ({total}) більше, ніж присутніх ({present}).',
    'The totals ({total}) exceed the members present ({present}).',
  ],
  'error.tally-missing': [
    'Введіть підсумки таємного голосування перед закриттям.',
    'Enter the totals of the secret ballot before closing it.',
  ],
  'error.stale-seq': [
    'Дані застаріли: очікувався номер {expectedSeq}, актуальний {seq}. Оновіть і повторіть.',
    'Out of date: expected {expectedSeq}, the record is at {seq}. Refresh and retry.',
  ],
  'error.duplicate-id': ['Ідентифікатор «{id}» вже використано.', 'The id "{id}" is already in use.'],
  'error.internal': ['Внутрішня помилка сервера.', 'Internal server error.'],
  'ui.index.title': ['Засідання наживо та архів', 'Live sittings and archive'],
  'ui.index.loadFailed': ['Не вдалося завантажити список засідань.', 'Could not load the sittings.'],
  'ui.index.none': ['Засідань немає.', 'No sittings.'],
  'ui.status.scheduled': ['Заплановано', 'Scheduled'],
  'ui.status.live': ['Наживо', 'Live'],
  'ui.status.closed': ['Завершено', 'Ended'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof catalogue;

export function message(key: MessageKey, lang: Lang, params?: Record<string, string | number>): string {
  const text = catalogue[key][lang === 'uk' ? 0 : 1];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
