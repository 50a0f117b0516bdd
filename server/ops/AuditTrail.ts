// The administrative audit trail: who created or removed an account, reset a password, issued
// or revoked a token, rotated a stream key, changed a restream destination or a webhook, and
// bursts of failed logins. Hash-chained like the sitting logs (same canonical JSON and SHA-256
// link), in a table of its own, verified at every backup. Never holds a secret: callers give
// names and ids only, and a detail whose name says "password", "secret", "key" or "token" is refused.
import { z } from 'zod';
import type { AuditAction, AuditEntry } from '../../protocol/audit.ts';
import type { Db } from '../store/database.ts';

import { canonicalJson, GENESIS_HASH, sha256, type ChainFault } from '../store/hashChain.ts';

/** The name the trail goes by in verification reports. */
export const AUDIT_STREAM = 'admin';

export interface AuditQuery {
  action?: AuditAction | undefined;
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Newest first: entries with seq below this one. */
  before?: number | undefined;
  limit: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_action ON audit (action, seq);
`;

const SECRET_NAME = /password|secret|key|token/i;

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: AuditAction;
  target: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function linkHash(prevHash: string, entry: Omit<AuditEntry, 'hash'>): string {
  return sha256(`${prevHash}\n${canonicalJson(entry)}`);
}

/** The details column, as record() writes it. */
const AuditDetails = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

function fromRow(row: Row): AuditEntry {
  return { seq: row.seq, at: row.at, actor: row.actor, action: row.action, target: row.target, details: AuditDetails.parse(JSON.parse(row.details)), hash: row.hash };
}

export class AuditTrail {
  readonly #last;
  readonly #insert;
  readonly #db: Db;

  constructor(db: Db) {
    db.exec(SCHEMA);
    this.#db = db;
    this.#last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    this.#insert = db.prepare(
      'INSERT INTO audit (seq, at, actor, action, target, details, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @target, @details, @prev_hash, @hash)',
    );
  }

  record(action: AuditAction, actor: string, target: string, details: AuditEntry['details'] = {}, at = new Date()): AuditEntry {
    const secret = Object.keys(details).find((name) => SECRET_NAME.test(name));
    if (secret !== undefined) throw new Error(`an audit entry never holds a secret [detail:${secret}]`);
    return this.#db.transaction(() => {
      const last = this.#last.get();
      const entry = { seq: (last?.seq ?? 0) + 1, at: at.toISOString(), actor, action, target, details };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = linkHash(prevHash, entry);
      this.#insert.run({ ...entry, details: JSON.stringify(details), prev_hash: prevHash, hash });
      return { ...entry, hash };
    })();
  }

  list(query: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit };
    if (query.action) (where.push('action = @action'), (params.action = query.action));
    if (query.actor) (where.push('actor = @actor'), (params.actor = query.actor));
    if (query.from) (where.push('at >= @from'), (params.from = query.from));
    if (query.to) (where.push('at <= @to'), (params.to = query.to));
    if (query.before !== undefined) (where.push('seq < @before'), (params.before = query.before));
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    return this.#db.prepare<Record<string, string | number>, Row>(sql).all(params).map(fromRow);
  }

  verify(): ChainFault | null {
    return verifyAudit(this.#db);
  }
}

/** The first entry of a database's audit trail whose link or hash does not hold, or null (also without a trail). */
export function verifyAudit(db: Db): ChainFault | null {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get()) return null;
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const row of db.prepare<[], Row>('SELECT * FROM audit ORDER BY seq').iterate()) {
    if (row.seq !== expected) return { kind: 'gap', stream: AUDIT_STREAM, expectedSeq: expected, foundSeq: row.seq };
    if (row.prev_hash !== prev) return { kind: 'broken-link', stream: AUDIT_STREAM, seq: row.seq };
    const { hash, ...entry } = fromRow(row);
    if (linkHash(prev, entry) !== hash) return { kind: 'bad-hash', stream: AUDIT_STREAM, seq: row.seq };
    prev = hash;
    expected += 1;
  }
  return null;
}
