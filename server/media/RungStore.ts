// The transcoded renditions' segments and parts in a live room, filed under the program's media
// sequence numbers (the ladder cuts where the program's segments begin). A rendition's playlist
// lists, of the program's window, the newest run of segments the rendition has — the last one
// possibly still being cut (parts only) — with the program's date-times and discontinuities.
import type { InitFacts } from './audioTrack.ts';
import type { RungPart } from './Ladder.ts';
import type { LivePart } from './LiveRoom.ts';
import type { PlaylistSegment } from './playlist.ts';

export interface RungSegment {
  runId: string;
  parts: LivePart[] | null;
  /** Set once the segment is complete and on disk. */
  file: string | null;
  bytes: number;
  duration: number;
}

/** What the store needs of a program segment (listed or being cut). */
export interface ProgramSegment {
  seq: number;
  disc: number;
  runId: string;
  start: number;
  discontinuity: boolean;
}

/** Completed segments of a rendition whose parts stay listed (as for the program). */
const SEGMENTS_WITH_PARTS = 2;
export const RUNG_NAME = /^\d{3,4}p$/;

export class RungStore {
  readonly #segments = new Map<string, Map<number, RungSegment>>();
  readonly #facts = new Map<string, InitFacts>();

  init(name: string, facts: InitFacts): void {
    this.#facts.set(name, facts);
  }

  facts(name: string): InitFacts | null {
    return this.#facts.get(name) ?? null;
  }

  names(): string[] {
    return [...this.#segments.keys()];
  }

  /** The rendition's segments by sequence number, an empty map made for a new rendition. */
  #rung(name: string): Map<number, RungSegment> {
    let byName = this.#segments.get(name);
    if (!byName) this.#segments.set(name, (byName = new Map()));
    return byName;
  }

  #entry(name: string, runId: string, seq: number): RungSegment {
    const byName = this.#rung(name);
    let entry = byName.get(seq);
    if (!entry) byName.set(seq, (entry = { runId, parts: [], file: null, bytes: 0, duration: 0 }));
    return entry;
  }

  part(name: string, runId: string, seq: number, part: RungPart): void {
    const file = `${name}-part-${seq}.${part.index}.m4s`;
    const entry = this.#entry(name, runId, seq);
    entry.parts?.push({ file, uri: `${runId}/${file}`, duration: part.duration, independent: part.independent, data: part.data });
  }

  segment(name: string, runId: string, seq: number, segment: { file: string; bytes: number; duration: number }): void {
    Object.assign(this.#entry(name, runId, seq), segment);
    // Only the newest complete segments keep their parts.
    const complete = [...this.#rung(name).entries()].filter(([, e]) => e.file !== null).sort(([a], [b]) => a - b);
    for (const [, e] of complete.slice(0, -SEGMENTS_WITH_PARTS)) e.parts = null;
  }

  /** The rendition holds segment `msn` complete, or its part `part`, or anything later. */
  has(name: string, msn: number, part: number | null): boolean {
    for (const [seq, e] of this.#segments.get(name) ?? []) {
      if (seq > msn || (seq === msn && (e.file !== null || (part !== null && (e.parts?.length ?? 0) > part)))) return true;
    }
    return false;
  }

  /**
   * The rendition's playlist content over the program's segments `all` (the window, then the one
   * being cut): the newest contiguous stretch it has, the last of which may be incomplete.
   */
  listed(name: string, all: readonly ProgramSegment[]): { segments: PlaylistSegment[]; open: Omit<PlaylistSegment, 'file' | 'duration'> | null; first: ProgramSegment | null; next: { runId: string; file: string } | null } {
    const byName = this.#segments.get(name);
    const entry = (s: ProgramSegment | undefined) => (s ? byName?.get(s.seq) : undefined);
    let end = all.length;
    while (end > 0 && !(entry(all[end - 1])?.parts?.length || entry(all[end - 1])?.file)) end--;
    let start = end;
    while (start > 0 && (start === end ? entry(all[start - 1]) : entry(all[start - 1])?.file)) start--;
    const segments: PlaylistSegment[] = [];
    let open: Omit<PlaylistSegment, 'file' | 'duration'> | null = null;
    for (const s of all.slice(start, end)) {
      // Every segment of the stretch has an entry: that is how the stretch was found.
      const e = entry(s);
      if (!e) continue;
      const base = { runId: s.runId, start: s.start, discontinuity: s.discontinuity, parts: e.parts };
      if (e.file) segments.push({ ...base, file: e.file, duration: e.duration });
      else open = base;
    }
    const last = all[end - 1];
    const lastEntry = last && entry(last);
    const next = !last
      ? null
      : lastEntry?.file
        ? { runId: last.runId, file: `${name}-part-${last.seq + 1}.0.m4s` }
        : { runId: last.runId, file: `${name}-part-${last.seq}.${lastEntry?.parts?.length ?? 0}.m4s` };
    return { segments, open, first: all[start] ?? null, next };
  }

  /** A part still in memory. */
  partData(name: string, runId: string, seq: number, file: string): Buffer | null {
    const e = this.#segments.get(name)?.get(seq);
    return e?.runId === runId ? (e.parts?.find((p) => p.file === file)?.data ?? null) : null;
  }

  /** A complete segment's file name, when `file` names one of this run. */
  segmentFile(name: string, runId: string, seq: number, file: string): boolean {
    const e = this.#segments.get(name)?.get(seq);
    return e?.runId === runId && e.file === file;
  }

  /** Forgets segment `seq` of every rendition; returns what was on disk, to delete. */
  drop(seq: number): { runId: string; file: string }[] {
    const files: { runId: string; file: string }[] = [];
    for (const byName of this.#segments.values()) {
      const e = byName.get(seq);
      if (e?.file) files.push({ runId: e.runId, file: e.file });
      byName.delete(seq);
    }
    return files;
  }

  /** Bytes of a listed segment of rendition `name` (by its file name). */
  bytesOf(name: string, segment: PlaylistSegment): number {
    for (const e of this.#segments.get(name)?.values() ?? []) if (e.file === segment.file && e.runId === segment.runId) return e.bytes;
    return 0;
  }

  bytes(): number {
    let sum = 0;
    for (const byName of this.#segments.values()) for (const e of byName.values()) sum += e.bytes;
    return sum;
  }
}
