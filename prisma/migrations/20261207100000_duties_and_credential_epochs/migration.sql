-- Separation of duties (docs/decisions/0004-identity.md): the staff members who defined or ran an
-- election. None of them may be one of its trustees, and none of its trustees may run it.
CREATE TABLE "election_official" (
    "election_id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "first_action_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "election_official_pkey" PRIMARY KEY ("election_id", "staff_id")
);
ALTER TABLE "election_official" ADD CONSTRAINT "election_official_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "election_official" ADD CONSTRAINT "election_official_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "election_official_staff_id_idx" ON "election_official"("staff_id");

-- Credential epochs (docs/protocol/elections.md §5.1): an issued credential's CredentialIssued
-- entry waits here until its epoch is sequenced, in pseudonym order, with the others of the epoch.
CREATE TABLE "credential_entry_queue" (
    "election_id" UUID NOT NULL,
    "elector_id" UUID NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "credential_entry_queue_pkey" PRIMARY KEY ("election_id", "elector_id")
);
ALTER TABLE "credential_entry_queue" ADD CONSTRAINT "credential_entry_queue_election_id_fkey" FOREIGN KEY ("election_id") REFERENCES "election"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Credential-challenge nonces expire (5 minutes) and are purged; at most a few per elector.
CREATE INDEX "credential_nonce_expires_at_idx" ON "credential_nonce"("expires_at");
CREATE INDEX "credential_nonce_elector_id_idx" ON "credential_nonce"("elector_id");
