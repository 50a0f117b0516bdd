// The console's outbox kept on the device (IndexedDB), per user: what waits to be sent survives
// a reload, a crash or a killed browser, and is restored for the same user only (another
// clerk on the same tablet never sends someone else's commands). IndexedDB rather than
// localStorage: a transaction is on disk when it completes, while localStorage is written
// back lazily and a killed browser loses the last seconds of it.
import type { StoredCommand } from './CommandQueue.ts';

const DB_NAME = 'radacast-console';
const STORE = 'outbox';

interface Row extends StoredCommand {
  commandId: string;
  user: string;
  /** Keeps the order commands were made in, across pages of the same device. */
  order: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'commandId' }).createIndex('user', 'user');
  return request(req);
}

export class OutboxStore {
  readonly #db: IDBDatabase | null;
  readonly #user: string;
  #order = 0;

  private constructor(db: IDBDatabase | null, user: string) {
    this.#db = db;
    this.#user = user;
  }

  /** The user's outbox on this device; without IndexedDB (e.g. a private window refusing it) it keeps nothing. */
  static async open(user: string): Promise<OutboxStore> {
    try {
      return new OutboxStore(await openDb(), user);
    } catch {
      return new OutboxStore(null, user);
    }
  }

  /** True when waiting commands really are kept on the device. */
  get durable(): boolean {
    return this.#db !== null;
  }

  /** This user's waiting commands, oldest first. */
  async load(): Promise<StoredCommand[]> {
    if (!this.#db) return [];
    const index = this.#db.transaction(STORE, 'readonly').objectStore(STORE).index('user');
    const rows = (await request(index.getAll(this.#user))) as Row[];
    rows.sort((a, b) => a.order - b.order);
    this.#order = Math.max(Date.now(), (rows.at(-1)?.order ?? 0) + 1);
    return rows.map(({ command, origin }) => ({ command, origin }));
  }

  /** Calls `onSaved` once the command is on disk. */
  save(entry: StoredCommand, onSaved: () => void): void {
    if (!this.#db) return;
    this.#order = Math.max(this.#order + 1, Date.now());
    // A plain copy: the command is JSON on the wire anyway, and a page's reactive proxies cannot be cloned.
    const plain = JSON.parse(JSON.stringify(entry)) as StoredCommand;
    const row: Row = { ...plain, commandId: entry.command.commandId, user: this.#user, order: this.#order };
    const tx = this.#db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(row);
    tx.oncomplete = onSaved;
  }

  remove(commandId: string): void {
    this.#db?.transaction(STORE, 'readwrite').objectStore(STORE).delete(commandId);
  }

  close(): void {
    this.#db?.close();
  }
}
