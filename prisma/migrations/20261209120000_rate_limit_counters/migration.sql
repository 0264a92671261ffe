-- Per-client request ceilings shared by every API instance (docs/operations.md, "Several API
-- instances"): one fixed-window counter per limiter and client address, e.g. `api:203.0.113.7` or
-- `credential:sign-in:203.0.113.7` (apps/api/src/web/rate-limit-store.ts). Requests are counted with
-- one INSERT … ON CONFLICT … DO UPDATE … RETURNING, which starts a new window (hits from the start,
-- resets_at a window from now, by the database's clock, so instances on hosts whose clocks differ
-- agree) once resets_at has passed. Expired rows are deleted by the instances from time to time.
--
-- UNLOGGED: the counters are written on every request and are worth nothing after a crash, so they
-- are kept out of the write-ahead log (a commit that wrote only here waits for no WAL flush). After a
-- crash or a failover to a replica the table is empty again, which only gives clients a fresh minute.
CREATE UNLOGGED TABLE "rate_limit_counter" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "resets_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "rate_limit_counter_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "rate_limit_counter_resets_at_idx" ON "rate_limit_counter"("resets_at");
