import { randomInt } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MAX_WEBHOOK_ATTEMPTS } from '@townhall/protocol';
import { Webhook } from 'standardwebhooks';
import { logger } from '../common/logger.ts';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { WebhookSender, type WebhookAttemptOutcome } from './contract-webhook-sender.ts';
import { webhookNetworkPolicy } from './contract-webhook-url.ts';
import { ContractWebhooksRepository, type ClaimedDelivery } from './contract-webhooks.repository.ts';

/** Deliveries claimed and sent together, at most, per round of a sweep. */
const BATCH = 20;
/** Rounds per sweep at most, so one sweep ends even when events keep coming. */
const MAX_ROUNDS = 10;
/** The first retry's delay; each next one is 4 times longer (contracts.md §14.3). */
const FIRST_RETRY_MS = 15_000;
const RETRY_FACTOR = 4;
/** Ended deliveries are forgotten after this, at most once an hour per instance. */
const KEEP_ENDED_MS = 30 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

/**
 * The wait before the attempt after attempt `attempts` failed: 15 s, 1 min, 4 min, 16 min, 64 min,
 * 4.3 h, 17 h (about 23 h from the first attempt to the eighth), each ±10 % so that endpoints that
 * failed together are not retried together.
 */
export function retryDelayMs(attempts: number): number {
  const base = FIRST_RETRY_MS * RETRY_FACTOR ** (attempts - 1);
  return Math.round(base * (0.9 + randomInt(0, 201) / 1000));
}

export interface SweepResult {
  /** Attempts made, by their result. */
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Sends contractors' webhook deliveries (docs/protocol/contracts.md §14.3). Each API instance runs a
 * loop that sweeps every TOWNHALL_WEBHOOK_SWEEP_INTERVAL_MS, and a step that records a delivery asks
 * for a sweep right after its commit. A sweep claims due deliveries with FOR UPDATE SKIP LOCKED (so
 * no delivery is sent by two instances at once), signs each body with the Standard Webhooks scheme
 * and POSTs it; a failure is retried with exponential back-off, MAX_WEBHOOK_ATTEMPTS attempts in all.
 * On shutdown the loop stops, attempts in flight are cut short (and recorded as failed attempts), and
 * the last sweep is awaited, so no timer or socket outlives the app.
 */
@Injectable()
export class ContractWebhookDeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #sender: WebhookSender;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #isAgainWanted = false;
  #lastPrunedAt = 0;
  readonly #stopping = new AbortController();
  readonly #sweeps = new Set<Promise<unknown>>();

  constructor(
    @Inject(ContractWebhooksRepository) private readonly repository: ContractWebhooksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.#sender = new WebhookSender({ policy: webhookNetworkPolicy(config), timeoutMs: config.webhooks.timeoutMs });
  }

  onApplicationBootstrap(): void {
    const interval = this.config.webhooks.sweepIntervalMs;
    if (interval === 0) return;
    this.#timer = setInterval(() => this.nudge(), interval);
    this.#timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopping.abort();
    await Promise.allSettled([...this.#sweeps]);
    this.#sender.close();
  }

  /**
   * Asks for a sweep soon (after a step recorded a delivery, and on every tick of the loop); one runs
   * at a time per instance, and a request during a sweep gets one more after it. Does nothing when the
   * loop is off (TOWNHALL_WEBHOOK_SWEEP_INTERVAL_MS=0) or the app is stopping.
   */
  nudge(): void {
    if (this.config.webhooks.sweepIntervalMs === 0 || this.#stopping.signal.aborted) return;
    if (this.#running) {
      this.#isAgainWanted = true;
      return;
    }
    this.#running = this.sweep()
      .catch((error: unknown) => logger.error({ err: error }, 'webhook sweep failed'))
      .finally(() => {
        this.#running = undefined;
        if (this.#isAgainWanted) {
          this.#isAgainWanted = false;
          this.nudge();
        }
      });
  }

  /**
   * One sweep: claims what is due at `now` and sends it, round after round until nothing is due.
   * Tests call it directly, with a clock of their own to reach a retry's time without waiting.
   */
  sweep(now?: Date): Promise<SweepResult> {
    const sweep = this.#sweep(now);
    this.#sweeps.add(sweep);
    return sweep.finally(() => this.#sweeps.delete(sweep));
  }

  async #sweep(now?: Date): Promise<SweepResult> {
    const result: SweepResult = { delivered: 0, retrying: 0, failed: 0 };
    for (let round = 0; round < MAX_ROUNDS && !this.#stopping.signal.aborted; round++) {
      const at = now ?? new Date();
      // The lease outlasts the attempt, whose time-out covers the whole request.
      const claimed = await this.repository.claimDue(at, new Date(at.getTime() + this.config.webhooks.timeoutMs + 60_000), BATCH);
      const outcomes = await Promise.all(claimed.map((delivery) => this.#attempt(delivery, at)));
      for (const outcome of outcomes) result[outcome]++;
      if (claimed.length < BATCH) break;
    }
    const at = now ?? new Date();
    if (at.getTime() - this.#lastPrunedAt > PRUNE_EVERY_MS) {
      this.#lastPrunedAt = at.getTime();
      await this.repository.deleteEndedBefore(new Date(at.getTime() - KEEP_ENDED_MS));
    }
    return result;
  }

  async #attempt(delivery: ClaimedDelivery, at: Date): Promise<keyof SweepResult> {
    // Standard Webhooks: the signature covers `<webhook-id>.<webhook-timestamp>.<body>`; the timestamp
    // is the attempt's real time (receivers refuse one more than 5 minutes off), not a test's clock.
    const sentAt = new Date();
    const headers = {
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(delivery.secret).sign(delivery.id, sentAt, delivery.payload),
    };
    let outcome: WebhookAttemptOutcome;
    try {
      outcome = await this.#sender.post(delivery.url, delivery.payload, headers, this.#stopping.signal);
    } catch (error) {
      logger.error({ err: error, deliveryId: delivery.id }, 'webhook attempt failed unexpectedly');
      outcome = { isDelivered: false, statusCode: null, problem: 'could not be sent' };
    }
    const isLast = delivery.attempts >= MAX_WEBHOOK_ATTEMPTS;
    const status = outcome.isDelivered ? 'delivered' : isLast ? 'failed' : 'pending';
    await this.repository.recordAttempt(delivery.id, {
      status,
      statusCode: outcome.statusCode,
      problem: outcome.problem,
      nextAttemptAt: status === 'pending' ? new Date(at.getTime() + retryDelayMs(delivery.attempts)) : null,
      deliveredAt: outcome.isDelivered ? sentAt : null,
    });
    // The endpoint's address and answer stay out of the log (an address may carry a token); its status does not.
    if (!outcome.isDelivered) {
      logger.info({ deliveryId: delivery.id, organisationId: delivery.organisationId, attempt: delivery.attempts, statusCode: outcome.statusCode, status }, 'webhook attempt failed');
    }
    return status === 'pending' ? 'retrying' : status;
  }
}
