// npm run restore -- <file>: puts a backup in place of the database in RADACAST_DATA_DIR, after
// verifying every hash chain in it. Refuses while a server uses the folder; keeps the old file.
import { loadConfig } from '../server/config.ts';
import { BackupError, restoreDatabase } from '../server/ops/backup.ts';
import { runningServer } from '../server/ops/pidFile.ts';
import { runOperation } from './operation.ts';

await runOperation('restore', (file) => {
  const { dataDir } = loadConfig();
  const pid = runningServer(dataDir);
  if (pid !== null) throw new BackupError(`a server (pid ${pid}) is using ${dataDir}: stop it first`);
  const { replaced } = restoreDatabase(file, dataDir, new Date());
  return `restored ${file} into ${dataDir}` + (replaced ? `; the previous database is kept as ${replaced}` : '');
});
