import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ServiceSession } from './oidc-payload.repository.ts';
import type { AssuranceLevel, ServiceStatus, TownhallIdClaim } from '@townhall/protocol';
import { DATABASE, type Database } from '../database/database.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type Client = Prisma.TransactionClient;

export interface ServiceRow {
  clientId: string;
  name: string;
  metadata: Record<string, unknown>;
  claims: TownhallIdClaim[];
  requiredClaims: TownhallIdClaim[];
  minimumAcr: AssuranceLevel;
  acceptsRepresentatives: boolean;
  /** `deleted`: a tombstone kept so that its client id is never registered again and people's history keeps its name. */
  status: ServiceStatus | 'deleted';
  revision: number;
  ledgerIndex: bigint | null;
  createdAt: Date;
}

/** A service that has not been deleted: what the register lists and its ServiceRegistered entries describe. */
export type LiveServiceRow = ServiceRow & { status: ServiceStatus };

export function isLive(service: ServiceRow): service is LiveServiceRow {
  return service.status !== 'deleted';
}

/** Who signs in: a resident (an elector with a passkey), a member of staff, or a person an organisation invited. */
export type AccountRef = { kind: 'elector'; id: string } | { kind: 'staff'; id: string } | { kind: 'person'; id: string };

/** An appointment as the provider needs it: whose it is, who acts, and whether it may be used now. */
export interface AppointmentFacts {
  id: string;
  appointerId: string;
  representativeId: string;
  purposes: string[];
  endsOn: string;
  acceptedAt: Date | null;
  endedAt: Date | null;
}

export interface AccountFacts {
  kind: 'elector' | 'staff' | 'person';
  givenName: string;
  familyName: string | null;
  postcode: string | null;
  dateOfBirth: Date | null;
  district: { code: string; name: string } | null;
  roles: string[];
}

export type ReleaseKind = 'consent-given' | 'consent-withdrawn' | 'claims-released';

