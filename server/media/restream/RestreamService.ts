// Restream as one long-lived capability: the rooms' destinations (stored with sealed keys), a
// RoomRestream per live room from the media service, the record's `destination.switched`
// events applied as they are committed, and each room's destinations with their relay status
// and platform warnings, emitted on every change for the clerk channel.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogEntry } from '../../../protocol/answers.ts';
import type { Command } from '../../../protocol/commands.ts';
import { message } from '../../../protocol/messages.ts';
import type { DestinationInput, DestinationView, RoomDestinations } from '../../../protocol/restream.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Logger } from '../../logger.ts';
import type { Db } from '../../store/database.ts';
import type { CouncilRecord } from '../../store/CouncilRecord.ts';
import { DEFAULT_BACKOFF } from '../backoff.ts';
import type { LiveRoom } from '../LiveRoom.ts';
import type { MediaService } from '../MediaService.ts';
import type { RelayOptions } from './DestinationRelay.ts';
import { DestinationStore, keyHint, type StoredDestination } from './DestinationStore.ts';
import { brokenRules } from './platformRules.ts';
import type { RestreamConfig } from './restreamConfig.ts';
import { RoomRestream } from './RoomRestream.ts';
import { loadOrCreateKey, SecretBox } from './SecretBox.ts';

export const DEFAULT_RELAY_OPTIONS: Omit<RelayOptions, 'ffmpegPath' | 'caFile'> = {
  backoff: { ...DEFAULT_BACKOFF, capMs: 30_000 },
  stallTimeoutMs: 20_000,
  maxPendingBytes: 16 * 1024 * 1024,
  maxKeyRefusals: 3,
  bitrateWindowMs: 5_000,
};

/** Debian's bundle of the system's trusted CAs (GnuTLS reads it when no CA file is given). */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export type RestreamServiceEvents = {
  destinations: [destinations: RoomDestinations];
};

export interface RestreamServiceDeps {
  db: Db;
  record: CouncilRecord;
  media: MediaService;
  config: RestreamConfig;
  ffmpegPath: string;
  dataDir: string;
  logger: Logger;
  relay?: Partial<Omit<RelayOptions, 'ffmpegPath' | 'caFile'>>;
}

export type PutResult = { ok: true; created: boolean; destination: DestinationView } | { ok: false; field: string; issue: string };

export class RestreamService extends EventEmitter<RestreamServiceEvents> {
  readonly #deps: RestreamServiceDeps;
  readonly #store: DestinationStore;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, RoomRestream>();
  readonly #relayOptions: RelayOptions;
  /** The last warnings sent per room, so an ingest status only re-sends when they change. */
  readonly #warned = new Map<string, string>();
  #closed = false;
  readonly #onRoom = (room: LiveRoom) => this.#follow(room);
  readonly #onAppended = (stream: string, events: LogEntry[]) => this.#applySwitches(events);
  readonly #onIngest = (status: { room: string }) => this.#ingestChanged(status.room);

