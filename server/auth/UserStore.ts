// Who may change the record: users (admin, clerk) with scrypt password hashes, login sessions
// and bearer API tokens for integrations. Session and API tokens are stored only as SHA-256
// hashes: they are long random strings, so a fast hash is enough and a leaked table is useless.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../store/database.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

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

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
/** How long a login lasts without renewal (RADACAST_SESSION_TTL_MINUTES). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

// A fixed hash to compare against when the user does not exist, so timing does not reveal it.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class UserStore {
  readonly #db: Db;
  /** A session's lifetime from its start or its latest renewal. */
  readonly sessionTtlMs: number;

  constructor(db: Db, sessionTtlMs = SESSION_TTL_MS) {
    this.#db = db;
    this.sessionTtlMs = sessionTtlMs;
  }

  hasUsers(): boolean {
    return this.#db.prepare('SELECT 1 FROM users LIMIT 1').get() !== undefined;
  }

  async createUser(username: string, password: string, role: Role, now: Date): Promise<boolean> {
    const hash = await hashPassword(password);
    const info = this.#db
      .prepare('INSERT OR IGNORE INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(username, role, hash, now.toISOString());
    return info.changes === 1;
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    const hash = await hashPassword(password);
    const info = this.#db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(hash, username);
    if (info.changes === 1) this.#db.prepare('DELETE FROM sessions WHERE username = ?').run(username);
    return info.changes === 1;
  }

  listUsers(): { username: string; role: Role; createdAt: string }[] {
    return this.#db
      .prepare<[], { username: string; role: Role; createdAt: string }>(
        'SELECT username, role, created_at AS createdAt FROM users ORDER BY username',
      )
      .all();
  }

  deleteUser(username: string): boolean {
    return this.#db.prepare('DELETE FROM users WHERE username = ?').run(username).changes === 1;
  }

  async checkPassword(username: string, password: string): Promise<Principal | null> {
    const row = this.#db
      .prepare<[string], { role: Role; password_hash: string }>('SELECT role, password_hash FROM users WHERE username = ?')
      .get(username);
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    return ok && row ? { name: username, role: row.role } : null;
  }

  startSession(username: string, now: Date): string {
    const token = randomBytes(32).toString('base64url');
    this.#db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now.getTime());
    this.#db
      .prepare('INSERT INTO sessions (token_hash, username, expires_at) VALUES (?, ?, ?)')
      .run(tokenHash(token), username, now.getTime() + this.sessionTtlMs);
    return token;
  }

  /**
   * Sliding expiry: a session still valid now lasts a full lifetime from now. Returns the new
   * expiry (ms), or null when the session has ended (expired, logged out, password changed).
   */
  renewSession(token: string, now: Date): number | null {
    const expiresAt = now.getTime() + this.sessionTtlMs;
    const info = this.#db
      .prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at > ?')
      .run(expiresAt, tokenHash(token), now.getTime());
    return info.changes === 1 ? expiresAt : null;
  }

  endSession(token: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token));
  }

  sessionPrincipal(token: string, now: Date): Principal | null {
    const row = this.#db
      .prepare<[string, number], { username: string; role: Role }>(
        `SELECT u.username, u.role FROM sessions s JOIN users u ON u.username = s.username
         WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(tokenHash(token), now.getTime());
    return row ? { name: row.username, role: row.role } : null;
  }

  /** Creates an API token; the token itself is returned once and never stored. */
  createToken(name: string, role: Role, createdBy: string, now: Date): { token: string; info: ApiTokenInfo } {
    const id = randomUUID();
    const token = `rdc_${randomBytes(32).toString('base64url')}`;
    const createdAt = now.toISOString();
    this.#db
      .prepare('INSERT INTO api_tokens (id, name, role, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, name, role, tokenHash(token), createdBy, createdAt);
    return { token, info: { id, name, role, createdBy, createdAt, revokedAt: null } };
  }

  listTokens(): ApiTokenInfo[] {
    return this.#db
      .prepare<[], ApiTokenInfo>(
        `SELECT id, name, role, created_by AS createdBy, created_at AS createdAt, revoked_at AS revokedAt
         FROM api_tokens ORDER BY created_at`,
      )
      .all();
  }

  revokeToken(id: string, now: Date): boolean {
    return (
      this.#db
        .prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(now.toISOString(), id).changes === 1
    );
  }

  tokenPrincipal(token: string): Principal | null {
    const row = this.#db
      .prepare<[string], { name: string; role: Role }>(
        'SELECT name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL',
      )
      .get(tokenHash(token));
    return row ? { name: `token:${row.name}`, role: row.role } : null;
  }
}
