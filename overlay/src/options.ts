// The overlay's URL options. A browser source cannot show an error on air, so a value that does
// not parse falls back to its default instead of failing the page. Read without zod, which the
// overlay would otherwise load only for these few values.
import { isId } from '../../protocol/ids.ts';
import { oneOf } from '../../protocol/oneOf.ts';
import { LANGS, type Lang } from '../../protocol/messages/lookup.ts';
import { SCENES, type Scene } from '../../protocol/onAirState.ts';

export const THEMES = ['navy', 'light', 'contrast', 'graphite'] as const;
export type Theme = (typeof THEMES)[number];

/** Named backgrounds; anything else must be a hex colour. `green` is the usual chroma-key green. */
const BACKGROUNDS: Record<string, string> = { transparent: 'transparent', green: '#00ff00', blue: '#0000ff', black: '#000000' };
const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Title-safe margin with a bare `safe`: 5 % on each side (the 90 % area of SMPTE ST 2046-1). */
const SAFE_DEFAULT = 5;
const SAFE_MAX = 20;

export interface OverlayOptions {
  /** The room to follow; null when the URL names none or an invalid one (nothing goes on air). */
  room: string | null;
  /** A scene pinned by the URL instead of following the clerk's on-air panel. */
  scene: Scene | undefined;
  /** `preview`: what the clerk has cued next (the console's preview monitor); else what is on air. */
  bus: 'program' | 'preview';
  lang: Lang;
  /** A CSS colour. */
  background: string;
  /** Margin on each side in percent of the frame; 0 without `safe`. */
  safePercent: number;
  theme: Theme;
  /** The small live bug (council, НАЖИВО, clock); `bug=0` hides it. */
  bug: boolean;
  /** IANA time zone of the clocks; the machine's own when not given. */
  timeZone: string | undefined;
  /** Accent colour override (hex), e.g. the council's brand colour. */
  accent: string | null;
}

function hex(value: string | null): string | null {
  if (value === null || !HEX.test(value)) return null;
  return value.startsWith('#') ? value : `#${value}`;
}

function timeZone(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    return undefined;
  }
}

function safePercent(params: URLSearchParams): number {
  if (!params.has('safe')) return 0;
  const raw = params.get('safe') ?? '';
  if (raw === '' || raw === 'true' || raw === '1') return SAFE_DEFAULT;
  if (raw === 'false' || raw === '0') return 0;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 && n <= SAFE_MAX ? n : SAFE_DEFAULT;
}

export function parseOptions(search: string): OverlayOptions {
  const params = new URLSearchParams(search);
  const room = params.get('room');
  const scene = params.get('scene');
  const lang = params.get('lang');
  const bg = (params.get('bg') ?? 'transparent').toLowerCase();
  const theme = params.get('theme');
  return {
    room: isId(room) ? room : null,
    scene: oneOf(SCENES, scene) ? scene : undefined,
    bus: params.get('bus') === 'preview' ? 'preview' : 'program',
    lang: oneOf(LANGS, lang) ? lang : 'uk',
    background: BACKGROUNDS[bg] ?? hex(bg) ?? 'transparent',
    safePercent: safePercent(params),
    theme: oneOf(THEMES, theme) ? theme : 'navy',
    bug: !['0', 'false', 'off', 'no'].includes(params.get('bug') ?? ''),
    timeZone: timeZone(params.get('tz')),
    accent: hex(params.get('accent')),
  };
}
