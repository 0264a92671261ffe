/**
 * The witness's memory: per log origin, the latest checkpoint it cosigned. One JSON file per
 * origin, replaced atomically (write a temporary file, fsync, rename, fsync the directory), and
 * every read-decide-write runs under a per-origin mutex, so two concurrent add-checkpoint
 * requests can never both advance from the same stored size (C2SP tlog-witness, add-checkpoint).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBase64, encodeBase64, type WitnessLogState } from '@townhall/ledger';

interface StoredState {
  readonly origin: string;
  readonly size: string;
  readonly rootHash: string;
  readonly checkpoint?: string;
  readonly updatedAt: string;
}

export class WitnessStateStore {
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(readonly directory: string) {}

  async init(): Promise<void> {
    await mkdir(join(this.directory, 'logs'), { recursive: true, mode: 0o700 });
  }

  #file(origin: string): string {
    return join(this.directory, 'logs', `${createHash('sha256').update(origin).digest('hex').slice(0, 40)}.json`);
  }

  async read(origin: string): Promise<WitnessLogState | null> {
    let text: string;
    try {
      text = await readFile(this.#file(origin), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const stored = JSON.parse(text) as StoredState;
    const rootHash = decodeBase64(stored.rootHash);
    if (stored.origin !== origin || !/^(0|[1-9][0-9]*)$/.test(stored.size) || !rootHash || rootHash.length !== 32) {
      throw new Error(`witness state file for ${origin} is corrupt: refusing to guess`);
    }
    return { size: BigInt(stored.size), rootHash, ...(stored.checkpoint ? { checkpoint: stored.checkpoint } : {}) };
  }

  async write(origin: string, state: WitnessLogState): Promise<void> {
    const file = this.#file(origin);
    const stored: StoredState = {
      origin,
      size: state.size.toString(),
      rootHash: encodeBase64(state.rootHash),
      ...(state.checkpoint ? { checkpoint: state.checkpoint } : {}),
      updatedAt: new Date().toISOString(),
    };
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(stored, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const directory = await open(join(this.directory, 'logs'), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  /** Runs `critical` with exclusive access to one origin's state (FIFO). */
  async withLock<T>(origin: string, critical: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(origin) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(critical);
    const tail = run.catch(() => undefined);
    this.#locks.set(origin, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(origin) === tail) this.#locks.delete(origin);
    }
  }
}
