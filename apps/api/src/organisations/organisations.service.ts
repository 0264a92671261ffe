import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ADMINISTRATOR_ROLE,
  type MembershipCheckResult,
  type MembershipCode,
  type MyOrganisation,
  type OrganisationInvitationCreated,
  type OrganisationInvitationSummary,
  type OrganisationKind,
  type OrganisationMemberSummary,
  type OrganisationPublicPage,
  type OrganisationRegistration,
  type OrganisationStatus,
  type OrganisationSummary,
  type AddPasskeyStartRequest,
  type RegistrationFinishRequest,
  type SigningPasskeySummary,
  type SessionResponse,
} from '@townhall/protocol';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { OrganisationRegistration as RegistrationSchema } from '@townhall/protocol';
import type { BankAccount, BankAccountAnswer, BankAccountInput as BankAccountInputSchema } from '@townhall/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { AppError } from '../common/app-error.ts';
import { Listeners } from '../common/listeners.ts';
import type { Principal } from '../common/access.ts';
import { IdentityKeys, randomToken, sha256 } from '../identity/identity-keys.ts';
import { IdentityRepository } from '../identity/identity.repository.ts';
import { SessionService } from '../identity/session.service.ts';
import { WebAuthnService } from '../identity/webauthn.service.ts';
import { LedgerService, REGISTRY_LOG, type TransactionClient } from '../ledger/ledger.module.ts';
import { OrganisationKeys, randomCode, type AccountRef } from './organisation-keys.ts';
import { nowIso, organisationEntries } from './organisations-ledger.ts';
import { OrganisationsRepository, type OrganisationRow } from './organisations.repository.ts';

/** An organisation's bank account as a payment file names it (docs/protocol/contracts.md §11.6). */
export interface PaymentAccount {
  accountName: string;
  sortCode: string;
  accountNumber: string;
  iban: string | null;
  bic: string | null;
}

export const ORGANISATION_INVITATION_TTL_MS = 72 * 3600_000;
export const MEMBERSHIP_CODE_TTL_MS = 10 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noOrganisation = () => new AppError('NOT_FOUND', 'There is no such organisation.');
const noMember = () => new AppError('NOT_FOUND', 'There is no such member of this organisation.');
// Unknown, used and expired invitations answer alike: a token's validity is the only thing it tells.
const noInvitation = () =>
  new AppError(
    'NOT_FOUND',
    'This invitation link is not valid: it may have been used already or have expired. ' +
      'Ask the organisation’s administrator for a new one.',
  );
const notActive = (status: string) =>
  new AppError(
    'ORGANISATION_NOT_ACTIVE',
    `This organisation is ${status}: nobody can join it or act as its member unless the council reinstates it.`,
  );
const lastAdministrator = () =>
  new AppError('CONFLICT', 'An organisation keeps at least one administrator: give another member the administrator role first.');

/** The signed-in account that can belong to organisations, or undefined for staff and anonymous callers. */
export function accountOf(principal: Principal): AccountRef | undefined {
  if (principal.kind === 'resident') return { kind: 'elector', id: principal.electorId };
  if (principal.kind === 'person') return { kind: 'person', id: principal.personId };
  return undefined;
}

const summaryOf = (row: OrganisationRow, currentMembers: number): OrganisationSummary => ({
  id: row.id,
  kind: row.kind as OrganisationKind,
  legalName: row.legalName,
  companyNumber: row.companyNumber,
  charityNumber: row.charityNumber,
  address: row.address,
  status: row.status as OrganisationStatus,
  currentMembers,
  registeredIndex: row.registeredIndex.toString(),
  createdAt: row.createdAt.toISOString(),
});

type MemberRow = Awaited<ReturnType<OrganisationsRepository['listCurrentMembers']>>[number];
const memberSummary = (m: MemberRow): OrganisationMemberSummary => ({
  id: m.id,
  displayName: m.displayName,
  accountKind: m.electorId ? 'resident' : 'person',
  roles: m.roles,
  grantedAt: m.grantedAt.toISOString(),
  grantedIndex: m.grantedIndex.toString(),
});

