-- An organisation's bank account for payments (docs/organisations.md §2.4): what a payment run's
-- ISO 20022 pain.001 file pays from (the association) and into (the contractor, the host). One per
-- organisation, replaced when its administrators change it; kept here only, never in a ledger.
CREATE TABLE "organisation_bank_account" (
    "organisation_id" UUID NOT NULL,
    "account_name" TEXT NOT NULL,
    "sort_code" TEXT NOT NULL,
    "account_number" TEXT NOT NULL,
    "iban" TEXT,
    "bic" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_member_id" UUID NOT NULL,
    CONSTRAINT "organisation_bank_account_pkey" PRIMARY KEY ("organisation_id"),
    CONSTRAINT "organisation_bank_account_organisation_id_fkey" FOREIGN KEY ("organisation_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
