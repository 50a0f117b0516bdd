// Authenticated encryption (AES-256-GCM) of the destinations' stream keys, under a key kept
// outside the database: a file of 32 random bytes, created with mode 0600 on first start. The
// database alone reveals no stream key; a ciphertext moved to another row fails to open (the
// row's identity is bound in as associated data).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../logger.ts';
import { errnoCode, messageOf } from '../../thrown.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/** Reads the key file, creating it (0600) when it does not exist yet. */
export function loadOrCreateKey(path: string, logger: Logger): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw new SecretKeyError(`cannot read the secret key file [${path}]: ${messageOf(err)}`);
    mkdirSync(dirname(path), { recursive: true });
    text = randomBytes(KEY_BYTES).toString('base64') + '\n';
    // `wx`: never overwrite a key another process has just written.
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    logger.warn({ keyFile: path }, 'created the key that encrypts restream stream keys: back it up with the database (docs/restream.md)');
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new SecretKeyError(`the secret key file must hold 32 bytes in base64 [${path}]`);
  if ((statSync(path).mode & 0o077) !== 0) logger.warn({ keyFile: path }, 'the secret key file is readable by other users: chmod 600 it');
  return key;
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  /** Short fingerprint of the key, stored beside each ciphertext to tell a wrong key file apart. */
  get keyId(): string {
    return createHash('sha256').update(this.#key).digest('hex').slice(0, 16);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The plain text, or null when the ciphertext was not sealed by this key for this context. */
  open(sealed: string, context: string): string | null {
    if (!sealed.startsWith(`${VERSION}:`)) return null;
    const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
