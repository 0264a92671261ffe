import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ElectionId,
  type RegistrationFinishRequest,
  type SessionResponse,
  type StaffActionsResponse,
  type StaffInvitationCreated,
  type StaffInvitationRequest,
  type StaffInvitationSummary,
  type StaffListResponse,
  type StaffRoleName,
} from '@townhall/protocol';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { AppError } from '../common/app-error.ts';
import { IdentityKeys, randomToken, sha256 } from '../identity/identity-keys.ts';
import { IdentityRepository } from '../identity/identity.repository.ts';
import { SessionService } from '../identity/session.service.ts';
import { WebAuthnService } from '../identity/webauthn.service.ts';
import { StaffRepository } from './staff.repository.ts';

export const INVITATION_TTL_MS = 72 * 3600_000;
const PAGE_SIZE = 50;

// Unknown, used and expired invitations answer alike: a token's validity is the only thing it tells.
const noInvitation = () => new AppError('NOT_FOUND', 'This invitation link is not valid: it may have been used already or have expired. Ask an administrator for a new one.');

type InvitationInput = { role: StaffRoleName; displayName: string; electionId?: string };

/**
 * The first administrator's link (`npm run admin:invite`): refused when an administrator exists,
 * unless `force` (the only admin lost their passkey).
 */
export async function issueAdminInvitation(staff: StaffRepository, publicUrl: string, options: { name: string; force: boolean }): Promise<{ exitCode: number; output: string }> {
  if (!options.force && (await staff.hasAdmin())) {
    return { exitCode: 1, output: 'An administrator exists already: they can invite more staff from the official app. Use --force to print a new admin link anyway.\n' };
  }
  const invitation = await createInvitation(staff, publicUrl, { role: 'admin', displayName: options.name }, null);
  const hours = INVITATION_TTL_MS / 3600_000;
  return {
    exitCode: 0,
    output: `One-time link for a new Townhall administrator (${options.name}); it works once and expires in ${hours} hours (${invitation.expiresAt}):\n\n  ${invitation.url}\n\nOpen it in the browser where the administrator will create their passkey. Anyone with the link can become an administrator: do not share it.\n`,
  };
}

/** A malformed election id is answered like an unknown one. */
const noElection = () => new AppError('NOT_FOUND', 'There is no such election.');

/**
 * A one-time invitation link; only the SHA-256 of its 256-bit token is stored. Also used by
 * `npm run admin:invite` (scripts/admin-invite.ts) and the demo seed, which run outside a request.
 * `forStaffId`: the link adds a first passkey to that existing staff member (the demo seed's
 * trustees) instead of creating a new one; older open links for them stop working.
 */
export async function createInvitation(
  staff: StaffRepository,
  publicUrl: string,
  input: InvitationInput | StaffInvitationRequest,
  createdById: string | null,
  options: { forStaffId?: string } = {},
): Promise<StaffInvitationCreated> {
  const token = randomToken();
  const electionId = 'electionId' in input && input.electionId ? input.electionId : null;
  const now = Date.now();
  if (options.forStaffId) await staff.expireOpenInvitationsFor(options.forStaffId, new Date(now));
  const invitation = await staff.insertInvitation({
    tokenHash: sha256(token),
    role: input.role,
    electionId,
    displayName: input.displayName.trim(),
    createdById,
    expiresAt: new Date(now + INVITATION_TTL_MS),
    staffId: options.forStaffId ?? null,
  });
  if (createdById === null) {
    await staff.recordAction({ staffId: null, action: 'staff.bootstrap-invite', target: invitation.id, detail: { role: input.role } });
  }
  return { invitationId: invitation.id, url: `${publicUrl}/official/invite/${token}`, expiresAt: invitation.expiresAt.toISOString() };
}

type StaffRow = Awaited<ReturnType<StaffRepository['listStaff']>>[number];
const toMemberSummary = (m: StaffRow): StaffListResponse['staff'][number] => ({
  id: m.id,
  displayName: m.displayName,
  roles: m.roles.map((r) => ({ role: r.role as StaffRoleName, electionId: r.electionId })),
  createdAt: m.createdAt.toISOString(),
  activePasskeys: m.passkeys.length,
});

