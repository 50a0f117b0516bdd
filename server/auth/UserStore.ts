// Who may change the record: users (admin, clerk) with scrypt password hashes, login sessions
// and bearer API tokens for integrations. Session and API tokens are stored only as SHA-256
// hashes: they are long random strings, so a fast hash is enough and a leaked table is useless.
// A token lives only as long as its creator's rights; every SQL statement is prepared once.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../store/database.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { dropOldest } from '../dropOldest.ts';

export type Role = 'admin' | 'clerk';
export interface Principal {
  /** Username, or `token:<name>` for an API token. Recorded as the actor of each event. */
  name: string;
  role: Role;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
/** How long a login lasts without renewal (RADACAST_SESSION_TTL_MINUTES). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

// A fixed hash to compare against when the user does not exist, so timing does not reveal it.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export type UserStoreEvents = {
  /** Someone's access may have ended (logout, password, account or token removed). */
  accessChanged: [];
};

/** Sessions kept in memory when the disk refuses the write (see startSession), at most this many. */
const MEMORY_SESSIONS_MAX = 10_000;

export class UserStore extends EventEmitter<UserStoreEvents> {
  /** A session's lifetime from its start or its latest renewal. */
  readonly sessionTtlMs: number;
  readonly #anyUser;
  readonly #insertUser;
  readonly #setPassword;
  readonly #endUserSessions;
  readonly #listUsers;
  readonly #deleteUser;
  readonly #userRow;
  readonly #pruneSessions;
  readonly #insertSession;
  readonly #deleteSession;
  readonly #sessionUser;
  readonly #renewSession;
  readonly #insertToken;
  readonly #listTokens;
  readonly #revokeToken;
  readonly #tokenRow;
  /** Sessions the database could not store (a full disk): a login never depends on a write. */
  readonly #memorySessions = new Map<string, { username: string; expiresAt: number }>();
  /** Sessions ended while the database could not delete them. */
  readonly #endedSessions = new Set<string>();

