import { z } from 'zod';

/**
 * Townhall ID (docs/identity.md): the council's OpenID Connect provider. What a service may learn
 * about a person, in plain words, and the levels of assurance; the wire shapes of the interaction
 * pages, the service register and the account page's list of releases; the registry-ledger bodies.
 */

/**
 * The claims a service can ask for. Each claim has its own scope, so a person can decline each
 * optional one separately (OpenID Connect Core §5.4 groups several claims in `profile`; here the
 * `profile` scope carries only the name). `sub` is always released: it is pairwise per service.
 */
export const TOWNHALL_ID_CLAIMS = {
  name: { scope: 'profile', words: 'Your name', claims: ['name', 'given_name', 'family_name'] },
  address: { scope: 'address', words: 'Your postcode', claims: ['address'] },
  birthdate: { scope: 'birthdate', words: 'Your date of birth', claims: ['birthdate'] },
  age_over_18: { scope: 'age', words: 'Whether you are 18 or over (not your date of birth)', claims: ['age_over_18'] },
  'townhall:roll': { scope: 'townhall:roll', words: 'That you are on the electoral roll, and your ward', claims: ['townhall:roll'] },
  'townhall:roles': { scope: 'townhall:roles', words: 'Your roles as a member of council staff', claims: ['townhall:roles'] },
  'townhall:org': { scope: 'townhall:org', words: 'The organisation you are acting for, and your roles in it', claims: ['townhall:org'] },
} as const;
export type TownhallIdClaim = keyof typeof TOWNHALL_ID_CLAIMS;
export const TOWNHALL_ID_CLAIM_NAMES = Object.keys(TOWNHALL_ID_CLAIMS) as TownhallIdClaim[];
export const TownhallIdClaim = z.enum(TOWNHALL_ID_CLAIM_NAMES as [TownhallIdClaim, ...TownhallIdClaim[]]);

/** The claim whose scope is `scope`, if any. */
export function claimOfScope(scope: string): TownhallIdClaim | undefined {
  return TOWNHALL_ID_CLAIM_NAMES.find((claim) => TOWNHALL_ID_CLAIMS[claim].scope === scope);
}

/**
 * Levels of assurance, lowest first: the `acr` of an ID token says which one the person's identity
 * was proved to. docs/identity.md maps each to GPG 45 and eIDAS. A service registered with a minimum
 * level refuses people below it with the OpenID Connect error `unmet_authentication_requirements`.
 */
export const ASSURANCE_LEVELS = [
  {
    acr: 'urn:townhall:acr:organisation-invitation',
    words: 'Invited by an organisation’s administrator, then a passkey (the council did not check who they are)',
  },
  {
    acr: 'urn:townhall:acr:roll-poll-card',
    words: 'Electoral roll entry claimed with the poll-card code and a roll detail, then a passkey',
  },
  {
    acr: 'urn:townhall:acr:staff-invitation',
    words: 'Council staff invited by an administrator, then a passkey',
  },
] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number]['acr'];
export const AssuranceLevel = z.enum(ASSURANCE_LEVELS.map((l) => l.acr) as [AssuranceLevel, ...AssuranceLevel[]]);

/** Whether `acr` is at least `minimum` in ASSURANCE_LEVELS' order. */
export function meetsAssurance(acr: AssuranceLevel, minimum: AssuranceLevel): boolean {
  const rank = (level: AssuranceLevel) => ASSURANCE_LEVELS.findIndex((l) => l.acr === level);
  return rank(acr) >= rank(minimum);
}

// ---- The service register (council administrators)

const isLoopbackHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/** An absolute https URI (http only on this machine, for development), with no fragment (RFC 6749 §3.1.2). */
const ServiceUri = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((text) => !text.includes('#'), 'must not have a fragment (#…)')
  .refine((text) => {
    // zod runs this even when the URL check above failed: a text that is no URL is that check's issue.
    const url = URL.parse(text);
    return url === null || url.protocol === 'https:' || isLoopbackHost(url.hostname);
  }, 'must use https (http only for localhost)');

/** A public JWK of a service's own key pair, for `private_key_jwt` (RFC 7523). */
const PublicJwk = z
  .object({ kty: z.enum(['EC', 'OKP', 'RSA']), kid: z.string().max(200).optional() })
  .catchall(z.unknown())
  .refine((jwk) => !('d' in jwk), 'must be a public key: it has a private part (d)');

