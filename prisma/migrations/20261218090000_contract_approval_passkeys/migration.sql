-- Contract approvals are signed with a signing passkey the approving administrator makes for that
-- membership (docs/protocol/contracts.md §11.1): each approval keeps the hash of the passkey's
-- credential id and its assertion. A signing passkey is bound to the member's pseudonym by a
-- MemberPasskeyBound registry entry when it is made (member_passkey keeps its key, its counter and
-- that entry's index). It is not a sign-in passkey: its public key is published, and a key of its
-- own per membership links nothing to the person's other memberships or enrolment.
ALTER TABLE "contract_approval" ADD COLUMN "credential_id_hash" TEXT;
ALTER TABLE "contract_approval" ADD COLUMN "assertion" JSONB;

-- An approval made before this change has no signature. Those of agreed revisions are in the ledger
-- already and stay as they are; those of revisions still awaiting approvals must be given again.
DELETE FROM "contract_approval" a
USING "contract_version" v
WHERE v."contract_id" = a."contract_id" AND v."revision" = a."revision" AND v."status" <> 'agreed';

CREATE TABLE "member_passkey" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "credential_id" BYTEA NOT NULL,
    "public_key" BYTEA NOT NULL,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "bound_index" BIGINT NOT NULL,
    "bound_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "member_passkey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "member_passkey_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "organisation_member"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "member_passkey_credential_id_key" ON "member_passkey"("credential_id");
CREATE INDEX "member_passkey_member_id_idx" ON "member_passkey"("member_id");