  constructor(db: Db, sessionTtlMs = SESSION_TTL_MS) {
    super();
    this.sessionTtlMs = sessionTtlMs;
    this.#anyUser = db.prepare('SELECT 1 FROM users LIMIT 1');
    this.#insertUser = db.prepare('INSERT OR IGNORE INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)');
    this.#setPassword = db.prepare('UPDATE users SET password_hash = ? WHERE username = ?');
    this.#endUserSessions = db.prepare('DELETE FROM sessions WHERE username = ?');
    this.#listUsers = db.prepare<[], { username: string; role: Role; createdAt: string }>(
      'SELECT username, role, created_at AS createdAt FROM users ORDER BY username',
    );
    this.#deleteUser = db.prepare('DELETE FROM users WHERE username = ?');
    this.#userRow = db.prepare<[string], { role: Role; password_hash: string }>('SELECT role, password_hash FROM users WHERE username = ?');
    this.#pruneSessions = db.prepare('DELETE FROM sessions WHERE expires_at < ?');
    this.#insertSession = db.prepare('INSERT INTO sessions (token_hash, username, expires_at) VALUES (?, ?, ?)');
    this.#deleteSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.#sessionUser = db.prepare<[string, number], { username: string; role: Role }>(
      `SELECT u.username, u.role FROM sessions s JOIN users u ON u.username = s.username
       WHERE s.token_hash = ? AND s.expires_at > ?`,
    );
    this.#renewSession = db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at > ?');
    this.#insertToken = db.prepare(
      'INSERT INTO api_tokens (id, name, role, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#listTokens = db.prepare<[], ApiTokenInfo>(
      `SELECT id, name, role, created_by AS createdBy, created_at AS createdAt, revoked_at AS revokedAt
       FROM api_tokens ORDER BY created_at`,
    );
    this.#revokeToken = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    // A token lives only while the admin who made it still exists and still holds its role.
    this.#tokenRow = db.prepare<[string], { name: string; role: Role }>(
      `SELECT t.name, t.role FROM api_tokens t JOIN users u ON u.username = t.created_by
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.role = 'clerk' OR u.role = 'admin')`,
    );
  }

  hasUsers(): boolean {
    return this.#anyUser.get() !== undefined;
  }

  async createUser(username: string, password: string, role: Role, now: Date): Promise<boolean> {
    const hash = await hashPassword(password);
    return this.#insertUser.run(username, role, hash, now.toISOString()).changes === 1;
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    const hash = await hashPassword(password);
    const changed = this.#setPassword.run(hash, username).changes === 1;
    if (changed) {
      this.#endUserSessions.run(username);
      this.#forgetMemorySessions(username);
      this.emit('accessChanged');
    }
    return changed;
  }

  listUsers(): { username: string; role: Role; createdAt: string }[] {
    return this.#listUsers.all();
  }

  deleteUser(username: string): boolean {
    const deleted = this.#deleteUser.run(username).changes === 1;
    if (deleted) {
      this.#forgetMemorySessions(username);
      this.emit('accessChanged');
    }
    return deleted;
  }

  async checkPassword(username: string, password: string): Promise<Principal | null> {
    const row = this.#userRow.get(username);
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    return ok && row ? { name: username, role: row.role } : null;
  }

  /**
   * Starts a session. When the database cannot take the write (a full disk, a read-only file)
   * the session is kept in memory for this run instead: nobody is locked out by the disk.
   */
  startSession(username: string, now: Date): string {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now.getTime() + this.sessionTtlMs;
    try {
      this.#pruneSessions.run(now.getTime());
      this.#insertSession.run(tokenHash(token), username, expiresAt);
    } catch {
      for (const [hash, s] of this.#memorySessions) if (s.expiresAt <= now.getTime()) this.#memorySessions.delete(hash);
      if (this.#memorySessions.size >= MEMORY_SESSIONS_MAX) dropOldest(this.#memorySessions);
      this.#memorySessions.set(tokenHash(token), { username, expiresAt });
    }
    return token;
  }

  /**
   * Sliding expiry: a session still valid now lasts a full lifetime from now. Returns the new
   * expiry (ms), or null when the session has ended (expired, logged out, password changed).
   */
  renewSession(token: string, now: Date): number | null {
    const expiresAt = now.getTime() + this.sessionTtlMs;
    const hash = tokenHash(token);
    const remembered = this.#memorySessions.get(hash);
    if (remembered) {
      if (remembered.expiresAt <= now.getTime()) return null;
      remembered.expiresAt = expiresAt;
      return expiresAt;
    }
    return this.#renewSession.run(expiresAt, hash, now.getTime()).changes === 1 ? expiresAt : null;
  }

  endSession(token: string): void {
    const hash = tokenHash(token);
    this.#memorySessions.delete(hash);
    try {
      this.#deleteSession.run(hash);
    } catch {
      this.#endedSessions.add(hash);
    }
    this.emit('accessChanged');
  }

  sessionPrincipal(token: string, now: Date): Principal | null {
    const hash = tokenHash(token);
    if (this.#endedSessions.has(hash)) return null;
    const row = this.#sessionUser.get(hash, now.getTime());
    if (row) return { name: row.username, role: row.role };
    const remembered = this.#memorySessions.get(hash);
    if (!remembered || remembered.expiresAt <= now.getTime()) return null;
    const user = this.#userRow.get(remembered.username);
    return user ? { name: remembered.username, role: user.role } : null;
  }

  #forgetMemorySessions(username: string): void {
    for (const [hash, s] of this.#memorySessions) if (s.username === username) this.#memorySessions.delete(hash);
  }

  /** Creates an API token; the token itself is returned once and never stored. */
  createToken(name: string, role: Role, createdBy: string, now: Date): { token: string; info: ApiTokenInfo } {
    const id = randomUUID();
    const token = `rdc_${randomBytes(32).toString('base64url')}`;
    const createdAt = now.toISOString();
    this.#insertToken.run(id, name, role, tokenHash(token), createdBy, createdAt);
    return { token, info: { id, name, role, createdBy, createdAt, revokedAt: null } };
  }

  listTokens(): ApiTokenInfo[] {
    return this.#listTokens.all();
  }

  revokeToken(id: string, now: Date): boolean {
    const revoked = this.#revokeToken.run(now.toISOString(), id).changes === 1;
    if (revoked) this.emit('accessChanged');
    return revoked;
  }

  tokenPrincipal(token: string): Principal | null {
    const row = this.#tokenRow.get(tokenHash(token));
    return row ? { name: `token:${row.name}`, role: row.role } : null;
  }
}
