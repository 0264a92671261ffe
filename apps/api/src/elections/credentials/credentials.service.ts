import { randomBytes, createHash } from 'node:crypto';
import type { EntryBodyInput } from '@townhall/protocol';
import { ledgerEntry } from '../../ledger/ledger-entry.ts';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CryptoError } from '@townhall/crypto';
import { createBlindSigner, importIssuerPrivateKey, type BlindSigner } from '@townhall/crypto/credentials-signer';
import { credentialChallenge, fromHexString, toHexString, type CredentialChallengeResponse, type CredentialRequest, type CredentialResponse } from '@townhall/protocol';
import type { EntryBody } from '@townhall/ledger';
import { AppError } from '../../common/app-error.ts';
import { APP_CONFIG, type AppConfig } from '../../config/config.ts';
import type { Principal } from '../../common/access.ts';
import { LedgerService } from '../../ledger/ledger.module.ts';
import { WebAuthnService } from '../../identity/webauthn.service.ts';
import { IdentityKeys } from '../../identity/identity-keys.ts';
import { ElectionsRepository } from '../elections.repository.ts';
import { BlindSignThread } from './blind-sign-thread.ts';
import { ElectionsService, type FrozenElection } from '../definition/elections.service.ts';
import { recheckPhase, requirePhase } from '../election-phase.ts';

const NONCE_TTL_MS = 5 * 60_000;
/** Outstanding challenges per elector: a newer one makes the oldest beyond this stop working. */
export const NONCES_PER_ELECTOR = 5;
const alreadyIssued = () =>
  new AppError('CREDENTIAL_ALREADY_ISSUED', 'You already have a voting credential for this election. Vote from the device you used before; you can vote again there until the election closes.');
const notEligible = () => new AppError('NOT_ELIGIBLE', 'Your district does not vote in this election.');
const challengeExpired = () => new AppError('CHALLENGE_EXPIRED', 'That request has expired or was used already. Please start again.');

/**
 * Eligibility credentials (docs/protocol/elections.md §5): one RFC 9474 blind signature per elector
 * per election, authorised by a passkey assertion whose challenge is bound to the blinded message.
 */
@Injectable()
export class CredentialsService implements OnModuleInit, OnModuleDestroy {
  readonly #signers = new Map<string, BlindSigner>();
  /** Blind signatures are computed off the event loop. */
  readonly #signing = new BlindSignThread();
  /** Frozen definitions of elections seen open, for issuance; the status is checked again in the append. */
  readonly #open = new Map<string, FrozenElection>();

  constructor(
    @Inject(ElectionsRepository) private readonly repository: ElectionsRepository,
    @Inject(ElectionsService) private readonly elections: ElectionsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(WebAuthnService) private readonly webauthn: WebAuthnService,
    @Inject(IdentityKeys) private readonly keys: IdentityKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.elections.statusChanged.add((electionId) => this.#forget(electionId));
  }

  async onModuleDestroy(): Promise<void> {
    await this.#signing.close();
  }

  /** An election changed status: what was kept of it while open goes (its issuer key included). */
  #forget(electionId: string): void {
    this.#open.delete(electionId);
    this.#signers.delete(electionId);
    this.#signing.forget(electionId);
  }

  async challenge(electionId: string, principal: Principal): Promise<CredentialChallengeResponse> {
    const { election, elector } = await this.#eligible(electionId, principal);
    if (await this.repository.hasCredential(electionId, elector.id)) throw alreadyIssued();
    this.#signing.warm(); // the issuance request follows this one
    const nonce = randomBytes(32);
    await this.repository.insertNonce({ nonce, electionId, electorId: elector.id, expiresAt: new Date(Date.now() + NONCE_TTL_MS) }, NONCES_PER_ELECTOR);
    const passkeys = await this.repository.passkeysOfElector(elector.id);
    return {
      nonce: nonce.toString('hex'),
      fingerprint: toHexString(election.fingerprint),
      issuerPublicKey: toHexString(election.row.issuerPublicKey!),
      rpId: this.webauthn.rpId,
      allowCredentials: passkeys.map((p) => ({ id: Buffer.from(p.credentialId).toString('base64url'), type: 'public-key' as const })),
      userVerification: 'required',
      timeout: NONCE_TTL_MS,
    };
  }

