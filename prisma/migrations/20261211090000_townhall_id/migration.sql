-- Townhall ID (docs/identity.md): the OpenID Connect provider's state, the services registered to use
-- it, and each person's own index of the registry-ledger entries about their consents and releases.

-- What oidc-provider keeps between requests (sessions, interactions, grants, authorization codes,
-- access and refresh tokens, pushed authorization requests, replay detection), one row per artefact,
-- so that it survives restarts and every API instance sees the same state. Written through the
-- provider's adapter only (apps/api/src/oidc/oidc-adapter.ts). Rows past `expires_at` are dead and
-- are deleted from time to time; a consumed code or token keeps `consumed_at`.
CREATE TABLE "oidc_payload" (
    "model" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "grant_id" TEXT,
    "uid" TEXT,
    "user_code" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "consumed_at" TIMESTAMPTZ(3),
    CONSTRAINT "oidc_payload_pkey" PRIMARY KEY ("model", "id")
);

CREATE INDEX "oidc_payload_grant_id_idx" ON "oidc_payload"("grant_id");
CREATE INDEX "oidc_payload_uid_idx" ON "oidc_payload"("uid");
CREATE INDEX "oidc_payload_expires_at_idx" ON "oidc_payload"("expires_at");

-- A council service registered by an administrator to sign people in through Townhall ID: its OpenID
-- Connect client metadata (redirect and logout URIs, how it authenticates, its public keys or secret),
-- the claims it may ask for (and which of them a person cannot decline), the minimum level of
-- assurance it needs, and whether it is active. Every registration and change is a ServiceRegistered
-- entry in the registry log (`ledger_index`, the latest).
CREATE TABLE "oidc_service" (
    "client_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "claims" TEXT[] NOT NULL,
    "required_claims" TEXT[] NOT NULL,
    "minimum_acr" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "ledger_index" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oidc_service_pkey" PRIMARY KEY ("client_id")
);

-- A person's own index of the registry-ledger entries about them and a service: consent given or
-- withdrawn, claims released. The entries name only a per-service pseudonym, so this table is how
-- the account page finds them; it holds nothing the entries do not, besides whose they are.
CREATE TABLE "oidc_release" (
    "id" UUID NOT NULL,
    "elector_id" UUID,
    "staff_id" UUID,
    "client_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "claims" TEXT[] NOT NULL,
    "ledger_index" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oidc_release_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "oidc_release_elector_id_fkey" FOREIGN KEY ("elector_id") REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "oidc_release_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "oidc_release_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oidc_service"("client_id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "oidc_release_elector_id_idx" ON "oidc_release"("elector_id");
CREATE INDEX "oidc_release_staff_id_idx" ON "oidc_release"("staff_id");
