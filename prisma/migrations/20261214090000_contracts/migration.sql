-- Repairs contracts between housing associations and a contractor (docs/protocol/contracts.md §11).
-- Each contract has its own ledger log (`contract-<id>`); every change below is an entry of that log
-- written in the same transaction, and the `*_index` columns record it. Money is whole pence (BIGINT).

-- A contract, from its proposal on. `last_event_at` keeps the instants of its events increasing in
-- log order, so the evaluator's canonical order is the log's order (contracts.md §3.3).
CREATE TABLE "contract" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "contractor_id" UUID NOT NULL,
    "host_id" UUID NOT NULL,
    "log_name" TEXT NOT NULL,
    "agreed_revision" INTEGER,
    "last_event_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contract_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "contract_contractor_id_fkey" FOREIGN KEY ("contractor_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "contract_host_id_fkey" FOREIGN KEY ("host_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "contract_contractor_id_idx" ON "contract"("contractor_id");

-- Every organisation a contract names: its contractor and its associations (host included).
CREATE TABLE "contract_party" (
    "contract_id" TEXT NOT NULL,
    "organisation_id" UUID NOT NULL,
    "party" TEXT NOT NULL,
    CONSTRAINT "contract_party_pkey" PRIMARY KEY ("contract_id", "organisation_id"),
    CONSTRAINT "contract_party_contract_id_fkey" FOREIGN KEY ("contract_id")
        REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "contract_party_organisation_id_fkey" FOREIGN KEY ("organisation_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "contract_party_organisation_id_idx" ON "contract_party"("organisation_id");

-- A revision of the terms: proposed, then agreed once every party approved it (ContractAgreed for
-- revision 1, ContractAmended after, at `agreed_index`).
CREATE TABLE "contract_version" (
    "contract_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "terms" JSONB NOT NULL,
    "terms_hash" TEXT NOT NULL,
    "effective_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "proposed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "agreed_at" TIMESTAMPTZ(3),
    "agreed_index" BIGINT,
    CONSTRAINT "contract_version_pkey" PRIMARY KEY ("contract_id", "revision"),
    CONSTRAINT "contract_version_contract_id_fkey" FOREIGN KEY ("contract_id")
        REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- One party's approval of a revision, by one of its administrators (who, as a membership pseudonym,
-- goes into the entry that agrees the revision).
CREATE TABLE "contract_approval" (
    "contract_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "organisation_id" UUID NOT NULL,
    "party" TEXT NOT NULL,
    "member_id" UUID NOT NULL,
    "member_pseudonym" TEXT NOT NULL,
    "approved_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "contract_approval_pkey" PRIMARY KEY ("contract_id", "revision", "organisation_id"),
    CONSTRAINT "contract_approval_contract_id_revision_fkey" FOREIGN KEY ("contract_id", "revision")
        REFERENCES "contract_version"("contract_id", "revision") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The contract's event history as the evaluator reads it (contracts.md §3), by log index.
CREATE TABLE "contract_event" (
    "contract_id" TEXT NOT NULL,
    "ledger_index" BIGINT NOT NULL,
    "order_id" UUID,
    "type" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    CONSTRAINT "contract_event_pkey" PRIMARY KEY ("contract_id", "ledger_index"),
    CONSTRAINT "contract_event_contract_id_fkey" FOREIGN KEY ("contract_id")
        REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "contract_event_order_id_idx" ON "contract_event"("order_id");

-- A repair a tenant reported, and where it stands. What the tenant wrote and the address stay here;
-- the ledger has the order id, a pseudonym of the tenant and a keyed hash of the property.
CREATE TABLE "repair_order" (
    "id" UUID NOT NULL,
    "contract_id" TEXT NOT NULL,
    "association_id" UUID NOT NULL,
    "elector_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "reported_priority" TEXT NOT NULL,
    "hazard_answers" JSONB NOT NULL,
    "property_ref" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "item_code" TEXT,
    "quantity" INTEGER,
    "priority" TEXT,
    "hazard" TEXT,
    "due_at" TIMESTAMPTZ(3),
    "appointment_start" TIMESTAMPTZ(3),
    "appointment_end" TIMESTAMPTZ(3),
    "completion_notes" TEXT,
    "rejection_reason" TEXT,
    "rejection_detail" TEXT,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "raised_index" BIGINT NOT NULL,
    CONSTRAINT "repair_order_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "repair_order_contract_id_fkey" FOREIGN KEY ("contract_id")
        REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "repair_order_association_id_fkey" FOREIGN KEY ("association_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "repair_order_elector_id_fkey" FOREIGN KEY ("elector_id")
        REFERENCES "elector"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "repair_order_contract_id_idx" ON "repair_order"("contract_id");
CREATE INDEX "repair_order_association_id_idx" ON "repair_order"("association_id");
CREATE INDEX "repair_order_elector_id_idx" ON "repair_order"("elector_id");

-- An association's payment run under one contract: its PaymentRun entry at `ledger_index`.
CREATE TABLE "payment_run" (
    "id" UUID NOT NULL,
    "contract_id" TEXT NOT NULL,
    "association_id" UUID NOT NULL,
    "contractor_total_pence" BIGINT NOT NULL,
    "host_fee_total_pence" BIGINT NOT NULL,
    "total_pence" BIGINT NOT NULL,
    "ledger_index" BIGINT NOT NULL,
    "created_by_member_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_run_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_run_contract_id_fkey" FOREIGN KEY ("contract_id")
        REFERENCES "contract"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "payment_run_association_id_fkey" FOREIGN KEY ("association_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "payment_run_association_id_idx" ON "payment_run"("association_id");

-- A confirmed job's price (its PaymentComputed entry at `computed_index`); paid once, by the run
-- named in `payment_run_id`.
CREATE TABLE "contract_payment" (
    "order_id" UUID NOT NULL,
    "contract_id" TEXT NOT NULL,
    "association_id" UUID NOT NULL,
    "terms_revision" INTEGER NOT NULL,
    "base_pence" BIGINT NOT NULL,
    "bulk_discount_pence" BIGINT NOT NULL,
    "late_reduction_pence" BIGINT NOT NULL,
    "contractor_payment_pence" BIGINT NOT NULL,
    "host_fee_pence" BIGINT NOT NULL,
    "association_pays_pence" BIGINT NOT NULL,
    "computed_index" BIGINT NOT NULL,
    "payment_run_id" UUID,
    CONSTRAINT "contract_payment_pkey" PRIMARY KEY ("order_id"),
    CONSTRAINT "contract_payment_order_id_fkey" FOREIGN KEY ("order_id")
        REFERENCES "repair_order"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "contract_payment_payment_run_id_fkey" FOREIGN KEY ("payment_run_id")
        REFERENCES "payment_run"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "contract_payment_contract_id_association_id_idx" ON "contract_payment"("contract_id", "association_id");
CREATE INDEX "contract_payment_payment_run_id_idx" ON "contract_payment"("payment_run_id");
