// A room's on-air state (the `overlay.scene` command) and its scenes, without zod, so the
// overlay (which loads no zod) can read them; model.ts builds the `Scene` schema from SCENES.

/** What the on-air overlay of a room shows; `auto` follows the sitting (agenda → vote → result). */
export const SCENES = ['auto', 'agenda', 'vote', 'result', 'attendance', 'roll', 'break', 'off'] as const;
export type Scene = (typeof SCENES)[number];

/** A scene with its break options: what is on air (program), or what is cued next (preview). */
export interface OnAirCue {
  scene: Scene;
  breakText: string | null;
  breakUntil: string | null;
}

export interface OnAir extends OnAirCue {
  /** How long `auto` keeps a closed vote's result on air. */
  resultHoldSeconds: number;
  /** Cued next, as on a vision mixer's preview bus: `overlay.take` puts it on air. */
  preview: OnAirCue | null;
}

export const DEFAULT_ON_AIR: OnAir = { scene: 'auto', breakText: null, breakUntil: null, resultHoldSeconds: 15, preview: null };
