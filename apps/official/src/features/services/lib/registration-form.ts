import { ServiceRegistrationRequest, type AssuranceLevel, type TownhallIdClaim, type ValidationIssue } from '@townhall/protocol';
import type { FieldError } from '@townhall/web-ui';
import type { z } from 'zod';
import { CLAIM_WORDS, CLAIMS_IN_ORDER } from './service-words.ts';

export type ClientType = 'confidential' | 'public';
export type AuthMethod = 'private_key_jwt' | 'client_secret_basic';

/** What the administrator entered, as typed: URIs one per line, the keys as pasted JSON. */
export interface RegistrationAnswers {
  name: string;
  redirectUris: string;
  postLogoutRedirectUris: string;
  backchannelLogoutUri: string;
  clientType: ClientType | null;
  authMethod: AuthMethod | null;
  jwks: string;
  claims: TownhallIdClaim[];
  requiredClaims: TownhallIdClaim[];
  minimumAcr: AssuranceLevel | null;
  acceptsRepresentatives: boolean;
}

export const emptyAnswers = (): RegistrationAnswers => ({
  name: '',
  redirectUris: '',
  postLogoutRedirectUris: '',
  backchannelLogoutUri: '',
  clientType: null,
  authMethod: null,
  jwks: '',
  claims: [],
  requiredClaims: [],
  minimumAcr: null,
  acceptsRepresentatives: false,
});

/**
 * The form's fields, in page order (the error summary's order). For a group of radios or checkboxes
 * this is the group's id; the summary links to its first input (see summaryTarget).
 */
export const fieldIds = {
  name: 'service-name',
  redirectUris: 'redirect-uris',
  postLogoutRedirectUris: 'post-logout-redirect-uris',
  backchannelLogoutUri: 'backchannel-logout-uri',
  clientType: 'client-type',
  authMethod: 'auth-method',
  jwks: 'jwks',
  claims: 'claims',
  requiredClaims: 'required-claims',
  minimumAcr: 'minimum-acr',
  acceptsRepresentatives: 'accepts-representatives',
} as const;

const FIELD_ORDER: string[] = Object.values(fieldIds);

/** The id of one input of a group: `client-type-public`, `claims-townhall-roll`, `minimum-acr-1`. */
export const optionId = (group: string, value: string | number) => `${group}-${String(value).replace(/[^a-z0-9]+/gi, '-')}`;

/** The input the error summary links to for a field: a group's first (visible) input. */
export function summaryTarget(fieldId: string, answers: RegistrationAnswers): string {
  switch (fieldId) {
    case fieldIds.clientType:
      return optionId(fieldIds.clientType, 'confidential');
    case fieldIds.authMethod:
      return optionId(fieldIds.authMethod, 'private_key_jwt');
    case fieldIds.claims:
      return optionId(fieldIds.claims, CLAIMS_IN_ORDER[0]!);
    case fieldIds.requiredClaims:
      // Only the claims the service may ask for can be required; none chosen, the claims are the fix.
      return answers.claims.length > 0
        ? optionId(fieldIds.requiredClaims, inClaimOrder(answers.claims)[0]!)
        : summaryTarget(fieldIds.claims, answers);
    case fieldIds.minimumAcr:
      return optionId(fieldIds.minimumAcr, 0);
    default:
      return fieldId;
  }
}

const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
const inClaimOrder = (claims: readonly TownhallIdClaim[]) => CLAIMS_IN_ORDER.filter((claim) => claims.includes(claim));