  constructor(deps: RestreamServiceDeps) {
    super();
    this.#deps = deps;
    this.#logger = deps.logger.child({ component: 'restream' });
    const keyFile = resolve(deps.config.secretKeyFile ?? join(deps.dataDir, 'restream.key'));
    this.#store = new DestinationStore(deps.db, new SecretBox(loadOrCreateKey(keyFile, this.#logger)));
    this.#relayOptions = {
      ...DEFAULT_RELAY_OPTIONS,
      ...deps.relay,
      ffmpegPath: deps.ffmpegPath,
      caFile: deps.config.caFile ? this.#caBundle(deps.config.caFile) : null,
    };
    deps.media.on('room', this.#onRoom);
    deps.media.on('status', this.#onIngest);
    deps.record.on('appended', this.#onAppended);
    // A switch naming a destination the room does not have is refused before it reaches the log.
    deps.record.addCheck((command) => this.#checkSwitch(command));
  }

  /**
   * ffmpeg reads one CA file in place of the system's trust store; the extra CAs are added to
   * the system's bundle so platform destinations keep verifying.
   */
  #caBundle(caFile: string): string {
    const bundle = join(resolve(this.#deps.dataDir), 'restream-ca.pem');
    const system = existsSync(SYSTEM_CA_BUNDLE) ? readFileSync(SYSTEM_CA_BUNDLE, 'utf8') : '';
    writeFileSync(bundle, `${system}\n${readFileSync(caFile, 'utf8')}\n`);
    this.#logger.info({ caFile }, 'rtmps destinations also trust the certificates of RADACAST_RESTREAM_CA_FILE');
    return bundle;
  }

  #checkSwitch(command: Command): void {
    if (command.type !== 'destination.switch') return;
    if (!this.#store.get(command.room, command.destinationId)) {
      throw new DomainError('not-found', { what: 'destination', id: command.destinationId });
    }
  }

  #follow(room: LiveRoom): void {
    if (this.#closed || this.#rooms.has(room.id)) return;
    const restream = new RoomRestream(room, () => ({ ...this.#relayOptions, unavailable: this.#deps.media.ffmpegMissing }), this.#logger);
    restream.on('status', () => this.#changed(room.id));
    this.#rooms.set(room.id, restream);
    this.#sync(room.id);
  }

  #sync(room: string): void {
    this.#rooms.get(room)?.sync(
      this.#store.list(room).map((d) => ({
        id: d.id,
        enabled: d.enabled,
        target: () => ({ url: this.#store.get(room, d.id)?.url ?? d.url, key: this.#store.secret(room, d.id) }),
      })),
    );
  }

  #applySwitches(events: LogEntry[]): void {
    for (const { event, at } of events) {
      if (event.type !== 'destination.switched') continue;
      const { room, destinationId, enabled } = event;
      this.#store.setEnabled(room, destinationId, enabled, new Date(at));
      this.#logger.info({ room, destination: destinationId, enabled }, 'restream destination switched');
      this.#sync(room);
      this.#changed(room);
    }
  }

  #ingestChanged(room: string): void {
    const key = JSON.stringify(this.list(room)?.map((d) => d.status.warnings.map((w) => w.code)));
    if (this.#warned.get(room) === key) return;
    this.#warned.set(room, key);
    this.#changed(room);
  }

  #changed(room: string): void {
    if (this.#closed) return;
    const destinations = this.list(room);
    if (destinations) this.emit('destinations', { room, destinations });
  }

  hasRoom(room: string): boolean {
    return this.#deps.record.registry.rooms.has(room);
  }

  /** The room's destinations without keys; undefined for an unknown room. */
  list(room: string): DestinationView[] | undefined {
    if (!this.hasRoom(room)) return undefined;
    return this.#store.list(room).map((d) => this.#view(room, d));
  }

  /** A stored destination as consoles see it: its key hidden, its relay's state and warnings. */
  #view(room: string, d: StoredDestination): DestinationView {
    const ingest = this.#deps.media.status(room);
    const snapshot = this.#rooms.get(room)?.relay(d.id)?.snapshot;
    const key = this.#store.secret(room, d.id);
    const problem = snapshot?.problem;
    return {
      id: d.id,
      name: d.name,
      kind: d.kind,
      url: d.url,
      keyHint: key === null ? '…' : keyHint(key),
      enabled: d.enabled,
      status: {
        state: snapshot?.state ?? 'off',
        since: (snapshot?.since ?? new Date()).toISOString(),
        bitrateKbps: snapshot?.bitrateKbps ?? null,
        problem: problem ? { code: problem.code, ...advice(`restream.problem.${problem.code}`), at: problem.at.toISOString() } : null,
        warnings: brokenRules(d.kind, ingest).map((w) => ({ code: w.code, ...advice(`restream.warning.${w.code}`, w.params) })),
      },
    };
  }

  /** Every room's destinations (sent to each console when it connects). */
  all(): RoomDestinations[] {
    return [...this.#deps.record.registry.rooms.keys()].map((room) => ({ room, destinations: this.list(room) ?? [] }));
  }

  put(room: string, id: string, input: DestinationInput, actor: string): PutResult {
    if (!this.hasRoom(room)) return { ok: false, field: 'room', issue: 'unknown room' };
    const previous = this.#store.get(room, id);
    const stored = this.#store.put(room, id, input, new Date());
    if (!stored) return { ok: false, field: 'key', issue: 'a platform destination needs its stream key' };
    this.#logger.info({ room, destination: id, kind: input.kind, enabled: input.enabled, keyChanged: input.key !== undefined, actor }, previous ? 'restream destination replaced' : 'restream destination created');
    this.#sync(room);
    if (previous && (previous.url !== input.url || input.key !== undefined)) this.#rooms.get(room)?.restart(id);
    this.#changed(room);
    return { ok: true, created: !previous, destination: this.#view(room, stored) };
  }

  delete(room: string, id: string, actor: string): boolean {
    if (!this.#store.delete(room, id)) return false;
    this.#logger.info({ room, destination: id, actor }, 'restream destination deleted');
    this.#sync(room);
    this.#changed(room);
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#deps.media.off('room', this.#onRoom);
    this.#deps.media.off('status', this.#onIngest);
    this.#deps.record.off('appended', this.#onAppended);
    await Promise.all([...this.#rooms.values()].map((r) => r.close()));
  }
}

function advice(key: Parameters<typeof message>[0], params?: Record<string, number>) {
  const messages = { uk: message(key, 'uk', params), en: message(key, 'en', params) };
  return { message: messages.uk, messages };
}
