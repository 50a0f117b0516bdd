// A room's on-air state (the `overlay.scene` command) and its scenes, without zod, so the
// overlay (which loads no zod) can read them; model.ts builds the `Scene` schema from SCENES.

/** What the on-air overlay of a room shows; `auto` follows the sitting (agenda → vote → result). */
export const SCENES = ['auto', 'agenda', 'vote', 'result', 'attendance', 'roll', 'break', 'off'] as const;
export type Scene = (typeof SCENES)[number];

export interface OnAir {
  scene: Scene;
  breakText: string | null;
  breakUntil: string | null;
  /** How long `auto` keeps a closed vote's result on air. */
  resultHoldSeconds: number;
}

export const DEFAULT_ON_AIR: OnAir = { scene: 'auto', breakText: null, breakUntil: null, resultHoldSeconds: 15 };
