// The server's own secret key (device cookies): 32 random bytes in `<data folder>/secret.key`,
// made on the first start (mode 0600). If it cannot be written (a full disk) the server runs
// with a key of this run only: device cookies then last until the next restart.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function serverSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'secret.key');
  try {
    const key = readFileSync(file);
    if (key.length >= 32) return key;
  } catch {
    // first start
  }
  const key = randomBytes(32);
  try {
    writeFileSync(file, key, { mode: 0o600 });
  } catch {
    // kept in memory for this run
  }
  return key;
}
