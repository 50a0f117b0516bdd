// `npm run rebuild-projections`: empties the archive's read models and rebuilds them from the
// event log (verifying every chain first), in one transaction. Run with the server stopped.
import { loadConfig } from '../server/config.ts';
import { ArchiveProjector } from '../server/archive/ArchiveProjector.ts';
import { openDatabase } from '../server/store/database.ts';
import { CouncilRecord } from '../server/store/CouncilRecord.ts';

const config = loadConfig();
const db = openDatabase(config.dataDir, config.synchronous);
try {
  const projector = new ArchiveProjector(db);
  const started = performance.now();
  db.exec(`DELETE FROM archive_meta`); // stale: the record rebuilds it while replaying the log
  new CouncilRecord(db, { projector });
  process.stdout.write(`radacast: projections rebuilt from the log in ${Math.round(performance.now() - started)} ms\n`);
} finally {
  db.close();
}