/** People stopped being able to act for an organisation: all its members (suspended or closed), or one removed member. */
export interface OrganisationAccessEnded {
  organisationId: string;
  /** The removed member; absent when the whole organisation was suspended or closed. */
  member?: AccountRef;
}

/**
 * Organisations (docs/organisations.md): registered and suspended by council administrators; their
 * members invited by one-time link, given roles and removed by the organisation's administrators.
 * Every change is a registry-log entry written in the transaction that changes the rows.
 */
@Injectable()
export class OrganisationsService {
  /**
   * Hear each time people stop being able to act for an organisation on this instance, once the change
   * has committed (Townhall ID then signs them out of the services they signed in to for it).
   */
  readonly accessEnded = new Listeners<OrganisationAccessEnded>();

  constructor(
    @Inject(OrganisationsRepository) private readonly repository: OrganisationsRepository,
    @Inject(OrganisationKeys) private readonly keys: OrganisationKeys,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(IdentityRepository) private readonly identity: IdentityRepository,
    @Inject(IdentityKeys) private readonly identityKeys: IdentityKeys,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(WebAuthnService) private readonly webauthn: WebAuthnService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- for other slices (Townhall ID's `townhall:org` claim)

  /** The organisations an account belongs to now, with its roles and each organisation's status (only `active` ones count). */
  async membershipsOf(account: AccountRef): Promise<MyOrganisation[]> {
    return (await this.repository.membershipsOf(account)).map((m) => ({
      organisation: {
        id: m.organisation.id,
        kind: m.organisation.kind as OrganisationKind,
        legalName: m.organisation.legalName,
        status: m.organisation.status as OrganisationStatus,
      },
      memberId: m.id,
      roles: m.roles,
      grantedIndex: m.grantedIndex.toString(),
    }));
  }

  /** The account's own list: its memberships, each with the signing passkeys bound to it. */
  async myOrganisations(account: AccountRef): Promise<MyOrganisation[]> {
    const memberships = await this.membershipsOf(account);
    const passkeys = await this.repository.signingPasskeysOfMembers(memberships.map((m) => m.memberId));
    return memberships.map((m) => ({
      ...m,
      signingPasskeys: passkeys
        .filter((p) => p.memberId === m.memberId)
        .map((p) => ({ credentialIdHash: createHash('sha256').update(p.credentialId).digest('hex'), boundIndex: p.boundIndex.toString(), boundAt: p.boundAt.toISOString() })),
    }));
  }

  /** Kind, name and status of each of these organisations that exists (for slices that name organisations, e.g. contracts). */
  async organisationsById(ids: readonly string[]): Promise<Map<string, { kind: OrganisationKind; legalName: string; status: OrganisationStatus }>> {
    const rows = await this.repository.findOrganisations(ids.filter((id) => UUID.test(id)));
    return new Map(rows.map((r) => [r.id, { kind: r.kind as OrganisationKind, legalName: r.legalName, status: r.status as OrganisationStatus }]));
  }

  // ---- council administrators

  async list(): Promise<OrganisationSummary[]> {
    const rows = await this.repository.listOrganisations();
    const counts = await this.repository.memberCounts(rows.map((r) => r.id));
    return rows.map((row) => summaryOf(row, counts.get(row.id) ?? 0));
  }

  async register(input: z.output<typeof RegistrationSchema>): Promise<OrganisationSummary> {
    if (await this.repository.findByNumber(input)) {
      throw new AppError('CONFLICT', 'An organisation with this Companies House or charity number is registered already.');
    }
    const id = randomUUID();
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const row = await this.repository.insertOrganisation(tx, { id, ...input, registeredIndex: nextIndex });
      const entry = organisationEntries.registered({
        organisationId: id,
        kind: input.kind,
        legalName: input.legalName,
        companyNumber: input.companyNumber,
        charityNumber: input.charityNumber,
        at: nowIso(),
      });
      return { entries: [entry], result: row };
    });
    return summaryOf(result, 0);
  }

