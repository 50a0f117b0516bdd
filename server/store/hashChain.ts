// The tamper-evidence of the log: canonical JSON (sorted keys) and the SHA-256 chain in which
// each event's hash covers the previous hash and the event itself. Pure.
import { createHash } from 'node:crypto';
import type { LogEntry } from '../../protocol/answers.ts';
import type { RecordedEvent } from '../../protocol/events.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Keys sorted by UTF-16 code units (the default sort), undefined members left out. Built without intermediate arrays: it runs for every event at start-up. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function eventHash(prevHash: string, recorded: RecordedEvent): string {
  return sha256(`${prevHash}\n${canonicalJson(recorded)}`);
}


export type ChainFault =
  | { kind: 'gap'; stream: string; expectedSeq: number; foundSeq: number }
  | { kind: 'broken-link'; stream: string; seq: number }
  | { kind: 'bad-hash'; stream: string; seq: number }
  | { kind: 'head-mismatch'; stream: string; headSeq: number; lastSeq: number };

/**
 * Walks one stream's events in seq order, one at a time, against its recorded head: an edited
 * row changes its hash, a removed or reordered row breaks the numbering or the links, a removed
 * tail disagrees with the head. Held between calls, it verifies a growing log incrementally.
 */
export class ChainCursor {
  /** The first fault found; the cursor stops advancing there. */
  fault: ChainFault | null = null;

  /** From the start of the stream, or on from a point verified before (a start-up checkpoint). */
  constructor(
    readonly stream: string,
    public seq = 0,
    public hash = GENESIS_HASH,
  ) {}

  next(e: LogEntry): ChainFault | null {
    if (this.fault) return this.fault;
    const { stream } = this;
    if (e.seq !== this.seq + 1) return (this.fault = { kind: 'gap', stream, expectedSeq: this.seq + 1, foundSeq: e.seq });
    if (e.prevHash !== this.hash) return (this.fault = { kind: 'broken-link', stream, seq: e.seq });
    const { prevHash: _p, hash, ...recorded } = e;
    if (eventHash(this.hash, recorded) !== hash) return (this.fault = { kind: 'bad-hash', stream, seq: e.seq });
    this.seq = e.seq;
    this.hash = hash;
    return null;
  }

  /** After the last event: the stream must end where its head says. */
  end(head: { seq: number; hash: string } | undefined): ChainFault | null {
    if (this.fault) return this.fault;
    const headSeq = head?.seq ?? 0;
    if (headSeq !== this.seq || (head && head.hash !== this.hash)) {
      return (this.fault = { kind: 'head-mismatch', stream: this.stream, headSeq, lastSeq: this.seq });
    }
    return null;
  }
}

export function verifyStream(
  stream: string,
  events: LogEntry[],
  head: { seq: number; hash: string } | undefined,
): ChainFault | null {
  const cursor = new ChainCursor(stream);
  for (const e of events) if (cursor.next(e)) return cursor.fault;
  return cursor.end(head);
}

export function describeFault(fault: ChainFault): string {
  switch (fault.kind) {
    case 'gap':
      return `event missing or out of order [stream:${fault.stream}, expected seq:${fault.expectedSeq}, found:${fault.foundSeq}]`;
    case 'broken-link':
      return `event does not link to its predecessor [stream:${fault.stream}, seq:${fault.seq}]`;
    case 'bad-hash':
      return `event content does not match its hash [stream:${fault.stream}, seq:${fault.seq}]`;
    case 'head-mismatch':
      return `log ends at seq ${fault.lastSeq} but its head says ${fault.headSeq} [stream:${fault.stream}]`;
    default: {
      const never: never = fault;
      return String(never);
    }
  }
}
