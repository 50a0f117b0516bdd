// WHIP publishers and WHEP viewers of the rooms, on one supervised mediasoup worker: a router per
// room, made when first needed. A WHIP publisher holds the room like an RTMP encoder (one per room,
// the stream key as its Bearer token) and its media reaches the room's pipeline through an
// RtpBridge. A WHEP viewer consumes the publisher's producers directly, well under a second behind.
// Sessions end on DELETE, when ICE or DTLS fails, when the publisher leaves (its viewers go too)
// and when the worker dies.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { IceServersAnswer } from '../../../protocol/webrtc.ts';
import type { Logger } from '../../logger.ts';
import { DEFAULT_BACKOFF } from '../backoff.ts';
import type { MediaService } from '../MediaService.ts';
import type { PublishSink } from '../rtmp/RtmpSession.ts';
import type { FeedPlan } from './ProgramFeed.ts';
import { ProgramFeeds } from './ProgramFeeds.ts';
import { RtpBridge } from './RtpBridge.ts';
import {
  answerSdp,
  parseSdp,
  publisherOffer,
  remoteTransport,
  sdpFragAnswer,
  sdpFragCredentials,
  viewerOffer,
  viewerRouterCodecs,
  withoutRtx,
  type AnsweredSection,
} from './sdp.ts';
import { turnIceServers } from './turn.ts';
import type { WebRtcConfig } from './webrtcConfig.ts';
import { WorkerSupervisor } from './WorkerSupervisor.ts';

/** What the router can receive and send: Opus; H.264 in the profiles OBS and browsers use; VP8. */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  ...['42e01f', '42001f', '4d001f', '64001f'].map((profile) => ({
    kind: 'video' as const,
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': profile, 'level-asymmetry-allowed': 1 },
  })),
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

export type WebRtcRefusal = 'webrtc-unavailable' | 'not-found' | 'bad-stream-key' | 'publisher-busy' | 'no-program' | 'unavailable';

export class WebRtcRefused extends Error {
  readonly code: WebRtcRefusal;
  constructor(code: WebRtcRefusal) {
    super(code);
    this.code = code;
  }
}

/** `interpreter`: a second publisher beside the program (server/media/webrtc/interpreter.ts). */
export type SessionKind = 'whip' | 'whep' | 'interpreter';

interface Session {
  id: string;
  room: string;
  kind: SessionKind;
  transport: types.WebRtcTransport;
  remoteUfrag: string;
  close: () => Promise<void>;
}

/** A viewers' router and the program's producers piped into it. */
interface ViewRouter {
  router: types.Router;
  producers: types.Producer[];
}

export interface Answer {
  session: string;
  sdp: string;
}

/** Whether a bearer credential lets its holder use WebRTC in a room (e.g. an interpreter's link token). */
export type IceGrant = (room: string, bearer: string) => boolean;

export type WebRtcServiceEvents = {
  /** A room's WebRTC publisher started or ended (viewers' previews follow it). */
  publisher: [room: string, live: boolean];
  /** The on-demand WHEP feed of a room's RTMP or SRT program started (what it does) or ended (null). */
  feed: [room: string, plan: FeedPlan | null];
};

export class WebRtcService extends EventEmitter<WebRtcServiceEvents> {
  readonly #config: WebRtcConfig;
  readonly #media: MediaService;
  readonly #logger: Logger;
  readonly #supervisor: WorkerSupervisor;
  readonly #sdpDir: string;
  readonly #routers = new Map<string, Promise<types.Router>>();
  readonly #sessions = new Map<string, Session>();
  /** The room's WHIP producers while a publisher is in. */
  readonly #programs = new Map<string, types.Producer[]>();
  /**
   * Per room, routers for viewers, one per set of payload-type numbers (in practice one per
   * browser family), the program piped into each: see viewerRouterCodecs.
   */
  readonly #viewRouters = new Map<string, Map<string, Promise<ViewRouter>>>();
  /** WHEP feeds of programs that arrive over RTMP or SRT, while they have viewers. */
  readonly #feeds: ProgramFeeds;
  /** Credentials besides staff logins and stream keys that may have TURN credentials. */
  readonly #grants: IceGrant[] = [];