  /** Suspending or closing takes members' organisation roles away from their next request (the session reads the status). */
  async setStatus(organisationId: string, status: OrganisationStatus): Promise<OrganisationSummary> {
    if (!UUID.test(organisationId)) throw noOrganisation();
    const changeId = randomUUID();
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const current = await this.repository.lockOrganisation(tx, organisationId);
      if (!current) throw noOrganisation();
      if (current.status === status) throw new AppError('CONFLICT', `The organisation is ${status} already.`);
      if (current.status === 'closed')
        throw new AppError('CONFLICT', 'A closed organisation cannot be reopened: register it again if it trades again.');
      const row = await this.repository.setStatus(tx, organisationId, status, { id: changeId, ledgerIndex: nextIndex });
      return { entries: [organisationEntries.statusChanged({ organisationId, status, at: nowIso() })], result: row };
    });
    if (status !== 'active') this.accessEnded.notify({ organisationId });
    return summaryOf(result, (await this.repository.memberCounts([organisationId])).get(organisationId) ?? 0);
  }

  /**
   * A one-time link to join `organisationId` with `roles`: a council administrator's (first
   * administrator), the organisation's own, or (`null`) the demo seed's, which no person made.
   */
  async invite(
    organisationId: string,
    input: { displayName: string; roles: string[] },
    createdBy: { staffId: string } | { memberId: string } | null,
  ): Promise<OrganisationInvitationCreated> {
    const organisation = UUID.test(organisationId) ? await this.repository.findOrganisation(organisationId) : null;
    if (!organisation) throw noOrganisation();
    if (organisation.status !== 'active') throw notActive(organisation.status);
    const token = randomToken();
    const invitation = await this.repository.insertInvitation({
      id: randomUUID(),
      organisationId,
      tokenHash: sha256(token),
      displayName: input.displayName,
      roles: input.roles,
      createdByStaffId: createdBy && 'staffId' in createdBy ? createdBy.staffId : null,
      createdByMemberId: createdBy && 'memberId' in createdBy ? createdBy.memberId : null,
      expiresAt: new Date(Date.now() + ORGANISATION_INVITATION_TTL_MS),
    });
    return {
      invitationId: invitation.id,
      url: `${this.config.publicUrl}/organisation-invite/${token}`,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  // ---- joining by invitation

  async invitation(token: string): Promise<OrganisationInvitationSummary> {
    const invitation = await this.#openInvitation(token);
    const { organisation } = invitation;
    return {
      organisation: { id: organisation.id, kind: organisation.kind as OrganisationKind, legalName: organisation.legalName },
      displayName: invitation.displayName,
      roles: invitation.roles,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  /** Passkey options for a new person; the person takes the invitation's id, so the passkey's user handle is fixed from the start. */
  async startAcceptance(token: string, cookie: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const invitation = await this.#openInvitation(token);
    return this.webauthn.registrationOptions({
      cookie,
      purpose: 'organisation-invite',
      userHandle: this.identityKeys.userHandle('person', invitation.id),
      userName: `${invitation.displayName} (${invitation.organisation.legalName})`,
      displayName: invitation.displayName,
      excludeCredentialIds: [],
      bind: { invitationId: invitation.id },
    });
  }

  async finishAcceptance(
    token: string,
    input: RegistrationFinishRequest,
    cookie: string,
  ): Promise<{ cookie: string; session: SessionResponse }> {
    const invitation = await this.#openInvitation(token);
    const challenge = await this.webauthn.consumeChallenge(input.response.response.clientDataJSON, cookie, 'organisation-invite');
    if (challenge.invitationId !== invitation.id) throw noInvitation();
    const registration = await this.webauthn.verifyRegistration(input.response, challenge.challenge);
    const personId = invitation.id;
    const account: AccountRef = { kind: 'person', id: personId };
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      await this.repository.insertPerson(tx, { id: personId, displayName: invitation.displayName });
      const passkey = await this.identity.insertPasskey(tx, { ...registration, owner: { personId } });
      if (!passkey)
        throw new AppError(
          'PASSKEY_VERIFICATION_FAILED',
          'This passkey is registered already. Sign in with it, then open the link again to join.',
        );
      const entry = await this.#join(tx, invitation, account, nextIndex);
      const session = await this.sessions.create(tx, { personId }, passkey.id);
      return { entries: [entry], result: session };
    });
    const { expiresAt } = await this.sessions.resolve(result.cookie);
    return {
      cookie: result.cookie,
      session: {
        principal: { kind: 'person', displayName: invitation.displayName },
        csrfToken: this.sessions.csrfToken(result.cookie),
        expiresAt: expiresAt!.toISOString(),
      },
    };
  }

  /** A signed-in resident (or person) joins with the identity they have: no new passkey. */
  async link(token: string, principal: Principal): Promise<MyOrganisation> {
    const account = accountOf(principal);
    if (!account) throw new AppError('FORBIDDEN', 'Sign in as a resident to join an organisation with your Townhall account.');
    const invitation = await this.#openInvitation(token);
    await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => ({
      entries: [await this.#join(tx, invitation, account, nextIndex)],
      result: undefined,
    }));
    return (await this.membershipsOf(account)).find((m) => m.organisation.id === invitation.organisationId)!;
  }

  async #join(
    tx: TransactionClient,
    invitation: { id: string; organisationId: string; displayName: string; roles: string[] },
    account: AccountRef,
    index: bigint,
  ) {
    const organisation = await this.repository.lockOrganisation(tx, invitation.organisationId);
    if (!organisation) throw noInvitation();
    if (organisation.status !== 'active') throw notActive(organisation.status);
    if (await this.repository.findCurrentMembership(tx, organisation.id, account)) {
      throw new AppError('CONFLICT', 'You are a member of this organisation already: ask its administrator to change your roles instead.');
    }
    const memberId = randomUUID();
    if (!(await this.repository.acceptInvitation(tx, invitation.id, memberId, new Date()))) throw noInvitation();
    await this.repository.insertMember(tx, {
      id: memberId,
      organisationId: organisation.id,
      account,
      displayName: invitation.displayName,
      roles: invitation.roles,
      grantedIndex: index,
    });
    return organisationEntries.membershipGranted({
      organisationId: organisation.id,
      member: this.keys.memberPseudonym(organisation.id, account),
      roles: invitation.roles,
      at: nowIso(),
    });
  }

  async #openInvitation(token: string) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw noInvitation();
    const invitation = await this.repository.findOpenInvitation(sha256(token), new Date());
    if (!invitation) throw noInvitation();
    if (invitation.organisation.status !== 'active') throw notActive(invitation.organisation.status);
    return invitation;
  }

  // ---- the organisation's administrators (access checked by authorize: `@OrganisationMember(':id', 'administrator')`)

  async members(organisationId: string): Promise<OrganisationMemberSummary[]> {
    return (await this.repository.listCurrentMembers(organisationId)).map(memberSummary);
  }

  async setRoles(organisationId: string, memberId: string, roles: string[]): Promise<OrganisationMemberSummary> {
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const member = await this.#lockedMember(tx, organisationId, memberId);
      const isLosingAdministrator = member.roles.includes(ADMINISTRATOR_ROLE) && !roles.includes(ADMINISTRATOR_ROLE);
      if (isLosingAdministrator && (await this.repository.countAdministrators(tx, organisationId, ADMINISTRATOR_ROLE)) <= 1)
        throw lastAdministrator();
      const row = await this.repository.setRoles(tx, memberId, roles, nextIndex);
      const entry = organisationEntries.membershipGranted({
        organisationId,
        member: this.#pseudonymOf(organisationId, member),
        roles,
        at: nowIso(),
      });
      return { entries: [entry], result: row };
    });
    return memberSummary(result);
  }

  async remove(organisationId: string, memberId: string): Promise<void> {
    const { result: removed } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const member = await this.#lockedMember(tx, organisationId, memberId);
      if (
        member.roles.includes(ADMINISTRATOR_ROLE) &&
        (await this.repository.countAdministrators(tx, organisationId, ADMINISTRATOR_ROLE)) <= 1
      ) {
        throw lastAdministrator();
      }
      await this.repository.revokeMember(tx, memberId, nextIndex);
      return {
        entries: [
          organisationEntries.membershipRevoked({ organisationId, member: this.#pseudonymOf(organisationId, member), at: nowIso() }),
        ],
        result: this.#accountOf(member),
      };
    });
    this.accessEnded.notify({ organisationId, member: removed });
  }


  // ---- signing passkeys (docs/protocol/contracts.md §11.1: contract approvals)

  /**
   * Step 1 of a signing passkey for this membership: the member confirms it is them with a sign-in
   * passkey of their own (a session alone makes none, as for another sign-in passkey), and gets the
   * options of the new one: ES256, not discoverable, under a user handle of its own, so it is never
   * offered at sign-in and its published key says nothing of the person's other keys.
   */
  async startSigningPasskey(organisationId: string, principal: Principal, input: AddPasskeyStartRequest, cookie: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { member, account } = await this.#currentMember(organisationId, principal);
    const challenge = await this.webauthn.consumeChallenge(input.assertion.response.clientDataJSON, cookie, 'sign-in');
    const passkey = await this.identity.findPasskeyByCredentialId(Buffer.from(input.assertion.rawId, 'base64url'));
    const owner = account.kind === 'elector' ? passkey?.electorId : passkey?.personId;
    if (!passkey || owner !== account.id) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'Confirm it is you with a passkey of your own account first.');
    if (passkey.revokedAt) throw new AppError('PASSKEY_REVOKED', 'This passkey was revoked. Use another passkey.');
    const { newCounter } = await this.webauthn.verifyPasskeyUse(input.assertion, challenge.challenge, passkey);
    await this.identity.recordSignIn(passkey.id, newCounter, new Date());
    const organisation = (await this.repository.findOrganisation(organisationId))!;
    const existing = await this.repository.signingPasskeysOf(member.id);
    return this.webauthn.registrationOptions({
      cookie,
      purpose: 'member-signing',
      userHandle: new Uint8Array(randomBytes(16)),
      userName: `Approvals for ${organisation.legalName}`,
      displayName: `Approvals for ${organisation.legalName}`,
      excludeCredentialIds: existing.map((p) => p.credentialId),
      bind: {},
      isSigningKey: true,
    });
  }

  /**
   * Step 2: the signing passkey is stored and bound to the member's pseudonym by a MemberPasskeyBound
   * entry, in one transaction, before it signs anything.
   */
  async finishSigningPasskey(organisationId: string, principal: Principal, input: RegistrationFinishRequest, cookie: string): Promise<SigningPasskeySummary> {
    const challenge = await this.webauthn.consumeChallenge(input.response.response.clientDataJSON, cookie, 'member-signing');
    const registration = await this.webauthn.verifyRegistration(input.response, challenge.challenge, { isSigningKey: true });
    return this.bindSigningPasskey(organisationId, principal, registration);
  }

  /**
   * Stores a verified signing passkey of the principal's membership and appends its MemberPasskeyBound
   * entry, in one transaction. The route's step 2 after the ceremony; the demo seed directly.
   */
  async bindSigningPasskey(
    organisationId: string,
    principal: Principal,
    registration: { credentialId: Uint8Array; publicKey: Uint8Array; counter: number },
  ): Promise<SigningPasskeySummary> {
    const { member } = await this.#currentMember(organisationId, principal);
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const locked = await this.#lockedMember(tx, organisationId, member.id);
      const at = nowIso();
      const { credentialId, publicKey, counter } = registration;
      const stored = await this.repository.insertSigningPasskey(tx, { id: randomUUID(), memberId: member.id, credentialId, publicKey, counter, boundIndex: nextIndex, boundAt: new Date(at) });
      if (!stored) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'This passkey is registered already.');
      const credentialIdHash = createHash('sha256').update(registration.credentialId).digest('hex');
      const entry = organisationEntries.memberPasskeyBound({
        organisationId,
        member: this.#pseudonymOf(organisationId, locked),
        credentialIdHash,
        publicKey: Buffer.from(registration.publicKey).toString('base64url'),
        at,
      });
      return { entries: [entry], result: { credentialIdHash, boundIndex: nextIndex.toString(), boundAt: at } };
    });
    return result;
  }

  /** A member's signing passkeys (for other slices: the contracts' approvals). */
  signingPasskeysOf(memberId: string) {
    return this.repository.signingPasskeysOf(memberId);
  }

  /** A signing passkey signed once more: its counter (checked by the caller, WebAuthn §6.1.1). */
  recordSigningPasskeyUse(id: string, counter: number): Promise<void> {
    return this.repository.recordSigningPasskeyUse(id, counter);
  }

  /** The signed-in principal's current membership of an active organisation. */
  async #currentMember(organisationId: string, principal: Principal) {
    const account = accountOf(principal);
    const membership = principal.kind === 'resident' || principal.kind === 'person' ? principal.memberships?.find((m) => m.organisationId === organisationId) : undefined;
    if (!account || !membership) throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
    const organisation = await this.repository.findOrganisation(organisationId);
    if (!organisation) throw noOrganisation();
    if (organisation.status !== 'active') throw notActive(organisation.status);
    return { member: { id: membership.memberId }, account };
  }

  async #lockedMember(tx: TransactionClient, organisationId: string, memberId: string) {
    const organisation = await this.repository.lockOrganisation(tx, organisationId);
    if (!organisation) throw noOrganisation();
    if (organisation.status !== 'active') throw notActive(organisation.status);
    const member = UUID.test(memberId) ? await this.repository.findCurrentMember(tx, organisationId, memberId) : null;
    if (!member) throw noMember();
    return member;
  }

  #pseudonymOf(organisationId: string, member: { electorId: string | null; personId: string | null }): string {
    return this.keys.memberPseudonym(organisationId, this.#accountOf(member));
  }

  #accountOf(member: { electorId: string | null; personId: string | null }): AccountRef {
    return member.electorId ? { kind: 'elector', id: member.electorId } : { kind: 'person', id: member.personId! };
  }

  // ---- the organisation's bank account for payments (docs/organisations.md §2.4): kept in the register
  // only, never in a ledger; its administrators set it (access checked by authorize)

  async bankAccount(organisationId: string): Promise<BankAccountAnswer> {
    const row = await this.repository.findBankAccount(organisationId);
    return { bankAccount: row && (await this.#bankAccountView(row)) };
  }

  async setBankAccount(organisationId: string, principal: Principal, input: z.output<typeof BankAccountInputSchema>): Promise<BankAccountAnswer> {
    const membership = (principal.kind === 'resident' || principal.kind === 'person' ? principal.memberships : undefined)?.find(
      (m) => m.organisationId === organisationId,
    );
    if (!membership) throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
    const row = await this.repository.upsertBankAccount({ organisationId, ...input, updatedByMemberId: membership.memberId });
    return { bankAccount: await this.#bankAccountView(row) };
  }

  /** For slices that pay organisations (a payment run's bank file): the account of each of these that has one. */
  async bankAccountsById(ids: readonly string[]): Promise<Map<string, PaymentAccount>> {
    const rows = await this.repository.findBankAccounts(ids.filter((id) => UUID.test(id)));
    return new Map(
      rows.map((r) => [r.organisationId, { accountName: r.accountName, sortCode: r.sortCode, accountNumber: r.accountNumber, iban: r.iban, bic: r.bic }]),
    );
  }

  async #bankAccountView(row: PaymentAccount & { updatedAt: Date; updatedByMemberId: string }): Promise<BankAccount> {
    const member = await this.repository.findMember(row.updatedByMemberId);
    return {
      accountName: row.accountName,
      sortCode: row.sortCode,
      accountNumber: row.accountNumber,
      iban: row.iban,
      bic: row.bic,
      updatedAt: row.updatedAt.toISOString(),
      updatedBy: member?.displayName ?? 'a former member',
    };
  }

  // ---- members' own

  /** A code the member shows for the public page to confirm; valid for minutes, only its keyed hash kept. */
  async membershipCode(principal: Principal, organisationId: string): Promise<MembershipCode> {
    const membership = (principal.kind === 'resident' || principal.kind === 'person' ? principal.memberships : undefined)?.find(
      (m) => m.organisationId === organisationId,
    );
    if (!membership) throw noOrganisation();
    if (membership.organisationStatus !== 'active') throw notActive(membership.organisationStatus);
    const code = randomCode(10);
    const expiresAt = new Date(Date.now() + MEMBERSHIP_CODE_TTL_MS);
    await this.repository.insertMembershipCode({
      codeHash: this.keys.codeHash('membership', code),
      memberId: membership.memberId,
      expiresAt,
    });
    return { code: `${code.slice(0, 5)}-${code.slice(5)}`, expiresAt: expiresAt.toISOString() };
  }

  // ---- public

  async publicPage(organisationId: string): Promise<OrganisationPublicPage> {
    const organisation = UUID.test(organisationId) ? await this.repository.findOrganisation(organisationId) : null;
    if (!organisation) throw noOrganisation();
    const changes = await this.repository.statusHistory(organisationId);
    return {
      id: organisation.id,
      kind: organisation.kind as OrganisationKind,
      legalName: organisation.legalName,
      companyNumber: organisation.companyNumber,
      charityNumber: organisation.charityNumber,
      status: organisation.status as OrganisationStatus,
      currentMembers: (await this.repository.memberCounts([organisationId])).get(organisationId) ?? 0,
      history: [
        {
          type: 'OrganisationRegistered',
          status: 'active',
          at: organisation.createdAt.toISOString(),
          ledgerIndex: organisation.registeredIndex.toString(),
        },
        ...changes.map((c) => ({
          type: 'OrganisationStatusChanged' as const,
          status: c.status as OrganisationStatus,
          at: c.changedAt.toISOString(),
          ledgerIndex: c.ledgerIndex.toString(),
        })),
      ],
    };
  }

  /**
   * Confirms a member's code for this organisation. A wrong code, another organisation's, an expired
   * one, a removed member's and a suspended organisation's all answer alike, so the endpoint confirms
   * only what the person in front of you showed and cannot be used to list anyone.
   */
  async checkMember(organisationId: string, code: string): Promise<MembershipCheckResult> {
    const found = await this.repository.findLiveMembershipCode(this.keys.codeHash('membership', code), new Date());
    const organisation = found?.member.organisation;
    if (!found || organisation?.id !== organisationId || organisation.status !== 'active') {
      throw new AppError(
        'NOT_FOUND',
        'This code does not confirm a current member of this organisation. ' +
          'Ask the person to show a new code; if it still fails, do not rely on them.',
      );
    }
    return {
      isCurrentMember: true,
      organisation: { id: organisation.id, legalName: organisation.legalName, kind: organisation.kind as OrganisationKind },
      displayName: found.member.displayName,
      roles: found.member.roles,
      codeExpiresAt: found.expiresAt.toISOString(),
    };
  }
}
