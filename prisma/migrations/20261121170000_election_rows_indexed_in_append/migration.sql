-- Election index rows carry their entry's ledger index from the append's own transaction
-- (docs/decisions/0003-ledger-sequencer.md, AppendPosition). Before, cast_ballot.ledger_index,
-- spoiled_ballot.ledger_index, election.closed_at_size and election_trustee.partial_decryption_index
-- were written after the commit, so a crash in between left a committed entry whose row did not
-- know it. Rows left that way are repaired here from the entries themselves: an entry's body is
-- canonical JSON after its 54-byte header (docs/protocol/ledger.md §1).

CREATE TEMPORARY TABLE "election_entry_body" ON COMMIT DROP AS
SELECT l."name" AS "log_name", e."index", e."type", convert_from(substring(e."bytes" FROM 55), 'UTF8')::jsonb AS "body"
FROM "ledger_entry" e
JOIN "ledger_log" l ON l."id" = e."log_id"
WHERE e."type" IN ('BallotCast', 'BallotSpoiled', 'ElectionClosed', 'PartialDecryption')
  AND l."name" LIKE 'election-%'
  AND (EXISTS (SELECT 1 FROM "cast_ballot" b WHERE b."ledger_index" < 0)
       OR EXISTS (SELECT 1 FROM "spoiled_ballot" s WHERE s."ledger_index" < 0)
       OR EXISTS (SELECT 1 FROM "election" x WHERE x."status" IN ('closed', 'tallied', 'published') AND x."closed_at_size" IS NULL)
       OR EXISTS (SELECT 1 FROM "election_trustee" t JOIN "election" x ON x."id" = t."election_id" WHERE x."status" IN ('tallied', 'published') AND t."partial_decryption_index" IS NULL));

UPDATE "cast_ballot" b SET "ledger_index" = x."index"
FROM "election_entry_body" x
WHERE b."ledger_index" < 0 AND x."type" = 'BallotCast' AND x."log_name" = 'election-' || b."election_id"::text
  AND x."body" ->> 'trackingCode' = encode(b."tracking_code", 'hex');

UPDATE "spoiled_ballot" s SET "ledger_index" = x."index"
FROM "election_entry_body" x
WHERE s."ledger_index" < 0 AND x."type" = 'BallotSpoiled' AND x."log_name" = 'election-' || s."election_id"::text
  AND x."body" ->> 'trackingCode' = encode(s."tracking_code", 'hex');

UPDATE "election" el SET "closed_at_size" = x."index" + 1
FROM "election_entry_body" x
WHERE el."closed_at_size" IS NULL AND x."type" = 'ElectionClosed' AND x."log_name" = 'election-' || el."id"::text;

UPDATE "election_trustee" t SET "partial_decryption_index" = x."index"
FROM "election_entry_body" x
WHERE t."partial_decryption_index" IS NULL AND x."type" = 'PartialDecryption' AND x."log_name" = 'election-' || t."election_id"::text
  AND (x."body" ->> 'trusteeIndex')::int = t."index";

-- The leaf hash of a ballot's entry is read from ledger_entry: the row is written before its entry is hashed.
ALTER TABLE "cast_ballot" DROP COLUMN "leaf_hash";
