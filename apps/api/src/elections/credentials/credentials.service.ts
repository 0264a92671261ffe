import { randomBytes, createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CryptoError } from '@townhall/crypto';
import { createBlindSigner, importIssuerPrivateKey, type BlindSigner } from '@townhall/crypto/credentials-signer';
import { credentialChallenge, fromHexString, toHexString, type CredentialChallengeResponse, type CredentialRequest, type CredentialResponse } from '@townhall/protocol';
import { AppError } from '../../common/app-error.ts';
import type { Principal } from '../../common/access.ts';
import { LedgerService } from '../../ledger/ledger.module.ts';
import { WebAuthnService, counterRegressed } from '../../identity/webauthn.service.ts';
import { IdentityKeys } from '../../identity/identity-keys.ts';
import { ElectionsRepository } from '../elections.repository.ts';
import { BlindSignThread } from './blind-sign-thread.ts';
import { ElectionsService, wrongPhase, type FrozenElection } from '../definition/elections.service.ts';

const NONCE_TTL_MS = 5 * 60_000;
const alreadyIssued = () =>
  new AppError('CREDENTIAL_ALREADY_ISSUED', 'You already have a voting credential for this election. Vote from the device you used before; you can vote again there until the election closes.');
const notEligible = () => new AppError('NOT_ELIGIBLE', 'Your district does not vote in this election.');
const challengeExpired = () => new AppError('CHALLENGE_EXPIRED', 'That request has expired or was used already. Please start again.');

/**
 * Eligibility credentials (docs/protocol/elections.md §5): one RFC 9474 blind signature per elector
 * per election, authorised by a passkey assertion whose challenge is bound to the blinded message.
 */
@Injectable()
export class CredentialsService implements OnModuleDestroy {
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
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.#signing.close();
  }

  async challenge(electionId: string, principal: Principal): Promise<CredentialChallengeResponse> {
    const { election, elector } = await this.#eligible(electionId, principal);
    if (await this.repository.hasCredential(electionId, elector.id)) throw alreadyIssued();
    this.#signing.warm(); // the issuance request follows this one
    const nonce = randomBytes(32);
    await this.repository.insertNonce({ nonce, electionId, electorId: elector.id, expiresAt: new Date(Date.now() + NONCE_TTL_MS) });
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
    if (election.row.status !== 'open') throw wrongPhase(election.row.status, 'open');
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
    const { newCounter } = await this.webauthn.verifyAuthentication(request.assertion, expectedChallenge, passkey);
    if (counterRegressed(newCounter, Number(passkey.counter))) {
      throw new AppError('PASSKEY_COUNTER_REGRESSION', 'This passkey may have been copied; sign in again with another passkey.');
    }
    let blindSignature: Uint8Array;
    try {
      blindSignature = await this.#signing.sign(electionId, () => new Uint8Array(election.row.issuerPrivateKey!), blinded);
    } catch (error) {
      if (error instanceof CryptoError) throw new AppError('VALIDATION_FAILED', 'The blinded message is not valid for this election’s issuer key.', { cause: error });
      throw error;
    }
    const district = elector.district.code;
    const { appended } = await this.ledger.append(election.logName, async (tx, { nextIndex }) => {
      if (!(await this.repository.insertCredentialIfOpen(tx, { electionId, electorId: elector.id, district, ledgerIndex: nextIndex, passkeyId: passkey.id, passkeyCounter: newCounter }))) {
        const row = await this.repository.find(electionId, tx);
        throw row?.status === 'open' ? alreadyIssued() : wrongPhase(row?.status ?? 'gone', 'open');
      }
      const body = {
        fingerprint: toHexString(election.fingerprint),
        pseudonym: this.keys.pseudonym(elector.electorNumber),
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
      return { entries: [{ type: 'CredentialIssued', body }], result: undefined };
    });
    return { blindSignature: toHexString(blindSignature), ledgerIndex: appended[0]!.index.toString() };
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

function assertResident(principal: Principal): asserts principal is Extract<Principal, { kind: 'resident' }> {
  if (principal.kind !== 'resident') throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
}

/** What both steps of issuance require of the elector and the election: an eligible district, voting open. */
function checkEligible(election: FrozenElection, district: string): void {
  if (!election.manifest.eligibleDistricts.includes(district)) throw notEligible();
  if (election.row.status !== 'open') throw wrongPhase(election.row.status, 'open');
}
