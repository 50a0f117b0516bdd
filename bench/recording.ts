// Recording benchmark: the work a long sitting's recording adds to every read. A 5-hour
// recording (18,000 one-second segments) with 100 agenda items and 100 votes:
//  - the recording's marks, computed with every sitting view (each command, each overlay.json
//    poll, each subscribe), in one pass over the segments against the baseline of one scan of
//    the segments per mark;
//  - GET /recordings/<id>/index.m3u8, answered from the last rendering while the recording is
//    unchanged, against the baseline of rendering it for every request.
// Run: npx tsx bench/recording.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SittingView } from '../protocol/views.ts';
import { createLogger } from '../server/logger.ts';
import { renderPlaylist } from '../server/media/playlist.ts';
import { VideoRecorder } from '../server/media/VideoRecorder.ts';
import { offsetAt, recordingMarks } from '../server/media/timeline.ts';

const SEGMENTS = 18_000;
const ITEMS = 100;
const VOTES = 100;
const T0 = Date.parse('2026-12-10T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

const segments = Array.from({ length: SEGMENTS }, (_, i) => ({ runId: 'bench-0a0a', file: `s${i}.m4s`, duration: 1, start: T0 + i * 1000 }));
// Only the fields the marks are made of: agenda starts and vote times, spread over the sitting.
const view = {
  agenda: Array.from({ length: ITEMS }, (_, i) => ({ id: `i${i}`, startedAt: iso(i * 170_000) })),
  votes: Array.from({ length: VOTES }, (_, i) => ({ id: `v${i}`, openedAt: iso(i * 170_000 + 60_000), closedAt: iso(i * 170_000 + 90_000) })),
} as unknown as SittingView;

function timed(runs: number, work: () => unknown): number {
  for (let i = 0; i < 3; i++) work();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) work();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

const marks = timed(200, () => recordingMarks(view, segments));
const times = recordingMarks(view, segments).map((m) => Date.parse(m.at));
const marksBaseline = timed(20, () => times.map((t) => offsetAt(segments, t)));

const dir = mkdtempSync(join(tmpdir(), 'radacast-bench-recording-'));
mkdirSync(join(dir, 'bench'));
writeFileSync(join(dir, 'bench', 'segments.jsonl'), segments.map((s) => JSON.stringify({ ...s, bytes: 750_000 })).join('\n') + '\n');
writeFileSync(join(dir, 'bench', 'index.m3u8'), '');
const recorder = new VideoRecorder(dir, { closeGraceMs: 0 }, createLogger('silent'));
recorder.load('bench', 'plenary', T0 + SEGMENTS * 1000);
const served = timed(200, () => recorder.playlist('bench'));
const rendered = timed(20, () =>
  renderPlaylist({ kind: 'vod', segments, mediaSequence: 0, discontinuitySequence: 0, minTargetDuration: 1 }),
);
const bytes = recorder.playlist('bench')!.text.length;
await recorder.close();
rmSync(dir, { recursive: true, force: true });

const ms = (n: number) => `${n.toFixed(3)} ms`;
console.log(`recording: ${SEGMENTS} segments, ${times.length} marks, playlist ${(bytes / 1e6).toFixed(2)} MB`);
console.log(`marks per view: ${ms(marks)} (baseline, a scan per mark: ${ms(marksBaseline)}; ratio ${(marks / marksBaseline).toFixed(3)})`);
console.log(`playlist per request: ${ms(served)} (baseline, rendered each time: ${ms(rendered)}; ratio ${(served / rendered).toExponential(1)})`);
