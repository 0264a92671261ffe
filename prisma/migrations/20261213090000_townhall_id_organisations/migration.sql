-- Townhall ID for organisations and representatives (docs/identity.md): whether a service accepts
-- people signing in for a resident who appointed them, and which organisation a person chose to act
-- for when they consented to a service's `townhall:org` request (per grant of the provider; the
-- claim is made from the membership as it is at each release, so a suspension or removal shows at once).
ALTER TABLE "oidc_service" ADD COLUMN "accepts_representatives" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "oidc_organisation_choice" (
    "grant_id" TEXT NOT NULL,
    "organisation_id" UUID NOT NULL,
    "chosen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oidc_organisation_choice_pkey" PRIMARY KEY ("grant_id")
);

-- People who are not residents (they joined an organisation) sign in to services too.
ALTER TABLE "oidc_release" ADD COLUMN "person_id" UUID;
ALTER TABLE "oidc_release" ADD CONSTRAINT "oidc_release_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "oidc_release_person_id_idx" ON "oidc_release"("person_id");
