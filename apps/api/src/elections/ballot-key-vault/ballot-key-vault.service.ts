import { Inject, Injectable } from '@nestjs/common';
import { fromHexString, toHexString, type BallotKeyVaultRecord } from '@townhall/protocol';
import { AppError } from '../../common/app-error.ts';
import type { Principal } from '../../common/access.ts';
import { ElectionsRepository } from '../elections.repository.ts';
import { notFound } from '../definition/elections.service.ts';
import { requirePhase } from '../election-phase.ts';
import { BallotKeyVaultRepository } from './ballot-key-vault.repository.ts';

type Resident = Extract<Principal, { kind: 'resident' }>;

const nothingStored = () => new AppError('NOT_FOUND', 'No voting key is saved for you in this election.');

/**
 * The ballot-key vault (docs/protocol/key-ceremony-and-credentials.md §6): keeps a resident's sealed
 * ballot key for them, and gives it back to them alone, while the election is open. The record is
 * opaque here: the key that opens it comes from the resident's passkey, in their browser.
 */
@Injectable()
export class BallotKeyVaultService {
  constructor(
    @Inject(BallotKeyVaultRepository) private readonly repository: BallotKeyVaultRepository,
    @Inject(ElectionsRepository) private readonly elections: ElectionsRepository,
  ) {}

  async get(electionId: string, principal: Resident): Promise<BallotKeyVaultRecord> {
    await this.#assertOpen(electionId);
    const row = await this.repository.find(electionId, principal.electorId);
    if (!row) throw nothingStored();
    return {
      version: 1,
      credentialId: Buffer.from(row.credentialId).toString('base64url'),
      salt: toHexString(row.salt),
      wrappedKey: toHexString(row.wrappedKey),
    };
  }

  async store(electionId: string, principal: Resident, record: BallotKeyVaultRecord): Promise<BallotKeyVaultRecord> {
    await this.#assertOpen(electionId);
    if (!(await this.elections.hasCredential(electionId, principal.electorId))) {
      throw new AppError('CONFLICT', 'You have no voting credential in this election yet, so there is no voting key to save.');
    }
    const credentialId = Buffer.from(record.credentialId, 'base64url');
    // The record must name a passkey its owner can still use: that passkey is the only one that opens it.
    const passkeys = await this.elections.passkeysOfElector(principal.electorId);
    if (!passkeys.some((p) => credentialId.equals(Buffer.from(p.credentialId)))) {
      throw new AppError('VALIDATION_FAILED', 'The voting key must be sealed with one of your own passkeys.', {
        issues: [{ path: 'credentialId', message: 'is not one of your passkeys' }],
      });
    }
    await this.repository.store(electionId, principal.electorId, {
      version: record.version,
      credentialId,
      salt: fromHexString(record.salt),
      wrappedKey: fromHexString(record.wrappedKey),
    });
    return record;
  }

  /** Drafts are unknown to residents; every other phase but `open` is refused. */
  async #assertOpen(electionId: string): Promise<void> {
    const election = await this.elections.find(electionId);
    if (!election || election.status === 'draft') throw notFound();
    requirePhase(election, 'open');
  }
}
