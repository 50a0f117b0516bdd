// The flat fields of GET /api/rooms/:room/overlay.json, and the shared time formats: the same
// columns whatever is on air, filled for the scene that is.
import { describe, expect, it } from 'vitest';
import { formatClock, formatElapsed, overlayFields, type FieldContext } from '../../protocol/onAirFields.ts';
import type { OnAirPicture } from '../../protocol/onAirScene.ts';

const NOW = Date.parse('2026-12-10T09:05:30.000Z');
const ctx = (lang: 'uk' | 'en' = 'uk'): FieldContext => ({
  room: 'plenary',
  roomName: 'Сесійна зала',
  sittingId: 'demo-plenary',
  sittingTitle: 'Пленарне засідання',
  council: 'Житомирська міська рада',
  lang,
  timeZone: 'Europe/Kyiv',
  now: NOW,
});
const vote = {
  id: 'v1',
  subject: 'Про бюджет',
  ballot: 'roll-call' as const,
  rule: 'two-thirds-of-composition' as const,
  status: 'closed' as const,
  composition: 43,
  required: 29,
  counts: { for: 25, against: 4, abstain: 2, notVoting: 3, absent: 9, pending: 0 },
  result: 'rejected' as const,
  elapsedSeconds: 125,
  forced: false,
  counting: false,
};
const item = { id: 'i8', number: '8', title: 'Про подолання вето', rapporteur: null, draftNumber: '283/7' };

describe('time formats', () => {
  it('formats elapsed time as m:ss, and h:mm:ss past an hour', () => {
    expect([formatElapsed(0), formatElapsed(65), formatElapsed(3725), formatElapsed(-3)]).toEqual(['0:00', '1:05', '1:02:05', '0:00']);
  });

  it('formats the clock in the council time zone, 24-hour', () => {
    expect(formatClock(NOW, 'uk', 'Europe/Kyiv')).toBe('11:05');
    expect(formatClock('2026-12-10T21:40:00Z', 'en', 'Europe/Kyiv')).toBe('23:40');
  });
});

describe('flat overlay fields', () => {
  it('fill the vote columns of a result, in the chosen language', () => {
    const picture: OnAirPicture = { mode: 'auto', frame: { scene: 'result', vote, item }, changesAt: NOW + 5000, live: true, bug: true };
    const uk = overlayFields(picture, ctx());
    expect(uk).toMatchObject({
      scene: 'result',
      mode: 'auto',
      live: true,
      liveText: 'НАЖИВО',
      clock: '11:05',
      itemNumber: '8',
      itemText: 'Питання 8',
      title: 'Про подолання вето',
      rapporteur: '',
      draftNumber: '283/7',
      subject: 'Про бюджет',
      for: 25,
      against: 4,
      abstain: 2,
      notVoting: 3,
      absent: 9,
      required: 29,
      composition: 43,
      requiredText: 'Потрібно «за»: 29 із 43',
      ruleText: 'дві третини від загального складу',
      elapsed: '2:05',
      result: 'rejected',
      resultText: 'НЕ ПРИЙНЯТО',
      breakText: '',
      present: '',
    });
    expect(overlayFields(picture, ctx('en'))).toMatchObject({ resultText: 'NOT ADOPTED', liveText: 'LIVE', itemText: 'Item 8' });
  });

  it('keep the same columns for every scene, empty where the scene has no value', () => {
    const none = overlayFields({ mode: 'off', frame: { scene: 'none' }, changesAt: null, live: false, bug: false }, ctx());
    const attendance = overlayFields(
      {
        mode: 'attendance',
        frame: {
          scene: 'attendance',
          registration: { registered: 21, seats: 42, head: { present: false }, needed: 22, met: false, kind: 'deputies' },
          composition: 42,
        },
        changesAt: null,
        live: true,
        bug: true,
      },
      ctx(),
    );
    const brk = overlayFields({ mode: 'break', frame: { scene: 'break', text: null, until: '2026-12-10T12:30:00+02:00' }, changesAt: null, live: true, bug: false }, ctx());
    expect(Object.keys(attendance)).toEqual(Object.keys(none));
    expect(Object.keys(brk)).toEqual(Object.keys(none));
    expect(none).toMatchObject({ scene: 'none', liveText: '', for: '', subject: '', title: '' });
    expect(attendance).toMatchObject({
      present: 21,
      seats: 42,
      headPresent: false,
      registrationText: 'Зареєстровано 21 з 42 депутатів, міського голови немає',
      quorum: 22,
      quorumMet: false,
      quorumText: 'КВОРУМУ НЕМАЄ',
      for: '',
    });
    expect(brk).toMatchObject({ breakText: 'ПЕРЕРВА', breakUntil: '12:30' });
  });

  it('leave the counts and the clock empty while a secret ballot is counted, and say so', () => {
    const counting = { ...vote, ballot: 'secret' as const, status: 'open' as const, result: null, counting: true };
    const fields = overlayFields({ mode: 'auto', frame: { scene: 'vote', vote: counting, item }, changesAt: null, live: true, bug: true }, ctx());
    expect(fields).toMatchObject({ ballot: 'secret', for: '', against: '', abstain: '', elapsed: '', countingText: 'Таємне голосування: працює лічильна комісія' });
    expect(overlayFields({ mode: 'auto', frame: { scene: 'vote', vote, item }, changesAt: null, live: true, bug: true }, ctx())).toMatchObject({ for: 25, countingText: '' });
  });
});