/** The keys as pasted, parsed; undefined when nothing was pasted, null when it is not JSON. */
function parseJwks(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * The request the answers make. Only what the chosen kind of service uses is sent: a public service
 * no key or secret, a service with a secret no keys, a required claim only if it may be asked for.
 */
export function requestFromAnswers(answers: RegistrationAnswers): Record<string, unknown> {
  const isConfidential = answers.clientType === 'confidential';
  const jwks = isConfidential && answers.authMethod === 'private_key_jwt' ? parseJwks(answers.jwks) : undefined;
  const backchannelLogoutUri = answers.backchannelLogoutUri.trim();
  return {
    name: answers.name,
    redirectUris: lines(answers.redirectUris),
    postLogoutRedirectUris: lines(answers.postLogoutRedirectUris),
    ...(backchannelLogoutUri ? { backchannelLogoutUri } : {}),
    ...(answers.clientType ? { clientType: answers.clientType } : {}),
    ...(isConfidential && answers.authMethod ? { authMethod: answers.authMethod } : {}),
    ...(jwks !== undefined && jwks !== null ? { jwks } : {}),
    claims: inClaimOrder(answers.claims),
    requiredClaims: inClaimOrder(answers.requiredClaims.filter((claim) => answers.claims.includes(claim))),
    ...(answers.minimumAcr ? { minimumAcr: answers.minimumAcr } : {}),
    acceptsRepresentatives: answers.acceptsRepresentatives,
  };
}

const ordinal = (index: string | undefined) => Number(index) + 1;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** zod's own messages ("Invalid URL", "Too big: …"), as opposed to the protocol's worded ones. */
const isZodDefault = (message: string) => /^(Invalid|Too big|Too small|Expected|Required)\b/.test(message);

/** A URI the request carried, quoted, to name it in a message; otherwise its place in the list. */
function quoteUri(request: Record<string, unknown>, list: string, index: string | undefined, what: string): string {
  const value = (request[list] as unknown[] | undefined)?.[Number(index)];
  return typeof value === 'string' ? `“${value}”` : `${what} ${ordinal(index)}`;
}

function describeUri(subject: string, message: string): string {
  if (message === 'Invalid URL') return `${subject} is not a full web address: start it with https://`;
  if (message.startsWith('Too big')) return `${subject} must be 500 characters or fewer`;
  return `${subject} ${message}`;
}

/**
 * Puts a protocol issue (the form's own check, or the server's VALIDATION_FAILED `issues`) on the
 * field that answers it, in words the administrator can act on. `path` is zod's, joined with dots.
 */
export function describeIssue(issue: ValidationIssue, request: Record<string, unknown> = {}): FieldError {
  const [head, index, ...rest] = issue.path === '(root)' ? [''] : issue.path.split('.');
  const { message } = issue;
  switch (head) {
    case 'name':
      return {
        fieldId: fieldIds.name,
        message: message.startsWith('Too big') ? 'The name must be 100 characters or fewer' : capitalised(message),
      };
    case 'redirectUris':
    case 'postLogoutRedirectUris': {
      const fieldId = head === 'redirectUris' ? fieldIds.redirectUris : fieldIds.postLogoutRedirectUris;
      const [one, many] = head === 'redirectUris' ? ['Redirect URI', 'redirect URIs'] : ['Sign-out return URI', 'sign-out return URIs'];
      if (index !== undefined) return { fieldId, message: describeUri(quoteUri(request, head, index, one), message) };
      if (message.startsWith('Too big')) return { fieldId, message: `Enter no more than 10 ${many}` };
      if (message === 'are on more than one host') return { fieldId, message: `All the ${many} must be on one host name` };
      // The protocol's own words start in capitals; the server's other cross-field ones do not.
      return { fieldId, message: /^[A-Z]/.test(message) ? message : `The ${many} ${message}` };
    }
    case 'backchannelLogoutUri':
      return { fieldId: fieldIds.backchannelLogoutUri, message: describeUri('The back-channel logout URI', message) };
    case 'clientType':
      return { fieldId: fieldIds.clientType, message: 'Select the kind of service' };
    case 'authMethod':
      return {
        fieldId: fieldIds.authMethod,
        message: request.clientType === 'public' ? capitalised(message) : 'Select how the service proves who it is',
      };
    case 'jwks':
      return { fieldId: fieldIds.jwks, message: describeKeysIssue(index, rest, message) };
    case 'claims':
      return {
        fieldId: fieldIds.claims,
        message: message === 'names a claim twice' ? 'Choose each thing at most once' : capitalised(message),
      };
    case 'requiredClaims': {
      const claim = message.split(' ')[0] as TownhallIdClaim;
      const words = claim in CLAIM_WORDS ? CLAIM_WORDS[claim] : null;
      return {
        fieldId: fieldIds.requiredClaims,
        message: words ? `“${words}” is marked required, but the service may not ask for it` : capitalised(message),
      };
    }
    case 'minimumAcr':
      return { fieldId: fieldIds.minimumAcr, message: 'Select the minimum level of assurance' };
    case '':
      // The provider's own checks of the metadata answer for the registration as a whole, in its
      // metadata's names (RFC 7591 §2): put them on the field they name, if they name one.
      const fieldId = fieldOfMetadataName(message);
      return { fieldId, message: fieldId ? `Townhall ID refused this: ${message}` : `The service’s details were refused: ${message}` };
    default:
      return { fieldId: null, message: `${issue.path}: ${message}` };
  }
}

/** OpenID Connect client metadata names (RFC 7591 §2, OpenID Connect RP-Initiated and Back-Channel Logout) → fields. */
const METADATA_FIELDS: [RegExp, string][] = [
  [/\bpost_logout_redirect_uris\b/, fieldIds.postLogoutRedirectUris],
  [/\bbackchannel_logout_uri\b/, fieldIds.backchannelLogoutUri],
  [/\bredirect_uris\b/, fieldIds.redirectUris],
  [/\bjwks\b|JSON Web Key Set/i, fieldIds.jwks],
  [/\btoken_endpoint_auth_method\b/, fieldIds.authMethod],
];

function fieldOfMetadataName(message: string): string | null {
  return METADATA_FIELDS.find(([name]) => name.test(message))?.[1] ?? null;
}

/** `jwks`, `jwks.keys`, `jwks.keys.0`, `jwks.keys.0.kty`: what is wrong with the pasted keys. */
function describeKeysIssue(keys: string | undefined, [keyIndex, member]: string[], message: string): string {
  if (keys === undefined) {
    return isZodDefault(message)
      ? 'Paste a JWK Set: a JSON object with a “keys” list of public keys'
      : 'Paste the service’s public keys (a JWK Set)';
  }
  if (keyIndex === undefined) {
    if (message.startsWith('Too small')) return 'Paste at least one public key in the “keys” list';
    if (message.startsWith('Too big')) return 'Paste no more than 5 public keys';
    return 'Paste a JWK Set: a JSON object with a “keys” list of public keys';
  }
  const key = `Key ${ordinal(keyIndex)}`;
  if (member === 'kty') return `${key} must have a key type (“kty”) of EC, OKP or RSA`;
  if (member === 'kid') return `${key} has a key id (“kid”) that is not text of 200 characters or fewer`;
  return isZodDefault(message) ? `${key} is not a JSON Web Key` : `${key} ${message}`;
}

/** One message per field (the first given), in page order; problems with the whole registration first. */
function inPageOrder(errors: readonly FieldError[]): FieldError[] {
  const byField = new Map<string | null, FieldError>();
  for (const error of errors) if (!byField.has(error.fieldId)) byField.set(error.fieldId, error);
  const rank = (fieldId: string | null) => (fieldId === null ? -1 : FIELD_ORDER.indexOf(fieldId));
  return [...byField.values()].sort((a, b) => rank(a.fieldId) - rank(b.fieldId));
}

/** The server's (or the schema's) issues as the form shows them: each on its field, in words. */
export function errorsFromIssues(issues: readonly ValidationIssue[], request: Record<string, unknown> = {}): FieldError[] {
  return inPageOrder(issues.map((issue) => describeIssue(issue, request)));
}

export type ValidRegistration = z.output<typeof ServiceRegistrationRequest>;

/**
 * The protocol's rules (the schema the server checks with), plus what only the form knows: keys that
 * are not JSON, and a level of assurance left unchosen, where the protocol would assume the lowest;
 * and the server's simplest rule, that redirect URIs share one host (pairwise subjects are per host).
 */
export function validateRegistration(
  answers: RegistrationAnswers,
): { ok: true; request: ValidRegistration } | { ok: false; errors: FieldError[] } {
  const request = requestFromAnswers(answers);
  const formErrors: FieldError[] = [];
  if (answers.clientType === 'confidential' && answers.authMethod === 'private_key_jwt' && parseJwks(answers.jwks) === null) {
    formErrors.push({
      fieldId: fieldIds.jwks,
      message: 'The public keys are not valid JSON: paste the JWK Set as the service’s developers gave it',
    });
  }
  const hosts = new Set((request.redirectUris as string[]).filter((uri) => URL.canParse(uri)).map((uri) => new URL(uri).host));
  if (hosts.size > 1) formErrors.push({ fieldId: fieldIds.redirectUris, message: 'All the redirect URIs must be on one host name' });
  if (answers.minimumAcr === null) formErrors.push({ fieldId: fieldIds.minimumAcr, message: 'Select the minimum level of assurance' });
  const parsed = ServiceRegistrationRequest.safeParse(request);
  const schemaIssues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  if (formErrors.length > 0 || !parsed.success) {
    return { ok: false, errors: inPageOrder([...formErrors, ...schemaIssues.map((issue) => describeIssue(issue, request))]) };
  }
  return { ok: true, request: parsed.data };
}