/** The registered services, people's index of their releases, and the facts claims are made of. */
@Injectable()
export class OidcRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db() {
    return this.database.prisma;
  }

  transaction<T>(work: (tx: Client) => Promise<T>): Promise<T> {
    return this.#db.$transaction(work, { maxWait: 20_000, timeout: 60_000 });
  }

  /** Read on every request to the provider (its client lookup): one prepared statement, not the ORM. */
  async findService(clientId: string): Promise<ServiceRow | undefined> {
    const rows = await this.database.sql.query<{
      client_id: string;
      name: string;
      metadata: unknown;
      claims: string[];
      required_claims: string[];
      minimum_acr: string;
      accepts_representatives: boolean;
      status: string;
      revision: number;
      ledger_index: string | null;
      created_at: Date | string;
    }>(
      `SELECT "client_id", "name", "metadata", "claims", "required_claims", "minimum_acr", "accepts_representatives", "status", "revision",
              "ledger_index"::text, "created_at"
       FROM "oidc_service" WHERE "client_id" = $1`,
      [clientId],
      { name: 'oidc-service' },
    );
    const row = rows[0];
    if (!row) return undefined;
    return toServiceRow({
      clientId: row.client_id,
      name: row.name,
      metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
      claims: row.claims,
      requiredClaims: row.required_claims,
      minimumAcr: row.minimum_acr,
      acceptsRepresentatives: row.accepts_representatives,
      status: row.status,
      revision: row.revision,
      ledgerIndex: row.ledger_index === null ? null : BigInt(row.ledger_index),
      createdAt: new Date(row.created_at),
    });
  }

  /** The register: every service but the deleted ones. */
  async listServices(): Promise<LiveServiceRow[]> {
    return (await this.#db.oidcService.findMany({ where: { status: { not: 'deleted' } }, orderBy: { createdAt: 'asc' } })).map(toServiceRow).filter(isLive);
  }

  async insertService(tx: Client, service: Omit<ServiceRow, 'createdAt' | 'revision' | 'ledgerIndex' | 'status'>, ledgerIndex: bigint): Promise<LiveServiceRow> {
    const row = await tx.oidcService.create({
      data: { ...service, metadata: service.metadata as Prisma.InputJsonValue, ledgerIndex },
    });
    return toServiceRow(row) as LiveServiceRow;
  }

  /** Changes the status, bumping the revision; inside the append of its ServiceRegistered entry. */
  async setServiceStatus(tx: Client, clientId: string, status: ServiceStatus, ledgerIndex: bigint): Promise<LiveServiceRow> {
    const row = await tx.oidcService.update({
      where: { clientId },
      data: { status, revision: { increment: 1 }, ledgerIndex, updatedAt: new Date() },
    });
    return toServiceRow(row) as LiveServiceRow;
  }

  /** Replaces a service's registration (a new revision), inside the append of its ServiceRegistered entry; never a deleted one's. */
  async updateService(tx: Client, clientId: string, service: Omit<ServiceRow, 'createdAt' | 'revision' | 'ledgerIndex' | 'status' | 'clientId'>, ledgerIndex: bigint): Promise<LiveServiceRow> {
    const row = await tx.oidcService.update({
      where: { clientId, status: { not: 'deleted' } },
      data: { ...service, metadata: service.metadata as Prisma.InputJsonValue, revision: { increment: 1 }, ledgerIndex, updatedAt: new Date() },
    });
    return toServiceRow(row) as LiveServiceRow;
  }

  /**
   * Makes the locked service a tombstone (a new revision), inside the append of its ServiceDeleted
   * entry: the row stays, so that its client id can never be registered again and people's index of
   * their releases keeps the service's name. Its client secret, of no use any more, goes.
   */
  async markServiceDeleted(tx: Client, service: LiveServiceRow, ledgerIndex: bigint, at: Date): Promise<ServiceRow> {
    const { client_secret: _secret, ...metadata } = service.metadata;
    const row = await tx.oidcService.update({
      where: { clientId: service.clientId },
      data: { status: 'deleted', metadata: metadata as Prisma.InputJsonValue, revision: { increment: 1 }, ledgerIndex, updatedAt: at },
    });
    return toServiceRow(row);
  }

  /** The organisations people chose for these grants (the grants are being revoked). */
  async deleteOrganisationChoices(tx: Client, grantIds: readonly string[]): Promise<void> {
    if (grantIds.length > 0) await tx.oidcOrganisationChoice.deleteMany({ where: { grantId: { in: [...grantIds] } } });
  }

  /** Locks the service's row for a change (its revision is the next entry's). */
  async lockService(tx: Client, clientId: string): Promise<ServiceRow | undefined> {
    const rows = await tx.$queryRaw<{ client_id: string }[]>`SELECT "client_id" FROM "oidc_service" WHERE "client_id" = ${clientId} FOR UPDATE`;
    if (rows.length === 0) return undefined;
    const row = await tx.oidcService.findUnique({ where: { clientId } });
    return row ? toServiceRow(row) : undefined;
  }

  async insertRelease(tx: Client, account: AccountRef, release: { clientId: string; kind: ReleaseKind; claims: string[]; ledgerIndex: bigint }): Promise<void> {
    await tx.oidcRelease.create({
      data: {
        id: randomUUID(),
        electorId: account.kind === 'elector' ? account.id : null,
        staffId: account.kind === 'staff' ? account.id : null,
        personId: account.kind === 'person' ? account.id : null,
        clientId: release.clientId,
        kind: release.kind,
        claims: release.claims,
        ledgerIndex: release.ledgerIndex,
      },
    });
  }

  async releasesOf(account: AccountRef) {
    return this.#db.oidcRelease.findMany({
      where: account.kind === 'elector' ? { electorId: account.id } : account.kind === 'staff' ? { staffId: account.id } : { personId: account.id },
      orderBy: [{ ledgerIndex: 'asc' }],
      include: { service: { select: { name: true, status: true, ledgerIndex: true, updatedAt: true } } },
    });
  }

  /** When the Townhall session (by its id hash, hex) was created: when its passkey was used. */
  async sessionCreatedAt(sessionIdHex: string): Promise<Date | undefined> {
    const row = await this.#db.session.findUnique({ where: { idHash: Buffer.from(sessionIdHex, 'hex') }, select: { createdAt: true } });
    return row?.createdAt;
  }

  /**
   * Deletes the provider's grants of this account to this service (oidc_payload rows of model Grant)
   * and every code and token issued under them, and unbinds the service from the account's provider
   * sessions, in one transaction: the service must ask again. Returns the sessions it was bound to
   * (still live), for back-channel logout.
   */
  async revokeGrants(accountId: string, clientId: string): Promise<{ grants: number; sessions: ServiceSession[] }> {
    return this.database.sql.transaction(async (tx) => {
      // Also the grants of anyone who signed in for this person (`<accountId>:act:<appointment>`).
      const grants = await tx.query<{ id: string }>(
        `DELETE FROM "oidc_payload" WHERE "model" = 'Grant' AND "payload"->>'clientId' = $2
           AND ("payload"->>'accountId' = $1 OR starts_with("payload"->>'accountId', $1 || ':act:')) RETURNING "id"`,
        [accountId, clientId],
      );
      const ids = grants.map((g) => g.id);
      if (ids.length > 0) await tx.query(`DELETE FROM "oidc_payload" WHERE "grant_id" = ANY($1::text[])`, [ids]);
      // Their provider sessions lose their binding to the service; the service is told by back-channel logout.
      const sessions = await tx.query<{ accountId: string; sid: string | null; expired: boolean }>(
        `WITH bound AS (
           SELECT "model", "id", "payload"->>'accountId' AS "accountId", "payload"->'authorizations'->$2->>'sid' AS "sid",
                  coalesce("expires_at" <= now(), false) AS "expired"
           FROM "oidc_payload"
           WHERE "model" = 'Session' AND "payload"->'authorizations' ? $2
             AND ("payload"->>'accountId' = $1 OR starts_with("payload"->>'accountId', $1 || ':act:'))
           FOR UPDATE)
         UPDATE "oidc_payload" p SET "payload" = p."payload" #- ARRAY['authorizations', $2]::text[]
         FROM bound WHERE p."model" = bound."model" AND p."id" = bound."id"
         RETURNING bound."accountId", bound."sid", bound."expired"`,
        [accountId, clientId],
      );
      return { grants: ids.length, sessions: sessions.filter((s) => !s.expired && s.sid).map((s) => ({ accountId: s.accountId, sid: s.sid! })) };
    });
  }

  // ---- organisations and representatives

  /** The organisation the person chose for this grant's `townhall:org`, if any. */
  async organisationChoice(grantId: string): Promise<string | undefined> {
    return (await this.#db.oidcOrganisationChoice.findUnique({ where: { grantId } }))?.organisationId;
  }

  async chooseOrganisation(grantId: string, organisationId: string): Promise<void> {
    await this.#db.oidcOrganisationChoice.upsert({ where: { grantId }, create: { grantId, organisationId }, update: { organisationId, chosenAt: new Date() } });
  }

  async appointment(id: string): Promise<AppointmentFacts | undefined> {
    const row = await this.#db.appointment.findUnique({
      where: { id },
      select: { id: true, appointerId: true, representativeId: true, purposes: true, endsOn: true, acceptedAt: true, endedAt: true },
    });
    return row ? { ...row, endsOn: row.endsOn.toISOString().slice(0, 10) } : undefined;
  }

  /** Appointments in which `representativeId` may act for someone now, with the appointer's given name. */
  async appointmentsActingFor(representativeId: string, purpose: string, today: string) {
    const rows = await this.#db.appointment.findMany({
      where: { representativeId, endedAt: null, acceptedAt: { not: null }, endsOn: { gte: new Date(`${today}T00:00:00Z`) }, purposes: { has: purpose } },
      select: { id: true, appointer: { select: { givenName: true } } },
      orderBy: { madeAt: 'asc' },
    });
    return rows.map((r) => ({ appointmentId: r.id, givenName: r.appointer.givenName }));
  }

  /** The facts the claims are made of; undefined when the account no longer exists. */
  async accountFacts(account: AccountRef): Promise<AccountFacts | undefined> {
    if (account.kind === 'elector') {
      // Read at the authorization, token and userinfo endpoints of every sign-in: one prepared statement.
      const rows = await this.database.sql.query<{
        given_name: string;
        family_name: string;
        postcode: string;
        date_of_birth: string;
        code: string;
        district_name: string;
      }>(
        `SELECT e."given_name", e."family_name", e."postcode", to_char(e."date_of_birth", 'YYYY-MM-DD') AS "date_of_birth", d."code", d."name" AS "district_name"
         FROM "elector" e JOIN "district" d ON d."id" = e."district_id" WHERE e."id" = $1`,
        [account.id],
        { name: 'oidc-elector-facts' },
      );
      const elector = rows[0];
      if (!elector) return undefined;
      return {
        kind: 'elector',
        givenName: elector.given_name,
        familyName: elector.family_name,
        postcode: elector.postcode,
        dateOfBirth: new Date(`${elector.date_of_birth}T00:00:00Z`),
        district: { code: elector.code, name: elector.district_name },
        roles: [],
      };
    }
    if (account.kind === 'person') {
      const person = await this.#db.person.findUnique({ where: { id: account.id }, select: { displayName: true } });
      if (!person) return undefined;
      return { kind: 'person', givenName: person.displayName, familyName: null, postcode: null, dateOfBirth: null, district: null, roles: [] };
    }
    const staff = await this.#db.staffMember.findUnique({
      where: { id: account.id },
      select: { displayName: true, roles: { select: { role: true } } },
    });
    if (!staff) return undefined;
    return {
      kind: 'staff',
      givenName: staff.displayName,
      familyName: null,
      postcode: null,
      dateOfBirth: null,
      district: null,
      roles: [...new Set(staff.roles.map((r) => r.role))].sort(),
    };
  }
}

function toServiceRow(row: {
  clientId: string;
  name: string;
  metadata: unknown;
  claims: string[];
  requiredClaims: string[];
  minimumAcr: string;
  acceptsRepresentatives: boolean;
  status: string;
  revision: number;
  ledgerIndex: bigint | null;
  createdAt: Date;
}): ServiceRow {
  return {
    clientId: row.clientId,
    name: row.name,
    metadata: row.metadata as Record<string, unknown>,
    claims: row.claims as TownhallIdClaim[],
    requiredClaims: row.requiredClaims as TownhallIdClaim[],
    minimumAcr: row.minimumAcr as AssuranceLevel,
    acceptsRepresentatives: row.acceptsRepresentatives,
    status: row.status as ServiceRow['status'],
    revision: row.revision,
    ledgerIndex: row.ledgerIndex,
    createdAt: row.createdAt,
  };
}
