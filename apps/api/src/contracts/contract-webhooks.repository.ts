import { Inject, Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.ts';
import { DATABASE, type Database } from '../database/database.ts';
import type { TransactionClient as Client } from '../ledger/ledger.module.ts';

export type WebhookRow = Prisma.ContractorWebhookGetPayload<object>;
export type DeliveryRow = Prisma.ContractorWebhookDeliveryGetPayload<object>;

/** A delivery claimed for one attempt, with where to send it and the key to sign it with. */
export interface ClaimedDelivery {
  id: string;
  organisationId: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
}

/** Contractors' webhooks and their deliveries (docs/protocol/contracts.md §14). */
@Injectable()
export class ContractWebhooksRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get #db(): Client {
    return this.database.prisma;
  }

  findWebhook(organisationId: string, tx: Client = this.#db): Promise<WebhookRow | null> {
    return tx.contractorWebhook.findUnique({ where: { organisationId } });
  }

  /** Registers the organisation's webhook; null when it has one already (also when two requests race). */
  async insertWebhook(row: { organisationId: string; url: string; secret: string }): Promise<WebhookRow | null> {
    const inserted = await this.#db.$queryRaw<{ organisation_id: string }[]>`
      INSERT INTO contractor_webhook (organisation_id, url, secret) VALUES (${row.organisationId}::uuid, ${row.url}, ${row.secret})
      ON CONFLICT (organisation_id) DO NOTHING RETURNING organisation_id`;
    return inserted.length === 0 ? null : this.findWebhook(row.organisationId);
  }

  /** Null when there is no webhook to change. */
  async updateWebhook(organisationId: string, data: { url?: string; isPaused?: boolean; secret?: string; secretCreatedAt?: Date }): Promise<WebhookRow | null> {
    const { count } = await this.#db.contractorWebhook.updateMany({ where: { organisationId }, data: { ...data, updatedAt: new Date() } });
    return count === 0 ? null : this.findWebhook(organisationId);
  }

  /** Deletes the webhook and, with it, its deliveries (sent or not). False when there was none. */
  async deleteWebhook(organisationId: string): Promise<boolean> {
    return (await this.#db.contractorWebhook.deleteMany({ where: { organisationId } })).count > 0;
  }

  // ---- deliveries

  /** In the transaction of the step that the delivery tells of: committed with its ledger entry, or not at all. */
  async insertDelivery(
    tx: Client,
    row: { id: string; organisationId: string; eventType: string; contractId: string; orderId: string; payload: string; nextAttemptAt: Date },
  ): Promise<void> {
    await tx.contractorWebhookDelivery.create({ data: row });
  }

  recentDeliveries(organisationId: string, limit: number): Promise<DeliveryRow[]> {
    return this.#db.contractorWebhookDelivery.findMany({ where: { organisationId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit });
  }

  /**
   * Claims up to `limit` deliveries due at `now` whose webhook is not paused and whose organisation is
   * active (a suspended or closed contractor is sent nothing; its deliveries wait), for one attempt each:
   * in one statement, the rows are locked with SKIP LOCKED (so several API instances sweeping at once
   * each take different rows, without waiting on each other), their attempt is counted, and their next
   * attempt is moved to `leaseUntil`, after the attempt's time-out: until the outcome is recorded no
   * sweep finds them due, and if this process dies mid-attempt they are tried again after the lease.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const rows = await this.#db.$queryRaw<{ id: string; organisation_id: string; payload: string; attempts: number; url: string; secret: string }[]>`
      WITH due AS (
        SELECT d.id FROM contractor_webhook_delivery d
        JOIN contractor_webhook w ON w.organisation_id = d.organisation_id
        JOIN organisation o ON o.id = d.organisation_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ${now}::timestamptz AND NOT w.is_paused AND o.status = 'active'
        ORDER BY d.next_attempt_at, d.id
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE contractor_webhook_delivery d
      SET attempts = d.attempts + 1, last_attempt_at = ${now}::timestamptz, next_attempt_at = ${leaseUntil}::timestamptz
      FROM due, contractor_webhook w
      WHERE d.id = due.id AND w.organisation_id = d.organisation_id
      RETURNING d.id::text, d.organisation_id::text, d.payload, d.attempts, w.url, w.secret`;
    return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, payload: r.payload, attempts: r.attempts, url: r.url, secret: r.secret }));
  }

  /**
   * Records an attempt's outcome. A delivery that ends (delivered, or given up) loses its body: the
   * copy of the order's details is kept only while it may still be sent.
   */
  async recordAttempt(
    id: string,
    outcome: { status: 'pending' | 'delivered' | 'failed'; statusCode: number | null; problem: string | null; nextAttemptAt: Date | null; deliveredAt: Date | null },
  ): Promise<void> {
    await this.#db.contractorWebhookDelivery.updateMany({
      where: { id, status: 'pending' },
      data: {
        status: outcome.status,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.problem,
        nextAttemptAt: outcome.nextAttemptAt,
        deliveredAt: outcome.deliveredAt,
        ...(outcome.status === 'pending' ? {} : { payload: null }),
      },
    });
  }

  /** Forgets deliveries that ended before `before` (what is left of them is their outcome). */
  async deleteEndedBefore(before: Date): Promise<number> {
    return (await this.#db.contractorWebhookDelivery.deleteMany({ where: { status: { in: ['delivered', 'failed'] }, createdAt: { lt: before } } })).count;
  }
}
