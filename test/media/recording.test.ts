// A sitting's recording end to end: the clerk opens the sitting, the encoder pushes (and drops
// once), items start and a vote opens and closes, the sitting closes — and the recording is a
// complete VOD playlist whose duration ffprobe confirms (and its audio alone, a light download),
// with every moment's offset in the public sitting view. A server restart in the middle loses nothing; retention expires it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '../../protocol/media.ts';
import { offsetAt } from '../../server/media/timeline.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { countFrames, ffprobe, nextEvent, parsePlaylist, pushTestPattern, segmentsAdded, statusWhen } from './support.ts';

const body = {
  id: 'budget',
  kind: 'committee',
  name: 'Постійна комісія з питань бюджету',
  seats: 3,
  members: [
    { id: 'm1', name: 'Іваненко Олена', faction: null, role: 'chair' },
    { id: 'm2', name: 'Петренко Андрій', faction: null, role: 'member' },
    { id: 'm3', name: 'Шевчук Марія', faction: null, role: 'member' },
  ],
};
const agenda = [
  { id: 'i1', number: 1, title: 'Про звіт про виконання бюджету' },
  { id: 'i2', number: 2, title: 'Різне' },
];

function sitting(id: string, room: string) {
  return { type: 'sitting.create', sitting: { id, bodyId: 'budget', title: `Засідання ${id}`, room, scheduledAt: '2026-12-10T10:00:00+02:00', agenda } };
}

async function ok(t: TestServer, command: Record<string, unknown>): Promise<void> {
  const { status, answer } = await t.command(command);
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  expect(status).toBe(200);
}

