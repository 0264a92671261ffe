import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error.ts';
import { IdentityRepository } from './identity.repository.ts';

/**
 * Limits on guessing activation codes (docs/decisions/0004-identity.md). Per client IP: 20 failures in 15 minutes lock
 * that IP out for 15 minutes (ACCOUNT_LOCKED). Per roll entry (a right code with a wrong postcode or
 * date of birth): 5 failures in 24 hours lock that card for an hour; a locked card answers like an
 * unknown code (ACTIVATION_CODE_INVALID), so the answer never tells a guesser a code is real. A
 * success never clears the IP's count, so a guesser cannot reset it with a card of their own.
 */
export const THROTTLE = {
  ip: { limit: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  elector: { limit: 5, windowMs: 24 * 3600_000, lockMs: 3600_000 },
} as const;

const locked = (until: Date) =>
  new AppError(
    'ACCOUNT_LOCKED',
    `Too many wrong attempts. Try again after ${until.toISOString().slice(11, 16)} UTC (in about ${Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000))} minutes), or contact the council for a new poll card.`,
  );

@Injectable()
export class ActivationThrottle {
  constructor(@Inject(IdentityRepository) private readonly identity: IdentityRepository) {}

  async assertOpen(key: string): Promise<void> {
    const row = await this.identity.findThrottle(key);
    if (row?.lockedUntil && row.lockedUntil > new Date()) throw locked(row.lockedUntil);
  }

  async isLocked(key: string): Promise<boolean> {
    const row = await this.identity.findThrottle(key);
    return row?.lockedUntil != null && row.lockedUntil > new Date();
  }

  async fail(key: string, kind: keyof typeof THROTTLE): Promise<void> {
    const { limit, windowMs, lockMs } = THROTTLE[kind];
    await this.identity.recordFailure(key, new Date(), windowMs, limit, lockMs);
  }

  async clear(key: string): Promise<void> {
    await this.identity.resetThrottle(key);
  }
}
