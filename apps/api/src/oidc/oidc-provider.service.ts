import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { interactionPolicy, type Account, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import {
  ASSURANCE_LEVELS,
  TOWNHALL_ID_CLAIMS,
  meetsAssurance,
  type AssuranceLevel,
  type TownhallIdClaim,
} from '@townhall/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { logger } from '../common/logger.ts';
import { forEachConcurrently } from '../common/for-each-concurrently.ts';
import { OidcKeys } from './oidc-keys.ts';
import { OidcPayloadRepository, type ServiceSession } from './oidc-payload.repository.ts';
import { OidcRepository, type AccountFacts, type AccountRef, type ServiceRow } from './oidc.repository.ts';
import { OidcLedger } from './oidc-ledger.ts';
import { errorPage, logoutPage, signedOutPage } from './oidc-pages.ts';
import { OrganisationsService, type OrganisationAccessEnded } from '../organisations/organisations.service.ts';
import { AppointmentsService, type EndedAppointment } from '../organisations/appointments.service.ts';

/** Where the provider is mounted, below the public URL. */
export const OIDC_PATH = '/oidc';

/** The scope each claim is asked for with, and every claim name it stands for (oidc-provider's `claims`). */
const SCOPE_CLAIMS: Record<string, string[]> = Object.fromEntries(
  Object.values(TOWNHALL_ID_CLAIMS).map((c) => [c.scope, [...c.claims]]),
);

/**
 * The provider's accountId (never shown to a service: `sub` is pairwise): `elector:<uuid>`,
 * `staff:<uuid>` or `person:<uuid>`; a representative signed in for a resident is
 * `elector:<resident>:act:<appointment>`, so the service's `sub` is the resident's, with an `act` claim.
 */
export function accountIdOf(account: AccountRef, actingUnder?: string): string {
  return actingUnder ? `${account.kind}:${account.id}:act:${actingUnder}` : `${account.kind}:${account.id}`;
}

export function accountRefOf(accountId: string): { account: AccountRef; actingUnder?: string } | undefined {
  const match = /^(elector|staff|person):([0-9a-f-]{36})(?::act:([0-9a-f-]{36}))?$/.exec(accountId);
  if (!match || (match[3] && match[1] !== 'elector')) return undefined;
  const account = { kind: match[1] as AccountRef['kind'], id: match[2]! };
  return match[3] ? { account, actingUnder: match[3] } : { account };
}

/** The part of an accountId that names whose the data is (the resident, when someone acts for them). */
export function subjectOf(accountId: string): string {
  return accountId.split(':act:')[0]!;
}

/** How this account's identity was proved (docs/identity.md, "Levels of assurance"). */
export function assuranceOf(account: AccountRef): AssuranceLevel {
  if (account.kind === 'elector') return 'urn:townhall:acr:roll-poll-card';
  if (account.kind === 'staff') return 'urn:townhall:acr:staff-invitation';
  return 'urn:townhall:acr:organisation-invitation';
}

/** The purpose an appointment must name for its representative to sign in to services for the resident. */
export const SIGN_IN_PURPOSE = 'manage-council-services';

/** The claim values for these claim names, from the account's facts; claims it has no value for are left out. */
export function claimValues(facts: AccountFacts, claims: readonly TownhallIdClaim[], today: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const claim of claims) {
    switch (claim) {
      case 'name':
        out.name = facts.familyName ? `${facts.givenName} ${facts.familyName}` : facts.givenName;
        out.given_name = facts.givenName;
        if (facts.familyName) out.family_name = facts.familyName;
        break;
      case 'address':
        // OpenID Connect Core §5.1.1: the address claim is an object; only the postcode is shared.
        if (facts.postcode) out.address = { postal_code: facts.postcode, country: 'GB' };
        break;
      case 'birthdate':
        if (facts.dateOfBirth) out.birthdate = facts.dateOfBirth.toISOString().slice(0, 10);
        break;
      case 'age_over_18':
        if (facts.dateOfBirth) out.age_over_18 = isAtLeast(facts.dateOfBirth, 18, today);
        break;
      case 'townhall:roll':
        if (facts.district) out['townhall:roll'] = { registered: true, district: facts.district.code, districtName: facts.district.name };
        break;
      case 'townhall:roles':
        if (facts.kind === 'staff') out['townhall:roles'] = facts.roles;
        break;
      case 'townhall:org':
        // Made by the provider from the person's chosen, current membership (OidcProviderService).
        break;
    }
  }
  return out;
}