/** Staff invitations (admin:invite, admins, and officers for trustees), joining with a passkey, the staff list and audit trail. */
@Injectable()
export class StaffService {
  constructor(
    @Inject(StaffRepository) private readonly staff: StaffRepository,
    @Inject(IdentityRepository) private readonly identity: IdentityRepository,
    @Inject(IdentityKeys) private readonly keys: IdentityKeys,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(WebAuthnService) private readonly webauthn: WebAuthnService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `createdById` null: the admin:invite command on the server. */
  invite(input: InvitationInput | StaffInvitationRequest, createdById: string | null): Promise<StaffInvitationCreated> {
    return createInvitation(this.staff, this.config.publicUrl, input, createdById);
  }

  /**
   * An officer's or admin's trustee invitation for one election (docs/decisions/0004-identity.md,
   * "Who may invite whom"): the election must exist and still be a draft, because the key
   * ceremony's trustees are fixed when it starts.
   */
  async inviteTrustee(electionId: string, displayName: string, createdById: string | null): Promise<StaffInvitationCreated> {
    const status = ElectionId.safeParse(electionId).success ? await this.staff.findElectionStatus(electionId) : null;
    if (status === null) throw noElection();
    if (status !== 'draft') {
      throw new AppError('ELECTION_WRONG_PHASE', 'Trustees can be invited only while the election is a draft: its key ceremony has started, so its trustees are fixed.');
    }
    return createInvitation(this.staff, this.config.publicUrl, { role: 'trustee', displayName, electionId }, createdById);
  }

  /** The staff members holding the trustee role of one election, in the order they joined. */
  async electionTrustees(electionId: string): Promise<StaffListResponse> {
    if (!ElectionId.safeParse(electionId).success || (await this.staff.findElectionStatus(electionId)) === null) throw noElection();
    return { staff: (await this.staff.listElectionTrustees(electionId)).map(toMemberSummary) };
  }

  hasAdmin(): Promise<boolean> {
    return this.staff.hasAdmin();
  }

  async invitation(token: string): Promise<StaffInvitationSummary> {
    const invitation = await this.#open(token);
    return { role: invitation.role as StaffRoleName, electionId: invitation.electionId, displayName: invitation.displayName, expiresAt: invitation.expiresAt.toISOString() };
  }

  async startAcceptance(token: string, cookie: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const invitation = await this.#open(token);
    // The staff member's id is chosen now so the passkey's user handle is stable from the start
    // (an invitation for an existing staff member names theirs).
    const staffId = invitation.staffId ?? randomUUID();
    return this.webauthn.registrationOptions({
      cookie,
      purpose: 'staff-invite',
      userHandle: this.keys.userHandle('staff', staffId),
      userName: `${invitation.displayName} (Townhall ${invitation.role})`,
      displayName: invitation.displayName,
      excludeCredentialIds: [],
      bind: { staffId, invitationId: invitation.id },
    });
  }

  async finishAcceptance(token: string, input: RegistrationFinishRequest, cookie: string): Promise<{ cookie: string; session: SessionResponse }> {
    const invitation = await this.#open(token);
    const challenge = await this.webauthn.consumeChallenge(input.response.response.clientDataJSON, cookie, 'staff-invite');
    if (challenge.invitationId !== invitation.id || !challenge.staffId || (invitation.staffId !== null && challenge.staffId !== invitation.staffId)) throw noInvitation();
    const registration = await this.webauthn.verifyRegistration(input.response, challenge.challenge);
    const staffId = challenge.staffId;
    const session = await this.identity.transaction(async (tx) => {
      if (invitation.staffId === null) {
        await this.staff.insertStaffMember(tx, { id: staffId, displayName: invitation.displayName, role: invitation.role, electionId: invitation.electionId });
      }
      if (!(await this.staff.acceptInvitation(tx, invitation.id, staffId, new Date()))) throw noInvitation();
      const passkey = await this.identity.insertPasskey(tx, { ...registration, owner: { staffId } });
      if (!passkey) throw new AppError('PASSKEY_VERIFICATION_FAILED', 'This passkey is registered already. Use a new passkey for this role.');
      await this.staff.recordAction({ staffId, action: 'staff.join', target: invitation.id, detail: { role: invitation.role, electionId: invitation.electionId } }, tx);
      return this.sessions.create(tx, { staffId }, passkey.id);
    });
    const { principal, expiresAt } = await this.sessions.resolve(session.cookie);
    if (principal.kind !== 'staff') throw new Error('the new staff session did not resolve');
    return {
      cookie: session.cookie,
      session: {
        principal: { kind: 'staff', staffId, displayName: principal.displayName, roles: [...principal.roles] },
        csrfToken: this.sessions.csrfToken(session.cookie),
        expiresAt: expiresAt!.toISOString(),
      },
    };
  }

  async list(): Promise<StaffListResponse> {
    return { staff: (await this.staff.listStaff()).map(toMemberSummary) };
  }

  async actions(page: number): Promise<StaffActionsResponse> {
    const { total, actions } = await this.staff.listActions((page - 1) * PAGE_SIZE, PAGE_SIZE);
    return {
      page,
      pageSize: PAGE_SIZE,
      total,
      actions: actions.map((a) => ({
        id: a.id,
        at: a.createdAt.toISOString(),
        staffId: a.staffId,
        staffName: a.staff?.displayName ?? null,
        action: a.action,
        target: a.target,
        detail: (a.detail ?? {}) as Record<string, unknown>,
      })),
    };
  }

  /**
   * An open invitation by its token. An invitation that would make a new trustee of an existing
   * election is usable only while that election is a draft: once the key ceremony has started its
   * trustees are fixed, and a late joiner would hold the role with no part in the key. (A link that
   * signs an existing trustee in, like the demo trustees' links, works at any phase.)
   */
  async #open(token: string) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw noInvitation();
    const invitation = await this.staff.findOpenInvitation(sha256(token), new Date());
    if (!invitation) throw noInvitation();
    const isNewTrustee = invitation.role === 'trustee' && invitation.staffId === null && invitation.electionId !== null;
    const electionStatus = isNewTrustee && ElectionId.safeParse(invitation.electionId).success ? await this.staff.findElectionStatus(invitation.electionId!) : null;
    if (electionStatus !== null && electionStatus !== 'draft') {
      throw new AppError(
        'ELECTION_WRONG_PHASE',
        'This trustee invitation can no longer be used: the election’s key ceremony has started, so its trustees are fixed. Ask the returning officer if you think you should be one.',
      );
    }
    return invitation;
  }
}
