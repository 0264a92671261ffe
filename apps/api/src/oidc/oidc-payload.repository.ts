import { Inject, Injectable } from '@nestjs/common';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { DATABASE, type Database } from '../database/database.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/**
 * Artefacts that are single use: consuming one that another request (on any instance) consumed first
 * is refused at once, in the same statement, so a code or a rotated refresh token is never redeemed twice.
 */
const SINGLE_USE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/** A provider session's binding to a service: whose session it is, and the `sid` the service was given for it. */
export interface ServiceSession {
  accountId: string;
  sid: string;
}

/** An artefact that has not expired (`expires_at` null: kept until deleted). */
const LIVE = `("expires_at" IS NULL OR "expires_at" > now())`;

/** Each live provider session's bindings to services: whose session (`p`), which service and the `sid` it was given (`binding`). */
const SESSION_BINDINGS = `
  SELECT p."payload"->>'accountId' AS "accountId", binding.key AS "clientId", binding.value->>'sid' AS "sid"
  FROM "oidc_payload" p CROSS JOIN LATERAL jsonb_each(coalesce(p."payload"->'authorizations', '{}'::jsonb)) AS binding`;
const LIVE_SESSION = `p."model" = 'Session' AND (p."expires_at" IS NULL OR p."expires_at" > now()) AND binding.value->>'sid' IS NOT NULL`;

/** Artefacts the provider keeps for the person's whole session or grant, not a short exchange. */
type PayloadRow = { payload: AdapterPayload; consumed_at: Date | string | null };

/**
 * oidc-provider's state in Postgres (table `oidc_payload`), one adapter per model name. Raw SQL through
 * the database's raw client as named prepared statements: every authorization, token and userinfo
 * request reads or writes here, several times.
 */
