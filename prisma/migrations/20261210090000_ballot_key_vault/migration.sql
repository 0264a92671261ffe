-- The ballot-key vault (docs/protocol/key-ceremony-and-credentials.md §6): one sealed record per elector
-- and election, written and read only by that elector while the election is open. The server cannot
-- open it: the wrapping key comes from the elector's passkey (WebAuthn PRF) in their browser.
-- `credential_id` names the passkey that sealed it, `salt` is the PRF input, `wrapped_key` is
-- iv ‖ AES-256-GCM ciphertext ‖ tag. A later record of the same elector replaces the earlier one.
CREATE TABLE "ballot_key_vault" (
    "election_id" UUID NOT NULL,
    "elector_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "credential_id" BYTEA NOT NULL,
    "salt" BYTEA NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ballot_key_vault_pkey" PRIMARY KEY ("election_id", "elector_id")
);
