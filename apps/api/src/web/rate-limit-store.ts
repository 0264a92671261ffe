import type { ClientRateLimitInfo, IncrementResponse, Logger, Options, Store } from 'express-rate-limit';
import { logger } from '../common/logger.ts';
import type { SqlClient } from '../database/sql-client.ts';

/** How often an instance deletes expired counters (each instance does, whenever it counts a request). */
const PURGE_EVERY_MS = 60_000;

interface Waiting {
  readonly key: string;
  readonly windowMs: number;
  resolve(info: IncrementResponse): void;
  reject(error: unknown): void;
}

type CounterRow = { key: string; hits: number; resets_at: Date | string };

/** Adds `$2` hits to key `$1`, or starts its window (`$3` ms, by the database's clock) if the last one has ended. */
const COUNT_ONE = `
  INSERT INTO "rate_limit_counter" AS c ("key", "hits", "resets_at") VALUES ($1, $2, now() + $3 * interval '1 millisecond')
  ON CONFLICT ("key") DO UPDATE SET
    "hits" = CASE WHEN c."resets_at" <= now() THEN excluded."hits" ELSE c."hits" + excluded."hits" END,
    "resets_at" = CASE WHEN c."resets_at" <= now() THEN excluded."resets_at" ELSE c."resets_at" END
  RETURNING "key", "hits", "resets_at"`;

/** The same for several keys (arrays of keys, hits and windows), locking their rows in key order. */
const COUNT_MANY = `
  INSERT INTO "rate_limit_counter" AS c ("key", "hits", "resets_at")
    SELECT t.k, t.n, now() + t.w * interval '1 millisecond'
    FROM unnest($1::text[], $2::int[], $3::int[]) AS t(k, n, w) ORDER BY t.k
  ON CONFLICT ("key") DO UPDATE SET
    "hits" = CASE WHEN c."resets_at" <= now() THEN excluded."hits" ELSE c."hits" + excluded."hits" END,
    "resets_at" = CASE WHEN c."resets_at" <= now() THEN excluded."resets_at" ELSE c."resets_at" END
  RETURNING "key", "hits", "resets_at"`;

/**
 * Fixed-window request counters in the database (table `rate_limit_counter`), so the per-client
 * ceilings hold across every API instance of a deployment (docs/operations.md, "Several API
 * instances"). A counter's window starts with its first request and lasts `windowMs` by the
 * database's clock; the first request after it starts a new one.
 *
 * Every request passes through here, so it costs at most one statement: requests read in the same
 * turn of the event loop, or while a statement is on its way, are counted together by the next one
 * (one row per key, `hits` added), and each gets its own position in its key's count, as if counted
 * one by one. One statement at a time per instance; its keys are locked in key order, so two
 * instances never deadlock. Through the raw-SQL client as named prepared statements, not Prisma:
 * the cheapest path to the database (about a `SELECT 1`), for the hottest statement there is.
 */
export class RequestCounters {
  #waiting: Waiting[] = [];
  #isWriting = false;
  #lastPurge = 0;

  constructor(private readonly sql: Pick<SqlClient, 'query'>) {}

