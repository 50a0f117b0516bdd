// Reading ffmpeg's stderr: each line classified into the few signals the supervisor acts on
// (the input opened, its streams) and the known failures an operator can fix,
// each mapped to a problem code whose advice is in the message catalogue.
import type { MediaProblemCode } from '../../protocol/media.ts';
import { present } from '../../protocol/present.ts';

export type LogSignal =
  | { kind: 'input-opened'; format: string }
  | { kind: 'output-opened' }
  | { kind: 'video'; codec: string; profile: string | null; width: number; height: number; fps: number | null }
  | { kind: 'audio'; codec: string; sampleRate: number | null; channels: string | null }
  | { kind: 'problem'; code: MediaProblemCode };

const INPUT_OPENED = /^Input #0, ([\w,]+), from /;
const OUTPUT_OPENED = /^Output #0, /;
const VIDEO = /^\s*Stream #\d+:\d+.*?: Video: (\w+)(?: \(([^)]*)\))?.*?, (\d{2,5})x(\d{2,5})/;
const AUDIO = /^\s*Stream #\d+:\d+.*?: Audio: (\w+)(?: \([^)]*\))?(?:.*?, (\d+) Hz)?(?:, ([^,]+))?/;
const FPS = /, ([\d.]+) fps/;

/** Known failures, first match wins. */
const PROBLEMS: [RegExp, MediaProblemCode][] = [
  [/BADSECRET|Incorrect passphrase/, 'srt-wrong-passphrase'],
  [/Address already in use/, 'port-busy'],
  [/No space left on device/, 'disk-full'],
  [/matches no streams|does not contain any stream/, 'no-video'],
  [/Could not find tag for codec|not currently supported in container|codec not supported/i, 'unsupported-codec'],
  [/Non-monotonous DTS|non monotonically increasing dts/i, 'timestamps'],
  [/Invalid data found when processing input/, 'invalid-input'],
];

export function classifyLine(line: string): LogSignal | null {
  const input = INPUT_OPENED.exec(line);
  if (input) return { kind: 'input-opened', format: present(input[1], 'the input format INPUT_OPENED captures') };
  if (OUTPUT_OPENED.test(line)) return { kind: 'output-opened' };
  const video = VIDEO.exec(line);
  if (video) {
    const fps = FPS.exec(line);
    return {
      kind: 'video',
      codec: present(video[1], 'the codec VIDEO captures'),
      profile: video[2] ?? null,
      width: Number(video[3]),
      height: Number(video[4]),
      fps: fps ? Number(fps[1]) : null,
    };
  }
  const audio = AUDIO.exec(line);
  if (audio) {
    return { kind: 'audio', codec: present(audio[1], 'the codec AUDIO captures'), sampleRate: audio[2] ? Number(audio[2]) : null, channels: audio[3]?.trim() ?? null };
  }
  for (const [pattern, code] of PROBLEMS) if (pattern.test(line)) return { kind: 'problem', code };
  return null;
}

/** Splits a byte stream into lines on \n, \r\n or a lone \r (ffmpeg's progress line). */
export class LineSplitter {
  #rest = '';

  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines = text.split(/\r\n|\r|\n/);
    this.#rest = lines.pop() ?? '';
    // A long run without a line end is cut rather than buffered without bound.
    if (this.#rest.length > 8192) {
      lines.push(this.#rest);
      this.#rest = '';
    }
    return lines.filter((l) => l.length > 0);
  }

  end(): string[] {
    const rest = this.#rest;
    this.#rest = '';
    return rest.length > 0 ? [rest] : [];
  }
}
