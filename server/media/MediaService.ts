// The media capability as one long-lived object: rooms from the record (each with a stream key,
// a live window and, when ports allow, an SRT listener), the RTMP listener routing publishers by
// key, recordings following the sittings, retention, and the demo camera. Emits `status` when a
// room's ingest status changes (the clerk channel forwards it). A missing ffmpeg is reported,
// never fatal: the rest of the server keeps working.
import { EventEmitter } from 'node:events';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogEntry } from '../../protocol/answers.ts';
import type { IngestInfo, IngestProtocol, IngestStatus, MediaProblem, MediaProblemCode } from '../../protocol/media.ts';
import { message } from '../../protocol/messages.ts';
import type { VideoRecordingView, SittingView } from '../../protocol/views.ts';
import { REGISTRY_STREAM, sittingIdOf } from '../../protocol/events.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../store/database.ts';
import type { CouncilRecord } from '../store/CouncilRecord.ts';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { DemoCamera } from './DemoCamera.ts';
import type { LadderEncoder } from './ffmpegArgs.ts';
import { ingestInfo, RTMP_APP } from './ingestInfo.ts';
import { ladderEncoder } from './ladderEncoder.ts';
import { LiveRoom } from './LiveRoom.ts';
import type { MediaConfig } from './mediaConfig.ts';
import { VideoRecorder } from './VideoRecorder.ts';
import { RtmpIngest } from './RtmpIngest.ts';
import { RtmpServer } from './rtmp/RtmpServer.ts';
import type { PublishDecision, PublishRefusal, PublishRequest } from './rtmp/RtmpSession.ts';
import { SrtListener } from './SrtListener.ts';
import { StreamKeys } from './StreamKeys.ts';
import { recordingMarks } from './timeline.ts';

export interface MediaTuning {
  segmentSeconds: number;
  windowSize: number;
  stallTimeoutMs: number;
  closeGraceMs: number;
  statusIntervalMs: number;
  offlineResetMs: number;
  maxKeyframeIntervalSec: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_TUNING: MediaTuning = {
  segmentSeconds: 1,
  windowSize: 6,
  stallTimeoutMs: 15_000,
  closeGraceMs: 20_000,
  statusIntervalMs: 5_000,
  offlineResetMs: 120_000,
  maxKeyframeIntervalSec: 4,
  backoff: DEFAULT_BACKOFF,
};

export type MediaServiceEvents = {
  status: [status: IngestStatus];
  /** A segment was added to a room's live playlist. */
  segment: [room: string, segment: { seq: number; runId: string; duration: number; start: number }];
  /** A sitting's recording became complete (VOD). */
  recording: [sittingId: string];
  /** A room's live picture was set up (at start and for each new room): restream follows it. */
  room: [room: LiveRoom];
  /** An ffmpeg packager started in a room (more than one per encoder connection: it restarted). */
  ffmpegStarted: [room: string];
  /** The retention sweep deleted what was recorded before `cutoff` (ms): media kept elsewhere follows. */
  retention: [cutoff: number];
};

export interface MediaServiceDeps {
  db: Db;
  record: CouncilRecord;
  config: MediaConfig;
  dataDir: string;
  /** Address the RTMP and SRT listeners bind to. */
  bindHost: string;
  logger: Logger;
  tuning?: Partial<MediaTuning>;
}

const DAY_MS = 86_400_000;
/** Five years, leap days included. */
const LEGAL_MINIMUM_DAYS = 1827;

export class MediaService extends EventEmitter<MediaServiceEvents> {
  readonly #deps: MediaServiceDeps;
  readonly #config: MediaConfig;
  readonly #tuning: MediaTuning;
  readonly #logger: Logger;
  readonly #keys: StreamKeys;
  readonly #liveDir: string;
  readonly #pidDir: string;
  readonly #recorder: VideoRecorder;
  readonly #rooms = new Map<string, LiveRoom>();
  readonly #srt = new Map<string, SrtListener>();
  readonly #ingests = new Set<RtmpIngest>();
  readonly #rtmp: RtmpServer;
  #rtmpPort: number | null = null;
  #ffmpegMissing = false;
  /** The encoder of the transcoded renditions, settled at start (a hardware one only when present). */
  #ladderEncoder: LadderEncoder = 'libx264';
  #demoCamera: DemoCamera | null = null;
  #sweepTimer: NodeJS.Timeout | null = null;
  #started = false;
  #closed = false;
  readonly #onAppended = (stream: string, events: LogEntry[]) => this.#follow(stream, events);

