// Prometheus metrics as an operator's agent reads them: the text parses with a parser we did
// not write, and the numbers move when commands, subscribers and ingest do. The main port
// serves them to admins only; RADACAST_METRICS_PORT serves them on loopback without login.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/childServer.ts';
import { DEMO_SITTING, liveVoteCommands } from '../support/demoSitting.ts';
import { goLive } from '../support/liveStream.ts';
import { PRESENT, run } from '../support/overlayPage.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import type { Encoder } from '../media/support.ts';

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }[];
}

describe('metrics', () => {
  let t: TestServer;
  let port: number;
  let encoder: Encoder | undefined;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestServer({ demo: true, metricsPort: port });
  });
  afterAll(async () => {
    await encoder?.kill();
    await t?.close();
  });

  async function scrape(): Promise<Map<string, Family>> {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const families = parsePrometheusTextFormat(await res.text()) as Family[];
    return new Map(families.map((f) => [f.name, f]));
  }
  const value = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) =>
    Number(
      families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 'NaN',
    );

  /** A histogram's number of observations: its +Inf bucket. */
  const observed = (sample: Family['metrics'][number]) => Number(sample.buckets?.['+Inf'] ?? 0);

  it('on the main port only for admins', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${t.url}/metrics`, { headers: { cookie: await t.login() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('counts commands by type and outcome, with their latency', async () => {
    await run(t, liveVoteCommands({ present: PRESENT, voteId: 'v1' }));
    await t.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: PRESENT[0]!, choice: 'for' });
    await t.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'nope', memberId: PRESENT[0]!, choice: 'for' });
    const m = await scrape();
    expect(value(m, 'radacast_commands_total', { type: 'vote.cast', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(value(m, 'radacast_commands_total', { type: 'vote.cast', outcome: 'not-found' })).toBe(1);
    expect(value(m, 'radacast_commands_total', { type: 'sitting.open', outcome: 'ok' })).toBe(1);
    const latency = m.get('radacast_command_duration_seconds')!;
    expect(latency.type).toBe('HISTOGRAM');
    expect(latency.metrics.some((s) => observed(s) > 0)).toBe(true);
    expect(value(m, 'radacast_database_size_bytes')).toBeGreaterThan(0);
    expect(m.has('radacast_nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('follows /live subscribers and the live updates they get', async () => {
    const before = await scrape();
    expect(value(before, 'radacast_live_subscribers')).toBe(0);
    const socket = io(`${t.url}/live`, { transports: ['websocket'] });
    await new Promise<void>((resolve) => socket.emit('subscribe', { sittingId: DEMO_SITTING }, () => resolve()));
    const updated = new Promise((resolve) => socket.once('update', resolve));
    await t.command({ type: 'vote.cast', sittingId: DEMO_SITTING, voteId: 'v1', memberId: PRESENT[1]!, choice: 'against' });
    await updated;
    const after = await scrape();
    expect(value(after, 'radacast_live_subscribers')).toBe(1);
    const bytes = after.get('radacast_live_update_bytes')!.metrics[0]!;
    expect(observed(bytes)).toBeGreaterThan(observed(before.get('radacast_live_update_bytes')!.metrics[0]!));
    socket.close();
  });

  it('shows a room going live: ingest state, bitrate, keyframe interval, segments', async () => {
    encoder = await goLive(t, 'plenary', 60);
    const m = await scrape();
    expect(value(m, 'radacast_ingest_live', { room: 'plenary' })).toBe(1);
    expect(value(m, 'radacast_ingest_live', { room: 'committee-room' })).toBe(0);
    expect(value(m, 'radacast_ingest_connections_total', { room: 'plenary' })).toBe(1);
    expect(value(m, 'radacast_hls_segments_total', { room: 'plenary' })).toBeGreaterThanOrEqual(3);
    expect(value(m, 'radacast_ffmpeg_starts_total', { room: 'plenary' })).toBe(1);
    expect(value(m, 'radacast_ingest_bitrate_bits_per_second', { room: 'plenary' })).toBeGreaterThan(0);
    expect(value(m, 'radacast_ingest_keyframe_interval_seconds', { room: 'plenary' })).toBeGreaterThan(0);
  });
});
