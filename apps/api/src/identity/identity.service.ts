import { Inject, Injectable } from '@nestjs/common';
import {
  EnrolmentStartRequest,
  type AccountResponse,
  type AddPasskeyStartRequest,
  type Attestation,
  type AuthenticationFinishRequest,
  type PasskeySummary,
  type RegistrationFinishRequest,
  type SessionResponse,
} from '@townhall/protocol';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { z } from 'zod';
import { decodeEntry } from '@townhall/ledger';
import { AppError } from '../common/app-error.ts';
import type { Principal } from '../common/access.ts';
import { LedgerService, REGISTRY_LOG } from '../ledger/ledger.module.ts';
import { StaffRepository } from '../staff/staff.repository.ts';
import { IdentityKeys, sha256 } from './identity-keys.ts';
import { IdentityRepository } from './identity.repository.ts';
import { ActivationThrottle } from './activation-throttle.ts';
import { SessionService } from './session.service.ts';
import { WebAuthnService } from './webauthn.service.ts';
import { enrolledEntry } from './registry-entries.ts';

const codeInvalid = () =>
  new AppError(
    'ACTIVATION_CODE_INVALID',
    'The activation code and the postcode or date of birth do not match a poll card. Check them and try again. After 5 wrong tries a card is locked for an hour: if you are sure they are right, try again later or contact the council.',
  );

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const hex = (value: Uint8Array) => Buffer.from(value).toString('hex');

export interface SignedIn {
  cookie: string;
  session: SessionResponse;
}

