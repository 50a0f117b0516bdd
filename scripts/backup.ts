// npm run backup -- <file>: an online, consistent copy of the database in RADACAST_DATA_DIR,
// taken while the server runs, with every hash chain of the copy verified.
import { loadConfig } from '../server/config.ts';
import { backupDatabase } from '../server/ops/backup.ts';
import { runOperation } from './operation.ts';

await runOperation('backup', async (file) => {
  const { dataDir } = loadConfig();
  const report = await backupDatabase(dataDir, file);
  return `backup written to ${report.file}: ${report.bytes} bytes, ${report.events} events in ${report.streams} streams, every chain verified (${Math.round(report.millis)} ms)`;
});
