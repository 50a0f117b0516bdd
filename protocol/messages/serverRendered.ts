// Texts only the server renders, so no page bundles them: refusals (every refusal carries both
// languages), media and restream problems as the console shows them, the published pages and
// files (votes tables, minutes, notifications, the archive, open data). Ukrainian first, English
// second.
import { lookup, type Catalogue } from './lookup.ts';

export const serverRenderedMessages = {
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
  // — security (issue 12): read-only record, cross-origin requests, the integrity alarm —
  'error.read-only': [
    'Журнал засідань не пройшов перевірку цілісності: система працює лише для читання, зміни не приймаються. Зверніться до адміністратора.',
    'The record failed its integrity check: the system is read-only and accepts no changes. Contact the administrator.',
  ],
  'error.cross-origin': [
    'Запит надіслано з іншого сайту або без ознаки запиту консолі; його відхилено.',
    'The request came from another site or without the console’s request marker; it was refused.',
  ],
  'publish.status.preliminaryNote': [
    'Засідання ще не закрите: таблицю доповнюють після кожного голосування.',
    'The sitting is not closed yet: the table grows with each vote.',
  ],
  'publish.status.finalNote': ['Засідання закрито {closedAt}.', 'The sitting was closed on {closedAt}.'],
  'publish.page.title': ['Поіменні результати голосування', 'Roll-call vote results'],
  'publish.page.scheduledAt': ['Дата засідання', 'Date of the sitting'],
  'publish.page.otherLanguage': ['English', 'Українською'],
  'publish.page.downloads': ['Відкриті дані', 'Open data'],
  'publish.page.noVotes': ['Закритих голосувань ще немає.', 'No vote has been closed yet.'],
  'publish.page.summaryCaption': ['Підсумки голосувань', 'Vote totals'],
  'publish.page.matrixCaption': [
    'Поіменне голосування (голосування {from}–{to} з {total})',
    'Roll-call votes (votes {from}–{to} of {total})',
  ],
  'publish.page.number': ['№', 'No.'],
  'publish.page.item': ['Питання', 'Item'],
  'publish.page.subject': ['Предмет голосування', 'Subject'],
  'publish.page.rule': ['Правило', 'Rule'],
  'publish.page.ballot': ['Спосіб', 'Ballot'],
  'publish.page.composition': ['Загальний склад', 'Total composition'],
  'publish.page.required': ['Потрібно «за»', '"For" needed'],
  'publish.page.result': ['Результат', 'Result'],
  'publish.page.closedAt': ['Закрито', 'Closed'],
  'publish.page.member': ['Прізвище, ім’я, по батькові', 'Name'],
  'publish.page.corrected': ['виправлено', 'corrected'],
  'publish.page.correctionsCaption': ['Виправлення після закриття голосування', 'Corrections after the vote was closed'],
  'publish.page.correctionVote': ['Голосування', 'Vote'],
  'publish.page.correctionFrom': ['Було', 'Originally'],
  'publish.page.correctionTo': ['Стало', 'Corrected to'],
  'publish.page.correctionReason': ['Підстава', 'Reason'],
  'publish.page.correctionAt': ['Час', 'Time'],
  'publish.page.record': [
    'Запис засідання: подія № {seq}, SHA-256 {hash}',
    'Record of the sitting: event {seq}, SHA-256 {hash}',
  ],
  'publish.page.verifyLog': ['Журнал подій для перевірки', 'Event log for verification'],
  // — publication: dates held, spreadsheets, minutes, links back (issue 13) —
  'publish.page.scheduledFor': ['Заплановано на', 'Scheduled for'],
  'publish.page.backToSitting': ['До засідання (відео, порядок денний)', 'Back to the sitting (video, agenda)'],
  'publish.page.home': ['Усі засідання', 'All sittings'],
  'publish.page.pageNav': ['Навігація', 'Navigation'],
  'publish.minutes.item': ['Питання порядку денного {number}: {title}', 'Agenda item {number}: {title}'],
  'publish.minutes.required': ['{required} із {composition}', '{required} of {composition}'],
  'publish.minutes.counts': [
    'За — {for}, проти — {against}, утрималися — {abstain}, не голосували — {notVoting}, відсутні — {absent}.',
    'For {for}, against {against}, abstained {abstain}, did not vote {notVoting}, absent {absent}.',
  ],
  'publish.minutes.corrected': ['виправлено: було «{from}»', 'corrected: originally "{from}"'],
  'publish.notify.voteClosed': [
    'Голосування «{subject}»: {result}. За {for}, проти {against}, утрималися {abstain}, не голосували {notVoting}, відсутні {absent}.',
    'Vote "{subject}": {result}. For {for}, against {against}, abstained {abstain}, did not vote {notVoting}, absent {absent}.',
  ],
  'publish.notify.voteCorrected': [
    'Виправлено голос: {member}, голосування «{subject}»: {from} → {to}. Підстава: {reason}. Результат: {result}.',
    'Vote corrected: {member}, vote "{subject}": {from} → {to}. Reason: {reason}. Result: {result}.',
  ],
  'publish.notify.sittingClosed': [
    'Засідання «{title}» закрито. Оприлюднено остаточні поіменні результати (голосувань: {votes}).',
    'Sitting "{title}" closed. Final roll-call results published (votes: {votes}).',
  ],
  // — archive: deputies and decisions across sittings, open data (issue 19) —
  'archive.nav.home': ['Засідання', 'Sittings'],
  'archive.nav.openData': ['Відкриті дані', 'Open data'],
  'archive.otherLanguage': ['English', 'Українською'],
  'archive.deputies.title': ['Депутати: відвідуваність і голосування', 'Deputies: attendance and votes'],
  'archive.deputies.body': ['Орган', 'Body'],
  'archive.deputies.name': ['Прізвище або ім’я', 'Name'],
  'archive.deputies.sort': ['Упорядкувати', 'Sort by'],
  'archive.deputies.sort.name': ['за прізвищем', 'name'],
  'archive.deputies.sort.faction': ['за фракцією', 'faction'],
  'archive.deputies.sort.attendance': ['за відвідуваністю', 'attendance'],
  'archive.deputies.sort.votes': ['за кількістю голосувань', 'votes taken part in'],
  'archive.deputies.sort.withFaction': ['за голосуванням з фракцією', 'voting with the faction'],
  'archive.deputies.show': ['Показати', 'Show'],
  'archive.deputies.caption': ['{body}: депутати (закритих засідань: {sittings})', '{body}: members ({sittings} closed sittings)'],
  'archive.deputies.none': ['Нікого не знайдено.', 'No one found.'],
  'archive.col.member': ['Депутат', 'Member'],
  'archive.col.faction': ['Фракція', 'Faction'],
  'archive.col.attendance': ['Відвідуваність', 'Attendance'],
  'archive.col.votes': ['Голосувань', 'Votes'],
  'archive.col.withFaction': ['З більшістю фракції', 'With faction majority'],
  'archive.col.date': ['Дата', 'Date'],
  'archive.col.sitting': ['Засідання', 'Sitting'],
  'archive.col.choice': ['Голос', 'Choice'],
  'archive.col.links': ['Посилання', 'Links'],
  'archive.col.found': ['Що знайдено', 'Found'],
  'archive.nonAffiliated': ['Позафракційні', 'Not affiliated'],
  'archive.attendance.value': ['{attended} з {sittings}', '{attended} of {sittings}'],
  'archive.definitions.title': ['Як рахуємо', 'How we count'],
  'archive.definitions.attended': [
    'Депутат був присутній на засіданні, якщо був зареєстрований у будь-який момент засідання.',
    'A member attended a sitting if they were registered present at any moment of it.',
  ],
  'archive.definitions.sittings': [
    'Засідання — закриті засідання органу, до складу якого депутат входив на момент відкриття.',
    'Sittings: the closed sittings of the body whose roster at opening included the member.',
  ],
  'archive.definitions.votes': [
    'Голосування — закриті поіменні голосування цих засідань за записаним голосом депутата (з урахуванням виправлень); «відсутній» — якщо не був зареєстрований. Таємні голосування не враховуються.',
    'Votes: the closed roll-call votes of those sittings by the member’s recorded choice (corrections applied); “absent” where they were not registered. Secret ballots are not counted.',
  ],
  'archive.definitions.withFaction': [
    'З більшістю фракції — частка голосувань (крім тих, де депутат був відсутній), у яких його голос збігся з найчастішим голосом присутніх членів його фракції (за рівності — будь-яким із найчастіших). Для позафракційних не рахується.',
    'With faction majority: the share of the member’s non-absent votes equal to the most common choice of their faction’s present members (on a tie, any of the most common). Not computed for non-affiliated members.',
  ],
  'archive.member.title': ['{name}: як голосував(-ла)', '{name}: how they voted'],
  'archive.member.summary': [
    'Присутність: {attended} з {sittings} засідань. Голосувань: {total} (за {for}, проти {against}, утримався {abstain}, не голосував {notVoting}, відсутній {absent}).',
    'Attended {attended} of {sittings} sittings. Votes: {total} (for {for}, against {against}, abstained {abstain}, did not vote {notVoting}, absent {absent}).',
  ],
  'archive.member.votesCaption': ['Голосування, найновіші спочатку', 'Votes, newest first'],
  'archive.member.sittingsCaption': ['Присутність на засіданнях', 'Attendance per sitting'],
  'archive.member.filter': ['Відбір голосувань', 'Filter the votes'],
  'archive.member.from': ['З дати', 'From'],
  'archive.member.to': ['По дату', 'To'],
  'archive.member.words': ['Слова в предметі голосування', 'Words in the subject'],
  'archive.member.sitting': ['Засідання', 'Sitting'],
  'archive.member.allSittings': ['усі', 'all'],
  'archive.member.attended': ['присутній(-я)', 'present'],
  'archive.member.absent': ['відсутній(-я)', 'absent'],
  'archive.member.noVotes': ['Голосувань не знайдено.', 'No votes found.'],
  'archive.secret': ['таємне голосування', 'secret ballot'],
  'archive.link.moment': ['Запис', 'Recording'],
  'archive.link.momentLabel': ['Момент у записі засідання', 'The moment in the sitting’s recording'],
  'archive.link.table': ['Таблиця', 'Table'],
  'archive.link.tableLabel': ['Поіменна таблиця засідання', 'The sitting’s roll-call table'],
  'archive.more': ['Наступна сторінка', 'Next page'],
  'archive.search.title': ['Пошук рішень', 'Search decisions'],
  'archive.search.label': ['Слова з назви питання, номер проєкту або доповідач', 'Words of the item’s title, draft number or rapporteur'],
  'archive.search.submit': ['Шукати', 'Search'],
  'archive.search.hint': [
    'Шукаємо за початком слова: «бюджет» знайде і «бюджету», і «бюджетної».',
    'Words match by their beginning: “бюджет” also finds “бюджету” and “бюджетної”.',
  ],
  'archive.search.results': ['Знайдено для «{q}»', 'Found for “{q}”'],
  'archive.search.none': ['Нічого не знайдено.', 'Nothing found.'],
  'archive.search.kind.item': ['Питання порядку денного', 'Agenda item'],
  'archive.search.kind.vote': ['Голосування', 'Vote'],
  'archive.search.draft': ['Проєкт № {number}', 'Draft No. {number}'],
  'archive.search.empty': ['Введіть слова для пошуку.', 'Enter words to search for.'],
  'archive.search.tooLong': ['Запит задовгий: не більше {max} символів.', 'The query is too long: at most {max} characters.'],
  'archive.query.date': ['Дата у форматі РРРР-ММ-ДД.', 'A date as YYYY-MM-DD.'],
  'archive.query.cursor': ['Неправильне значення cursor: візьміть його з попередньої сторінки.', 'Invalid cursor: take it from the previous page.'],
  'archive.opendata.title': ['Відкриті дані: голосування за роками', 'Open data: votes by year'],
  'archive.opendata.intro': [
    'Усі голосування й поіменні голоси органу за рік у структурі «Поіменні результати голосування депутатів» (такі самі CSV, як для кожного засідання). Оновлюються після закриття засідання.',
    'All motions and individual votes of a body for a year, in the structure of “Roll-call results of deputies’ votes” (the same CSVs as for each sitting). Regenerated when a sitting closes.',
  ],
  'archive.opendata.catalog': ['Каталог наборів даних (JSON)', 'Dataset catalogue (JSON)'],
  'archive.opendata.motions': ['Голосування {year} (CSV)', 'Motions {year} (CSV)'],
  'archive.opendata.votings': ['Поіменні голоси {year} (CSV)', 'Individual votes {year} (CSV)'],
  'archive.opendata.none': ['Закритих засідань ще немає.', 'No sitting has been closed yet.'],
  'archive.opendata.motionsTitle': ['{body}: результати голосувань за {year} рік', '{body}: vote results, {year}'],
  'archive.opendata.votingsTitle': ['{body}: поіменні результати голосування за {year} рік', '{body}: roll-call results, {year}'],
  'archive.opendata.motionsDescription': [
    'Усі голосування закритих засідань за {year} рік: предмет, підсумки, результат (структура motions).',
    'Every vote of the closed sittings of {year}: subject, totals, result (the motions structure).',
  ],
  'archive.opendata.votingsDescription': [
    'Голос кожного депутата в кожному поіменному голосуванні закритих засідань за {year} рік (структура votings).',
    'Each member’s choice in every roll-call vote of the closed sittings of {year} (the votings structure).',
  ],
  'media.refused.bad-app': [
    'Неправильна адреса сервера: має закінчуватися на /live.',
    'Wrong server address: it must end in /live.',
  ],
  'media.refused.bad-key': ['Неправильний ключ трансляції.', 'Wrong stream key.'],
  'media.refused.busy': ['У цю залу вже транслює інший кодер.', 'Another encoder is already streaming to this room.'],
  'media.refused.unavailable': [
    'Прийом відео на сервері зараз недоступний (немає ffmpeg).',
    'The server cannot take video right now (ffmpeg is missing).',
  ],
  'media.problem.ffmpeg-missing': [
    'ffmpeg не знайдено ({path}): відео та запис вимкнено. Встановіть пакет ffmpeg або вкажіть шлях у RADACAST_FFMPEG.',
    'ffmpeg not found ({path}): video and recording are off. Install the ffmpeg package or set RADACAST_FFMPEG.',
  ],
  'media.problem.ffmpeg-failed': [
    'ffmpeg не запустився; сервер повторює спробу. Подробиці в журналі сервера.',
    'ffmpeg failed to start; the server keeps retrying. Details are in the server log.',
  ],
  'media.problem.ffmpeg-crashed': [
    'Обробка відео аварійно зупинилась і перезапускається; глядачі побачать коротку паузу.',
    'Video processing crashed and is restarting; viewers will see a short pause.',
  ],
  'media.problem.stalled': [
    'Нові фрагменти відео перестали надходити; обробку перезапущено. Перевірте кодер і мережу.',
    'New video segments stopped coming; processing was restarted. Check the encoder and the network.',
  ],
  'media.problem.no-video': [
    'Кодер не надсилає відео. Перевірте, що в кодері вибрано джерело відео.',
    'The encoder sends no video. Check that a video source is selected in the encoder.',
  ],
  'media.problem.unsupported-codec': [
    'Кодек не підтримується. Налаштуйте кодер на H.264 (відео) і AAC (звук).',
    'Unsupported codec. Set the encoder to H.264 video and AAC audio.',
  ],
  'media.problem.timestamps': [
    'Мітки часу кодера стрибають. Вимкніть B-кадри і перевірте налаштування кодера.',
    'The encoder timestamps jump. Turn B-frames off and check the encoder settings.',
  ],
  'media.problem.invalid-input': [
    'Сервер отримує пошкоджені дані. Перевірте формат (RTMP/FLV або SRT/MPEG-TS) і мережу.',
    'The server receives damaged data. Check the format (RTMP/FLV or SRT/MPEG-TS) and the network.',
  ],
  'media.problem.disk-full': [
    'На диску сервера немає місця: запис і трансляція зупиняться. Звільніть місце.',
    'The server disk is full: recording and streaming will stop. Free some space.',
  ],
  'media.problem.port-busy': [
    'Порт SRT {port} зайнятий іншою програмою. Звільніть його або змініть RADACAST_SRT_PORTS.',
    'SRT port {port} is used by another program. Free it or change RADACAST_SRT_PORTS.',
  ],
  'media.problem.srt-wrong-passphrase': [
    'Кодер підключався по SRT з неправильним паролем (ключем трансляції).',
    'An encoder tried SRT with a wrong passphrase (stream key).',
  ],
  'media.problem.second-publisher': [
    'Ще один кодер намагався транслювати в цю залу й отримав відмову.',
    'A second encoder tried to stream to this room and was refused.',
  ],
  'media.problem.long-keyframe-interval': [
    'Ключові кадри надто рідкі: встановіть у кодері інтервал 1 с (до 2 с), інакше затримка зростає.',
    'Keyframes are too far apart: set the encoder keyframe interval to 1 s (at most 2 s), or latency grows.',
  ],
  // — live HLS conformance (issue 13, mediahard) —
  'media.problem.playlist-restarted': [
    'Кодер надсилає ключові кадри рідше, ніж раніше: живий плейлист почато заново з фрагментами до {target} с, глядачі могли побачити коротку паузу. Встановіть у кодері інтервал 1 с.',
    'The encoder sends keyframes further apart than before: the live playlist was restarted with segments of up to {target} s, viewers may have seen a short pause. Set the encoder keyframe interval to 1 s.',
  ],
  // — restream destinations (issue 14) —
  'restream.problem.wrong-key': [
    'Платформа відхилила ключ трансляції. Скопіюйте ключ заново зі сторінки трансляції платформи (ключі YouTube і Facebook можуть змінюватися).',
    'The platform refused the stream key. Copy the key again from the platform’s live page (YouTube and Facebook keys can change).',
  ],
  'restream.problem.tls': [
    'Не вдалося встановити захищене з’єднання (RTMPS): сертифікат не перевірено. Перевірте адресу, дату й час сервера або RADACAST_RESTREAM_CA_FILE.',
    'The secure (RTMPS) connection failed: the certificate was not verified. Check the address, the server’s date and time, or RADACAST_RESTREAM_CA_FILE.',
  ],
  'restream.problem.dns': [
    'Назву сервера платформи не знайдено (DNS). Перевірте адресу трансляції та доступ сервера до інтернету.',
    'The platform’s server name was not found (DNS). Check the address and the server’s internet access.',
  ],
  'restream.problem.refused': [
    'Сервер платформи відмовив у з’єднанні. Перевірте адресу й порт (RTMPS — зазвичай 443) і брандмауер.',
    'The platform’s server refused the connection. Check the address and port (RTMPS is usually 443) and the firewall.',
  ],
  'restream.problem.timeout': [
    'Платформа не відповідає або не приймає дані (тайм-аут). Перевірте мережу; сервер повторює спробу.',
    'The platform does not answer or take data (timed out). Check the network; the server keeps retrying.',
  ],
  'restream.problem.dropped': [
    'З’єднання з платформою обірвалося; сервер перепідключається.',
    'The connection to the platform dropped; the server is reconnecting.',
  ],
  'restream.problem.slow': [
    'Канал до платформи не встигає передавати потік; ретрансляцію перезапущено. Перевірте вихідну швидкість мережі.',
    'The uplink to the platform cannot keep up; the relay was restarted. Check the outgoing network speed.',
  ],
  'restream.problem.ffmpeg-missing': [
    'ffmpeg не знайдено: ретрансляція неможлива. Встановіть пакет ffmpeg або вкажіть RADACAST_FFMPEG.',
    'ffmpeg not found: restreaming is not possible. Install the ffmpeg package or set RADACAST_FFMPEG.',
  ],
  'restream.problem.srt-ingest': [
    'Ретрансляція працює лише з прийомом по RTMP. Підключіть кодер до залу по RTMP.',
    'Restreaming works with RTMP ingest only. Connect the encoder to the room over RTMP.',
  ],
  'restream.problem.secret-key': [
    'Збережений ключ не вдалося розшифрувати (файл секретного ключа змінено?). Введіть ключ трансляції заново.',
    'The stored key cannot be decrypted (was the secret key file replaced?). Enter the stream key again.',
  ],
  'restream.problem.failed': [
    'Ретрансляція зупинилася з невідомої причини; сервер повторює спробу. Подробиці в журналі сервера.',
    'The relay stopped for an unknown reason; the server keeps retrying. Details are in the server log.',
  ],
  'restream.warning.keyframe-interval': [
    'Ключові кадри кожні {measured} с, а платформа вимагає не рідше ніж кожні {max} с. Змініть інтервал у кодері.',
    'Keyframes every {measured} s, the platform needs one at least every {max} s. Change the interval in the encoder.',
  ],
  'restream.warning.bitrate': [
    'Бітрейт {measured} кбіт/с перевищує ліміт платформи {max} кбіт/с. Зменште бітрейт у кодері.',
    'The bitrate {measured} kbit/s is above the platform’s limit of {max} kbit/s. Lower the bitrate in the encoder.',
  ],
  // — workflow: vote subject, pending choices, agenda during the sitting, sitting details (issue 11) —
  'error.item-started': [
    'Питання «{itemId}» вже розглядається або розглянуте: його не можна перемістити.',
    'Item "{itemId}" has been taken up: it cannot be moved.',
  ],
  'error.sitting-cancelled': ['Засідання «{sittingId}» скасовано.', 'Sitting "{sittingId}" was cancelled.'],
  'publish.page.renamesCaption': ['Зміни предмета голосування', 'Changes of a vote’s subject'],
  'publish.page.renameFrom': ['Було', 'Originally'],
  'publish.page.renameTo': ['Стало', 'Changed to'],
  'error.no-preview': ['Для зали «{room}» нічого не підготовлено: спершу виберіть сцену.', 'Nothing is cued for room "{room}": choose a scene first.'],
  'error.break-in-past': [
    'Час кінця перерви ({breakUntil}) уже минув — зараз {now}. Вкажіть пізніший час.',
    'The end of the break ({breakUntil}) has already passed — it is {now} now. Give a later time.',
  ],
  // — corrections —
  'error.no-change': [
    'Нічого не змінюється: таке значення вже записане.',
    'Nothing changes: that value is already on the record.',
  ],
  'publish.page.recordCorrectionsCaption': ['Виправлення запису засідання', 'Corrections to the record of the sitting'],
  'publish.page.correctionWhat': ['Що виправлено', 'What was corrected'],
  'publish.page.recordCorrected': ['Запис засідання виправлено ({count})', 'The record of the sitting was corrected ({count})'],
  'publish.notify.tallyCorrected': [
    'Виправлено підсумки таємного голосування «{subject}»: {from} → {to}. Підстава: {reason}. Результат: {result}.',
    'Secret ballot totals corrected, vote "{subject}": {from} → {to}. Reason: {reason}. Result: {result}.',
  ],
  'publish.notify.recordCorrected': [
    'Виправлено запис засідання «{title}»: {changes}. Підстава: {reason}.',
    'The record of sitting "{title}" was corrected: {changes}. Reason: {reason}.',
  ],
  'publish.page.secretTotals': ['Підсумки таємного голосування', 'Secret ballot totals'],
  // — renditions (issue 16) —
  'media.problem.renditions-behind': [
    'Сервер не встигає перекодовувати нижчі якості (RADACAST_RENDITIONS) у реальному часі: вони відстають від ефіру, а якщо відставання сягне 20 с, їх буде вимкнено до кінця цього підключення. Оригінал і «Лише звук» транслюються без змін. Залиште менше якостей (наприклад, source,480p,audio), увімкніть апаратний кодер (RADACAST_HW_ENCODER) або дайте серверу більше ядер.',
    'The server cannot transcode the lower qualities (RADACAST_RENDITIONS) in real time: they fall behind the broadcast, and once 20 s behind they are turned off until the encoder reconnects. The original and "Audio only" go on unchanged. List fewer qualities (e.g. source,480p,audio), turn on a hardware encoder (RADACAST_HW_ENCODER) or give the server more cores.',
  ],
  // — WebRTC (issue 17) —
  'error.webrtc-unavailable': [
    'WebRTC на цьому сервері вимкнено: немає робочого процесу mediasoup. Адміністратор вмикає його командою «npm run setup:webrtc».',
    'WebRTC is off on this server: there is no mediasoup worker. An administrator enables it with "npm run setup:webrtc".',
  ],
  'error.bad-stream-key': ['Неправильний ключ трансляції для зали «{room}».', 'Wrong stream key for room "{room}".'],
  'error.publisher-busy': ['У залу «{room}» вже транслює інший кодер.', 'Another encoder is already streaming to room "{room}".'],
  'error.bad-sdp': ['Опис з’єднання (SDP) не прийнято: {reason}.', 'The connection description (SDP) was not accepted: {reason}.'],
  'error.no-program': [
    'Зала «{room}» зараз не транслює через WebRTC: перегляд без затримки доступний, коли трансляція йде з браузера або OBS через WHIP.',
    'Room "{room}" is not streaming over WebRTC now: the low-delay preview is there while a browser or OBS publishes over WHIP.',
  ],
  // — interpreter and preview links (issue 17) —
  'error.link-expired': [
    'Термін дії посилання минув. Попросіть секретаря надіслати нове.',
    'This link has expired. Ask the clerk to send a new one.',
  ],
  'error.link-revoked': ['Посилання відкликано. Попросіть секретаря надіслати нове.', 'This link was revoked. Ask the clerk to send a new one.'],
  'error.bad-link': ['Посилання недійсне для зали «{room}».', 'This link is not valid for room "{room}".'],
  'error.interpreter-busy': [
    'У залі «{room}» вже працює інший перекладач жестовою мовою.',
    'Another sign-language interpreter is already on air in room "{room}".',
  ],
} as const satisfies Catalogue;

/** A text only the server renders (a refusal, for one). */
export const serverRenderedMessage = /* @__PURE__ */ lookup(serverRenderedMessages);