/** Resident enrolment, passkey sign-in (residents and staff), extra passkeys, the account page. */
@Injectable()
export class IdentityService {
  constructor(
    @Inject(IdentityRepository) private readonly identity: IdentityRepository,
    @Inject(StaffRepository) private readonly staff: StaffRepository,
    @Inject(IdentityKeys) private readonly keys: IdentityKeys,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(WebAuthnService) private readonly webauthn: WebAuthnService,
    @Inject(ActivationThrottle) private readonly throttle: ActivationThrottle,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  async describe(cookie: string): Promise<SessionResponse> {
    const { principal, expiresAt } = await this.sessions.resolve(cookie);
    return { principal: await this.#wirePrincipal(principal), csrfToken: this.sessions.csrfToken(cookie), expiresAt: iso(expiresAt) };
  }

  async #wirePrincipal(principal: Principal): Promise<SessionResponse['principal']> {
    if (principal.kind === 'anonymous') return principal;
    if (principal.kind === 'staff') return { kind: 'staff', staffId: principal.staffId, displayName: principal.displayName, roles: [...principal.roles] };
    if (principal.kind === 'person') return { kind: 'person', displayName: principal.displayName };
    const elector = await this.identity.findElectorForAccount(principal.electorId);
    if (!elector) return { kind: 'anonymous' };
    return { kind: 'resident', pseudonym: this.keys.pseudonym(elector.electorNumber), districtCode: elector.district.code, givenName: elector.givenName };
  }

  // ---- enrolment

  async startEnrolment(input: z.output<typeof EnrolmentStartRequest>, cookie: string, clientIp: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const ipKey = `ip:${clientIp}`;
    await this.throttle.assertOpen(ipKey);
    const codeHash = this.keys.activationCodeHash(input.activationCode);
    const card = await this.identity.findActivationCode(codeHash);
    if (!card || card.usedAt) {
      await this.throttle.fail(ipKey, 'ip');
      throw codeInvalid();
    }
    const electorKey = `elector:${card.electorId}`;
    // A locked card answers exactly like an unknown code, and counts against the client like one: a
    // distinct answer (it was 423) would tell a guesser that the code is real. Its owner hears of the
    // lock from the council (docs/decisions/0004-identity.md).
    if (await this.throttle.isLocked(electorKey)) {
      await this.throttle.fail(ipKey, 'ip');
      throw codeInvalid();
    }
    const elector = card.elector;
    const matches =
      'postcode' in input
        ? elector.postcode.toUpperCase().replace(/\s+/g, '') === input.postcode.replace(/\s+/g, '')
        : elector.dateOfBirth.toISOString().slice(0, 10) === input.dateOfBirth;
    if (!matches) {
      await this.throttle.fail(ipKey, 'ip');
      await this.throttle.fail(electorKey, 'elector');
      throw codeInvalid();
    }
    await this.throttle.clear(electorKey);
    const existing = await this.identity.passkeysOf({ electorId: elector.id });
    return this.webauthn.registrationOptions({
      cookie,
      purpose: 'enrol',
      userHandle: this.keys.userHandle('elector', elector.id),
      userName: `${elector.givenName} ${elector.familyName} (${elector.electorNumber})`,
      displayName: `${elector.givenName} ${elector.familyName}`,
      // A revoked passkey stays on the resident's device; excluding it would stop that device enrolling again.
      excludeCredentialIds: existing.filter((p) => p.revokedAt === null).map((p) => p.credentialId),
      bind: { electorId: elector.id, codeHash },
    });
  }

  async finishEnrolment(input: RegistrationFinishRequest, cookie: string): Promise<SignedIn> {
    const challenge = await this.webauthn.consumeChallenge(input.response.response.clientDataJSON, cookie, 'enrol');
    const registration = await this.webauthn.verifyRegistration(input.response, challenge.challenge);
    const electorId = challenge.electorId!;
    const { cookie: newCookie } = await this.#addResidentPasskey(electorId, registration, async (tx) => {
      // The card may have been used or re-issued since the ceremony started.
      if (!(await this.identity.useActivationCode(tx, electorId, challenge.codeHash!, new Date()))) throw codeInvalid();
    });
    return { cookie: newCookie, session: await this.describe(newCookie) };
  }

  // ---- another passkey for a signed-in resident

  /**
   * Registration options for another passkey, only after a fresh user-verified assertion by one of
   * the resident's own active passkeys (the session alone may be a cloned passkey's; decision 0004).
   */
  async startAddPasskey(principal: Principal, input: AddPasskeyStartRequest, cookie: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const electorId = this.#residentId(principal);
    const elector = await this.identity.findElectorForAccount(electorId);
    if (!elector) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    const challenge = await this.webauthn.consumeChallenge(input.assertion.response.clientDataJSON, cookie, 'sign-in');
    const passkey = await this.identity.findPasskeyByCredentialId(Buffer.from(input.assertion.rawId, 'base64url'));
    if (!passkey || passkey.electorId !== electorId) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'Confirm it is you with a passkey of your own account first.');
    if (passkey.revokedAt) throw new AppError('PASSKEY_REVOKED', 'This passkey was revoked. Use another passkey, or enrol again with your new card.');
    const { newCounter } = await this.webauthn.verifyPasskeyUse(input.assertion, challenge.challenge, passkey);
    await this.identity.recordSignIn(passkey.id, newCounter, new Date());
    const existing = await this.identity.passkeysOf({ electorId });
    return this.webauthn.registrationOptions({
      cookie,
      purpose: 'add-passkey',
      userHandle: this.keys.userHandle('elector', electorId),
      userName: `${elector.givenName} ${elector.familyName} (${elector.electorNumber})`,
      displayName: `${elector.givenName} ${elector.familyName}`,
      // A revoked passkey stays on the resident's device; excluding it would stop that device enrolling again.
      excludeCredentialIds: existing.filter((p) => p.revokedAt === null).map((p) => p.credentialId),
      bind: { electorId },
    });
  }

  async finishAddPasskey(principal: Principal, input: RegistrationFinishRequest, cookie: string): Promise<PasskeySummary> {
    const electorId = this.#residentId(principal);
    const challenge = await this.webauthn.consumeChallenge(input.response.response.clientDataJSON, cookie, 'add-passkey');
    if (challenge.electorId !== electorId) throw new AppError('CHALLENGE_EXPIRED', 'That passkey request has expired or was used already. Please start again.');
    const registration = await this.webauthn.verifyRegistration(input.response, challenge.challenge);
    const { passkeyId } = await this.#addResidentPasskey(electorId, registration, async () => undefined, { keepSession: true });
    const passkey = (await this.identity.passkeysOf({ electorId })).find((p) => p.id === passkeyId)!;
    return this.#passkeySummary(passkey);
  }

  /** Stores the passkey, appends its Enrolled entry and (unless kept) opens a session, in one transaction. */
  async #addResidentPasskey(
    electorId: string,
    registration: Awaited<ReturnType<WebAuthnService['verifyRegistration']>>,
    precondition: (tx: Parameters<Parameters<LedgerService['append']>[1]>[0]) => Promise<void>,
    options: { keepSession?: boolean } = {},
  ): Promise<{ cookie: string; passkeyId: string }> {
    const elector = await this.identity.findElectorForAccount(electorId);
    if (!elector) throw codeInvalid();
    const pseudonym = this.keys.pseudonym(elector.electorNumber);
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      await precondition(tx);
      const passkey = await this.identity.insertPasskey(tx, { ...registration, owner: { electorId } });
      if (!passkey) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'This passkey is registered already. Sign in with it instead.');
      await this.identity.setEnrolledIndex(tx, passkey.id, nextIndex);
      const session = options.keepSession ? { cookie: '' } : await this.sessions.create(tx, { electorId }, passkey.id);
      return { entries: [enrolledEntry(pseudonym, registration.credentialId, registration.publicKey)], result: { cookie: session.cookie, passkeyId: passkey.id } };
    });
    return result;
  }

  // ---- sign-in (residents and staff)

  async startSignIn(cookie: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    // Housekeeping where it is cheap (indexed on expires_at): expired sessions and challenges go.
    await this.identity.deleteExpired(new Date());
    return this.webauthn.authenticationOptions(cookie);
  }

  async finishSignIn(input: AuthenticationFinishRequest, cookie: string): Promise<SignedIn> {
    const challenge = await this.webauthn.consumeChallenge(input.response.response.clientDataJSON, cookie, 'sign-in');
    const credentialId = Buffer.from(input.response.rawId, 'base64url');
    const passkey = await this.identity.findPasskeyByCredentialId(credentialId);
    if (!passkey) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'This passkey is not registered here. Enrol with your poll card first, or use another passkey.');
    const owner = passkey.electorId
      ? ({ kind: 'elector', id: passkey.electorId } as const)
      : passkey.personId
        ? ({ kind: 'person', id: passkey.personId } as const)
        : ({ kind: 'staff', id: passkey.staffId! } as const);
    if (input.response.response.userHandle !== undefined) {
      const expected = Buffer.from(this.keys.userHandle(owner.kind, owner.id)).toString('base64url');
      if (input.response.response.userHandle !== expected) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'Your passkey could not be verified.', { logMessage: 'user handle mismatch' });
    }
    if (passkey.revokedAt) throw new AppError('PASSKEY_REVOKED', 'This passkey was revoked (for example when a new poll card was issued). Use another passkey, or enrol again with your new card.');
    let newCounter: number;
    try {
      ({ newCounter } = await this.webauthn.verifyPasskeyUse(input.response, challenge.challenge, passkey));
    } catch (error) {
      const isNewSuspension = error instanceof AppError && error.code === 'PASSKEY_COUNTER_REGRESSION' && !passkey.suspendedAt;
      if (isNewSuspension && owner.kind === 'staff') await this.staff.recordAction({ staffId: owner.id, action: 'staff.passkey-suspended', target: passkey.id, detail: { stored: Number(passkey.counter) } });
      throw error;
    }
    await this.identity.recordSignIn(passkey.id, newCounter, new Date());
    const sessionOwner =
      owner.kind === 'elector' ? { electorId: owner.id } : owner.kind === 'person' ? { personId: owner.id } : { staffId: owner.id };
    const session = await this.identity.transaction((tx) => this.sessions.create(tx, sessionOwner, passkey.id));
    if (owner.kind === 'staff') await this.staff.recordAction({ staffId: owner.id, action: 'staff.sign-in', target: null, detail: {} });
    return { cookie: session.cookie, session: await this.describe(session.cookie) };
  }

  // ---- account

  async account(principal: Principal): Promise<AccountResponse> {
    const electorId = this.#residentId(principal);
    const elector = await this.identity.findElectorForAccount(electorId);
    if (!elector) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    const pseudonym = this.keys.pseudonym(elector.electorNumber);
    const passkeys = await this.identity.passkeysOf({ electorId });
    const indices = passkeys.flatMap((p) => [p.enrolledIndex, p.revokedIndex]).filter((i): i is bigint => i !== null);
    const rollIndex = await this.identity.latestRollCommitIndex(elector.councilId);
    if (rollIndex !== null) indices.push(rollIndex);
    const attestations = await this.#attestations([...new Set(indices)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      pseudonym,
      districtCode: elector.district.code,
      givenName: elector.givenName,
      passkeys: passkeys.map((p) => this.#passkeySummary(p)),
      attestations,
    };
  }

  async #attestations(indices: bigint[]): Promise<Attestation[]> {
    if (indices.length === 0) return [];
    const checkpoint = await this.ledger.latestCheckpoint(REGISTRY_LOG, { published: true });
    const out: Attestation[] = [];
    for (const index of indices) {
      const [entry] = await this.ledger.entries(REGISTRY_LOG, index, index + 1n);
      if (!entry) continue;
      const body = decodeEntry(entry.bytes).body as Record<string, unknown>;
      let inclusionProof: Attestation['inclusionProof'] = null;
      if (checkpoint && index < checkpoint.size) {
        const proof = await this.ledger.inclusionProof(REGISTRY_LOG, index, checkpoint.size);
        inclusionProof = { treeSize: checkpoint.size.toString(), rootHash: hex(checkpoint.rootHash), hashes: proof.proof.map(hex) };
      }
      out.push({
        logId: REGISTRY_LOG,
        type: entry.type as Attestation['type'],
        index: index.toString(),
        body,
        entry: Buffer.from(entry.bytes).toString('base64'),
        leafHash: hex(entry.leafHash),
        inclusionProof,
        checkpoint: inclusionProof ? checkpoint!.note : null,
      });
    }
    return out;
  }

  #passkeySummary(p: { id: string; credentialId: Uint8Array; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; suspendedAt: Date | null }): PasskeySummary {
    return {
      id: p.id,
      credentialIdHash: hex(sha256(p.credentialId)),
      createdAt: p.createdAt.toISOString(),
      lastUsedAt: iso(p.lastUsedAt),
      status: p.revokedAt ? 'revoked' : p.suspendedAt ? 'suspended' : 'active',
      revokedAt: iso(p.revokedAt),
      suspendedAt: iso(p.suspendedAt),
    };
  }

  #residentId(principal: Principal): string {
    if (principal.kind !== 'resident') throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
    return principal.electorId;
  }
}


