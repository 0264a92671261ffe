import { ASSURANCE_LEVELS, TOWNHALL_ID_CLAIMS, type AssuranceLevel, type ServiceSummary, type TownhallIdClaim } from '@townhall/protocol';

/**
 * What a service may learn about a person, in words for the administrator who registers it. The
 * residents' consent page words the same claims for the person ("Your name", from
 * TOWNHALL_ID_CLAIMS); the Record type makes the compiler insist on every claim the protocol has.
 */
export const CLAIM_WORDS: Record<TownhallIdClaim, string> = {
  name: 'Their name',
  address: 'Their postcode',
  birthdate: 'Their date of birth',
  age_over_18: 'Whether they are 18 or over (not their date of birth)',
  'townhall:roll': 'That they are on the electoral roll, and their ward',
  'townhall:roles': 'Their roles as a member of council staff',
  'townhall:org': 'The organisation they are acting for, and their roles in it',
};

/** The claims in the protocol's order (the order of the form and of every list). */
export const CLAIMS_IN_ORDER = Object.keys(TOWNHALL_ID_CLAIMS) as TownhallIdClaim[];

/** The scope a service asks for to receive `claim` (its developers need it). */
export const scopeOf = (claim: TownhallIdClaim): string => TOWNHALL_ID_CLAIMS[claim].scope;

export function assuranceWords(acr: AssuranceLevel): string {
  return ASSURANCE_LEVELS.find((level) => level.acr === acr)?.words ?? acr;
}

/** The kind of service and how it proves who it is, in words. */
export function serviceTypeWords(service: Pick<ServiceSummary, 'clientType' | 'authMethod'>): string {
  if (service.clientType === 'public') return 'Public: an app in the browser or on a phone (PKCE only)';
  return service.authMethod === 'client_secret_basic'
    ? 'Confidential: a server that proves who it is with a client secret'
    : 'Confidential: a server that proves who it is with its keys';
}
