-- Identity: poll-card activation codes, passkeys, sessions, WebAuthn challenges, guessing throttles,
-- staff (members, roles, invitations, actions) and staged roll imports (docs/decisions/0004-identity.md).

CREATE TABLE "staff_member" (
    "id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_member_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "staff_role" (
    "id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "election_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_role_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "staff_role_role_check" CHECK ("role" IN ('admin', 'officer', 'trustee') AND (("role" = 'trustee') = ("election_id" IS NOT NULL))),
    CONSTRAINT "staff_role_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "staff_role_staff_id_role_election_id_key" ON "staff_role"("staff_id", "role", "election_id");
CREATE INDEX "staff_role_role_idx" ON "staff_role"("role");

CREATE TABLE "staff_invitation" (
    "id" UUID NOT NULL,
    "token_hash" BYTEA NOT NULL,
    "role" TEXT NOT NULL,
    "election_id" TEXT,
    "display_name" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "staff_id" UUID,
    CONSTRAINT "staff_invitation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "staff_invitation_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_member"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "staff_invitation_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "staff_invitation_token_hash_key" ON "staff_invitation"("token_hash");

CREATE TABLE "staff_action" (
    "id" UUID NOT NULL,
    "staff_id" UUID,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_action_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "staff_action_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "staff_action_created_at_idx" ON "staff_action"("created_at");

CREATE TABLE "activation_code" (
    "elector_id" UUID NOT NULL,
    "code_hash" BYTEA NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(3),
    CONSTRAINT "activation_code_pkey" PRIMARY KEY ("elector_id"),
    CONSTRAINT "activation_code_elector_id_fkey" FOREIGN KEY ("elector_id") REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "activation_code_code_hash_key" ON "activation_code"("code_hash");

CREATE TABLE "passkey" (
    "id" UUID NOT NULL,
    "credential_id" BYTEA NOT NULL,
    "public_key" BYTEA NOT NULL,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "transports" TEXT[] NOT NULL,
    "elector_id" UUID,
    "staff_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "suspended_at" TIMESTAMPTZ(3),
    "enrolled_index" BIGINT,
    "revoked_index" BIGINT,
    CONSTRAINT "passkey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "passkey_owner_check" CHECK (("elector_id" IS NULL) <> ("staff_id" IS NULL)),
    CONSTRAINT "passkey_elector_id_fkey" FOREIGN KEY ("elector_id") REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "passkey_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "passkey_credential_id_key" ON "passkey"("credential_id");
CREATE INDEX "passkey_elector_id_idx" ON "passkey"("elector_id");
CREATE INDEX "passkey_staff_id_idx" ON "passkey"("staff_id");

CREATE TABLE "session" (
    "id_hash" BYTEA NOT NULL,
    "elector_id" UUID,
    "staff_id" UUID,
    "passkey_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "session_pkey" PRIMARY KEY ("id_hash"),
    CONSTRAINT "session_owner_check" CHECK (("elector_id" IS NULL) <> ("staff_id" IS NULL)),
    CONSTRAINT "session_elector_id_fkey" FOREIGN KEY ("elector_id") REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "session_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "session_elector_id_idx" ON "session"("elector_id");
CREATE INDEX "session_staff_id_idx" ON "session"("staff_id");
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

CREATE TABLE "webauthn_challenge" (
    "challenge" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "binding_hash" BYTEA NOT NULL,
    "elector_id" UUID,
    "staff_id" UUID,
    "invitation_id" UUID,
    "code_hash" BYTEA,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webauthn_challenge_pkey" PRIMARY KEY ("challenge")
);
CREATE INDEX "webauthn_challenge_expires_at_idx" ON "webauthn_challenge"("expires_at");

CREATE TABLE "auth_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    CONSTRAINT "auth_throttle_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "roll_import" (
    "id" UUID NOT NULL,
    "council_id" UUID NOT NULL,
    "created_by_id" UUID,
    "status" TEXT NOT NULL,
    "row_count" INTEGER NOT NULL,
    "base_import_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applied_at" TIMESTAMPTZ(3),
    "ledger_index" BIGINT,
    CONSTRAINT "roll_import_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "roll_import_status_check" CHECK ("status" IN ('staging', 'pending', 'applied', 'superseded')),
    CONSTRAINT "roll_import_council_id_fkey" FOREIGN KEY ("council_id") REFERENCES "council"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "roll_import_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_member"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "roll_import_council_id_status_idx" ON "roll_import"("council_id", "status");

CREATE TABLE "roll_import_row" (
    "import_id" UUID NOT NULL,
    "elector_number" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "given_name" TEXT NOT NULL,
    "family_name" TEXT NOT NULL,
    "address_line" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "date_of_birth" DATE NOT NULL,
    "district_code" TEXT NOT NULL,
    CONSTRAINT "roll_import_row_pkey" PRIMARY KEY ("import_id", "elector_number"),
    CONSTRAINT "roll_import_row_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "roll_import"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
