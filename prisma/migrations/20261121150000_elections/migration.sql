-- Elections: definitions and lifecycle, key ceremony, credentials, ballots, tally
-- (docs/protocol/elections.md, docs/decisions/0005-elections.md).

CREATE TABLE "election" (
    "id" UUID NOT NULL,
    "council_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "draft" JSONB NOT NULL,
    "manifest" JSONB,
    "fingerprint" BYTEA,
    "threshold" INTEGER,
    "trustee_count" INTEGER,
    "opens_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "election_key" BYTEA,
    "verification_shares" JSONB,
    "issuer_public_key" BYTEA,
    "issuer_private_key" BYTEA,
    "halted_reason" TEXT,
    "opened_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closed_at_size" BIGINT,
    "tally" JSONB,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "election_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "election_status_check" CHECK ("status" IN ('draft', 'key-ceremony', 'halted', 'ready', 'open', 'closed', 'tallied', 'published'))
);
CREATE INDEX "election_status_idx" ON "election"("status");

CREATE TABLE "election_trustee" (
    "election_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "staff_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "commitment" BYTEA,
    "shares_sent_at" TIMESTAMPTZ(3),
    "verdict" TEXT NOT NULL DEFAULT 'pending',
    "complaint" JSONB,
    "partial_decryption_index" BIGINT,
    CONSTRAINT "election_trustee_pkey" PRIMARY KEY ("election_id", "index"),
    CONSTRAINT "election_trustee_verdict_check" CHECK ("verdict" IN ('pending', 'accepted', 'complained')),
    CONSTRAINT "election_trustee_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "election_trustee_election_id_staff_id_key" ON "election_trustee"("election_id", "staff_id");

CREATE TABLE "election_share" (
    "election_id" UUID NOT NULL,
    "from_index" INTEGER NOT NULL,
    "to_index" INTEGER NOT NULL,
    "share" BYTEA NOT NULL,
    CONSTRAINT "election_share_pkey" PRIMARY KEY ("election_id", "from_index", "to_index")
);

CREATE TABLE "credential_nonce" (
    "nonce" BYTEA NOT NULL,
    "election_id" UUID NOT NULL,
    "elector_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "credential_nonce_pkey" PRIMARY KEY ("nonce")
);

CREATE TABLE "election_credential" (
    "election_id" UUID NOT NULL,
    "elector_id" UUID NOT NULL,
    "district" TEXT NOT NULL,
    "ledger_index" BIGINT,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "election_credential_pkey" PRIMARY KEY ("election_id", "elector_id")
);
CREATE INDEX "election_credential_election_id_district_idx" ON "election_credential"("election_id", "district");

CREATE TABLE "cast_ballot" (
    "election_id" UUID NOT NULL,
    "tracking_code" BYTEA NOT NULL,
    "ballot_public_key" BYTEA NOT NULL,
    "ballot" JSONB NOT NULL,
    "ledger_index" BIGINT NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "cast_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cast_ballot_pkey" PRIMARY KEY ("election_id", "tracking_code")
);
CREATE INDEX "cast_ballot_election_id_ballot_public_key_ledger_index_idx" ON "cast_ballot"("election_id", "ballot_public_key", "ledger_index");

CREATE TABLE "spoiled_ballot" (
    "election_id" UUID NOT NULL,
    "tracking_code" BYTEA NOT NULL,
    "choices" JSONB NOT NULL,
    "ledger_index" BIGINT NOT NULL,
    "spoiled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "spoiled_ballot_pkey" PRIMARY KEY ("election_id", "tracking_code")
);
