// Prometheus metrics (prom-client), named radacast_… with base units in the names as
// Prometheus' conventions ask. Counters and histograms are fed by the capabilities' events;
// gauges of state (subscribers, ingest, database size) are read when scraped.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IngestStatus } from '../../protocol/media.ts';
import { DESTINATION_STATES, type RoomDestinations } from '../../protocol/restream.ts';
import { DATABASE_FILE } from '../store/database.ts';

export interface MetricsSources {
  dataDir: string;
  liveSubscribers(): number;
  ingest(): IngestStatus[];
  destinations(): RoomDestinations[];
}

export class Metrics {
  readonly registry = new Registry();
  readonly #commands: Counter<'type' | 'outcome'>;
  readonly #commandSeconds: Histogram<'type'>;
  readonly #fanoutSeconds: Histogram;
  readonly #updateBytes: Histogram;
  readonly #segments: Counter<'room'>;
  readonly #ingestStarts: Counter<'room'>;
  readonly #webhookAttempts: Counter<'status'>;
  readonly #ffmpegStarts: Counter<'room'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    // Process CPU, memory, file descriptors, GC and event-loop lag (radacast_nodejs_eventloop_lag_seconds).
    collectDefaultMetrics({ register: this.registry, prefix: 'radacast_', eventLoopMonitoringPrecision: 20 });
    this.#commands = new Counter({
      name: 'radacast_commands_total',
      help: 'Commands executed, by type and outcome (ok, or the refusal code).',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.#commandSeconds = new Histogram({
      name: 'radacast_command_duration_seconds',
      help: 'Time to decide and commit a command (synchronous=FULL: until it is on disk).',
      labelNames: ['type'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.#fanoutSeconds = new Histogram({
      name: 'radacast_fanout_lag_seconds',
      help: 'From a commit to its live update being handed to every subscriber.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.#updateBytes = new Histogram({
      name: 'radacast_live_update_bytes',
      help: 'Size of one live update as serialised for the wire.',
      buckets: [128, 256, 512, 1024, 2048, 4096, 16384, 65536],
      registers,
    });
    this.#segments = new Counter({ name: 'radacast_hls_segments_total', help: 'HLS segments produced, by room.', labelNames: ['room'], registers });
    this.#ingestStarts = new Counter({
      name: 'radacast_ingest_connections_total',
      help: 'Encoder connections accepted, by room (a reconnecting encoder counts again).',
      labelNames: ['room'],
      registers,
    });
    this.#ffmpegStarts = new Counter({
      name: 'radacast_ffmpeg_starts_total',
      help: 'ffmpeg packagers started, by room; beyond radacast_ingest_connections_total they are restarts.',
      labelNames: ['room'],
      registers,
    });
    this.#webhookAttempts = new Counter({
      name: 'radacast_webhook_attempts_total',
      help: 'Webhook delivery attempts, by resulting status (delivered, pending = will retry, failed = gave up).',
      labelNames: ['status'],
      registers,
    });
    new Gauge({
      name: 'radacast_live_subscribers',
      help: 'Connected /live sockets (residents, overlays).',
      registers,
      collect() {
        this.set(sources.liveSubscribers());
      },
    });
    new Gauge({
      name: 'radacast_database_size_bytes',
      help: 'Size of the SQLite database and its write-ahead log.',
      registers,
      collect() {
        const base = join(sources.dataDir, DATABASE_FILE);
        const size = (file: string) => {
          try {
            return statSync(file).size;
          } catch {
            return 0;
          }
        };
        this.set(size(base) + size(`${base}-wal`));
      },
    });
    const ingest = (name: string, help: string, value: (s: IngestStatus) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['room'],
        registers,
        collect() {
          this.reset();
          for (const status of sources.ingest()) {
            const v = value(status);
            if (v !== null) this.set({ room: status.room }, v);
          }
        },
      });
    new Gauge({
      name: 'radacast_restream_destination_state',
      help: 'Each restream destination: 1 for its current state, 0 for the others.',
      labelNames: ['room', 'destination', 'state'],
      registers,
      collect() {
        this.reset();
        for (const { room, destinations } of sources.destinations()) {
          for (const d of destinations) {
            for (const state of DESTINATION_STATES) this.set({ room, destination: d.id, state }, d.status.state === state ? 1 : 0);
          }
        }
      },
    });
    ingest('radacast_ingest_live', 'Whether an encoder is live in the room (1) or not (0).', (s) => (s.state === 'live' ? 1 : 0));
    ingest('radacast_ingest_bitrate_bits_per_second', 'Input bitrate over the live window.', (s) => (s.bitrateKbps === null ? null : s.bitrateKbps * 1000));
    ingest('radacast_ingest_keyframe_interval_seconds', 'Seconds between keyframes of the input.', (s) => s.keyframeInterval);
    ingest('radacast_ingest_problem', 'Whether the room has a media problem now (1) or not (0).', (s) => (s.problem ? 1 : 0));
  }

  command(type: string, outcome: string, seconds: number): void {
    this.#commands.inc({ type, outcome });
    this.#commandSeconds.observe({ type }, seconds);
  }

  liveUpdate(bytes: number, lagSeconds: number): void {
    this.#updateBytes.observe(bytes);
    this.#fanoutSeconds.observe(lagSeconds);
  }

  segment(room: string): void {
    this.#segments.inc({ room });
  }

  ingestConnected(room: string): void {
    this.#ingestStarts.inc({ room });
  }

  ffmpegStarted(room: string): void {
    this.#ffmpegStarts.inc({ room });
  }

  webhookAttempt(status: string): void {
    this.#webhookAttempts.inc({ status });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
