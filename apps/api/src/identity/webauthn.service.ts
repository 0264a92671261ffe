import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@townhall/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { AppError } from '../common/app-error.ts';
import { logger } from '../common/logger.ts';
import { sha256 } from './identity-keys.ts';
import { IdentityRepository } from './identity.repository.ts';

export type ChallengePurpose = 'enrol' | 'add-passkey' | 'sign-in' | 'staff-invite' | 'organisation-invite' | 'member-signing';
const CHALLENGE_TTL_MS = 5 * 60_000;
/** ES256, EdDSA, RS256: what platform authenticators and security keys make today. */
const ALGORITHMS = [-7, -8, -257];
/** A signing passkey's signatures are checked by anyone, with the verifier's ES256 (P-256) only. */
const SIGNING_ALGORITHMS = [-7];

export interface ConsumedChallenge {
  challenge: string;
  electorId: string | null;
  staffId: string | null;
  invitationId: string | null;
  codeHash: Uint8Array | null;
}

export interface VerifiedRegistration {
  credentialId: Uint8Array;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

/** A signature counter that did not move forward (when either side is non-zero): the passkey may have been copied (WebAuthn §6.1.1). */
export const counterRegressed = (newCounter: number, storedCounter: number): boolean => (newCounter > 0 || storedCounter > 0) && newCounter <= storedCounter;

export function counterRegression(counters?: { stored: number; received: number }): AppError {
  return new AppError(
    'PASSKEY_COUNTER_REGRESSION',
    'This passkey has been suspended because it may have been copied, and you have been signed out everywhere. Use another passkey, or ask the council for a new poll card.',
    counters ? { logMessage: `signature counter ${counters.received} after ${counters.stored}` } : {},
  );
}

const challengeExpired = () => new AppError('CHALLENGE_EXPIRED', 'That passkey request has expired or was used already. Please start again.');
const verificationFailed = (logMessage: string) =>
  new AppError('PASSKEY_VERIFICATION_FAILED', 'Your passkey could not be verified. Please try again, or use another passkey.', { logMessage });

/**
 * WebAuthn ceremonies with @simplewebauthn/server: the relying party is the configured public URL
 * (RP ID = its host name, expected origin = its origin); user verification is always required;
 * challenges are stored server-side, bound to the browser's session cookie and used once.
 */
@Injectable()
export class WebAuthnService {
  readonly rpId: string;
  readonly origin: string;

  constructor(
    @Inject(IdentityRepository) private readonly identity: IdentityRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const url = new URL(config.publicUrl);
    this.rpId = url.hostname;
    this.origin = url.origin;
  }

  async registrationOptions(input: {
    cookie: string;
    purpose: ChallengePurpose;
    userHandle: Uint8Array;
    userName: string;
    displayName: string;
    excludeCredentialIds: Uint8Array[];
    bind: { electorId?: string; staffId?: string; invitationId?: string; codeHash?: Uint8Array };
    /**
     * A signing passkey (a membership's contract approvals): ES256 only, not discoverable (it is
     * asked for by id, never offered at sign-in), no PRF. Otherwise a sign-in passkey.
     */
    isSigningKey?: boolean;
  }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const signing = input.isSigningKey === true;
    const options = await generateRegistrationOptions({
      rpName: 'Townhall',
      rpID: this.rpId,
      userID: new Uint8Array(input.userHandle),
      userName: input.userName,
      userDisplayName: input.displayName,
      attestationType: 'none',
      excludeCredentials: input.excludeCredentialIds.map((id) => ({ id: isoBase64URL.fromBuffer(new Uint8Array(id)) })),
      authenticatorSelection: signing
        ? { residentKey: 'discouraged', requireResidentKey: false, userVerification: 'required' }
        : { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
      supportedAlgorithmIDs: signing ? SIGNING_ALGORITHMS : ALGORITHMS,
      timeout: CHALLENGE_TTL_MS,
      // A security key evaluates the PRF (CTAP2 hmac-secret) only for credentials made with it; residents
      // seal their ballot keys with it (docs/protocol/key-ceremony-and-credentials.md §6).
      extensions: signing ? {} : { prf: {} },
    });
    await this.#store(options.challenge, input.cookie, input.purpose, input.bind);
    return options;
  }

  async authenticationOptions(cookie: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    // Empty allowCredentials: the browser offers the site's discoverable credentials (and autofill).
    const options = await generateAuthenticationOptions({ rpID: this.rpId, userVerification: 'required', timeout: CHALLENGE_TTL_MS });
    await this.#store(options.challenge, cookie, 'sign-in', {});
    return options;
  }

  /**
   * Takes the challenge out of the store (single use, even when verification then fails) and checks
   * it belongs to this browser, this purpose and has not expired.
   */
  async consumeChallenge(clientDataJSON: string, cookie: string, purpose: ChallengePurpose): Promise<ConsumedChallenge> {
    let challenge: unknown;
    try {
      challenge = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
    } catch {
      throw verificationFailed('clientDataJSON is not JSON');
    }
    if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 256) throw verificationFailed('clientDataJSON has no challenge');
    const row = await this.identity.consumeChallenge(challenge);
    if (!row || row.purpose !== purpose || !Buffer.from(row.bindingHash).equals(Buffer.from(sha256(cookie))) || row.expiresAt <= new Date()) {
      throw challengeExpired();
    }
    return { challenge: row.challenge, electorId: row.electorId, staffId: row.staffId, invitationId: row.invitationId, codeHash: row.codeHash };
  }

