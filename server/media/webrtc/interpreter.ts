// The sign-language interpreter of a room (issue 17): one at a time per room, let in by an
// interpreter link. The interpreter's WebRTC session publishes into the room's router beside the
// program; its video goes through a PlainTransport to a supervised ffmpeg that writes the small
// HLS rendition residents see as picture-in-picture (interpreterRendition.ts). The room's live
// state tells the pages when an interpreter is on air.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../logger.ts';
import { RtpBridge } from './RtpBridge.ts';
import { InterpreterRuns, interpreterRenditionArgs } from './interpreterRendition.ts';
import { SdpError } from './sdp.ts';
import type { Answer, WebRtcService } from './WebRtcService.ts';

export class InterpreterBusy extends Error {
  constructor() {
    super('interpreter-busy');
  }
}

export type InterpreterEvents = {
  /** An interpreter went on air in a room (its picture has segments) or left it. */
  changed: [room: string, onAir: boolean];
};

interface OnAir {
  /** The link the interpreter came in with: revoking it, or its expiry, ends the session. */
  linkId: string;
  end: () => void;
  /** The run whose segments the live playlist lists. */
  run: string;
  /** The first segment is written: residents can play it. */
  playable: boolean;
}

export class InterpreterDesk extends EventEmitter<InterpreterEvents> {
  readonly runs: InterpreterRuns;
  readonly #webrtc: WebRtcService;
  readonly #ffmpegPath: string;
  readonly #sdpDir: string;
  readonly #logger: Logger;
  /** Rooms with an interpreter connecting or on air. */
  readonly #rooms = new Map<string, OnAir | 'connecting'>();

  constructor(deps: { webrtc: WebRtcService; ffmpegPath: string; mediaDir: string; dataDir: string; logger: Logger }) {
    super();
    this.#webrtc = deps.webrtc;
    this.#ffmpegPath = deps.ffmpegPath;
    this.#sdpDir = join(deps.dataDir, 'webrtc');
    this.#logger = deps.logger.child({ component: 'interpreter' });
    this.runs = new InterpreterRuns(join(deps.mediaDir, 'interpreter'));
  }

  /** Residents can see the room's interpreter now. */
  onAir(room: string): boolean {
    const state = this.#rooms.get(room);
    return state !== undefined && state !== 'connecting' && state.playable;
  }

  /** The residents' live playlist of the room's interpreter, or null when none is on air. */
  livePlaylist(room: string): string | null {
    const state = this.#rooms.get(room);
    return state === undefined || state === 'connecting' ? null : this.runs.livePlaylist(room, state.run);
  }

  /** A link was revoked: its interpreter, if on air, goes off. */
  revoked(linkId: string): void {
    for (const state of this.#rooms.values()) if (state !== 'connecting' && state.linkId === linkId) state.end();
  }

  /** The interpreter's offer; the caller has checked the link (its id and expiry). */
  async publish(room: string, offer: string, link: { id: string; expiresAt: string }): Promise<Answer> {
    if (this.#rooms.has(room)) throw new InterpreterBusy();
    this.#rooms.set(room, 'connecting');
    const logger = this.#logger.child({ room });
    try {
      return await this.#webrtc.receive(room, offer, async (router, producers, end) => {
        const video = producers.filter((p) => p.kind === 'video');
        if (video.length === 0) throw new SdpError('the interpreter’s offer sends no video');
        const { run, dir } = this.runs.open(room, new Date());
        const state: OnAir = { linkId: link.id, end, run, playable: false };
        let bridge: RtpBridge | null = null;
        bridge = await RtpBridge.open(router, video, {
          ffmpegPath: this.#ffmpegPath,
          sdpFile: join(this.#sdpDir, `${room}.interpreter.${randomBytes(4).toString('hex')}.sdp`),
          logger,
          output: { args: (sdpFile) => interpreterRenditionArgs(sdpFile, dir) },
          onExit: (exit) => {
            if (!exit.stopped) logger.error({ code: exit.code, recent: bridge?.recentLines }, 'the interpreter rendition ffmpeg exited; the interpreter is disconnected');
            end();
          },
        });
        this.#rooms.set(room, state);
        // On air for residents once the first segment is there (about 2 s after the first keyframe).
        const waiting = setInterval(() => {
          if (this.#rooms.get(room) !== state) return clearInterval(waiting);
          if (this.runs.livePlaylist(room, run) === null) return;
          clearInterval(waiting);
          state.playable = true;
          logger.info({ run }, 'interpreter on air');
          this.emit('changed', room, true);
        }, 250);
        // The link's lifetime is the session's too.
        const expiry = setTimeout(end, Math.max(0, Date.parse(link.expiresAt) - Date.now()));
        const openBridge = bridge;
        return async () => {
          clearInterval(waiting);
          clearTimeout(expiry);
          if (this.#rooms.get(room) === state) this.#rooms.delete(room);
          await openBridge.close();
          if (state.playable) this.emit('changed', room, false);
          logger.info({ run }, 'interpreter left');
        };
      });
    } catch (err) {
      if (this.#rooms.get(room) === 'connecting') this.#rooms.delete(room);
      throw err;
    }
  }
}
