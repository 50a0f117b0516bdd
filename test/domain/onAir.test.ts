// The room's on-air control as a vision mixer, given / when / then: a cue on the preview bus
// changes nothing on air until the take; a take swaps program and preview; `overlay.scene`
// still switches the program at once; a break must announce a resumption still ahead.
import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../../protocol/commands.ts';
import { DEFAULT_ON_AIR, type OnAir } from '../../protocol/model.ts';
import { afterTake, previewOnAir } from '../../protocol/onAirScene.ts';
import { roomStream } from '../../protocol/events.ts';
import type { RecordedEvent } from '../../protocol/events.ts';
import { ACTOR, AT, demoCouncil, replay, type DomainRecord } from '../support/givenWhenThen.ts';

const preview = (scene: string, extra: Record<string, unknown> = {}): CommandInput =>
  ({ type: 'overlay.preview', room: 'plenary', scene, ...extra }) as CommandInput;
const take = (room = 'plenary'): CommandInput => ({ type: 'overlay.take', room });
const scene = (s: string, extra: Record<string, unknown> = {}): CommandInput => ({ type: 'overlay.scene', room: 'plenary', scene: s, ...extra }) as CommandInput;
const onAir = (record: DomainRecord): OnAir => record.world.onAir.get('plenary') ?? DEFAULT_ON_AIR;

// The record's clock (AT) is 2026-12-10T10:00Z, 12:00 in Kyiv.
const LATER = '2026-12-10T12:30:00+02:00';
const EARLIER = '2026-12-10T11:45:00+02:00';

describe('preview, then take', () => {
  it('cues a scene without touching what is on air', () => {
    const record = demoCouncil().given(preview('roll'));
    expect(onAir(record)).toEqual({ ...DEFAULT_ON_AIR, preview: { scene: 'roll', breakText: null, breakUntil: null } });
    expect(record.seq(roomStream('plenary'))).toBe(1);
  });

  it('puts the cue on air at the take, and cues what was on air, so a second take goes back', () => {
    const record = demoCouncil().given(preview('break', { breakText: 'Перерва на обід', breakUntil: LATER }), take());
    expect(onAir(record)).toMatchObject({
      scene: 'break',
      breakText: 'Перерва на обід',
      breakUntil: LATER,
      preview: { scene: 'auto', breakText: null, breakUntil: null },
    });
    record.given(take());
    expect(onAir(record)).toMatchObject({ scene: 'auto', preview: { scene: 'break', breakText: 'Перерва на обід' } });
  });

  it('keeps the program when a new cue replaces the old one, and the hold time through a take', () => {
    const record = demoCouncil().given(scene('attendance', { resultHoldSeconds: 30 }), preview('roll'), preview('result'));
    expect(onAir(record)).toMatchObject({ scene: 'attendance', preview: { scene: 'result' } });
    record.given(take());
    expect(onAir(record)).toMatchObject({ scene: 'result', resultHoldSeconds: 30, preview: { scene: 'attendance' } });
  });

  it('lets integrations switch the program at once with overlay.scene, leaving the cue alone', () => {
    const record = demoCouncil().given(preview('roll'), scene('off'));
    expect(onAir(record)).toMatchObject({ scene: 'off', preview: { scene: 'roll' } });
  });

  it('shows on the preview bus exactly what the take puts on air', () => {
    const cued: OnAir = { ...DEFAULT_ON_AIR, scene: 'vote', preview: { scene: 'break', breakText: 'Перерва', breakUntil: LATER } };
    expect(previewOnAir(cued)).toEqual(afterTake(cued));
    expect(previewOnAir(DEFAULT_ON_AIR).scene).toBe('off');
  });

  it('replays an on-air event recorded before the preview bus existed as nothing cued', () => {
    const old = { scene: 'roll', breakText: null, breakUntil: null, resultHoldSeconds: 15 } as unknown as OnAir;
    const recorded: RecordedEvent = { stream: 'room/plenary', seq: 1, at: AT, actor: ACTOR, commandId: null, event: { type: 'onair.changed', room: 'plenary', onAir: old } };
    expect(replay([recorded]).onAir.get('plenary')).toEqual({ ...old, preview: null });
  });

  it('refuses a take with nothing cued, and a cue for a room that does not exist', () => {
    const record = demoCouncil();
    expect(record.refused(take(), 'no-preview').context).toEqual({ room: 'plenary' });
    record.refused({ type: 'overlay.preview', room: 'no-such-room', scene: 'roll' }, 'not-found');
  });
});

describe('a break time in the past', () => {
  it('is refused when cued, with both times on the clerk’s clock', () => {
    const error = demoCouncil().refused(preview('break', { breakUntil: EARLIER }), 'break-in-past');
    expect(error.context).toEqual({ room: 'plenary', breakUntil: '11:45', now: '12:00' });
  });

  it('is refused when put on air directly, and at a take once the time has passed', () => {
    demoCouncil().refused(scene('break', { breakUntil: EARLIER }), 'break-in-past');
    const record = demoCouncil().given(preview('break', { breakUntil: '2026-12-10T12:10:00+02:00' }));
    record.at = '2026-12-10T10:15:00.000Z';
    expect(record.refused(take(), 'break-in-past').context).toMatchObject({ breakUntil: '12:10', now: '12:15' });
  });

  it('is not inherited: a new break without a time drops the last one’s passed end', () => {
    const record = demoCouncil().given(scene('break', { breakText: 'Перерва', breakUntil: '2026-12-10T12:10:00+02:00' }), scene('auto'));
    record.at = '2026-12-10T10:30:00.000Z';
    record.given(scene('break'));
    expect(onAir(record)).toMatchObject({ scene: 'break', breakText: 'Перерва', breakUntil: null });
  });

  it('does not matter for other scenes, nor for a break without a time', () => {
    demoCouncil().given(scene('break'), preview('roll', { breakUntil: EARLIER }), take());
  });
});
