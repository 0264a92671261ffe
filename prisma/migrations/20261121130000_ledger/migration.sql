-- Ledger: Merkle logs (DESIGN §3), their entries, stored subtree hashes, checkpoints and cosignatures.

CREATE TABLE "ledger_log" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "root_hash" BYTEA NOT NULL,
    "head_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_log_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ledger_log_name_key" ON "ledger_log"("name");
CREATE UNIQUE INDEX "ledger_log_origin_key" ON "ledger_log"("origin");

CREATE TABLE "ledger_entry" (
    "log_id" INTEGER NOT NULL,
    "index" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("log_id", "index"),
    CONSTRAINT "ledger_entry_log_id_fkey" FOREIGN KEY ("log_id") REFERENCES "ledger_log"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ledger_entry_log_id_leaf_hash_key" ON "ledger_entry"("log_id", "leaf_hash");

CREATE TABLE "ledger_node" (
    "log_id" INTEGER NOT NULL,
    "level" SMALLINT NOT NULL,
    "index" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,
    CONSTRAINT "ledger_node_pkey" PRIMARY KEY ("log_id", "level", "index"),
    CONSTRAINT "ledger_node_log_id_fkey" FOREIGN KEY ("log_id") REFERENCES "ledger_log"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE TABLE "ledger_checkpoint" (
    "id" SERIAL NOT NULL,
    "log_id" INTEGER NOT NULL,
    "size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "ledger_checkpoint_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ledger_checkpoint_log_id_fkey" FOREIGN KEY ("log_id") REFERENCES "ledger_log"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ledger_checkpoint_log_id_size_key" ON "ledger_checkpoint"("log_id", "size");
CREATE INDEX "ledger_checkpoint_log_id_published_at_idx" ON "ledger_checkpoint"("log_id", "published_at");

CREATE TABLE "ledger_cosignature" (
    "checkpoint_id" INTEGER NOT NULL,
    "witness_key" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_cosignature_pkey" PRIMARY KEY ("checkpoint_id", "witness_key"),
    CONSTRAINT "ledger_cosignature_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "ledger_checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