export const ServiceRegistrationRequest = z
  .object({
    name: z.string().trim().min(1, 'Enter the service’s name').max(100),
    redirectUris: z.array(ServiceUri).min(1, 'Enter at least one redirect URI').max(10),
    postLogoutRedirectUris: z.array(ServiceUri).max(10).default([]),
    backchannelLogoutUri: ServiceUri.optional(),
    /** `public`: a single-page or mobile app, PKCE only. `confidential`: a server, with a key or a secret. */
    clientType: z.enum(['confidential', 'public']),
    /** For confidential services: `private_key_jwt` (give `jwks`) or `client_secret_basic` (a secret is made, shown once). */
    authMethod: z.enum(['private_key_jwt', 'client_secret_basic']).optional(),
    jwks: z.object({ keys: z.array(PublicJwk).min(1).max(5) }).optional(),
    claims: z.array(TownhallIdClaim).max(TOWNHALL_ID_CLAIM_NAMES.length),
    requiredClaims: z.array(TownhallIdClaim).default([]),
    minimumAcr: AssuranceLevel.default('urn:townhall:acr:roll-poll-card'),
    /** Whether someone may sign in to it for a resident who appointed them (the service then gets an `act` claim). */
    acceptsRepresentatives: z.boolean().default(false),
  })
  .superRefine((service, context) => {
    if (new Set(service.claims).size !== service.claims.length) {
      context.addIssue({ code: 'custom', path: ['claims'], message: 'names a claim twice' });
    }
    for (const claim of service.requiredClaims) {
      if (!service.claims.includes(claim)) {
        context.addIssue({ code: 'custom', path: ['requiredClaims'], message: `${claim} is required but not among the claims the service may ask for` });
      }
    }
    if (service.clientType === 'public' && (service.authMethod || service.jwks)) {
      context.addIssue({ code: 'custom', path: ['authMethod'], message: 'a public service has no key or secret: it uses PKCE only' });
    }
    if (service.clientType === 'confidential' && !service.authMethod) {
      context.addIssue({ code: 'custom', path: ['authMethod'], message: 'choose how the service proves who it is: private_key_jwt or client_secret_basic' });
    }
    if (service.authMethod === 'private_key_jwt' && !service.jwks) {
      context.addIssue({ code: 'custom', path: ['jwks'], message: 'give the service’s public keys (a JWK Set) for private_key_jwt' });
    }
    if (service.authMethod === 'client_secret_basic' && service.jwks) {
      context.addIssue({ code: 'custom', path: ['jwks'], message: 'a service that uses a secret has no keys to register' });
    }
  });
export type ServiceRegistrationRequest = z.input<typeof ServiceRegistrationRequest>;

export const ServiceStatus = z.enum(['active', 'suspended']);
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const ServiceStatusChange = z.object({ status: ServiceStatus });

