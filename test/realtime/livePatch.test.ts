// Live patch version 2 against the real record: every update of a scripted sitting (roll-call
// and secret votes, a correction, a re-registration, closing) rebuilds exactly the record's
// view; one vote.cast costs at most 300 bytes on the wire; a growing recording is never in an
// update and is announced apart, rarely.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Namespace } from 'socket.io';
import { Command } from '../../protocol/commands.ts';
import { applyRecording, applyUpdate, base64urlToHex, hexToBase64url } from '../../protocol/livePatch.ts';
import type { RecordingAnnouncement, SittingUpdate } from '../../protocol/socket.ts';
import type { VideoRecordingView, SittingView } from '../../protocol/views.ts';
import { decodeSnapshot } from '../../client/lib/LiveFeed.ts';
import { loadDemo } from '../../server/demo/loadDemo.ts';
import { LiveHub, RECORDING_GROWTH_S } from '../../server/realtime/LiveHub.ts';
import { openDatabase } from '../../server/store/database.ts';
import { CouncilRecord } from '../../server/store/CouncilRecord.ts';
import { DEMO_SITTING, DEPUTIES, liveVoteCommands } from '../support/demoSitting.ts';

const socket = () => ({ join() {}, leave() {}, rooms: new Set<string>(), id: 's1' });

/** What the hub hands to socket.io, in order, as a subscriber of every channel would get it. */
function captured(): { nsp: Namespace; sent: { event: string; payload: unknown }[] } {
  const sent: { event: string; payload: unknown }[] = [];
  const nsp = { to: () => ({ emit: (event: string, payload: unknown) => sent.push({ event, payload }) }) } as unknown as Namespace;
  return { nsp, sent };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** The socket.io packet text of an update on `/live` (a WebSocket frame adds 2–4 bytes). */
const onTheWire = (u: SittingUpdate) => Buffer.byteLength(`42/live,${JSON.stringify(['update', u])}`);

let dir: string;
let record: CouncilRecord;
let close: () => void;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'radacast-patch-'));
  const db = openDatabase(dir);
  record = new CouncilRecord(db);
  loadDemo(record, new Date());
  close = () => db.close();
});

