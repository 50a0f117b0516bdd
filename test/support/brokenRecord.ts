// A data folder whose record fails verification, made exactly as the lone-surrogate defect of
// issue 12 made one: an event whose hash covers "\ud800" that SQLite stores as U+FFFD.
import { DEFAULT_ON_AIR } from '../../protocol/model.ts';
import { openDatabase } from '../../server/store/database.ts';
import { EventLog } from '../../server/store/EventLog.ts';

export const BROKEN_STREAM = 'room/plenary';

export function breakRecord(dataDir: string): void {
  const db = openDatabase(dataDir);
  try {
    const log = new EventLog(db);
    log.transaction(() =>
      log.append(BROKEN_STREAM, log.head(BROKEN_STREAM), [{ type: 'onair.changed', room: 'plenary', onAir: DEFAULT_ON_AIR }], {
        at: new Date().toISOString(),
        actor: 'admin',
        commandId: 'brick\ud800',
      }),
    );
  } finally {
    db.close();
  }
}
