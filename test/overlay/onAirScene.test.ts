// The on-air picture as a pure function (protocol/onAirScene.ts), given / when / then over the
// demo council's real views: `auto` follows the sitting (agenda → live counter → result for
// the hold time → back to the caption), the clerk's fixed scenes, the page's pinned scene,
// and secret ballots that never show a member's choice.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ON_AIR, type OnAir } from '../../protocol/model.ts';
import { frameKey, onAirScene, type OnAirFrame, type OnAirPicture } from '../../protocol/onAirScene.ts';
import {
  cast,
  castAll,
  closeVote,
  demoCouncil,
  deputies,
  openSitting,
  openVote,
  register,
  startItem,
  tally,
  type DomainRecord,
} from '../support/givenWhenThen.ts';

const T0 = Date.parse('2026-12-10T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const PRESENT = ['mayor', ...deputies(33)];

/** The record with its clock moved to `seconds` after T0 before each command. */
function when(record: DomainRecord, seconds: number, ...commands: Parameters<DomainRecord['given']>): DomainRecord {
  record.at = at(seconds);
  return record.given(...commands);
}

function onAir(record: DomainRecord, room = 'plenary'): OnAir {
  return record.world.onAir.get(room) ?? DEFAULT_ON_AIR;
}

function picture(record: DomainRecord, seconds: number, fixed?: Parameters<typeof onAirScene>[3]): OnAirPicture {
  return onAirScene(record.sitting(), onAir(record), T0 + seconds * 1000, fixed);
}

function frameOf<S extends OnAirFrame['scene']>(p: OnAirPicture, scene: S): Extract<OnAirFrame, { scene: S }> {
  expect(p.frame.scene).toBe(scene);
  return p.frame as Extract<OnAirFrame, { scene: S }>;
}

/** Live, 34 registered (the mayor and 33 deputies), item 2 started at 0 s. */
function itemUnderway(): DomainRecord {
  const record = demoCouncil();
  when(record, -60, openSitting(), register(PRESENT));
  return when(record, 0, startItem('i2'));
}

/** …and a roll-call vote on item 2 opened at 10 s with 20 for, 5 against, 2 abstaining. */
function voteUnderway(): DomainRecord {
  const record = itemUnderway();
  when(record, 10, openVote('v1', { itemId: 'i2', subject: 'Про програму «Ефективна влада»' }));
  return when(
    record,
    20,
    ...castAll('v1', PRESENT.slice(0, 20), 'for'),
    ...castAll('v1', PRESENT.slice(20, 25), 'against'),
    ...castAll('v1', PRESENT.slice(25, 27), 'abstain'),
  );
}

/** …and the vote closed at 60 s. */
function voteClosed(): DomainRecord {
  return when(voteUnderway(), 60, ...castAll('v1', PRESENT.slice(27, 30), 'for'), closeVote('v1'));
}

describe('auto: the overlay follows the sitting', () => {
  it('shows nothing and no live bug before the sitting opens', () => {
    const p = picture(demoCouncil(), 0);
    expect(p).toEqual({ mode: 'auto', frame: { scene: 'none' }, changesAt: null, live: false, bug: false });
  });

  it('shows nothing but the live bug while the sitting is live with no item started', () => {
    const record = when(demoCouncil(), 0, openSitting());
    expect(picture(record, 5)).toMatchObject({ frame: { scene: 'none' }, live: true, bug: true });
  });

  it('puts the agenda caption on air when an item starts', () => {
    const p = picture(itemUnderway(), 1);
    expect(frameOf(p, 'agenda').item).toEqual({
      id: 'i2',
      number: '2',
      title: 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки',
      rapporteur: "Управління по зв'язках з громадськістю",
      draftNumber: '283/1',
    });
    expect(p.bug).toBe(true);
    expect(p.changesAt).toBeNull();
  });

  it('switches to the live counter while a vote is open, with the elapsed time and the number required', () => {
    const p = picture(voteUnderway(), 95);
    const frame = frameOf(p, 'vote');
    expect(frame.item?.number).toBe('2');
    expect(frame.vote).toMatchObject({
      id: 'v1',
      // The published title: the item's, then the formula the clerk gave.
      subject: 'Про внесення змін до Міської цільової програми «Ефективна влада. Конкурентне місто» на 2025–2027 роки — Про програму «Ефективна влада»',
      status: 'open',
      ballot: 'roll-call',
      composition: 43,
      required: 22,
      // Present members with nothing entered yet are pending while the vote is open, not "did not vote".
      counts: { for: 20, against: 5, abstain: 2, notVoting: 0, absent: 9, pending: 7 },
      result: null,
      elapsedSeconds: 85,
    });
  });

  it('follows each cast: the counter is the view of the moment', () => {
    const record = voteUnderway();
    when(record, 30, cast('v1', PRESENT[30]!, 'for'));
    expect(frameOf(picture(record, 31), 'vote').vote.counts.for).toBe(21);
  });

  it('shows the result for the hold time after the vote closes, then the caption again', () => {
    const record = voteClosed();
    const during = picture(record, 60 + 14);
    const result = frameOf(during, 'result');
    expect(result.vote).toMatchObject({ status: 'closed', result: 'adopted', counts: { for: 23 }, elapsedSeconds: 50 });
    expect(result.item?.id).toBe('i2');
    // The default hold is 15 s: the page is told when its picture changes by itself.
    expect(during.changesAt).toBe(T0 + 75_000);
    const after = picture(record, 75);
    expect(frameOf(after, 'agenda').item.id).toBe('i2');
    expect(after.changesAt).toBeNull();
  });

  it('holds the result as long as the clerk configured', () => {
    const record = voteClosed();
    when(record, 61, { type: 'overlay.scene', room: 'plenary', scene: 'auto', resultHoldSeconds: 40 });
    expect(picture(record, 99).frame.scene).toBe('result');
    expect(picture(record, 100).frame.scene).toBe('agenda');
  });

  it('lets an item started after the vote closed take the screen at once', () => {
    const record = when(voteClosed(), 65, startItem('i3'));
    const p = picture(record, 66);
    expect(frameOf(p, 'agenda').item.number).toBe('3');
    expect(p.changesAt).toBeNull();
  });

  it('shows nothing after the hold when no item is current', () => {
    const record = when(voteClosed(), 62, { type: 'sitting.close', sittingId: 'demo-plenary' });
    expect(picture(record, 70)).toMatchObject({ frame: { scene: 'result' }, live: false, bug: false });
    expect(picture(record, 80).frame).toEqual({ scene: 'none' });
  });

  it('shows nothing for a room that follows no sitting', () => {
    expect(onAirScene(null, DEFAULT_ON_AIR, T0)).toMatchObject({ frame: { scene: 'none' }, bug: false });
  });
});

describe('scenes the clerk chooses', () => {
  const choose = (record: DomainRecord, scene: string, extra: Record<string, unknown> = {}) =>
    when(record, 70, { type: 'overlay.scene', room: 'plenary', scene, ...extra } as never);

  it('attendance: registered deputies (the mayor not counted), the quorum and whether it is met', () => {
    const p = picture(choose(itemUnderway(), 'attendance'), 71);
    expect(p.mode).toBe('attendance');
    expect(p.frame).toEqual({
      scene: 'attendance',
      registration: { registered: 33, seats: 42, head: { present: true }, needed: 22, met: true, kind: 'deputies' },
      composition: 43,
    });
  });

  it('roll: every member of the council grouped by faction, the head first and the non-affiliated last', () => {
    const frame = frameOf(picture(choose(voteClosed(), 'roll'), 71), 'roll');
    const groups = frame.groups!;
    expect(groups.map((g) => [g.kind, g.name, g.members.length])).toEqual([
      ['head', null, 1],
      ['faction', 'Рідне місто', 14],
      ['faction', 'Громада разом', 11],
      ['faction', 'Європейський вибір', 9],
      ['faction', 'Зелене місто', 5],
      ['none', null, 3],
    ]);
    const members = groups.flatMap((g) => g.members);
    expect(members).toHaveLength(43);
    expect(members.find((m) => m.id === 'mayor')?.choice).toBe('for');
    expect(members.find((m) => m.id === 'd40')?.choice).toBe('absent');
    const tallied = members.reduce<Record<string, number>>((acc, m) => ({ ...acc, [m.choice!]: (acc[m.choice!] ?? 0) + 1 }), {});
    expect(tallied).toEqual({ for: 23, against: 5, abstain: 2, 'not-voting': 4, absent: 9 });
    // A full-screen table covers the corner: no live bug over it.
    expect(picture(choose(voteClosed(), 'roll'), 71).bug).toBe(false);
  });

  it('roll of a secret ballot: totals only, no member and no choice anywhere in the picture', () => {
    const record = itemUnderway();
    when(record, 10, openVote('s1', { ballot: 'secret', subject: 'Обрання секретаря ради' }), tally('s1', 25, 3, 2), closeVote('s1'));
    choose(record, 'roll');
    const p = picture(record, 71);
    const frame = frameOf(p, 'roll');
    expect(frame.groups).toBeNull();
    expect(frame.vote.counts).toEqual({ for: 25, against: 3, abstain: 2, notVoting: 4, absent: 9, pending: 0 });
    const text = JSON.stringify(p);
    expect(text).not.toContain('"choice');
    for (const id of ['mayor', 'd01', 'd33']) expect(text).not.toContain(`"${id}"`);
  });

  it('a secret ballot while it is open: the counting commission at work, not a counter', () => {
    const record = itemUnderway();
    when(record, 10, openVote('s1', { ballot: 'secret', subject: 'Обрання секретаря ради' }));
    expect(frameOf(picture(record, 40), 'vote').vote).toMatchObject({ ballot: 'secret', status: 'open', counting: true });
    expect(frameOf(picture(choose(record, 'roll'), 71), 'roll').vote.counting).toBe(true);
    when(record, 80, tally('s1', 25, 3, 2), closeVote('s1'));
    expect(frameOf(picture(record, 81), 'roll').vote).toMatchObject({ counting: false, counts: { for: 25 } });
    expect(frameOf(picture(voteUnderway(), 30), 'vote').vote.counting).toBe(false);
  });

  it('break: the message and the time the sitting resumes, with no live bug over the slate', () => {
    const p = picture(choose(itemUnderway(), 'break', { breakText: 'Перерва 20 хвилин', breakUntil: '2026-12-10T12:20:00+02:00' }), 71);
    expect(p.frame).toEqual({ scene: 'break', text: 'Перерва 20 хвилин', until: '2026-12-10T12:20:00+02:00' });
    expect(p.bug).toBe(false);
  });

  it('off: nothing at all, not even the live bug', () => {
    expect(picture(choose(voteUnderway(), 'off'), 71)).toMatchObject({ mode: 'off', frame: { scene: 'none' }, live: true, bug: false });
  });

  it('vote after it closed: the final counter, its elapsed time frozen at the close', () => {
    const frame = frameOf(picture(choose(voteClosed(), 'vote'), 500), 'vote');
    expect(frame.vote).toMatchObject({ status: 'closed', elapsedSeconds: 50, counts: { for: 23 } });
  });

  it('result: the vote closed last stays on air past the hold time', () => {
    const frame = frameOf(picture(choose(voteClosed(), 'result'), 5000), 'result');
    expect(frame.vote).toMatchObject({ id: 'v1', result: 'adopted' });
  });

  it('result, roll and vote before any vote: nothing on air', () => {
    for (const scene of ['result', 'roll', 'vote']) expect(picture(choose(itemUnderway(), scene), 71).frame).toEqual({ scene: 'none' });
  });

  it('agenda after the sitting closed: the item taken last', () => {
    const record = when(voteClosed(), 62, { type: 'sitting.close', sittingId: 'demo-plenary' });
    expect(frameOf(picture(choose(record, 'agenda'), 71), 'agenda').item.id).toBe('i2');
  });
});

describe('a scene pinned by the page', () => {
  it('overrides the clerk: a page fixed on the roll table keeps it while the clerk is on auto', () => {
    const record = voteUnderway();
    const p = picture(record, 30, 'roll');
    expect(p.mode).toBe('roll');
    expect(frameOf(p, 'roll').vote.status).toBe('open');
    expect(picture(record, 30).frame.scene).toBe('vote');
  });
});

describe('frame keys', () => {
  it('tell a new item or a new vote from an update within the same graphic', () => {
    const record = voteUnderway();
    const before = frameKey(picture(record, 21).frame);
    when(record, 22, cast('v1', PRESENT[30]!, 'for'));
    expect(frameKey(picture(record, 23).frame)).toBe(before);
    expect(before).toBe('vote:v1');
    expect(frameKey(picture(itemUnderway(), 1).frame)).toBe('agenda:i2');
    expect(frameKey({ scene: 'none' })).toBe('none');
  });
});