/** Whether someone born on `dateOfBirth` (a UTC date) is at least `years` old on `today` (UTC). */
function isAtLeast(dateOfBirth: Date, years: number, today: Date): boolean {
  const birthday = Date.UTC(dateOfBirth.getUTCFullYear() + years, dateOfBirth.getUTCMonth(), dateOfBirth.getUTCDate());
  return birthday <= Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
}

/** The claims a token's scopes stand for (the scopes the person granted), in catalogue order. */
export function claimsOfScopes(scope: string): TownhallIdClaim[] {
  const scopes = new Set(scope.split(' ').filter(Boolean));
  return (Object.keys(TOWNHALL_ID_CLAIMS) as TownhallIdClaim[]).filter((claim) => scopes.has(TOWNHALL_ID_CLAIMS[claim].scope));
}

/** A registered service as oidc-provider's client metadata; undefined while it is suspended, and once it is deleted. */
export function clientMetadataOf(service: ServiceRow): AdapterPayload | undefined {
  if (service.status !== 'active') return undefined;
  return {
    ...service.metadata,
    client_id: service.clientId,
    client_name: service.name,
    scope: ['openid', 'offline_access', ...service.claims.map((claim) => TOWNHALL_ID_CLAIMS[claim].scope)].join(' '),
    townhall_minimum_acr: service.minimumAcr,
  };
}

/**
 * Townhall ID's OpenID Connect provider (oidc-provider, mounted at /oidc): authorization code flow with
 * PKCE (S256) only, pairwise subjects, per-claim consent, refresh-token rotation, revocation,
 * introspection, PAR, RP-initiated and back-channel logout. Its state is in Postgres (oidc_payload),
 * its clients are the registered services (oidc_service), and every release of claims is appended to
 * the registry log before the claims leave (OidcLedger).
 */