  constructor(deps: MediaServiceDeps) {
    super();
    this.#deps = deps;
    this.#config = deps.config;
    this.#tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.#logger = deps.logger.child({ component: 'media' });
    this.#keys = new StreamKeys(deps.db);
    // Absolute: files are served with res.sendFile, and ffmpeg gets full paths.
    const mediaDir = resolve(deps.config.mediaDir ?? join(deps.dataDir, 'media'));
    this.#liveDir = join(mediaDir, 'live');
    this.#pidDir = join(mediaDir, 'pids');
    mkdirSync(this.#pidDir, { recursive: true });
    this.#recorder = new VideoRecorder(join(mediaDir, 'recordings'), { closeGraceMs: this.#tuning.closeGraceMs }, this.#logger);
    this.#recorder.on('finalized', (sittingId) => this.emit('recording', sittingId));
    this.#rtmp = new RtmpServer((request) => this.#authorize(request), this.#logger);
  }

  /** Checks ffmpeg, opens the rooms and recordings, binds RTMP (a busy port is an error). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      accessSync(this.#config.ffmpegPath, constants.X_OK);
    } catch {
      this.#ffmpegMissing = true;
      this.#logger.error(
        { ffmpeg: this.#config.ffmpegPath },
        'ffmpeg not found or not executable: live video and recording are off (install ffmpeg or set RADACAST_FFMPEG)',
      );
    }
    if (!this.#ffmpegMissing && this.#config.ladder.length > 0) {
      this.#ladderEncoder = await ladderEncoder(this.#config.ffmpegPath, this.#config.hwEncoder, this.#logger);
    }
    const { record } = this.#deps;
    for (const room of record.registry.rooms.keys()) this.#ensureRoom(room);
    for (const s of record.sittings()) {
      // Only a sitting that opened has (or had) a recording; a cancelled one never opened.
      if (s.status === 'scheduled' || s.status === 'cancelled') continue;
      this.#recorder.load(s.id, s.room, s.closedAt === null ? null : Date.parse(s.closedAt));
    }
    record.on('appended', this.#onAppended);
    this.#rtmpPort = await this.#rtmp.listen(this.#config.rtmpPort, this.#deps.bindHost).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`RTMP port ${this.#config.rtmpPort} cannot be used (${err.code ?? err.message}); set RADACAST_RTMP_PORT`);
    });
    if (this.#config.retentionDays !== null) {
      if (this.#config.retentionDays < LEGAL_MINIMUM_DAYS) {
        this.#logger.warn(
          { retentionDays: this.#config.retentionDays },
          'recordings are kept for less than five years; Law 3590-IX requires at least five for plenary and standing-committee meetings',
        );
      }
      this.#sweep();
      this.#sweepTimer = setInterval(() => this.#sweep(), 6 * 3600_000).unref();
    }
    const firstRoom = [...this.#rooms.keys()][0];
    if (this.#config.demoCamera && !this.#ffmpegMissing && firstRoom) this.#startDemoCamera(firstRoom);
  }

  /** ffmpeg was not found at start: nothing that needs it can run. */
  get ffmpegMissing(): boolean {
    return this.#ffmpegMissing;
  }

  get ffmpegPath(): string {
    return this.#config.ffmpegPath;
  }

  get rtmpPort(): number | null {
    return this.#rtmpPort;
  }

  /** The UDP port of a room's SRT listener, or null. */
  srtPort(room: string): number | null {
    return this.#srt.get(room)?.port ?? null;
  }

  #follow(stream: string, events: LogEntry[]): void {
    for (const { event, at } of events) {
      if (stream === REGISTRY_STREAM) {
        if (event.type === 'room.upserted') this.#ensureRoom(event.room.id);
        continue;
      }
      const sittingId = sittingIdOf(stream);
      if (sittingId === null) continue;
      const room = this.#deps.record.sittingState(sittingId)?.room;
      if (!room) continue;
      if (event.type === 'sitting.opened') this.#recorder.begin(sittingId, room);
      if (event.type === 'sitting.closed') this.#recorder.end(sittingId, Date.parse(at), this.#rooms.get(room)?.live ?? false);
    }
  }