  async verifyRegistration(response: RegistrationResponseJSON, expectedChallenge: string, options: { isSigningKey?: boolean } = {}): Promise<VerifiedRegistration> {
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserPresence: true,
        requireUserVerification: true,
        supportedAlgorithmIDs: options.isSigningKey ? SIGNING_ALGORITHMS : ALGORITHMS,
      });
    } catch (error) {
      throw verificationFailed(`registration: ${(error as Error).message}`);
    }
    if (!verification.verified) throw verificationFailed('registration not verified');
    const { credential } = verification.registrationInfo;
    return {
      credentialId: isoBase64URL.toBuffer(credential.id),
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: (response.response.transports ?? []).slice(0, 10),
    };
  }

  /**
   * Verifies an assertion's signature, origin, RP ID, challenge and UV flag. The counter is checked by
   * the caller (so that a regression can be recorded rather than only refused): it is passed as 0 here.
   */
  async verifyAuthentication(
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
    passkey: { credentialId: Uint8Array; publicKey: Uint8Array },
  ): Promise<{ newCounter: number }> {
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification: true,
        credential: { id: isoBase64URL.fromBuffer(new Uint8Array(passkey.credentialId)), publicKey: new Uint8Array(passkey.publicKey), counter: 0 },
      });
      if (!verification.verified) throw new Error('assertion not verified');
      return { newCounter: verification.authenticationInfo.newCounter };
    } catch (error) {
      logger.info({ reason: (error as Error).message }, 'passkey assertion refused');
      throw verificationFailed(`authentication: ${(error as Error).message}`);
    }
  }

  /**
   * Every use of a passkey (sign-in, re-verification before adding a passkey, credential issuance):
   * the assertion, then the counter rule (WebAuthn §6.1.1, decision 0004). A counter that did not
   * move forward suspends the passkey and ends every session of its owner, and is refused.
   */
  async verifyPasskeyUse(
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
    passkey: { id: string; credentialId: Uint8Array; publicKey: Uint8Array; counter: bigint | number; suspendedAt?: Date | null },
  ): Promise<{ newCounter: number }> {
    if (passkey.suspendedAt) throw counterRegression();
    const { newCounter } = await this.verifyAuthentication(response, expectedChallenge, passkey);
    if (counterRegressed(newCounter, Number(passkey.counter))) {
      await this.identity.suspendPasskey(passkey.id, new Date());
      throw counterRegression({ stored: Number(passkey.counter), received: newCounter });
    }
    return { newCounter };
  }

  async #store(challenge: string, cookie: string, purpose: ChallengePurpose, bind: { electorId?: string; staffId?: string; invitationId?: string; codeHash?: Uint8Array }) {
    await this.identity.insertChallenge({ challenge, purpose, bindingHash: sha256(cookie), expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS), ...bind });
  }
}