@Injectable()
export class OidcProviderService implements OnModuleInit {
  #provider: Provider | undefined;
  #callback: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OidcKeys) private readonly keys: OidcKeys,
    @Inject(OidcPayloadRepository) private readonly payloads: OidcPayloadRepository,
    @Inject(OidcRepository) private readonly repository: OidcRepository,
    @Inject(OidcLedger) private readonly ledger: OidcLedger,
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(AppointmentsService) private readonly appointments: AppointmentsService,
  ) {}

  get issuer(): string {
    return `${this.config.publicUrl.replace(/\/$/, '')}${OIDC_PATH}`;
  }

  get provider(): Provider {
    if (!this.#provider) throw new Error('the OpenID Connect provider is not initialised yet');
    return this.#provider;
  }

  /** Express-style handler for requests below /oidc (the mount point already stripped from the URL). */
  handle(request: IncomingMessage & { ip?: string }, response: ServerResponse): void {
    if (!this.#callback) {
      response.statusCode = 503;
      response.end();
      return;
    }
    // The provider builds its endpoints' URLs from the request; they must be the public ones, whatever
    // name or scheme the request reached this process by. Set here, never taken from the client: the
    // client address is the one Express settled on (TOWNHALL_TRUSTED_PROXIES).
    const publicUrl = new URL(this.config.publicUrl);
    request.headers['x-forwarded-host'] = publicUrl.host;
    request.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
    request.headers['x-forwarded-for'] = request.ip ?? request.socket.remoteAddress ?? '';
    this.#callback(request, response);
  }

  /**
   * Tells `service` by back-channel logout (OpenID Connect Back-Channel Logout 1.0) that these sessions
   * of people at it have ended, once the change that ended them has committed: a withdrawal of access,
   * or the service's deletion. Each gets a logout token, signed as ID tokens are, with the service's
   * pairwise `sub` and the `sid` it was given, posted to its back-channel logout URI if it has one.
   * `service` is the row as it was before the change (the provider no longer finds a deleted service).
   * Best effort, as at sign-out: eight at a time, a failure is logged (by client id) and never makes the
   * change fail. Resolves with how many the service acknowledged.
   */
  async logOutAt(service: ServiceRow, sessions: readonly ServiceSession[]): Promise<number> {
    const metadata = clientMetadataOf({ ...service, status: 'active' });
    if (!metadata?.backchannel_logout_uri || sessions.length === 0) return 0;
    // oidc-provider's types leave out the constructor, and the method its own sign-out uses.
    const ClientOf = this.provider.Client as unknown as new (metadata: AdapterPayload) => { backchannelLogout(sub: string, sid: string): Promise<void> };
    const client = new ClientOf(metadata);
    let delivered = 0;
    await forEachConcurrently(sessions, 8, async (session) => {
      try {
        await client.backchannelLogout(session.accountId, session.sid);
        delivered++;
      } catch (error) {
        logger.warn({ err: error, clientId: service.clientId }, 'back-channel logout not delivered');
      }
    });
    return delivered;
  }

  /**
   * Once an appointment has ended, every service its representative signed in to for the resident hears
   * that those sessions have ended (back-channel logout), so the representative is signed out of them
   * too; their tokens stopped working already (#findAccount no longer finds the account).
   */
  #logOutRepresentative(ended: EndedAppointment): Promise<void> {
    const sessions = () => this.payloads.sessionsOfAccount(accountIdOf({ kind: 'elector', id: ended.appointerId }, ended.id));
    return this.#logOutSessions(sessions, { appointmentId: ended.id });
  }

  /**
   * Once people can no longer act for an organisation (it was suspended or closed, or one of them was
   * removed), every service they signed in to for it hears that those sessions have ended; `townhall:org`
   * is no longer given from their next request on anyway (#chosenOrganisation reads the membership).
   */
  #logOutOfOrganisation(ended: OrganisationAccessEnded): Promise<void> {
    const sessions = () => this.payloads.sessionsActingFor(ended.organisationId, ended.member && accountIdOf(ended.member));
    return this.#logOutSessions(sessions, { organisationId: ended.organisationId });
  }

  /** Back-channel logout of these sessions, grouped by service; failures are logged, never thrown. */
  async #logOutSessions(find: () => Promise<(ServiceSession & { clientId: string })[]>, context: Record<string, string>): Promise<void> {
    try {
      const sessions = await find();
      for (const clientId of new Set(sessions.map((session) => session.clientId))) {
        const service = await this.repository.findService(clientId);
        if (service && service.status !== 'deleted') await this.logOutAt(service, sessions.filter((session) => session.clientId === clientId));
      }
    } catch (error) {
      logger.warn({ err: error, ...context }, 'back-channel logout not sent');
    }
  }

  onModuleInit(): void {
    this.appointments.ended.add((ended) => void this.#logOutRepresentative(ended));
    this.organisations.accessEnded.add((ended) => void this.#logOutOfOrganisation(ended));
    const provider = new Provider(this.issuer, this.#configuration());
    // The X-Forwarded-* headers it reads are the ones `handle` sets from the public URL.
    provider.proxy = true;
    provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'OpenID Connect provider error'));
    provider.on('backchannel.error', (_ctx, error, client) => logger.warn({ err: error, clientId: client.clientId }, 'back-channel logout not delivered'));
    this.#provider = provider;
    this.#callback = provider.callback();
  }

  #configuration(): Configuration {
    const findClient = async (clientId: string) => {
      const service = await this.repository.findService(clientId);
      return service ? clientMetadataOf(service) : undefined;
    };
    const basePolicy = interactionPolicy.base();
    // A person already signed in to the provider whose identity was proved to a lower level than this
    // service needs signs in again; the interaction page then refuses with unmet_authentication_requirements.
    basePolicy.get('login')!.checks.add(
      new interactionPolicy.Check('acr_below_minimum', 'the service needs a higher level of assurance', (ctx) => {
        const minimum = (ctx.oidc.client as unknown as { townhallMinimumAcr?: AssuranceLevel }).townhallMinimumAcr;
        const acr = ctx.oidc.session?.acr as AssuranceLevel | undefined;
        if (!minimum || !ctx.oidc.session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        return acr && meetsAssurance(acr, minimum) ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
      }),
    );
    // Someone signed in for another person is asked again at every new sign-in, so that acting for
    // someone never carries over to another service, or to a service that does not accept it.
    basePolicy.get('login')!.checks.add(
      new interactionPolicy.Check('acting_for_someone', 'the person was acting for someone else', (ctx) =>
        (ctx.oidc.session?.accountId ?? '').includes(':act:') && !ctx.oidc.result?.login
          ? interactionPolicy.Check.REQUEST_PROMPT
          : interactionPolicy.Check.NO_NEED_TO_PROMPT,
      ),
    );
    return {
      adapter: this.payloads.adapterClass(findClient),
      clients: [],
      findAccount: (ctx, sub) => this.#findAccount(ctx, sub),
      // How and when the person signed in is in every ID token (`openid`), not only when asked for.
      // `act` (RFC 8693 §4.1): present when a representative signed in for a resident.
      claims: { openid: ['sub', 'acr', 'amr', 'auth_time', 'act'], ...SCOPE_CLAIMS, sid: null },
      scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS)],
      subjectTypes: ['pairwise'],
      pairwiseIdentifier: (_ctx, accountId, client) => this.keys.pairwiseSubject(String(client.sectorIdentifier ?? client.clientId), subjectOf(accountId)),
      acrValues: ASSURANCE_LEVELS.map((l) => l.acr),
      responseTypes: ['code'],
      pkce: { required: () => true },
      clientDefaults: {
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
        subject_type: 'pairwise',
        token_endpoint_auth_method: 'private_key_jwt',
      },
      clientAuthMethods: ['private_key_jwt', 'client_secret_basic', 'none'],
      extraClientMetadata: { properties: ['townhall_minimum_acr'] },
      enabledJWA: {
        idTokenSigningAlgValues: ['ES256'],
        clientAuthSigningAlgValues: ['ES256', 'EdDSA', 'RS256', 'PS256'],
      },
      jwks: { keys: this.keys.signingKeys },
      cookies: {
        keys: this.keys.cookieKeys,
        long: { httpOnly: true, sameSite: 'lax', signed: true },
        short: { httpOnly: true, sameSite: 'lax', signed: true },
      },
      interactions: { policy: basePolicy, url: (_ctx, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true },
        introspection: {
          enabled: true,
          // A service may introspect only its own tokens, and only when it can authenticate (RFC 7662 §4).
          allowedPolicy: (_ctx, client, token) => client.clientAuthMethod !== 'none' && token.clientId === client.clientId,
        },
        rpInitiatedLogout: { enabled: true, logoutSource: logoutPage, postLogoutSuccessSource: signedOutPage },
        backchannelLogout: { enabled: true },
        pushedAuthorizationRequests: { enabled: true },
        resourceIndicators: { enabled: false },
        dPoP: { enabled: false },
        userinfo: { enabled: true },
      },
      clientBasedCORS: (_ctx, origin, client) =>
        client.clientAuthMethod === 'none' && (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
      issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
      // Every refresh gives a new refresh token and retires the old one (OAuth 2.0 Security BCP §4.14.2).
      rotateRefreshToken: true,
      ttl: {
        AccessToken: 10 * 60,
        AuthorizationCode: 60,
        IdToken: 10 * 60,
        RefreshToken: 30 * 24 * 3600,
        Interaction: 15 * 60,
        Session: this.config.sessionMaxAgeSeconds,
        Grant: 365 * 24 * 3600,
      },
      renderError: errorPage,
      // The provider refuses to call special-use addresses (loopback, private ranges), so that a
      // registered back-channel logout URI cannot make it reach inside the council's network. A
      // deployment that itself runs on this machine (its public URL is localhost: development, the
      // demo) may call services on this machine too, such as the demo service.
      fetch: (url, options) => {
        const isLocal = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
        if (isLocal(new URL(this.config.publicUrl).hostname) && isLocal(new URL(String(url)).hostname)) {
          const { dispatcher: _ssrfGuard, ...rest } = options as RequestInit & { dispatcher?: unknown };
          return fetch(url, rest);
        }
        return fetch(url, options);
      },
    };
  }

  async #findAccount(ctx: KoaContextWithOIDC, accountId: string): Promise<Account | undefined> {
    const parsed = accountRefOf(accountId);
    if (!parsed) return undefined;
    const { account, actingUnder } = parsed;
    // A representative's sign-in lasts only while the appointment does: once it has ended, expired or
    // lost its purpose, the account is gone for the provider (tokens stop working, sign-in is asked again).
    let actor: string | undefined;
    if (actingUnder) {
      const appointment = await this.repository.appointment(actingUnder);
      const today = new Date().toISOString().slice(0, 10);
      const isUsable =
        appointment?.appointerId === account.id &&
        appointment.acceptedAt !== null &&
        appointment.endedAt === null &&
        appointment.endsOn >= today &&
        appointment.purposes.includes(SIGN_IN_PURPOSE);
      if (!isUsable) return undefined;
      actor = accountIdOf({ kind: 'elector', id: appointment.representativeId });
    }
    const facts = await this.repository.accountFacts(account);
    if (!facts) return undefined;
    return {
      accountId,
      claims: async (use, scope, _claims, rejected) => {
        const refused = new Set(rejected);
        const wanted = claimsOfScopes(scope).filter((claim) => !refused.has(claim));
        const values = claimValues(facts, wanted, new Date());
        if (wanted.includes('townhall:org') && !actor) {
          const organisation = await this.#chosenOrganisation(ctx, account);
          if (organisation) values['townhall:org'] = organisation;
        }
        const released = wanted.filter((claim) => TOWNHALL_ID_CLAIMS[claim].claims.some((name) => name in values));
        // The ID token of the code flow carries only sub, acr and auth_time (conformIdTokenClaims); the
        // claims leave at the userinfo endpoint, so that is where their release is recorded, first.
        if (use === 'userinfo' && released.length > 0) {
          await this.ledger.recordRelease(account, ctx.oidc.client!.clientId, released);
        }
        const client = ctx.oidc.client!;
        const act = actor ? { act: { sub: this.keys.pairwiseSubject(String(client.sectorIdentifier ?? client.clientId), actor) } } : {};
        return { sub: subjectOf(accountId), ...act, ...(use === 'userinfo' ? values : {}) };
      },
    };
  }

  /** `townhall:org`: the organisation chosen at consent, from the membership as it is now (active organisations only). */
  async #chosenOrganisation(ctx: KoaContextWithOIDC, account: AccountRef): Promise<Record<string, unknown> | undefined> {
    if (account.kind === 'staff') return undefined;
    const grantId = ctx.oidc.entities.AccessToken?.grantId ?? ctx.oidc.entities.Grant?.jti;
    const chosen = grantId ? await this.repository.organisationChoice(grantId) : undefined;
    if (!chosen) return undefined;
    const membership = (await this.organisations.membershipsOf(account)).find((m) => m.organisation.id === chosen && m.organisation.status === 'active');
    if (!membership) return undefined;
    const { id, kind, legalName } = membership.organisation;
    return { id, kind, name: legalName, roles: membership.roles };
  }
}

