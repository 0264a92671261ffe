import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Interaction, InteractionResults } from 'oidc-provider';
import {
  ASSURANCE_LEVELS,
  TOWNHALL_ID_CLAIMS,
  claimOfScope,
  meetsAssurance,
  type InteractionDetails,
  type InteractionRedirect,
  type ServiceAccessList,
  type TownhallIdClaim,
} from '@townhall/protocol';
import { AppError } from '../common/app-error.ts';
import type { Principal } from '../common/access.ts';
import { OidcLedger } from './oidc-ledger.ts';
import { OidcProviderService, SIGN_IN_PURPOSE, accountIdOf, accountRefOf, assuranceOf } from './oidc-provider.service.ts';
import { OrganisationsService } from '../organisations/organisations.service.ts';
import { AppointmentsService } from '../organisations/appointments.service.ts';
import { OidcRepository, type AccountRef, type ServiceRow } from './oidc.repository.ts';

/** A Townhall session counts as signing in to a service only if its passkey was used this recently. */
const FRESH_SIGN_IN_SECONDS = 10 * 60;

function accountOf(principal: Principal): AccountRef {
  if (principal.kind === 'resident') return { kind: 'elector', id: principal.electorId };
  if (principal.kind === 'staff') return { kind: 'staff', id: principal.staffId };
  if (principal.kind === 'person') return { kind: 'person', id: principal.personId };
  throw new AppError('UNAUTHENTICATED', 'Sign in with your passkey to continue.');
}

/**
 * The interaction pages' API (residents' app, /oidc/interaction/:uid): who is asking and for what,
 * "signed in with my passkey", "share these", "cancel"; and the account page's list of services
 * with what each received, and "withdraw access". The interaction is found through oidc-provider's
 * own cookie (bound to the browser that started it), never by its id alone.
 */
@Injectable()
export class OidcInteractionService {
  constructor(
    @Inject(OidcProviderService) private readonly oidc: OidcProviderService,
    @Inject(OidcRepository) private readonly repository: OidcRepository,
    @Inject(OidcLedger) private readonly ledger: OidcLedger,
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(AppointmentsService) private readonly appointments: AppointmentsService,
  ) {}

