-- Spoiling is signed and limited, and a spoiled ballot can never be cast (docs/protocol/elections.md §6).
--
-- ballot_ciphertext: every ciphertext of every cast and spoiled ballot of an election, by the SHA-256
-- of its 64 bytes (α ‖ β), first use first. Inside the append's transaction, a cast is refused when one
-- of its ciphertexts was spoiled, and a spoil when one of its ciphertexts was cast.
CREATE TABLE "ballot_ciphertext" (
    "election_id" UUID NOT NULL,
    "digest" BYTEA NOT NULL,
    "spoiled" BOOLEAN NOT NULL,
    "ledger_index" BIGINT NOT NULL,
    CONSTRAINT "ballot_ciphertext_pkey" PRIMARY KEY ("election_id", "digest")
);

-- The ballot key that spoiled (its spoils are limited per election); null for spoils made before
-- spoiling needed a credential.
ALTER TABLE "spoiled_ballot" ADD COLUMN "ballot_public_key" BYTEA;
CREATE INDEX "spoiled_ballot_election_id_ballot_public_key_idx" ON "spoiled_ballot"("election_id", "ballot_public_key");

-- The ciphertexts of ballots recorded before this migration: cast ones from their rows, spoiled ones
-- from their ledger entries (the body is canonical JSON after the entry's 54-byte header, ledger.md §1).
INSERT INTO "ballot_ciphertext" ("election_id", "digest", "spoiled", "ledger_index")
SELECT b."election_id", sha256(decode(c #>> '{}', 'hex')), false, b."ledger_index"
FROM "cast_ballot" b, jsonb_path_query(b."ballot", '$.contests[*].selections[*].ciphertext') AS c
ON CONFLICT DO NOTHING;

INSERT INTO "ballot_ciphertext" ("election_id", "digest", "spoiled", "ledger_index")
SELECT s."election_id", sha256(decode(c #>> '{}', 'hex')), true, s."ledger_index"
FROM "spoiled_ballot" s
JOIN "ledger_log" l ON l."name" = 'election-' || s."election_id"::text
JOIN "ledger_entry" e ON e."log_id" = l."id" AND e."index" = s."ledger_index" AND e."type" = 'BallotSpoiled',
LATERAL jsonb_path_query(convert_from(substring(e."bytes" FROM 55), 'UTF8')::jsonb, '$.ballot.contests[*].selections[*].ciphertext') AS c
ON CONFLICT DO NOTHING;
