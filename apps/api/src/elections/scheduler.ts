import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppError } from '../common/app-error.ts';
import { logger } from '../common/logger.ts';
import { ElectionsRepository } from './elections.repository.ts';
import { ElectionsService } from './definition/elections.service.ts';
import { CredentialsService } from './credentials/credentials.service.ts';

export const SCHEDULER_INTERVAL_MS = 1000;

/**
 * Opens and closes elections on time without anyone clicking, and sequences credential epochs. Every API instance runs one; the
 * transition itself is `UPDATE … WHERE status = …` inside the append's transaction, so when two
 * instances race only one moves the election and appends the entry, and the other gets
 * ELECTION_WRONG_PHASE, which is expected here and ignored.
 */
@Injectable()
export class ElectionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    @Inject(ElectionsRepository) private readonly repository: ElectionsRepository,
    @Inject(ElectionsService) private readonly elections: ElectionsService,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
  ) {}

  onApplicationBootstrap(): void {
    this.#timer = setInterval(() => void this.tick(), SCHEDULER_INTERVAL_MS);
    this.#timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over the elections that are due (also called by tests). */
  tick(): Promise<void> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<void> {
    try {
      for (const due of await this.repository.due(new Date())) {
        try {
          if (due.status === 'ready') await this.elections.open(due.id, 'schedule');
          else await this.elections.close(due.id, 'schedule');
          logger.info({ electionId: due.id, from: due.status }, 'scheduled election transition');
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'ELECTION_WRONG_PHASE')) logger.error({ err: error, electionId: due.id }, 'scheduled transition failed');
        }
      }
      // Credential epochs whose wait is over (elections.md §5.1), and expired challenges.
      await this.credentials.sequenceDueEpochs();
    } catch (error) {
      logger.error({ err: error }, 'election scheduler pass failed');
    }
  }
}
