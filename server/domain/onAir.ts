// The on-air commands of a room, decided like a vision mixer: `overlay.preview` cues a scene,
// `overlay.take` puts the cue on air (what was on air becomes the cue, so a second take goes
// back), and `overlay.scene` switches the program at once for integrations. A break slate must
// announce a resumption still ahead: `at` is the command's server time.
import type { OverlayPreview, OverlayScene, OverlayTake } from '../../protocol/commands.ts';
import { DEFAULT_ON_AIR, type OnAir, type OnAirCue } from '../../protocol/model.ts';
import { afterTake } from '../../protocol/onAirScene.ts';
import type { z } from 'zod';
import { DomainError } from './errors.ts';
import type { DomainEvent } from '../../protocol/events.ts';
import type { World } from './state.ts';

export type OnAirCommand = z.output<typeof OverlayScene> | z.output<typeof OverlayPreview> | z.output<typeof OverlayTake>;

/** "14:00" as written in an ISO 8601 date-time, in its own offset (the clerk's clock). */
function wallClock(iso: string): string {
  return /T(\d{2}:\d{2})/.exec(iso)?.[1] ?? iso;
}

/** The same instant as `at`, written in the offset of `like` (so both times read on one clock). */
function inOffsetOf(at: string, like: string): string {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(like);
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(Date.parse(at) + minutes * 60_000).toISOString().replace('Z', '');
}

/** Refuses a break slate whose resumption time is not ahead of `at`. */
function assertBreakAhead(cue: OnAirCue, room: string, at: string): void {
  if (cue.scene !== 'break' || cue.breakUntil === null) return;
  if (Date.parse(cue.breakUntil) > Date.parse(at)) return;
  throw new DomainError('break-in-past', { room, breakUntil: wallClock(cue.breakUntil), now: wallClock(inOffsetOf(at, cue.breakUntil)) });
}

/**
 * A cue from a command: break options left out are kept from `base`, except a resumption time
 * that has passed since (a new break must not announce the last one's end).
 */
function cueOf(command: { scene: OnAirCue['scene']; breakText?: string | null; breakUntil?: string | null }, base: OnAirCue, at: string): OnAirCue {
  const inherited = base.breakUntil !== null && Date.parse(base.breakUntil) > Date.parse(at) ? base.breakUntil : null;
  return {
    scene: command.scene,
    breakText: command.breakText === undefined ? base.breakText : command.breakText,
    breakUntil: command.breakUntil === undefined ? inherited : command.breakUntil,
  };
}

export function decideOnAir(command: OnAirCommand, world: World, at: string): DomainEvent {
  const { room } = command;
  if (!world.registry.rooms.has(room)) throw new DomainError('not-found', { what: 'room', id: room });
  const current = world.onAir.get(room) ?? DEFAULT_ON_AIR;
  let onAir: OnAir;
  switch (command.type) {
    case 'overlay.scene': {
      const cue = cueOf(command, current, at);
      assertBreakAhead(cue, room, at);
      onAir = { ...current, ...cue, resultHoldSeconds: command.resultHoldSeconds ?? current.resultHoldSeconds };
      break;
    }
    case 'overlay.preview': {
      const preview = cueOf(command, current.preview ?? current, at);
      assertBreakAhead(preview, room, at);
      onAir = { ...current, preview };
      break;
    }
    case 'overlay.take': {
      if (current.preview === null) throw new DomainError('no-preview', { room });
      assertBreakAhead(current.preview, room, at);
      onAir = afterTake(current);
      break;
    }
    default: {
      const never: never = command;
      throw new Error(`unknown on-air command [${JSON.stringify(never)}]`);
    }
  }
  return { type: 'onair.changed', room, onAir };
}
