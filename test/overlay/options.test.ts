// The overlay's URL options: every value a broadcaster can type, and fallbacks instead of an
// error on air for values that do not parse.
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../overlay/src/options.ts';

describe('overlay URL options', () => {
  it('defaults to a transparent, Ukrainian, following overlay with the live bug', () => {
    expect(parseOptions('?room=plenary')).toEqual({
      room: 'plenary',
      scene: undefined,
      bus: 'program',
      lang: 'uk',
      background: 'transparent',
      safePercent: 0,
      theme: 'navy',
      bug: true,
      timeZone: undefined,
      accent: null,
    });
  });

  it('reads every option', () => {
    expect(parseOptions('?room=committee-room&scene=roll&bus=preview&lang=en&bg=green&safe&theme=light&bug=0&tz=Europe/Kyiv&accent=c8102e')).toEqual({
      room: 'committee-room',
      scene: 'roll',
      bus: 'preview',
      lang: 'en',
      background: '#00ff00',
      safePercent: 5,
      theme: 'light',
      bug: false,
      timeZone: 'Europe/Kyiv',
      accent: '#c8102e',
    });
  });

  it('takes a hex key colour with or without "#", and a safe margin in percent', () => {
    expect(parseOptions('?bg=%2300B140').background).toBe('#00b140');
    expect(parseOptions('?bg=0f0').background).toBe('#0f0');
    expect(parseOptions('?safe=10').safePercent).toBe(10);
    expect(parseOptions('?safe=0').safePercent).toBe(0);
  });

  it('falls back to the defaults for values that do not parse, never to an error', () => {
    const o = parseOptions('?room=../etc&scene=fireworks&bus=aux&lang=fr&bg=url(x)&safe=99&theme=neon&tz=Mars/Olympus&accent=red;}');
    expect(o).toEqual({
      room: null,
      scene: undefined,
      bus: 'program',
      lang: 'uk',
      background: 'transparent',
      safePercent: 5,
      theme: 'navy',
      bug: true,
      timeZone: undefined,
      accent: null,
    });
  });
});
