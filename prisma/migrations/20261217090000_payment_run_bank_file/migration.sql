-- A payment run's ISO 20022 bank file (docs/protocol/contracts.md §11.6) is made once, from the bank
-- accounts recorded at its first download, and kept: every later download is the same file, so an
-- account changed afterwards never changes where a run's payments go.
ALTER TABLE "payment_run" ADD COLUMN "bank_file" TEXT;
ALTER TABLE "payment_run" ADD COLUMN "bank_file_made_at" TIMESTAMPTZ(3);