afterEach(() => {
  close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(inputs: unknown[], after?: () => void): Promise<void> {
  for (const input of inputs) {
    const answer = record.execute(Command.parse(input), { actor: 'clerk', at: new Date().toISOString() });
    expect(answer, JSON.stringify(input)).toMatchObject({ ok: true });
    await turn();
    after?.();
  }
}

const cast = (voteId: string, memberId: string, choice: string) => ({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId, memberId, choice });

describe('live patch version 2', () => {
  it('rebuilds the record’s view exactly after every update, with a vote.cast under 300 bytes', async () => {
    const hub = new LiveHub({ record, view: (id) => record.sitting(id), now: () => new Date() });
    const { nsp, sent } = captured();
    hub.attach(nsp);
    const answer = hub.subscribe(socket(), { sittingId: DEMO_SITTING });
    if (!answer.ok || answer.catchup.kind !== 'snapshot') throw new Error('expected a snapshot');
    expect(answer.patchVersion).toBe(2);
    let held: SittingView = decodeSnapshot(answer.catchup.encoded);
    const check = () => {
      for (const { payload } of sent.splice(0)) held = applyUpdate(held, payload as SittingUpdate);
      expect(held).toEqual(record.sitting(DEMO_SITTING));
    };
    const present = DEPUTIES.slice(0, 30);
    await run(liveVoteCommands({ present, voteId: 'v1' }), check);
    const castSizes: number[] = [];
    await run(
      present.map((m, i) => cast('v1', m, ['for', 'against', 'abstain'][i % 3]!)),
      () => {
        castSizes.push(...sent.map(({ payload }) => onTheWire(payload as SittingUpdate)));
        check();
      },
    );
    expect(Math.max(...castSizes)).toBeLessThanOrEqual(300);
    await run(
      [
        { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v1' },
        { type: 'vote.correct', sittingId: DEMO_SITTING, voteId: 'v1', memberId: 'd02', choice: 'for', reason: 'Помилка лічильної комісії' },
        { type: 'attendance.set', sittingId: DEMO_SITTING, memberIds: DEPUTIES.slice(30), present: true },
        { type: 'vote.open', sittingId: DEMO_SITTING, voteId: 'v2', subject: 'в цілому', ballot: 'secret' },
        { type: 'vote.tally', sittingId: DEMO_SITTING, voteId: 'v2', for: 30, against: 5, abstain: 2 },
        { type: 'vote.close', sittingId: DEMO_SITTING, voteId: 'v2' },
        { type: 'sitting.close', sittingId: DEMO_SITTING },
      ],
      check,
    );
    expect(held.status).toBe('closed');
    expect(held.votes.map((v) => v.result)).toEqual([record.sitting(DEMO_SITTING)!.votes[0]!.result, 'adopted']);
    hub.close();
  });

  it('carries the head hash in base64url and gives back the same hex', () => {
    const hex = 'a3f1335361398c8fba0d7183b1664039bf238811327762131c1b59a5c344a8ff';
    expect(hexToBase64url(hex)).toHaveLength(43);
    expect(base64urlToHex(hexToBase64url(hex))).toBe(hex);
  });

  it('leaves a growing recording out of updates and announces it apart, rarely', async () => {
    let recording: VideoRecordingView | undefined;
    const view = (id: string) => {
      const v = record.sitting(id);
      return v && recording ? { ...v, recording } : v;
    };
    const hub = new LiveHub({ record, view, now: () => new Date() });
    const { nsp, sent } = captured();
    hub.attach(nsp);
    const present = DEPUTIES.slice(0, 30);
    await run(liveVoteCommands({ present, voteId: 'v1' }).slice(0, 2));
    recording = { status: 'recording', playlist: '/hls/plenary/rec.m3u8', startedAt: new Date().toISOString(), duration: 0, marks: [] };
    const answer = hub.subscribe(socket(), { sittingId: DEMO_SITTING });
    if (!answer.ok || answer.catchup.kind !== 'snapshot') throw new Error('expected a snapshot');
    let held = decodeSnapshot(answer.catchup.encoded);
    sent.length = 0;
    // A camera live: each command comes 2 s of video later; a vote opening adds a mark.
    const grow = () => {
      recording = { ...recording!, duration: recording!.duration + 2 };
    };
    await run(liveVoteCommands({ present, voteId: 'v1' }).slice(2, 3), grow);
    recording = { ...recording, marks: [{ kind: 'vote-opened', id: 'v1', at: new Date().toISOString(), offset: recording.duration }] };
    await run(liveVoteCommands({ present, voteId: 'v1' }).slice(3), grow);
    await run(present.map((m) => cast('v1', m, 'for')), grow);

    const updates = sent.filter((s) => s.event === 'update').map((s) => s.payload as SittingUpdate);
    const announced = sent.filter((s) => s.event === 'recording').map((s) => s.payload as RecordingAnnouncement);
    expect(updates).toHaveLength(32);
    expect(updates.every((u) => !JSON.stringify(u.patch).includes('"recording"'))).toBe(true);
    // The recording when it first appears (the snapshot was kept from before the camera), the
    // mark at once, the duration once a minute of video (62 s here) was added.
    expect(announced.map((a) => [a.marksFrom, a.marks.length, a.duration])).toEqual([
      [0, 0, 0],
      [0, 1, 2],
      [1, 0, 62],
    ]);
    for (const s of sent) held = s.event === 'update' ? applyUpdate(held, s.payload as SittingUpdate) : applyRecording(held, s.payload as RecordingAnnouncement)!;
    expect(held.recording!.marks).toEqual(recording.marks);
    expect(recording.duration - held.recording!.duration).toBeLessThan(RECORDING_GROWTH_S);
    const { recording: _, ...rest } = held;
    expect(rest).toEqual(record.sitting(DEMO_SITTING));

    // A client that catches up with updates gets the recording from the marks it holds.
    const again = hub.subscribe(socket(), { sittingId: DEMO_SITTING, since: { sittingId: DEMO_SITTING, seq: held.seq - 2, marks: 1 } });
    expect(again).toMatchObject({ ok: true, catchup: { kind: 'updates' }, recording: { marksFrom: 1, marks: [], duration: 62 } });
    hub.close();
  });
});