@Injectable()
export class OidcPayloadRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * The adapter class oidc-provider instantiates once per model (`new Adapter('Session')`, …). Clients
   * are not payloads: they are the registered services, looked up on every request by `findClient`,
   * so a suspension takes effect on the next request on every instance.
   */
  adapterClass(findClient: (clientId: string) => Promise<AdapterPayload | undefined>): new (model: string) => Adapter {
    const sql = this.database.sql;
    const toPayload = (row: PayloadRow | undefined): AdapterPayload | undefined => {
      if (!row) return undefined;
      if (row.consumed_at === null) return row.payload;
      return { ...row.payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) };
    };
    return class PostgresAdapter implements Adapter {
      constructor(readonly model: string) {}

      async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
        await sql.query(
          `INSERT INTO "oidc_payload" ("model", "id", "payload", "grant_id", "uid", "user_code", "expires_at")
           VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + $7::int * interval '1 second' END)
           ON CONFLICT ("model", "id") DO UPDATE SET "payload" = excluded."payload", "grant_id" = excluded."grant_id",
             "uid" = excluded."uid", "user_code" = excluded."user_code", "expires_at" = excluded."expires_at"`,
          [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, payload.userCode ?? null, expiresIn > 0 ? Math.ceil(expiresIn) : null],
          { name: 'oidc-upsert' },
        );
      }

      async find(id: string): Promise<AdapterPayload | undefined> {
        if (this.model === 'Client') return findClient(id);
        const rows = await sql.query<PayloadRow>(
          `SELECT "payload", "consumed_at" FROM "oidc_payload" WHERE "model" = $1 AND "id" = $2 AND ${LIVE}`,
          [this.model, id],
          { name: 'oidc-find' },
        );
        return toPayload(rows[0]);
      }

      async findByUid(uid: string): Promise<AdapterPayload | undefined> {
        const rows = await sql.query<PayloadRow>(
          `SELECT "payload", "consumed_at" FROM "oidc_payload" WHERE "model" = $1 AND "uid" = $2 AND ${LIVE} LIMIT 1`,
          [this.model, uid],
          { name: 'oidc-find-uid' },
        );
        return toPayload(rows[0]);
      }

      async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
        const rows = await sql.query<PayloadRow>(
          `SELECT "payload", "consumed_at" FROM "oidc_payload" WHERE "model" = $1 AND "user_code" = $2 AND ${LIVE} LIMIT 1`,
          [this.model, userCode],
        );
        return toPayload(rows[0]);
      }

      async consume(id: string): Promise<void> {
        const rows = await sql.query(
          `UPDATE "oidc_payload" SET "consumed_at" = now() WHERE "model" = $1 AND "id" = $2 AND "consumed_at" IS NULL RETURNING "id"`,
          [this.model, id],
          { name: 'oidc-consume' },
        );
        // RFC 6749 §4.1.2: a code is used once. Two redemptions racing (on two instances, say): the
        // second finds it consumed here even though it read it unconsumed a moment before.
        if (rows.length === 0 && SINGLE_USE.has(this.model)) throw new errors.InvalidGrant(`${this.model} already used`);
      }

      async destroy(id: string): Promise<void> {
        await sql.query(`DELETE FROM "oidc_payload" WHERE "model" = $1 AND "id" = $2`, [this.model, id], { name: 'oidc-destroy' });
      }

      async revokeByGrantId(grantId: string): Promise<void> {
        await sql.query(`DELETE FROM "oidc_payload" WHERE "grant_id" = $1`, [grantId], { name: 'oidc-revoke-grant' });
      }
    };
  }

  /**
   * Everything the provider keeps for one service, removed inside the transaction that deletes the
   * service: its grants (people's consent) and every code and token issued under them or to it, the
   * sign-ins in progress for it, and its binding in each provider session (`authorizations.<clientId>`,
   * the session id and grant the session keeps for it). Sessions themselves stay: they are the
   * person's sign-in to Townhall, not to the service. Returns the grants' ids (other tables key on them)
   * and how many rows went. No index covers the payload's client id: a scan, for a rare action.
   */
  async revokeClient(tx: Prisma.TransactionClient, clientId: string): Promise<{ grantIds: string[]; deleted: number }> {
    const grants = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "oidc_payload" WHERE "model" = 'Grant' AND "payload"->>'clientId' = ${clientId}`;
    const grantIds = grants.map((grant) => grant.id);
    const deleted = await tx.$executeRaw`
      DELETE FROM "oidc_payload"
      WHERE "payload"->>'clientId' = ${clientId}
         OR "grant_id" = ANY(${grantIds}::text[])
         OR ("model" = 'Interaction' AND "payload"->'params'->>'client_id' = ${clientId})`;
    await tx.$executeRaw`
      UPDATE "oidc_payload" SET "payload" = "payload" #- ARRAY['authorizations', ${clientId}]::text[]
      WHERE "model" = 'Session' AND "payload"->'authorizations' ? ${clientId}`;
    return { grantIds, deleted };
  }

  /**
   * The live provider sessions bound to the service (`authorizations.<clientId>`): whose each is, and
   * the session id the service was given for it (its `sid`). What back-channel logout tells the service
   * about when the binding goes (OidcProviderService.logOutAt). Read inside the transaction that removes them.
   */
  async sessionsBoundTo(tx: Prisma.TransactionClient, clientId: string): Promise<ServiceSession[]> {
    return tx.$queryRaw<ServiceSession[]>`
      SELECT "payload"->>'accountId' AS "accountId", "payload"->'authorizations'->(${clientId}::text)->>'sid' AS "sid"
      FROM "oidc_payload"
      WHERE "model" = 'Session' AND "payload"->'authorizations' ? ${clientId} AND "payload"->>'accountId' IS NOT NULL
        AND ("expires_at" IS NULL OR "expires_at" > now())
      FOR UPDATE`;
  }

  /** The live provider sessions of one account, with each service they are bound to (its client id and `sid`). */
  async sessionsOfAccount(accountId: string): Promise<(ServiceSession & { clientId: string })[]> {
    return this.database.sql.query<{ accountId: string; clientId: string; sid: string }>(
      `${SESSION_BINDINGS} WHERE ${LIVE_SESSION} AND p."payload"->>'accountId' = $1`,
      [accountId],
    );
  }

  /**
   * The live provider sessions bound to a service by a grant for which the person chose to act for
   * this organisation (`townhall:org`): `accountId`'s when given (a member just removed), otherwise
   * those of its current members (members removed earlier were signed out then).
   */
  async sessionsActingFor(organisationId: string, accountId?: string): Promise<(ServiceSession & { clientId: string })[]> {
    return this.database.sql.query<{ accountId: string; clientId: string; sid: string }>(
      `${SESSION_BINDINGS}
       JOIN "oidc_organisation_choice" c ON c."grant_id" = binding.value->>'grantId'
       WHERE ${LIVE_SESSION} AND c."organisation_id" = $1::uuid
         AND CASE WHEN $2::text IS NULL
           THEN EXISTS (SELECT 1 FROM "organisation_member" m WHERE m."organisation_id" = $1::uuid AND m."revoked_at" IS NULL
                          AND p."payload"->>'accountId' IN ('elector:' || m."elector_id", 'person:' || m."person_id"))
           ELSE p."payload"->>'accountId' = $2::text END`,
      [organisationId, accountId ?? null],
    );
  }

  /** Deletes artefacts that expired more than a minute ago; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.database.sql.query(`DELETE FROM "oidc_payload" WHERE "expires_at" < now() - interval '1 minute' RETURNING 1 AS "x"`);
    return rows.length;
  }
}