  /** Counts one request for `key`: its position in the key's window, and when that window ends. */
  hit(key: string, windowMs: number): Promise<IncrementResponse> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ key, windowMs, resolve, reject });
      if (!this.#isWriting) {
        this.#isWriting = true;
        // After the other requests read in this turn of the event loop, so they are counted together
        // (PGlite answers within the turn, so without this every request would get its own statement).
        setImmediate(() => void this.#write());
      }
    });
  }

  async #write(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting;
        this.#waiting = [];
        await this.#count(batch).catch((error: unknown) => {
          for (const w of batch) w.reject(error);
        });
      }
    } finally {
      this.#isWriting = false;
    }
    if (Date.now() - this.#lastPurge >= PURGE_EVERY_MS) {
      this.#lastPurge = Date.now();
      this.purge().catch((error: unknown) => logger.warn({ err: error }, 'deleting expired rate-limit counters failed; will retry'));
    }
  }

  async #count(batch: Waiting[]): Promise<void> {
    const byKey = new Map<string, Waiting[]>();
    for (const w of batch) {
      const same = byKey.get(w.key);
      if (same) same.push(w);
      else byKey.set(w.key, [w]);
    }
    const keys = [...byKey.keys()];
    // The usual batch is one key (one client's request): a single-row statement, cheaper to run
    // than the many-key one. Both are named, so Postgres plans each once per connection.
    const rows =
      keys.length === 1
        ? await this.sql.query<CounterRow>(COUNT_ONE, [keys[0], byKey.get(keys[0]!)!.length, batch[0]!.windowMs], { name: 'rate-limit-count-one' })
        : await this.sql.query<CounterRow>(COUNT_MANY, [keys, keys.map((k) => byKey.get(k)!.length), keys.map((k) => byKey.get(k)![0]!.windowMs)], { name: 'rate-limit-count-many' });
    const counted = new Map(rows.map((r) => [r.key, r]));
    for (const [key, waiting] of byKey) {
      const row = counted.get(key);
      if (!row) {
        for (const w of waiting) w.reject(new Error(`no rate-limit counter came back for a key`));
        continue;
      }
      const resetTime = new Date(row.resets_at);
      // The window's count before this batch, then one more for each request in arrival order.
      const before = Number(row.hits) - waiting.length;
      waiting.forEach((w, i) => w.resolve({ totalHits: before + i + 1, resetTime }));
    }
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.sql.query<{ hits: number; resets_at: Date | string }>(
      `SELECT "hits", "resets_at" FROM "rate_limit_counter" WHERE "key" = $1 AND "resets_at" > now()`,
      [key],
    );
    return rows[0] ? { totalHits: Number(rows[0].hits), resetTime: new Date(rows[0].resets_at) } : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.sql.query(`UPDATE "rate_limit_counter" SET "hits" = "hits" - 1 WHERE "key" = $1 AND "hits" > 0 AND "resets_at" > now()`, [key]);
  }

  async reset(key: string): Promise<void> {
    await this.sql.query(`DELETE FROM "rate_limit_counter" WHERE "key" = $1`, [key]);
  }

  /** Deletes the counters whose window has ended (a new request starts a new one anyway). */
  async purge(): Promise<void> {
    await this.sql.query(`DELETE FROM "rate_limit_counter" WHERE "resets_at" <= now()`);
  }
}

/**
 * express-rate-limit's store over {@link RequestCounters}: one per limiter (the library refuses a
 * shared instance), each with its own key prefix (`api:`, `credential:`), all on the same counters.
 */
export class SharedRateLimitStore implements Store {
  /** Counts are shared by every instance, not kept in this process. */
  readonly localKeys = false;
  #windowMs = 60_000;

  constructor(
    private readonly counters: RequestCounters,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  increment(key: string): Promise<IncrementResponse> {
    return this.counters.hit(this.prefix + key, this.#windowMs);
  }

  get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.counters.get(this.prefix + key);
  }

  decrement(key: string): Promise<void> {
    return this.counters.decrement(this.prefix + key);
  }

  resetKey(key: string): Promise<void> {
    return this.counters.reset(this.prefix + key);
  }
}

/**
 * When the counters cannot be reached (the database is down or restarting) a request is let through
 * uncounted: everything it could do needs the database too, and it then gets the same
 * 503 SERVICE_UNAVAILABLE as without a limit (rather than an error from the limiter). Logged as a
 * warning; the request's own failure is the error line.
 */
export const rateLimitLogger: Logger = {
  error: (error, message) => logger.warn({ err: error }, message ?? 'rate limiter error'),
  warn: (error, message) => logger.warn({ err: error }, message ?? 'rate limiter warning'),
};