  constructor(deps: { config: WebRtcConfig; media: MediaService; dataDir: string; logger: Logger }) {
    super();
    this.#config = deps.config;
    this.#media = deps.media;
    this.#logger = deps.logger.child({ component: 'webrtc' });
    this.#supervisor = new WorkerSupervisor(deps.config, DEFAULT_BACKOFF, deps.logger);
    this.#sdpDir = join(deps.dataDir, 'webrtc');
    this.#feeds = new ProgramFeeds({ media: deps.media, logger: this.#logger });
    this.#feeds.on('feed', (room, plan) => {
      if (!plan) void this.#programEnded(room);
      this.emit('feed', room, plan);
    });
    this.#supervisor.on('died', () => {
      this.#routers.clear();
      this.#viewRouters.clear();
      void this.#feeds.close();
      for (const session of [...this.#sessions.values()]) void session.close();
    });
  }

  async start(): Promise<void> {
    mkdirSync(this.#sdpDir, { recursive: true, mode: 0o700 });
    await this.#supervisor.start();
  }

  /** Why WebRTC is off, or null. */
  get unavailable(): string | null {
    return this.#supervisor.worker ? null : (this.#supervisor.unavailable ?? 'the mediasoup worker is restarting');
  }

  get workerPid(): number | null {
    return this.#supervisor.worker?.pid ?? null;
  }

  /** CPU time of the worker so far (user + system, ms), for the benchmark and metrics. */
  async workerCpuMs(): Promise<number | null> {
    const usage = await this.#supervisor.worker?.getResourceUsage();
    return usage ? usage.ru_utime + usage.ru_stime : null;
  }

  #router(room: string): Promise<types.Router> {
    const worker = this.#supervisor.worker;
    if (!worker) throw new WebRtcRefused('webrtc-unavailable');
    let router = this.#routers.get(room);
    if (!router) {
      router = worker.createRouter({ mediaCodecs: MEDIA_CODECS });
      this.#routers.set(room, router);
      router.catch(() => this.#routers.delete(room));
    }
    return router;
  }

  async #transport(router: types.Router): Promise<types.WebRtcTransport> {
    const { listenIp, announcedIp } = this.#config;
    const listen = (protocol: 'udp' | 'tcp') => ({ protocol, ip: listenIp, ...(announcedIp ? { announcedAddress: announcedIp } : {}) });
    return router.createWebRtcTransport({ listenInfos: [listen('udp'), listen('tcp')], preferUdp: true });
  }

  #open(room: string, kind: Session['kind'], transport: types.WebRtcTransport, remoteUfrag: string, onClose: () => Promise<void>): Session {
    const id = randomBytes(12).toString('hex');
    let closing: Promise<void> | null = null;
    const session: Session = {
      id,
      room,
      kind,
      transport,
      remoteUfrag,
      close: () => {
        closing ??= (async () => {
          this.#sessions.delete(id);
          transport.close();
          await onClose();
          this.#logger.info({ room, session: id, kind }, `${kind.toUpperCase()} session ended`);
        })();
        return closing;
      },
    };
    this.#sessions.set(id, session);
    // A peer that vanished without DELETE: ICE consent stops (about 30 s) or DTLS fails.
    transport.on('icestatechange', (state) => {
      if (state === 'disconnected' || state === 'closed') void session.close();
    });
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') void session.close();
    });
    return session;
  }

  /** WHIP: a publisher's offer, authorised by the room's stream key. */
  async publish(room: string, key: string, offerText: string, remote: string): Promise<Answer> {
    if (this.unavailable) throw new WebRtcRefused('webrtc-unavailable');
    const offer = parseSdp(offerText);
    const remoteParams = remoteTransport(offer);
    const sends = publisherOffer(offer, MEDIA_CODECS);
    const decision = this.#media.publish(room, key, 'whip', remote);
    if (!decision.ok) {
      const code: WebRtcRefusal = decision.reason === 'bad-key' ? 'bad-stream-key' : decision.reason === 'busy' ? 'publisher-busy' : 'unavailable';
      throw new WebRtcRefused(code);
    }
    const sink: PublishSink = decision.sink;
    let transport: types.WebRtcTransport | null = null;
    let bridge: RtpBridge | null = null;
    try {
      const router = await this.#router(room);
      transport = await this.#transport(router);
      await transport.connect({ dtlsParameters: remoteParams.dtls });
      const produced: { send: (typeof sends)[number]; producer: types.Producer }[] = [];
      for (const send of sends) produced.push({ send, producer: await transport.produce({ kind: send.kind, rtpParameters: send.rtpParameters }) });
      const producers = produced.map((p) => p.producer);
      const logger = this.#logger.child({ room });
      let session: Session | null = null;
      bridge = await RtpBridge.open(router, producers, {
        ffmpegPath: this.#media.ffmpegPath,
        sdpFile: join(this.#sdpDir, `${room}.${randomBytes(4).toString('hex')}.sdp`),
        logger,
        output: { onTag: (tag) => sink.tag(tag) },
        onExit: (exit) => {
          if (!exit.stopped) logger.error({ code: exit.code, recent: bridge?.recentLines }, 'WHIP bridge ffmpeg exited; the publisher is disconnected');
          void session?.close();
        },
      });
      const openBridge = bridge;
      this.#programs.set(room, producers);
      session = this.#open(room, 'whip', transport, remoteParams.iceUfrag, async () => {
        this.#programs.delete(room);
        this.emit('publisher', room, false);
        await openBridge.close();
        sink.end();
        await this.#programEnded(room);
      });
      this.#logger.info({ room, remote, session: session.id }, 'WHIP publisher connected');
      this.emit('publisher', room, true);
      const sections: AnsweredSection[] = produced.map(({ send, producer }) => ({ mid: send.mid, kind: send.kind, direction: 'recvonly', rtpParameters: producer.rtpParameters }));
      return { session: session.id, sdp: answerSdp(offer, transport, sections) };
    } catch (err) {
      transport?.close();
      await bridge?.close();
      sink.end();
      throw err;
    }
  }

  /**
   * A publisher beside the program (the sign-language interpreter): its producers go into the
   * room's router, `attach` hands them on and gives back what to close when the session ends.
   * The caller has checked who may publish and that the room has no other such publisher.
   */
  async receive(room: string, offerText: string, attach: (router: types.Router, producers: types.Producer[], end: () => void) => Promise<() => Promise<void>>): Promise<Answer> {
    if (this.unavailable) throw new WebRtcRefused('webrtc-unavailable');
    const offer = parseSdp(offerText);
    const remoteParams = remoteTransport(offer);
    const sends = publisherOffer(offer, MEDIA_CODECS);
    const router = await this.#router(room);
    const transport = await this.#transport(router);
    try {
      await transport.connect({ dtlsParameters: remoteParams.dtls });
      const producers: types.Producer[] = [];
      const sections: AnsweredSection[] = [];
      for (const send of sends) {
        const producer = await transport.produce({ kind: send.kind, rtpParameters: send.rtpParameters });
        producers.push(producer);
        sections.push({ mid: send.mid, kind: send.kind, direction: 'recvonly', rtpParameters: producer.rtpParameters });
      }
      let session: Session | null = null;
      const detach = await attach(router, producers, () => void session?.close());
      session = this.#open(room, 'interpreter', transport, remoteParams.iceUfrag, detach);
      return { session: session.id, sdp: answerSdp(offer, transport, sections) };
    } catch (err) {
      transport.close();
      throw err;
    }
  }

  /** WHEP: a viewer's offer; the caller has checked the viewer may watch this room. */
  async view(room: string, offerText: string): Promise<Answer> {
    if (this.unavailable) throw new WebRtcRefused('webrtc-unavailable');
    const offer = parseSdp(offerText);
    const remoteParams = remoteTransport(offer);
    const wants = viewerOffer(offer);
    // A WHIP program is served as it arrives; an RTMP or SRT one through a feed started for its viewers.
    const whip = this.#programs.get(room);
    const fed = whip ? null : await this.#feeds.acquire(room, () => this.#router(room));
    const producers = whip ?? fed?.producers;
    if (!producers) throw new WebRtcRefused('no-program');
    const release = () => fed?.release();
    let transport: types.WebRtcTransport | null = null;
    try {
      const view = await this.#viewRouter(room, viewerRouterCodecs(wants, MEDIA_CODECS), producers);
      const router = view.router;
      transport = await this.#transport(router);
      await transport.connect({ dtlsParameters: remoteParams.dtls });
      const consumers: types.Consumer[] = [];
      const sections: AnsweredSection[] = [];
      for (const want of wants) {
        const producer = view.producers.find((p) => p.kind === want.kind && !consumers.some((c) => c.producerId === p.id));
        const capabilities = withoutRtx(want.capabilities);
        if (!producer || !router.canConsume({ producerId: producer.id, rtpCapabilities: capabilities })) {
          sections.push({ mid: want.mid, kind: want.kind, direction: 'inactive', rtpParameters: null });
          continue;
        }
        const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: capabilities, paused: true, mid: want.mid });
        consumers.push(consumer);
        sections.push({ mid: want.mid, kind: want.kind, direction: 'sendonly', rtpParameters: consumer.rtpParameters, msid: `${room} ${consumer.id}` });
      }
      if (consumers.length === 0) throw new WebRtcRefused('no-program');
      // Media flows once DTLS is up; a keyframe then, so the picture starts at once.
      transport.on('dtlsstatechange', (state) => {
        if (state !== 'connected') return;
        for (const consumer of consumers) {
          void consumer.resume().then(() => (consumer.kind === 'video' ? consumer.requestKeyFrame() : undefined));
        }
      });
      const session = this.#open(room, 'whep', transport, remoteParams.iceUfrag, async () => release());
      this.#logger.info({ room, session: session.id, fed: fed !== null }, 'WHEP viewer connected');
      return { session: session.id, sdp: answerSdp(offer, transport, sections) };
    } catch (err) {
      transport?.close();
      release();
      throw err;
    }
  }

  /** The room's program ended (its publisher left, or its feed stopped): its viewers' previews end with it. */
  async #programEnded(room: string): Promise<void> {
    for (const s of [...this.#sessions.values()]) if (s.room === room && s.kind === 'whep') await s.close();
    for (const viewRouter of this.#viewRouters.get(room)?.values() ?? []) void viewRouter.then((v) => v.router.close()).catch(() => undefined);
    this.#viewRouters.delete(room);
  }

  /** The ffmpeg of a room's WHEP feed while it runs (the benchmark measures its CPU). */
  feedPid(room: string): Promise<number | undefined> {
    return this.#feeds.pid(room);
  }

  /** A router numbering codecs as the viewer does, with the room's program piped in. */
  async #viewRouter(room: string, codecs: types.RouterRtpCodecCapability[], producers: types.Producer[]): Promise<ViewRouter> {
    const key = JSON.stringify(codecs.map((c) => [c.mimeType, c.preferredPayloadType, c.parameters ?? {}]));
    let routers = this.#viewRouters.get(room);
    if (!routers) this.#viewRouters.set(room, (routers = new Map()));
    let view = routers.get(key);
    if (!view) {
      const worker = this.#supervisor.worker;
      if (!worker) throw new WebRtcRefused('webrtc-unavailable');
      const main = await this.#router(room);
      view = (async () => {
        const router = await worker.createRouter({ mediaCodecs: codecs });
        const piped: types.Producer[] = [];
        // Same worker: the piped producer needs an id of its own. A producer in a codec this
        // viewer cannot take is not piped; its section of the answer stays inactive.
        for (const producer of producers) {
          const pipe = await main.pipeToRouter({ producerId: producer.id, router, keepId: false }).catch(() => null);
          if (pipe?.pipeProducer) piped.push(pipe.pipeProducer);
        }
        return { router, producers: piped };
      })();
      routers.set(key, view);
      view.catch(() => routers.delete(key));
    }
    return view;
  }

  /** Whether a session of this room and kind exists (the routes answer 404 otherwise). */
  has(room: string, kind: SessionKind, id: string): boolean {
    const s = this.#sessions.get(id);
    return s !== undefined && s.room === room && s.kind === kind;
  }

  async end(id: string): Promise<void> {
    await this.#sessions.get(id)?.close();
  }

  /**
   * PATCH with an SDP fragment (RFC 9725 §4.3): new ICE credentials restart ICE and are answered
   * with ours; anything else (trickled candidates: mediasoup is ICE-lite and needs none) is null.
   */
  async patch(id: string, fragment: string): Promise<string | null> {
    const session = this.#sessions.get(id);
    if (!session) throw new WebRtcRefused('not-found');
    const credentials = sdpFragCredentials(fragment);
    if (!credentials || credentials.ufrag === session.remoteUfrag) return null;
    session.remoteUfrag = credentials.ufrag;
    const iceParameters = await session.transport.restartIce();
    return sdpFragAnswer({ iceParameters, iceCandidates: session.transport.iceCandidates, dtlsParameters: session.transport.dtlsParameters });
  }

  /** Short-lived TURN credentials for `who` (none without TURN configured); give them only to authorised callers. */
  iceServers(who: string): IceServersAnswer {
    const { iceServers, expiresAt } = turnIceServers(this.#config.turn, who);
    return { iceServers, expiresAt: expiresAt?.toISOString() ?? null };
  }

  /** Lets holders of another kind of room credential fetch ICE servers (GET /api/webrtc/ice-servers/:room). */
  grantIceServers(grant: IceGrant): void {
    this.#grants.push(grant);
  }

  /** Whether `bearer` is a room credential that may have ICE servers: the stream key, or a granted one. */
  mayUseIce(room: string, bearer: string): boolean {
    return this.#media.keyFits(room, bearer) || this.#grants.some((grant) => grant(room, bearer));
  }

  /** The room has a program WHEP can show now: a WebRTC publisher, or an RTMP/SRT one fed on demand. */
  hasProgram(room: string): boolean {
    return this.#programs.has(room) || (this.#media.liveRoom(room)?.live ?? false);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((s) => s.close()));
    await this.#feeds.close();
    this.#supervisor.close();
  }
}
