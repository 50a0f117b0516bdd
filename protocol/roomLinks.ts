// Per-room links with a lifetime (issue 17): an interpreter link opens the interpreter page
// (/interpret/<token>: watch the program over WHEP, publish the camera over WHIP); a preview link
// lets a broadcaster watch the program over WHEP. The token is shown once; the server keeps
// only its hash. Created and revoked by a clerk in the console (a room's settings).
import { z } from 'zod';

export const ROOM_LINK_KINDS = ['interpreter', 'preview'] as const;
export type RoomLinkKind = (typeof ROOM_LINK_KINDS)[number];

/** Lifetimes a clerk can choose, in hours (a sitting, a day, a week). */
export const ROOM_LINK_HOURS = [4, 12, 24, 72, 168] as const;

export const NewRoomLink = z.object({
  kind: z.enum(ROOM_LINK_KINDS),
  hours: z.number().int().min(1).max(168),
  /** Whom it is for, as the clerk lists it ("Олена, перекладачка"). */
  label: z.string().trim().min(1).max(100),
});
export type NewRoomLink = z.infer<typeof NewRoomLink>;

export interface RoomLinkInfo {
  id: string;
  room: string;
  kind: RoomLinkKind;
  label: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** POST /api/rooms/:room/links answers the token once, with the page URL it opens. */
export interface IssuedRoomLink {
  ok: true;
  token: string;
  /** Interpreter: the page to open; preview: the WHEP endpoint to give the broadcaster. */
  url: string;
  info: RoomLinkInfo;
}

/** GET /api/interpret (the interpreter token as Bearer): what the interpreter page shows. */
export interface InterpreterSeat {
  room: string;
  roomName: string;
  expiresAt: string;
  /** The room has a WebRTC program to watch now. */
  program: boolean;
  /** An interpreter is on air in this room now. */
  onAir: boolean;
}

/** The interpreter's picture as residents play it (a small HLS rendition of its own). */
export const interpreterPlaylist = (room: string): string => `/interpreter/${encodeURIComponent(room)}/index.m3u8`;
