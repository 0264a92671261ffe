-- Organisations, their people and members, and appointments to act for someone (docs/organisations.md).
-- Every change here is a registry-log entry in the same transaction; the `*_index` columns record it.

-- Someone who joined an organisation by its invitation and is not a resident here (a contractor's
-- employee from another area, say): a passkey and a display name, nothing from the roll. A person
-- made by an invitation takes that invitation's id.
CREATE TABLE "person" (
    "id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- A passkey and a session now belong to exactly one of an elector, a staff member or a person.
ALTER TABLE "passkey" ADD COLUMN "person_id" UUID;
ALTER TABLE "passkey" DROP CONSTRAINT "passkey_owner_check";
ALTER TABLE "passkey" ADD CONSTRAINT "passkey_owner_check"
    CHECK (num_nonnulls("elector_id", "staff_id", "person_id") = 1);
ALTER TABLE "passkey" ADD CONSTRAINT "passkey_person_id_fkey" FOREIGN KEY ("person_id")
    REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "passkey_person_id_idx" ON "passkey"("person_id");
ALTER TABLE "session" ADD COLUMN "person_id" UUID;
ALTER TABLE "session" DROP CONSTRAINT "session_owner_check";
ALTER TABLE "session" ADD CONSTRAINT "session_owner_check"
    CHECK (num_nonnulls("elector_id", "staff_id", "person_id") = 1);
ALTER TABLE "session" ADD CONSTRAINT "session_person_id_fkey" FOREIGN KEY ("person_id")
    REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "session_person_id_idx" ON "session"("person_id");

-- An organisation registered by a council administrator. Its name and numbers are public facts (they
-- are in its OrganisationRegistered entry); its address is kept here only.
CREATE TABLE "organisation" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "legal_name" TEXT NOT NULL,
    "company_number" TEXT,
    "charity_number" TEXT,
    "address" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "registered_index" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "organisation_company_number_key" ON "organisation"("company_number");
CREATE UNIQUE INDEX "organisation_charity_number_key" ON "organisation"("charity_number");

-- Each OrganisationStatusChanged entry: the organisation's public status history.
CREATE TABLE "organisation_status_change" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "ledger_index" BIGINT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "organisation_status_change_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "organisation_status_change_organisation_id_fkey" FOREIGN KEY ("organisation_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "organisation_status_change_organisation_id_idx" ON "organisation_status_change"("organisation_id");

-- A membership: a resident (elector_id) or a person (person_id) in an organisation with roles. A
-- removed member's row stays, with `revoked_at`, as the index of its MembershipRevoked entry.
CREATE TABLE "organisation_member" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "elector_id" UUID,
    "person_id" UUID,
    "display_name" TEXT NOT NULL,
    "roles" TEXT[] NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "granted_index" BIGINT NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_index" BIGINT,
    CONSTRAINT "organisation_member_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "organisation_member_organisation_id_fkey" FOREIGN KEY ("organisation_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "organisation_member_elector_id_fkey" FOREIGN KEY ("elector_id")
        REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "organisation_member_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "organisation_member_organisation_id_idx" ON "organisation_member"("organisation_id");
CREATE INDEX "organisation_member_elector_id_idx" ON "organisation_member"("elector_id");
CREATE INDEX "organisation_member_person_id_idx" ON "organisation_member"("person_id");

-- A one-time link to join an organisation (by a council administrator for its first administrator,
-- or by its administrators); only the SHA-256 of the token is kept.
CREATE TABLE "organisation_invitation" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "token_hash" BYTEA NOT NULL,
    "display_name" TEXT NOT NULL,
    "roles" TEXT[] NOT NULL,
    "created_by_staff_id" UUID,
    "created_by_member_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "member_id" UUID,
    CONSTRAINT "organisation_invitation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "organisation_invitation_organisation_id_fkey" FOREIGN KEY ("organisation_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "organisation_invitation_token_hash_key" ON "organisation_invitation"("token_hash");

-- A member's short-lived code for the public page to confirm (a keyed hash of it; minutes long).
CREATE TABLE "membership_code" (
    "code_hash" BYTEA NOT NULL,
    "member_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "membership_code_pkey" PRIMARY KEY ("code_hash"),
    CONSTRAINT "membership_code_member_id_fkey" FOREIGN KEY ("member_id")
        REFERENCES "organisation_member"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "membership_code_expires_at_idx" ON "membership_code"("expires_at");

-- A representative's one-time code, given to the resident who appoints them (a keyed hash; an hour long).
CREATE TABLE "appointment_code" (
    "code_hash" BYTEA NOT NULL,
    "elector_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "appointment_code_pkey" PRIMARY KEY ("code_hash"),
    CONSTRAINT "appointment_code_elector_id_fkey" FOREIGN KEY ("elector_id") REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "appointment_code_elector_id_idx" ON "appointment_code"("elector_id");

-- A resident's appointment of another to act for them, for named purposes until `ends_on`: made by
-- the appointer (basis `resident`) or recorded by staff from a lasting power of attorney (its
-- reference only). It takes effect when the representative accepts (`accepted_at`).
CREATE TABLE "appointment" (
    "id" UUID NOT NULL,
    "appointer_id" UUID NOT NULL,
    "representative_id" UUID NOT NULL,
    "purposes" TEXT[] NOT NULL,
    "ends_on" DATE NOT NULL,
    "basis" TEXT NOT NULL,
    "document_reference" TEXT,
    "recorded_by_staff_id" UUID,
    "made_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "made_index" BIGINT NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_index" BIGINT,
    "ended_at" TIMESTAMPTZ(3),
    "ended_index" BIGINT,
    "ended_by" TEXT,
    CONSTRAINT "appointment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "appointment_appointer_id_fkey" FOREIGN KEY ("appointer_id") REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "appointment_representative_id_fkey" FOREIGN KEY ("representative_id")
        REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "appointment_appointer_id_idx" ON "appointment"("appointer_id");
CREATE INDEX "appointment_representative_id_idx" ON "appointment"("representative_id");

-- Who acted, for whom, under which appointment, for what: one row per use (resolveActingFor).
CREATE TABLE "acting_record" (
    "id" UUID NOT NULL,
    "appointment_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "for_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "acted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "acting_record_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "acting_record_appointment_id_fkey" FOREIGN KEY ("appointment_id")
        REFERENCES "appointment"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "acting_record_appointment_id_idx" ON "acting_record"("appointment_id");
