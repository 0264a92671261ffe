-- A contractor's webhook (docs/protocol/contracts.md §14): the order steps a contractor must hear
-- about are POSTed, signed (Standard Webhooks), to one endpoint its administrators register.

-- The endpoint of one contractor organisation. `secret` is the signing key (`whsec_…`): the server
-- needs it in clear to sign, so it is kept here and shown to the administrators only when it is made.
CREATE TABLE "contractor_webhook" (
    "organisation_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "is_paused" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "secret_created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contractor_webhook_pkey" PRIMARY KEY ("organisation_id"),
    CONSTRAINT "contractor_webhook_organisation_id_fkey" FOREIGN KEY ("organisation_id")
        REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- One event for one endpoint, written in the transaction that appends the order step's entry (so an
-- event is never lost), then sent by whichever API instance claims it first (FOR UPDATE SKIP LOCKED).
-- `payload` is the exact JSON body; it is cleared once the delivery ends (delivered or given up), so
-- the copy of what the contractor's page shows does not outlive its use.
CREATE TABLE "contractor_webhook_delivery" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "contract_id" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "payload" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    CONSTRAINT "contractor_webhook_delivery_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "contractor_webhook_delivery_organisation_id_fkey" FOREIGN KEY ("organisation_id")
        REFERENCES "contractor_webhook"("organisation_id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "contractor_webhook_delivery_status_next_attempt_at_idx" ON "contractor_webhook_delivery"("status", "next_attempt_at");
CREATE INDEX "contractor_webhook_delivery_organisation_id_created_at_idx" ON "contractor_webhook_delivery"("organisation_id", "created_at");
