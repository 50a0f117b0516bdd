// A room on air for browser tests: ffmpeg (the media tests' encoder) pushes a test pattern over
// RTMP with the room's own stream key, and the helper returns once the live playlist has a
// few segments — enough for a player to start.
import type { IngestInfo } from '../../protocol/media.ts';
import { pushTestPattern, segmentsAdded, type Encoder } from '../media/support.ts';
import type { TestServer } from './testServer.ts';

export async function goLive(t: TestServer, room: string, seconds: number, segments = 3): Promise<Encoder> {
  const res = await fetch(`${t.url}/api/rooms/${room}/ingest`, { headers: { cookie: await t.login() } });
  if (res.status !== 200) throw new Error(`no encoder settings [room:${room}, status:${res.status}]`);
  const { rtmp } = (await res.json()) as IngestInfo;
  const ready = segmentsAdded(t.server.media, room, segments);
  const encoder = pushTestPattern(rtmp.url, seconds);
  try {
    await ready;
  } catch (err) {
    await encoder.kill();
    throw err;
  }
  return encoder;
}
