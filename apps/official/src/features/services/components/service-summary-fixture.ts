import type { ServiceSummary } from '@townhall/protocol';

/** A registered service as the API lists it, for the services pages' tests: each test changes what it is about. */
export const serviceSummary = (overrides: Partial<ServiceSummary> = {}): ServiceSummary => ({
  clientId: 'svc_garden',
  name: 'Garden waste subscription',
  clientType: 'confidential',
  authMethod: 'private_key_jwt',
  redirectUris: ['https://bins.example.gov.uk/callback'],
  postLogoutRedirectUris: [],
  backchannelLogoutUri: null,
  claims: ['name'],
  requiredClaims: [],
  minimumAcr: 'urn:townhall:acr:roll-poll-card',
  acceptsRepresentatives: false,
  status: 'active',
  revision: 1,
  ledgerIndex: '12',
  createdAt: '2026-12-01T10:30:00.000Z',
  ...overrides,
});