export const ServiceSummary = z.object({
  clientId: z.string(),
  name: z.string(),
  clientType: z.enum(['confidential', 'public']),
  authMethod: z.enum(['private_key_jwt', 'client_secret_basic', 'none']),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  backchannelLogoutUri: z.string().nullable(),
  claims: z.array(TownhallIdClaim),
  requiredClaims: z.array(TownhallIdClaim),
  minimumAcr: AssuranceLevel,
  acceptsRepresentatives: z.boolean(),
  status: ServiceStatus,
  revision: z.number().int(),
  /** Registry-log index of the latest ServiceRegistered entry. */
  ledgerIndex: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;

/** The answer to a registration: the client secret appears here once and is never shown again. */
export const ServiceRegistered = z.object({ service: ServiceSummary, clientSecret: z.string().nullable() });
export type ServiceRegistered = z.infer<typeof ServiceRegistered>;

export const ServiceList = z.object({ services: z.array(ServiceSummary) });
export type ServiceList = z.infer<typeof ServiceList>;

// ---- The interaction pages (residents' app)

export const InteractionClaim = z.object({ claim: TownhallIdClaim, words: z.string(), required: z.boolean() });
export type InteractionClaim = z.infer<typeof InteractionClaim>;

export const InteractionDetails = z.object({
  uid: z.string(),
  /** `login`: the person must sign in with their passkey; `consent`: they choose what to share. */
  prompt: z.enum(['login', 'consent']),
  service: z.object({ clientId: z.string(), name: z.string() }),
  /** What the service asks for (consent only): each in plain words; optional ones can be declined. */
  claims: z.array(InteractionClaim),
  minimumAcr: AssuranceLevel,
  /** Consent, when the service asks for `townhall:org`: the organisations the person may act for (one is chosen). */
  organisations: z.array(z.object({ id: z.string(), name: z.string(), roles: z.array(z.string()) })),
  /**
   * Sign-in, once the person has signed in to Townhall with their passkey, when the service accepts
   * representatives: the residents who appointed them to manage their council services.
   */
  representing: z.array(z.object({ appointmentId: z.string(), givenName: z.string() })),
});
export type InteractionDetails = z.infer<typeof InteractionDetails>;

export const InteractionConsent = z.object({
  claims: z.array(TownhallIdClaim).max(TOWNHALL_ID_CLAIM_NAMES.length),
  /** With `townhall:org`: which of the person's organisations they act for at this service. */
  organisationId: z.uuid().optional(),
});
export type InteractionConsent = z.input<typeof InteractionConsent>;

/** Sign in as oneself, or for a resident who appointed the person (`actingFor`: the appointment's id). */
export const InteractionLogin = z.object({ actingFor: z.uuid().optional() });
export type InteractionLogin = z.input<typeof InteractionLogin>;

/** Where the browser goes next (back into the provider, which then returns to the service). */
export const InteractionRedirect = z.object({ redirectTo: z.string() });
export type InteractionRedirect = z.infer<typeof InteractionRedirect>;

// ---- The account page: services and what each received

export const ServiceAccessEvent = z.object({
  /** `service-deleted`: the council deleted the service (its ServiceDeleted entry); always the last event. */
  kind: z.enum(['consent-given', 'consent-withdrawn', 'claims-released', 'service-deleted']),
  claims: z.array(z.string()),
  at: z.iso.datetime(),
  /** Registry-log index of the entry that records it (its receipt: GET /api/ledger/registry/receipt/<index>). */
  ledgerIndex: z.string(),
});
export type ServiceAccessEvent = z.infer<typeof ServiceAccessEvent>;

export const ServiceAccess = z.object({
  clientId: z.string(),
  name: z.string(),
  /** Whether the service may still sign the person in without asking (consent given, not withdrawn). */
  hasAccess: z.boolean(),
  claims: z.array(z.string()),
  events: z.array(ServiceAccessEvent),
});
export type ServiceAccess = z.infer<typeof ServiceAccess>;

export const ServiceAccessList = z.object({ services: z.array(ServiceAccess) });
export type ServiceAccessList = z.infer<typeof ServiceAccessList>;

// ---- Registry-log bodies (docs/protocol/ledger.md §2.1). Never personal data.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const ServiceRegisteredBody = z.strictObject({
  serviceId: z.string(),
  revision: z.number().int().positive(),
  name: z.string(),
  claims: z.array(TownhallIdClaim),
  requiredClaims: z.array(TownhallIdClaim),
  minimumAcr: AssuranceLevel,
  acceptsRepresentatives: z.boolean(),
  status: ServiceStatus,
  /** The origins the service may send people back to (from its redirect URIs). */
  redirectOrigins: z.array(z.string()),
});
export type ServiceRegisteredBody = z.infer<typeof ServiceRegisteredBody>;

/**
 * The service was deleted: every grant, code, token and session binding it had was revoked in the same
 * transaction, and its client id is never registered again. `revision` follows its last
 * ServiceRegistered entry's. Nothing about the people who used it.
 */
export const ServiceDeletedBody = z.strictObject({ serviceId: z.string(), revision: z.number().int().positive(), at: z.iso.datetime() });
export type ServiceDeletedBody = z.infer<typeof ServiceDeletedBody>;

/** `subject` is a per-service pseudonym (HMAC of the service and the person), so entries about one person for two services cannot be joined. */
export const ConsentGivenBody = z.strictObject({ subject: hex64, serviceId: z.string(), claims: z.array(TownhallIdClaim), at: z.iso.datetime() });
export const ConsentWithdrawnBody = z.strictObject({ subject: hex64, serviceId: z.string(), at: z.iso.datetime() });
export const ClaimsReleasedBody = z.strictObject({ subject: hex64, serviceId: z.string(), claims: z.array(TownhallIdClaim), at: z.iso.datetime() });
export type ConsentGivenBody = z.infer<typeof ConsentGivenBody>;
export type ConsentWithdrawnBody = z.infer<typeof ConsentWithdrawnBody>;
export type ClaimsReleasedBody = z.infer<typeof ClaimsReleasedBody>;