  async #interaction(request: Request, response: Response, uid: string): Promise<{ interaction: Interaction; service: ServiceRow }> {
    let interaction: Interaction;
    try {
      interaction = await this.oidc.provider.interactionDetails(request, response);
    } catch (error) {
      throw expired(error);
    }
    if (interaction.uid !== uid) throw expired();
    const service = await this.repository.findService(String(interaction.params.client_id));
    if (!service || service.status !== 'active') throw expired();
    return { interaction, service };
  }

  /** The claims this request asks for (its scopes, within what the service may ask for), each in plain words. */
  #requestedClaims(interaction: Interaction, service: ServiceRow): TownhallIdClaim[] {
    const scopes = String(interaction.params.scope ?? '').split(' ');
    const asked = new Set(scopes.map(claimOfScope).filter((c): c is TownhallIdClaim => c !== undefined));
    return service.claims.filter((claim) => asked.has(claim));
  }

  async details(request: Request, response: Response, uid: string, principal: Principal): Promise<InteractionDetails> {
    const { interaction, service } = await this.#interaction(request, response, uid);
    const prompt = interaction.prompt.name === 'login' ? 'login' : 'consent';
    const requested = this.#requestedClaims(interaction, service);
    // Who the signed-in person may act for here (sign-in), and which organisations they may act for (consent).
    const representing =
      prompt === 'login' && service.acceptsRepresentatives && principal.kind === 'resident'
        ? await this.repository.appointmentsActingFor(principal.electorId, SIGN_IN_PURPOSE, new Date().toISOString().slice(0, 10))
        : [];
    const owner = interaction.session?.accountId ? accountRefOf(interaction.session.accountId) : undefined;
    const organisations =
      prompt === 'consent' && requested.includes('townhall:org') && owner && !owner.actingUnder && owner.account.kind !== 'staff'
        ? (await this.organisations.membershipsOf(owner.account))
            .filter((m) => m.organisation.status === 'active')
            .map((m) => ({ id: m.organisation.id, name: m.organisation.legalName, roles: m.roles }))
        : [];
    return {
      uid,
      prompt,
      service: { clientId: service.clientId, name: service.name },
      claims:
        prompt === 'consent'
          ? this.#requestedClaims(interaction, service).map((claim) => ({
              claim,
              words: TOWNHALL_ID_CLAIMS[claim].words,
              required: service.requiredClaims.includes(claim),
            }))
          : [],
      minimumAcr: service.minimumAcr,
      organisations,
      representing,
    };
  }

  /** The person has just signed in to Townhall with their passkey: that is their sign-in to the service. */
  async login(request: Request, response: Response, uid: string, principal: Principal, actingFor?: string): Promise<InteractionRedirect> {
    const { interaction, service } = await this.#interaction(request, response, uid);
    if (interaction.prompt.name !== 'login') throw new AppError('CONFLICT', 'You are already signed in for this service. Reload the page.');
    const account = accountOf(principal);
    // Signing in for a resident who appointed this one: the service must accept representatives, and the
    // appointment must be usable for it now (resolveActingFor records who acted, for whom, under which).
    let subject: { account: AccountRef; actingUnder?: string } = { account };
    if (actingFor !== undefined) {
      if (!service.acceptsRepresentatives) throw new AppError('FORBIDDEN', `${service.name} does not let anyone sign in for someone else.`);
      const appointment = await this.repository.appointment(actingFor);
      if (!appointment || principal.kind !== 'resident' || appointment.representativeId !== principal.electorId) {
        throw new AppError('NOT_APPOINTED', 'You have no appointment from this person to act for them.');
      }
      await this.appointments.resolveActingFor(principal, appointment.appointerId, SIGN_IN_PURPOSE, `sign-in:${service.clientId}`);
      subject = { account: { kind: 'elector', id: appointment.appointerId }, actingUnder: appointment.id };
    }
    const signedInAt = await this.repository.sessionCreatedAt(principal.kind === 'anonymous' ? '' : principal.sessionId);
    if (!signedInAt || Date.now() - signedInAt.getTime() > FRESH_SIGN_IN_SECONDS * 1000) {
      throw new AppError('UNAUTHENTICATED', 'Confirm it is you with your passkey to continue.');
    }
    const acr = assuranceOf(account);
    let result: InteractionResults;
    if (!meetsAssurance(acr, service.minimumAcr)) {
      const needed = ASSURANCE_LEVELS.find((l) => l.acr === service.minimumAcr)!.words.toLowerCase();
      result = { error: 'unmet_authentication_requirements', error_description: `this service needs: ${needed}` };
    } else {
      // amr (RFC 8176): a hardware-bound key with user verification (the passkey's PIN or biometric).
      const accountId = accountIdOf(subject.account, subject.actingUnder);
      result = { login: { accountId, acr, amr: ['hwk', 'user'], ts: Math.floor(signedInAt.getTime() / 1000), remember: true } };
    }
    return { redirectTo: await this.oidc.provider.interactionResult(request, response, result, { mergeWithLastSubmission: false }) };
  }

  async consent(
    request: Request,
    response: Response,
    uid: string,
    principal: Principal,
    accepted: readonly TownhallIdClaim[],
    organisationId?: string,
  ): Promise<InteractionRedirect> {
    const { interaction, service } = await this.#interaction(request, response, uid);
    if (interaction.prompt.name !== 'consent') throw new AppError('CONFLICT', 'Sign in with your passkey first. Reload the page.');
    const signedIn = accountOf(principal);
    const session = accountRefOf(String(interaction.session?.accountId ?? ''));
    // The person choosing is the one who signed in to the provider in this browser (for themselves, or
    // as the representative of the resident whose account it is).
    const isSame =
      session !== undefined &&
      (session.actingUnder
        ? signedIn.kind === 'elector' && (await this.repository.appointment(session.actingUnder))?.representativeId === signedIn.id
        : session.account.kind === signedIn.kind && session.account.id === signedIn.id);
    if (!session || !isSame) throw new AppError('FORBIDDEN', 'You are signed in as someone else. Sign out and start again from the service.');
    const account = session.account;
    const accountId = String(interaction.session!.accountId);
    const requested = this.#requestedClaims(interaction, service);
    const unknown = accepted.filter((claim) => !requested.includes(claim));
    if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', `The service did not ask for: ${unknown.join(', ')}.`);
    const missing = service.requiredClaims.filter((claim) => requested.includes(claim) && !accepted.includes(claim));
    if (missing.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${service.name} needs ${missing.map((c) => TOWNHALL_ID_CLAIMS[c].words.toLowerCase()).join(' and ')}. If you do not want to share it, cancel.`,
      );
    }
    const provider = this.oidc.provider;
    const grant = interaction.grantId
      ? ((await provider.Grant.find(interaction.grantId)) ?? new provider.Grant({ accountId, clientId: service.clientId }))
      : new provider.Grant({ accountId, clientId: service.clientId });
    const details = interaction.prompt.details as { missingOIDCScope?: string[] };
    for (const scope of details.missingOIDCScope ?? []) {
      const claim = claimOfScope(scope);
      if (claim === undefined || accepted.includes(claim)) grant.addOIDCScope(scope);
      else grant.rejectOIDCScope(scope);
    }
    let organisation: string | undefined;
    if (accepted.includes('townhall:org')) {
      const memberships = session.actingUnder || account.kind === 'staff' ? [] : await this.organisations.membershipsOf(account);
      const chosen = memberships.find((m) => m.organisation.id === organisationId && m.organisation.status === 'active');
      if (!chosen) {
        throw new AppError('VALIDATION_FAILED', 'Choose the organisation you are acting for, or untick it.', {
          issues: [{ path: 'organisationId', message: 'is not an active organisation you belong to' }],
        });
      }
      organisation = chosen.organisation.id;
    }
    const grantId = await grant.save();
    if (organisation) await this.repository.chooseOrganisation(grantId, organisation);
    const granted = (grant.getOIDCScope() ?? '').split(' ').map(claimOfScope).filter((c): c is TownhallIdClaim => c !== undefined);
    await this.ledger.recordConsent(account, service.clientId, granted);
    const redirectTo = await provider.interactionResult(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return { redirectTo };
  }

  async abort(request: Request, response: Response, uid: string): Promise<InteractionRedirect> {
    await this.#interaction(request, response, uid);
    const result = { error: 'access_denied', error_description: 'the person chose not to sign in to this service' };
    return { redirectTo: await this.oidc.provider.interactionResult(request, response, result, { mergeWithLastSubmission: false }) };
  }

  // ---- the account page

  async servicesOf(principal: Principal): Promise<ServiceAccessList> {
    const account = accountOf(principal);
    const rows = await this.repository.releasesOf(account);
    const byService = new Map<string, ServiceAccessList['services'][number]>();
    for (const row of rows) {
      let entry = byService.get(row.clientId);
      if (!entry) {
        entry = { clientId: row.clientId, name: row.service.name, hasAccess: false, claims: [], events: [] };
        byService.set(row.clientId, entry);
      }
      entry.events.push({ kind: row.kind as 'consent-given', claims: row.claims, at: row.createdAt.toISOString(), ledgerIndex: row.ledgerIndex.toString() });
      if (row.kind === 'consent-given') {
        entry.hasAccess = true;
        entry.claims = row.claims;
      } else if (row.kind === 'consent-withdrawn') {
        entry.hasAccess = false;
        entry.claims = [];
      }
    }
    // A deleted service stays on the page with its history (the person's receipts), ending with its
    // ServiceDeleted entry: it has no access any more, and nothing can follow.
    const deleted = new Map(rows.filter((row) => row.service.status === 'deleted').map((row) => [row.clientId, row.service]));
    for (const [clientId, service] of deleted) {
      const entry = byService.get(clientId)!;
      entry.hasAccess = false;
      entry.claims = [];
      entry.events.push({ kind: 'service-deleted', claims: [], at: service.updatedAt.toISOString(), ledgerIndex: service.ledgerIndex!.toString() });
    }
    return { services: [...byService.values()] };
  }

  /** Revokes every grant of the person to the service (its tokens and codes go with them), then records it and tells the service (back-channel logout). */
  async withdraw(principal: Principal, clientId: string): Promise<void> {
    const account = accountOf(principal);
    const service = await this.repository.findService(clientId);
    const access = (await this.servicesOf(principal)).services.find((s) => s.clientId === clientId);
    if (!service || !access) throw new AppError('NOT_FOUND', 'You have not used that service.');
    if (!access.hasAccess) throw new AppError('CONFLICT', `${service.name} no longer has access.`);
    const { sessions } = await this.repository.revokeGrants(accountIdOf(account), clientId);
    await this.ledger.recordWithdrawal(account, clientId);
    // The service hears that the person's sessions with it have ended, so it signs them out too.
    void this.oidc.logOutAt(service, sessions);
  }
}

function expired(cause?: unknown): AppError {
  return new AppError('SIGN_IN_REQUEST_EXPIRED', 'This sign-in request has expired or was started in another browser. Go back to the service and start again.', {
    logMessage: cause instanceof Error ? `interaction not found: ${cause.message}` : 'interaction not found',
  });
}
