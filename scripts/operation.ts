// The frame of the one-shot operations (backup, restore): one file argument, one line of
// outcome, exit 1 with the reason on failure.
import { ConfigError } from '../server/config.ts';
import { BackupError } from '../server/ops/backup.ts';

export async function runOperation(name: string, run: (file: string) => string | Promise<string>): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write(`usage: npm run ${name} -- <file>\n`);
    process.exit(2);
  }
  try {
    process.stdout.write(`radacast ${name}: ${await run(file)}\n`);
  } catch (err) {
    const known = err instanceof BackupError || err instanceof ConfigError;
    process.stderr.write(`radacast ${name}: ${known ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
}
