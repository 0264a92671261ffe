-- Foundation: the council, its districts (wards) and the electoral roll, plus deployment secrets.

CREATE TABLE "council" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "council_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "council_slug_key" ON "council"("slug");

CREATE TABLE "district" (
    "id" UUID NOT NULL,
    "council_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "district_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "district_council_id_fkey" FOREIGN KEY ("council_id") REFERENCES "council"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "district_council_id_code_key" ON "district"("council_id", "code");

CREATE TABLE "elector" (
    "id" UUID NOT NULL,
    "council_id" UUID NOT NULL,
    "district_id" UUID NOT NULL,
    "elector_number" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "family_name" TEXT NOT NULL,
    "address_line" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "date_of_birth" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "elector_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "elector_council_id_fkey" FOREIGN KEY ("council_id") REFERENCES "council"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "elector_district_id_fkey" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "elector_council_id_elector_number_key" ON "elector"("council_id", "elector_number");
CREATE INDEX "elector_district_id_idx" ON "elector"("district_id");

CREATE TABLE "deployment_secret" (
    "name" TEXT NOT NULL,
    "value" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "deployment_secret_pkey" PRIMARY KEY ("name")
);