  async issue(electionId: string, principal: Principal, request: CredentialRequest): Promise<CredentialResponse> {
    assertResident(principal);
    const election = await this.#election(electionId, { cachedIfOpen: true });
    // Before the nonce is used up: a request to a closed election leaves the challenge as it was.
    requirePhase(election.row, 'open');
    const nonce = fromHexString(request.nonce);
    // Single use whatever happens next: a replayed assertion finds no nonce. The nonce's elector comes
    // with it (one round trip); the challenge was only given to an elector eligible for the election.
    const stored = await this.repository.consumeNonceWithPasskey(nonce, Buffer.from(request.assertion.rawId, 'base64url'));
    if (!stored || stored.electionId !== electionId || stored.elector.id !== principal.electorId || stored.expiresAt <= new Date()) throw challengeExpired();
    const elector = stored.elector;
    checkEligible(election, elector.district.code);
    const blinded = fromHexString(request.blindedMessage);
    const signer = this.#signer(election);
    if (blinded.length !== signer.modulusLength) {
      throw new AppError('VALIDATION_FAILED', `The blinded message must be ${signer.modulusLength} bytes for this election's issuer key.`);
    }
    const passkey = stored.passkey;
    if (!passkey) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'Use a passkey registered to your own account.');
    const expectedChallenge = Buffer.from(credentialChallenge(election.fingerprint, nonce, blinded)).toString('base64url');
    // The same rule as sign-in: a counter that went back suspends the passkey and signs its owner out everywhere.
    const { newCounter } = await this.webauthn.verifyPasskeyUse(request.assertion, expectedChallenge, passkey);
    let blindSignature: Uint8Array;
    try {
      blindSignature = await this.#signing.sign(electionId, () => new Uint8Array(election.row.issuerPrivateKey!), blinded);
    } catch (error) {
      if (error instanceof CryptoError) throw new AppError('VALIDATION_FAILED', 'The blinded message is not valid for this election’s issuer key.', { cause: error });
      throw error;
    }
    const district = elector.district.code;
    const pseudonym = this.keys.pseudonym(elector.electorNumber);
    const body = {
      fingerprint: toHexString(election.fingerprint),
      pseudonym,
      district,
      nonce: request.nonce,
      blindedMessage: request.blindedMessage,
      credentialIdHash: createHash('sha256').update(passkey.credentialId).digest('hex'),
      assertion: {
        clientDataJSON: request.assertion.response.clientDataJSON,
        authenticatorData: request.assertion.response.authenticatorData,
        signature: request.assertion.response.signature,
      },
    };
    // Not appended now: the entry waits for its epoch (elections.md §5.1), so that where it lands in
    // the log says nothing about when this resident casts.
    const { inserted, queued } = await this.repository.issueCredentialIfOpen({ electionId, electorId: elector.id, district, pseudonym, body, passkeyId: passkey.id, passkeyCounter: newCounter });
    if (!inserted) {
      const row = await this.repository.find(electionId);
      // Closed since this instance cached it as open (by another instance, or the close has not committed yet).
      if (row?.status !== 'open') this.#forget(electionId);
      recheckPhase(row, 'open');
      throw alreadyIssued();
    }
    const indices = queued >= this.config.credentialEpoch.min ? await this.sequenceEpoch(election) : new Map<string, bigint>();
    const index = indices.get(elector.id);
    return { blindSignature: toHexString(blindSignature), ledgerIndex: index === undefined ? null : index.toString() };
  }

  /**
   * Appends the queued CredentialIssued entries of an election as one epoch, in pseudonym order,
   * when at least `min` wait (or `force`). Returns each elector's entry index. Another instance may
   * have sequenced them first: then there is nothing to do.
   */
  async sequenceEpoch(election: FrozenElection, options: { force?: boolean } = {}): Promise<Map<string, bigint>> {
    const { result } = await this.ledger.append(election.logName, async (tx, { nextIndex }) => {
      const taken = await this.repository.takeCredentialQueue(tx, election.row.id, nextIndex);
      if (taken.length === 0 || (!options.force && taken.length < this.config.credentialEpoch.min && !(await this.#isStale(election.row.id)))) {
        throw new NotAnEpoch(); // rolls back what takeCredentialQueue did

      }
      return {
        // Stored as JSON when queued; the schema checks it again as it is appended.
        entries: taken.map((t) => ledgerEntry('CredentialIssued', t.body as EntryBodyInput<'CredentialIssued'>)),
        result: new Map(taken.map((t, i) => [t.electorId, nextIndex + BigInt(i)])),
      };
    }).catch((error: unknown) => {
      if (error instanceof NotAnEpoch) return { result: new Map<string, bigint>() };
      throw error;
    });
    return result;
  }

  /** The epoch timer (every scheduler pass): sequences each election's queue once it is full or its oldest entry has waited long enough. */
  async sequenceDueEpochs(now = new Date()): Promise<void> {
    for (const queue of await this.repository.electionsWithQueuedCredentials()) {
      if (queue.count < this.config.credentialEpoch.min && now.getTime() - queue.oldest.getTime() < this.config.credentialEpoch.maxWaitMs) continue;
      await this.sequenceEpoch(await this.elections.frozen(queue.electionId), { force: true });
    }
    await this.repository.purgeExpiredNonces(now);
  }

  async #isStale(electionId: string): Promise<boolean> {
    const { oldest } = await this.repository.credentialQueue(electionId);
    return oldest !== null && Date.now() - oldest.getTime() >= this.config.credentialEpoch.maxWaitMs;
  }

  async #eligible(electionId: string, principal: Principal) {
    assertResident(principal);
    const election = await this.#election(electionId);
    const elector = await this.repository.elector(principal.electorId);
    if (!elector) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    checkEligible(election, elector.district.code);
    return { election, elector };
  }

  async #election(electionId: string, options: { cachedIfOpen?: boolean } = {}): Promise<FrozenElection> {
    const election = (options.cachedIfOpen && this.#open.get(electionId)) || (await this.elections.frozen(electionId));
    if (election.row.status === 'open') this.#open.set(electionId, election);
    return election;
  }

  #signer(election: FrozenElection): BlindSigner {
    let signer = this.#signers.get(election.row.id);
    if (!signer) {
      signer = createBlindSigner(importIssuerPrivateKey(new Uint8Array(election.row.issuerPrivateKey!)));
      this.#signers.set(election.row.id, signer);
    }
    return signer;
  }
}

/** Thrown out of an epoch's append when the queue is not (or no longer) an epoch: nothing is written. */
class NotAnEpoch extends Error {}

function assertResident(principal: Principal): asserts principal is Extract<Principal, { kind: 'resident' }> {
  if (principal.kind !== 'resident') throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
}

/** What both steps of issuance require of the elector and the election: an eligible district, voting open. */
function checkEligible(election: FrozenElection, district: string): void {
  if (!election.manifest.eligibleDistricts.includes(district)) throw notEligible();
  requirePhase(election.row, 'open');
}
