import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { G, encodePoint } from '@townhall/crypto';
import type { CastBallotRequest, CredentialRequest } from '@townhall/protocol';
import type { Principal } from '../common/access.ts';
import type { AppError } from '../common/app-error.ts';
import { Listeners } from '../common/listeners.ts';
import type { AppConfig } from '../config/config.ts';
import type { IdentityKeys } from '../identity/identity-keys.ts';
import type { WebAuthnService } from '../identity/webauthn.service.ts';
import type { AppendWork, LedgerService } from '../ledger/ledger.module.ts';
import { BallotsService } from './ballots/ballots.service.ts';
import { CredentialsService } from './credentials/credentials.service.ts';
import { ElectionsService, type FrozenElection } from './definition/elections.service.ts';
import type { ElectionsRepository } from './elections.repository.ts';

/**
 * The per-election caches of issuance and casting keep what they need of an open election; they
 * forget it when its status changes (issue #19), so a closed election leaves nothing behind.
 */
const electionId = '2b3f0f7e-7d4a-4d4f-9a43-0d7c2f3c0001';
const resident: Principal = { kind: 'resident', electorId: 'elector', sessionId: 'session', passkeyId: null };

function openElections() {
  const spki = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
  const election = {
    row: { id: electionId, status: 'open', electionKey: encodePoint(G), issuerPublicKey: new Uint8Array(spki) },
    manifest: { contests: [], eligibleDistricts: [] },
    fingerprint: new Uint8Array(32),
    logName: `election-${electionId}`,
  } as unknown as FrozenElection;
  const elections = {
    frozenReads: 0,
    statusChanged: new Listeners<string>(),
    async frozen() {
      this.frozenReads++;
      return election;
    },
  };
  return elections as typeof elections & ElectionsService;
}

const codeOf = (promise: Promise<unknown>) => promise.then(
  () => 'allowed',
  (error: AppError) => error.code,
);

/** `act` twice reads the election once (refused with `code` after the read); after a status change, once more. */
async function expectCachedUntilStatusChange(elections: ReturnType<typeof openElections>, act: () => Promise<unknown>, code: string) {
  expect([await codeOf(act()), await codeOf(act())]).toEqual([code, code]);
  expect(elections.frozenReads).toBe(1);
  elections.statusChanged.notify(electionId);
  await codeOf(act());
  expect(elections.frozenReads).toBe(2);
}

describe('per-election caches', () => {
  it('credential issuance reads an open election once, and again after its status changed', async () => {
    const elections = openElections();
    const repository = { consumeNonceWithPasskey: async () => undefined } as unknown as ElectionsRepository;
    const service = new CredentialsService(repository, elections, {} as LedgerService, {} as WebAuthnService, {} as IdentityKeys, {} as AppConfig);
    service.onModuleInit();
    const request = { nonce: '00'.repeat(32), assertion: { rawId: 'AA' } } as unknown as CredentialRequest;
    // No such challenge: refused after the election was looked up.
    await expectCachedUntilStatusChange(elections, () => service.issue(electionId, resident, request), 'CHALLENGE_EXPIRED');
    await service.onModuleDestroy();
  });

  it('casting keeps an open election’s verification material until its status changed', async () => {
    const elections = openElections();
    const service = new BallotsService({} as ElectionsRepository, elections, {} as LedgerService);
    service.onModuleInit();
    // Refused for its fingerprint, after the election's material was looked up.
    await expectCachedUntilStatusChange(elections, () => service.cast(electionId, { fingerprint: '11'.repeat(32) } as CastBallotRequest), 'BALLOT_REJECTED');
    await service.onModuleDestroy();
  });

  it('hears of a status change once the transition has committed, and of nothing else', async () => {
    let isMoving = true;
    const repository = { transition: async () => isMoving } as unknown as ElectionsRepository;
    const ledger = { append: async (_: string, work: AppendWork<unknown>) => ({ ...(await work({} as never, { nextIndex: 1n })), appended: [] }) } as unknown as LedgerService;
    const elections = new ElectionsService(repository, ledger, {} as AppConfig);
    const heard: string[] = [];
    elections.statusChanged.add((id) => heard.push(id));

    await elections.appendTransition(electionId, async (_, move) => (await move('close'), []));
    expect(heard).toEqual([electionId]);
    isMoving = false;
    await elections.appendTransition(electionId, async (_, move) => (await move('close'), []));
    await elections.appendTransition(electionId, async () => []);
    await expect(elections.appendTransition(electionId, async (_, move) => (await move('close'), Promise.reject(new Error('rolled back'))))).rejects.toThrow();
    expect(heard).toEqual([electionId]);
  });
});
