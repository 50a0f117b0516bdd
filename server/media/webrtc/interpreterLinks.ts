// The per-room interpreter and preview links (issue 17), stored like API tokens (server/auth/
// UserStore.ts): a long random token shown once, only its SHA-256 hash on disk. A link is bound
// to its room and lives until it expires or a clerk revokes it; every check reads the table, so
// a revocation takes effect at the next request.
import { randomBytes, randomUUID } from 'node:crypto';
import { tokenHash } from '../../auth/UserStore.ts';
import type { RoomLinkInfo, RoomLinkKind } from '../../../protocol/roomLinks.ts';
import type { Db } from '../../store/database.ts';

interface Row {
  id: string;
  room: string;
  kind: RoomLinkKind;
  label: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** Why a token does not let its bearer in. */
export type LinkRefusal = 'bad-link' | 'link-expired' | 'link-revoked';

export type LinkCheck = { ok: true; link: RoomLinkInfo } | { ok: false; code: LinkRefusal };

const COLUMNS = `id, room, kind, label, created_by AS createdBy, created_at AS createdAt, expires_at AS expiresAt, revoked_at AS revokedAt`;

function info(row: Row): RoomLinkInfo {
  return { id: row.id, room: row.room, kind: row.kind, label: row.label, createdBy: row.createdBy, createdAt: row.createdAt, expiresAt: row.expiresAt };
}

export class RoomLinks {
  readonly #insert;
  readonly #active;
  readonly #revoke;
  readonly #byHash;

  constructor(db: Db) {
    this.#insert = db.prepare(
      'INSERT INTO room_links (id, room, kind, label, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#active = db.prepare<[string, string], Row>(
      `SELECT ${COLUMNS} FROM room_links WHERE room = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at`,
    );
    this.#revoke = db.prepare('UPDATE room_links SET revoked_at = ? WHERE id = ? AND room = ? AND revoked_at IS NULL');
    this.#byHash = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM room_links WHERE token_hash = ?`);
  }

  /** A new link; the token is returned once and never stored. */
  create(room: string, kind: RoomLinkKind, label: string, hours: number, createdBy: string, now: Date): { token: string; info: RoomLinkInfo } {
    const id = randomUUID();
    const token = `rdl_${randomBytes(32).toString('base64url')}`;
    const row: Row = {
      id,
      room,
      kind,
      label,
      createdBy,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      revokedAt: null,
    };
    this.#insert.run(id, room, kind, label, tokenHash(token), createdBy, row.createdAt, row.expiresAt);
    return { token, info: info(row) };
  }

  /** The room's links that still work, oldest first. */
  active(room: string, now: Date): RoomLinkInfo[] {
    return this.#active.all(room, now.toISOString()).map(info);
  }

  revoke(room: string, id: string, now: Date): boolean {
    return this.#revoke.run(now.toISOString(), id, room).changes === 1;
  }

  /**
   * Whether `token` lets its bearer into `room` as one of `kinds`. A link of another room, or of
   * a kind not accepted here, is `bad-link`: a link never opens anything but what it was made for.
   */
  check(token: string, room: string, kinds: readonly RoomLinkKind[], now: Date): LinkCheck {
    const row = this.#byHash.get(tokenHash(token));
    if (!row || row.room !== room || !kinds.includes(row.kind)) return { ok: false, code: 'bad-link' };
    if (row.revokedAt !== null) return { ok: false, code: 'link-revoked' };
    if (Date.parse(row.expiresAt) <= now.getTime()) return { ok: false, code: 'link-expired' };
    return { ok: true, link: info(row) };
  }

  /** The link behind a token whatever its room (the interpreter page learns its room from it). */
  find(token: string, now: Date): LinkCheck {
    const row = this.#byHash.get(tokenHash(token));
    if (!row) return { ok: false, code: 'bad-link' };
    return this.check(token, row.room, [row.kind], now);
  }
}