describe('recording of a sitting', () => {
  let t: TestServer;
  const work = mkdtempSync(join(tmpdir(), 'radacast-recording-'));

  beforeAll(async () => {
    t = await startTestServer();
    await ok(t, { type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
    await ok(t, { type: 'room.upsert', room: { id: 'committee-room', name: 'Мала зала' } });
    await ok(t, { type: 'body.upsert', body });
  });
  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function ingest(server: TestServer, room: string): Promise<IngestInfo> {
    const res = await fetch(`${server.url}/api/rooms/${room}/ingest`, { headers: { cookie: await server.login() } });
    return (await res.json()) as IngestInfo;
  }

  it('is a complete VOD of the whole sitting, discontinuity included, with offsets of items and votes', async () => {
    const media = t.server.media;
    await ok(t, sitting('s1', 'plenary'));
    await ok(t, { type: 'sitting.open', sittingId: 's1' });
    await ok(t, { type: 'attendance.set', sittingId: 's1', memberIds: ['m1', 'm2'], present: true });
    const { rtmp } = await ingest(t, 'plenary');

    const first = pushTestPattern(rtmp.url, 3);
    await segmentsAdded(media, 'plenary', 1);
    await ok(t, { type: 'item.start', sittingId: 's1', itemId: 'i1' });
    await segmentsAdded(media, 'plenary', 1);
    await ok(t, { type: 'vote.open', sittingId: 's1', voteId: 'v1', itemId: 'i1', subject: 'Затвердити звіт' });
    await ok(t, { type: 'vote.cast', sittingId: 's1', voteId: 'v1', memberId: 'm1', choice: 'for' });
    await first.exited;
    await statusWhen(media, 'plenary', (s) => s.state === 'offline');

    const second = pushTestPattern(rtmp.url, 2);
    await segmentsAdded(media, 'plenary', 1);
    await ok(t, { type: 'vote.close', sittingId: 's1', voteId: 'v1' });
    await ok(t, { type: 'item.start', sittingId: 's1', itemId: 'i2' });
    await second.exited;
    await statusWhen(media, 'plenary', (s) => s.state === 'offline');

    // While live, the recording is an EVENT playlist that can be watched from the start.
    const during = await fetch(`${t.url}/recordings/s1/index.m3u8`);
    expect(parsePlaylist(await during.text()).header['EXT-X-PLAYLIST-TYPE']).toBe('EVENT');

    const finalized = nextEvent<[string]>(media, 'recording', (id) => id === 's1');
    await ok(t, { type: 'sitting.close', sittingId: 's1' });
    await finalized;

    const res = await fetch(`${t.url}/recordings/s1/index.m3u8`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const playlist = parsePlaylist(await res.text());
    expect(playlist.header['EXT-X-PLAYLIST-TYPE']).toBe('VOD');
    expect(playlist.ended).toBe(true);
    expect(playlist.segments.filter((s) => s.discontinuity)).toHaveLength(1);
    expect(new Set(playlist.segments.map((s) => s.map)).size).toBe(2);
    expect(playlist.segments.every((s) => s.programDateTime !== null)).toBe(true);

    // ffprobe (reading over HTTP, as a player would) agrees on the length of what was pushed.
    const probe = await ffprobe(`${t.url}/recordings/s1/index.m3u8`);
    expect(Math.abs(Number(probe.format.duration) - 5)).toBeLessThan(1);
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // The audio alone is kept too (a light download): the same segments, sound only.
    const audio = parsePlaylist(await (await fetch(`${t.url}/recordings/s1/audio.m3u8`)).text());
    expect(audio.ended).toBe(true);
    expect(audio.segments.map((s) => s.programDateTime)).toEqual(playlist.segments.map((s) => s.programDateTime));
    const audioProbe = await ffprobe(`${t.url}/recordings/s1/audio.m3u8`);
    expect(audioProbe.streams.map((s) => s.codec_name)).toEqual(['aac']);
    expect(Math.abs(Number(audioProbe.format.duration) - 5)).toBeLessThan(1);
    // Every recorded frame decodes: each run (its init and segments, as served) on its own.
    // (ffmpeg's HLS demuxer skips frames where EXT-X-MAP changes, so runs are checked apart.)
    let frames = 0;
    for (const map of new Set(playlist.segments.map((s) => s.map))) {
      const parts = [map, ...playlist.segments.filter((s) => s.map === map).map((s) => s.uri)];
      const bytes = await Promise.all(parts.map(async (uri) => Buffer.from(await (await fetch(`${t.url}/recordings/s1/${uri}`)).arrayBuffer())));
      const file = join(work, `${map.split('/')[0]}.mp4`);
      writeFileSync(file, Buffer.concat(bytes));
      frames += await countFrames(file);
    }
    expect(Math.abs(frames - 125)).toBeLessThanOrEqual(3);

    const view = await t.sitting('s1');
    const recording = view.recording!;
    expect(recording.status).toBe('complete');
    expect(recording.playlist).toBe('/recordings/s1/index.m3u8');
    expect(recording.duration).toBeCloseTo(5, 0);
    expect(recording.marks.map((m) => `${m.kind}:${m.id}`)).toEqual(['item:i1', 'vote-opened:v1', 'vote-closed:v1', 'item:i2']);
    const timed = playlist.segments.map((s) => ({ start: s.programDateTime!, duration: s.duration }));
    for (const mark of recording.marks) {
      expect(mark.offset).toBeCloseTo(offsetAt(timed, Date.parse(mark.at)), 2);
      expect(mark.offset).toBeGreaterThan(0);
      expect(mark.offset).toBeLessThan(recording.duration);
    }
    // The item started during the first push, the vote closed during the second.
    expect(recording.marks[0]!.offset).toBeLessThan(3);
    expect(recording.marks[2]!.offset).toBeGreaterThanOrEqual(3);

    const status = media.status('plenary')!;
    expect(status.storage.recordings).toBe(1);
    expect(status.storage.recordingBytes).toBeGreaterThan(0);

    // Retention: a recording closed before the cut-off loses its media, the view says so.
    expect(media.expireRecordings(new Date(Date.now() + 1000))).toEqual(['s1']);
    expect((await fetch(`${t.url}/recordings/s1/index.m3u8`)).status).toBe(404);
    expect((await t.sitting('s1')).recording).toMatchObject({ status: 'expired', playlist: null, marks: [] });
    expect(media.status('plenary')!.storage).toMatchObject({ recordingBytes: 0, recordings: 0 });
  });

  it('goes on across a server restart in the middle of the sitting', async () => {
    await ok(t, sitting('s2', 'committee-room'));
    await ok(t, { type: 'sitting.open', sittingId: 's2' });
    const before = await ingest(t, 'committee-room');
    const push = pushTestPattern(before.rtmp.url, 2);
    await push.exited;
    await statusWhen(t.server.media, 'committee-room', (s) => s.state === 'offline');
    await t.close({ keepData: true });

    t = await startTestServer({ dataDir: t.dataDir });
    const after = await ingest(t, 'committee-room');
    expect(after.rtmp.key).toBe(before.rtmp.key);
    const again = pushTestPattern(after.rtmp.url, 2);
    await again.exited;
    await statusWhen(t.server.media, 'committee-room', (s) => s.state === 'offline');
    await ok(t, { type: 'sitting.close', sittingId: 's2' });

    const playlist = parsePlaylist(await (await fetch(`${t.url}/recordings/s2/index.m3u8`)).text());
    expect(playlist.ended).toBe(true);
    expect(new Set(playlist.segments.map((s) => s.map)).size).toBe(2);
    expect(playlist.segments.reduce((sum, s) => sum + s.duration, 0)).toBeCloseTo(4, 0);
  });
});
