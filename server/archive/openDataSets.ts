// Dataset-level open data: per body and per year, all motions and all votings of its closed
// sittings in the same CSV structure as the per-sitting files (server/publish/openData.ts), and
// a catalogue with the fields a national open-data portal asks for. Files are built once per
// change (a sitting closing, a correction after close) and kept gzipped with their ETag.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { message, type Lang } from '../../protocol/messages.ts';
import { csv, MOTION_COLUMNS, motionRows, VOTING_COLUMNS, votingRows } from '../publish/openData.ts';
import { publication, type Publication } from '../publish/publication.ts';
import type { SittingViews } from '../http/routes/public.ts';
import type { Registry } from '../domain/state.ts';
import type { ArchiveQueries } from './ArchiveQueries.ts';

export const DATASET_FILES = ['motions.csv', 'votings.csv'] as const;
export type DatasetFile = (typeof DATASET_FILES)[number];

export interface BuiltFile {
  body: Buffer;
  gzip: Buffer;
  etag: string;
  modified: string;
}

export interface DatasetEntry {
  bodyId: string;
  bodyName: string;
  year: string;
  file: DatasetFile;
  modified: string;
  path: string;
}

export const datasetPath = (bodyId: string, year: string, file: DatasetFile) =>
  `/opendata/${encodeURIComponent(bodyId)}/${year}/${file}`;

export class OpenDataSets {
  readonly #cache = new Map<string, BuiltFile>();

  constructor(
    readonly queries: ArchiveQueries,
    readonly views: SittingViews,
    readonly registry: () => Registry,
    /** The council's time zone: times in the files are written in it, with their offset. */
    readonly timeZone: string,
  ) {}

  entries(): DatasetEntry[] {
    const bodies = this.registry().bodies;
    return this.queries.closedSittingsByYear().flatMap((g) =>
      DATASET_FILES.map((file) => ({
        bodyId: g.bodyId,
        bodyName: bodies.get(g.bodyId)?.name ?? g.bodyId,
        year: g.year,
        file,
        modified: g.modified,
        path: datasetPath(g.bodyId, g.year, file),
      })),
    );
  }

  /** The file, rebuilt when a sitting of its year changed since it was last built; undefined when there is none. */
  file(bodyId: string, year: string, file: DatasetFile): BuiltFile | undefined {
    const group = this.queries.closedSittingsByYear().find((g) => g.bodyId === bodyId && g.year === year);
    if (!group) return undefined;
    const key = `${bodyId}/${year}/${file}`;
    const cached = this.#cache.get(key);
    if (cached && cached.modified === group.modified) return cached;
    const pubs = group.sittingIds.flatMap((id): Publication[] => {
      const view = this.views(id);
      return view ? [publication(view)] : [];
    });
    const text =
      file === 'motions.csv'
        ? csv(MOTION_COLUMNS, pubs.flatMap((pub) => motionRows(pub, { timeZone: this.timeZone })))
        : csv(VOTING_COLUMNS, pubs.flatMap((pub) => votingRows(pub)));
    const body = Buffer.from(text, 'utf8');
    const built = {
      body,
      gzip: gzipSync(body),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      modified: group.modified,
    };
    this.#cache.set(key, built);
    return built;
  }

  /** Rebuilds the files of the year a sitting belongs to (after it closes or is corrected). */
  refresh(bodyId: string, year: string): void {
    for (const file of DATASET_FILES) this.file(bodyId, year, file);
  }

  /** The machine-readable catalogue (DCAT-like field names as data.gov.ua asks). */
  catalogue(origin: string, publisher: string, lang: Lang = 'uk') {
    return {
      title: message('archive.opendata.title', lang),
      description: message('archive.opendata.intro', lang),
      publisher,
      datasets: this.entries().map((e) => {
        const kind = e.file === 'motions.csv' ? 'motions' : 'votings';
        return {
          title: message(`archive.opendata.${kind}Title`, lang, { body: e.bodyName, year: e.year }),
          description: message(`archive.opendata.${kind}Description`, lang, { year: e.year }),
          publisher: e.bodyName,
          modified: e.modified,
          format: 'CSV',
          mediaType: 'text/csv',
          downloadURL: `${origin}${e.path}`,
          bodyId: e.bodyId,
          year: Number(e.year),
        };
      }),
    };
  }
}