  #ensureRoom(id: string): void {
    if (this.#rooms.has(id) || this.#closed) return;
    this.#keys.ensure(id, new Date());
    const t = this.#tuning;
    const room = new LiveRoom(
      id,
      join(this.#liveDir, id),
      {
        windowSize: t.windowSize,
        segmentSeconds: t.segmentSeconds,
        statusIntervalMs: t.statusIntervalMs,
        offlineResetMs: t.offlineResetMs,
        ladder:
          this.#config.ladder.length > 0
            ? { ffmpegPath: this.#config.ffmpegPath, heights: this.#config.ladder, encoder: this.#ladderEncoder, preset: this.#config.ladderPreset }
            : null,
      },
      this.#logger,
    );
    this.#rooms.set(id, room);
    this.emit('room', room);
    room.on('segment', (segment) => {
      this.#recorder.onSegment(id, segment);
      this.emit('segment', id, { seq: segment.seq, runId: segment.runId, duration: segment.duration, start: segment.start });
    });
    room.on('released', () => this.#recorder.onRoomOffline(id));
    room.on('status', () => this.emit('status', this.#statusOf(id, room)));
    room.on('run', () => this.emit('ffmpegStarted', id));
    // Rooms take SRT ports in the order they were created, so a room keeps its port.
    const port = this.#config.srtPorts[this.#rooms.size - 1];
    if (port !== undefined && !this.#ffmpegMissing) {
      const listener = new SrtListener(
        room,
        // The room's key (made above, never removed; rotation replaces it).
        () => this.#keys.ensure(id, new Date()),
        {
          ffmpegPath: this.#config.ffmpegPath,
          host: this.#deps.bindHost,
          port,
          segmentSeconds: t.segmentSeconds,
          stallTimeoutMs: t.stallTimeoutMs,
          backoff: t.backoff,
          pidFile: join(this.#pidDir, `${id}.srt.pid`),
          scriptFile: join(this.#pidDir, `${id}.srt.ffconcat`),
        },
        this.#logger,
      );
      this.#srt.set(id, listener);
    }
  }

  #refusal(reason: PublishRefusal): PublishDecision {
    const key = `media.refused.${reason}` as const;
    return { ok: false, reason, description: `${message(key, 'uk')} / ${message(key, 'en')}` };
  }

  #authorize(request: PublishRequest): PublishDecision {
    const remote = request.remote;
    if (request.app !== RTMP_APP) {
      this.#logger.warn({ remote, app: request.app.slice(0, 64) }, 'RTMP publish refused: wrong application name');
      return this.#refusal('bad-app');
    }
    const roomId = this.#keys.roomOf(request.key);
    if (roomId === undefined) {
      this.#logger.warn({ remote }, 'RTMP publish refused: unknown stream key');
      return this.#refusal('bad-key');
    }
    return this.publish(roomId, request.key, 'rtmp', remote);
  }

  /**
   * A publisher of FLV tags for a room, given its stream key: RTMP, and WHIP through the WebRTC
   * bridge (server/media/webrtc), which remuxes to FLV so both share the packager, the recording
   * and restream. One publisher per room.
   */
  publish(roomId: string, key: string, protocol: IngestProtocol, remote: string): PublishDecision {
    const room = this.#keys.roomOf(key) === roomId ? this.#rooms.get(roomId) : undefined;
    if (!room) {
      this.#logger.warn({ remote, protocol }, 'publish refused: unknown stream key');
      return this.#refusal('bad-key');
    }
    if (this.#ffmpegMissing || this.#closed) {
      this.#logger.warn({ remote, room: room.id, protocol }, 'publish refused: ffmpeg is not available');
      return this.#refusal('unavailable');
    }
    const lease = room.claim(protocol);
    if (!lease) {
      this.#logger.warn({ remote, room: room.id, live: room.protocol, protocol }, 'publish refused: the room already has a publisher');
      room.problem('second-publisher');
      return this.#refusal('busy');
    }
    this.#logger.info({ remote, room: room.id, protocol }, 'publisher accepted');
    const t = this.#tuning;
    const ingest = new RtmpIngest(
      room,
      lease,
      {
        ffmpegPath: this.#config.ffmpegPath,
        segmentSeconds: t.segmentSeconds,
        stallTimeoutMs: t.stallTimeoutMs,
        backoff: t.backoff,
        maxKeyframeIntervalSec: t.maxKeyframeIntervalSec,
        maxPendingBytes: 32 * 1024 * 1024,
      },
      this.#logger.child({ room: room.id, [protocol]: remote }),
    );
    this.#ingests.add(ingest);
    void ingest.whenDone().then(() => this.#ingests.delete(ingest));
    return { ok: true, sink: ingest };
  }

  #startDemoCamera(room: string): void {
    this.#demoCamera = new DemoCamera(
      this.#config.ffmpegPath,
      () => `rtmp://127.0.0.1:${this.#rtmpPort}/${RTMP_APP}/${this.#keys.keyOf(room)}`,
      this.#tuning.backoff,
      this.#logger,
    );
  }

  #sweep(): void {
    const days = this.#config.retentionDays;
    if (days === null) return;
    const now = new Date();
    this.expireRecordings(new Date(now.getTime() - days * DAY_MS), now);
  }

  /** Deletes recordings closed before `cutoff` (the retention sweep, callable with any time). */
  expireRecordings(cutoff: Date, now = new Date()): string[] {
    const expired = this.#recorder.expireBefore(cutoff.getTime(), now);
    this.emit('retention', cutoff.getTime());
    return expired;
  }

  // ---- reads for the HTTP routes and the sitting view ----

  ingestInfo(room: string, requestHost: string): IngestInfo | undefined {
    const key = this.#keys.keyOf(room);
    if (!this.#rooms.has(room) || !key) return undefined;
    return ingestInfo({
      room,
      host: this.#config.ingestHost ?? requestHost,
      rtmpPort: this.#rtmpPort ?? this.#config.rtmpPort,
      key,
      srtPort: this.srtPort(room),
    });
  }

  /** Whether `key` is the room's stream key (a WHIP publisher's credential). */
  keyFits(room: string, key: string): boolean {
    return this.#keys.roomOf(key) === room;
  }

  rotateKey(room: string, requestHost: string): IngestInfo | undefined {
    if (!this.#rooms.has(room)) return undefined;
    this.#keys.rotate(room, new Date());
    this.#logger.info({ room }, 'stream key rotated');
    this.#srt.get(room)?.rekey();
    return this.ingestInfo(room, requestHost);
  }

  #problem(code: MediaProblemCode, at: Date, params: Record<string, string | number>): MediaProblem {
    const key = `media.problem.${code}` as const;
    const texts = { uk: message(key, 'uk', params), en: message(key, 'en', params) };
    return { code, message: texts.uk, messages: texts, at: at.toISOString() };
  }

  status(room: string): IngestStatus | undefined {
    const live = this.#rooms.get(room);
    return live ? this.#statusOf(room, live) : undefined;
  }

  #statusOf(room: string, live: LiveRoom): IngestStatus {
    const { liveBytes, problem, ...status } = live.status();
    const usage = this.#recorder.usage(room);
    const params = { path: this.#config.ffmpegPath, port: this.srtPort(room) ?? '', target: status.targetDuration ?? '' };
    return {
      ...status,
      storage: { liveBytes, recordingBytes: usage.bytes, recordings: usage.count },
      problem: this.#ffmpegMissing
        ? this.#problem('ffmpeg-missing', new Date(), params)
        : problem
          ? this.#problem(problem.code, problem.at, params)
          : null,
    };
  }

  livePlaylist(room: string): string | null {
    return this.#rooms.get(room)?.playlist() ?? null;
  }

  /** The room's live side, for blocking playlist reloads and LL-HLS parts. */
  liveRoom(room: string): LiveRoom | null {
    return this.#rooms.get(room) ?? null;
  }

  liveFile(room: string, runId: string, file: string): string | null {
    return this.#rooms.get(room)?.file(runId, file) ?? null;
  }

  recordingPlaylist(sittingId: string, rendition: 'source' | 'audio' = 'source'): { text: string; complete: boolean } | undefined {
    return this.#recorder.playlist(sittingId, rendition);
  }

  recordingFile(sittingId: string, runId: string, file: string): string | null {
    return this.#recorder.file(sittingId, runId, file);
  }

  /** The `recording` part of a sitting's public view. */
  recordingView(view: SittingView): VideoRecordingView | undefined {
    const recording = this.#recorder.get(view.id);
    if (!recording) return undefined;
    // An expiry note is kept exactly while the recording is expired.
    const e = recording.expired;
    if (e) {
      return { status: 'expired', playlist: null, startedAt: e.startedAt, duration: e.duration, marks: [] };
    }
    if (recording.startedAt === null) return undefined;
    return {
      status: recording.state === 'complete' ? 'complete' : 'recording',
      playlist: `/recordings/${view.id}/index.m3u8`,
      startedAt: new Date(recording.startedAt).toISOString(),
      duration: Math.round(recording.duration * 1000) / 1000,
      marks: recordingMarks(view, this.#recorder.segments(view.id)),
    };
  }

  /** Stops ingest (ffmpeg finishes its last segment), listeners and timers; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#deps.record.off('appended', this.#onAppended);
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    await this.#demoCamera?.close();
    await this.#rtmp.close();
    await Promise.all([...this.#srt.values()].map((l) => l.close()));
    await Promise.all([...this.#ingests].map((i) => i.whenDone()));
    await this.#recorder.close();
    await Promise.all([...this.#rooms.values()].map((room) => room.close()));
  }
}
