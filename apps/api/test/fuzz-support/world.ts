import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElectionDetail } from '@townhall/protocol';
import { exampleTerms } from '@townhall/contracts';
import { seedDemoElection } from '../../src/seed/demo-election.ts';
import type { Dialect } from '../support/test-database.ts';
import { acceptInvitation, enrolOk, obtainCredential, prepareBallot, type ApiClient } from '@townhall/client-flows';
import { newBrowser, staffMember, startIdentityApp, PUBLIC_URL, type RunningApp } from '../identity-support/flows.ts';
import { demoDraft } from '../elections-support.ts';

export const CALLERS = ['none', 'anonymous', 'resident', 'officer', 'trustee', 'admin'] as const;
export type CallerName = (typeof CALLERS)[number];

export interface Caller {
  /** Session cookie value (none: the request carries no cookie at all). */
  cookie?: string;
  csrfToken?: string;
}

/**
 * A seeded deployment to fuzz: the demo council and its open demo election (real key ceremony),
 * a resident who enrolled and holds a voting credential, an officer, an admin and a trustee of the
 * demo election, each with a live session and CSRF token, and valid request bodies to mutate.
 */
export interface FuzzWorld {
  app: RunningApp;
  origin: string;
  electionId: string;
  electionLog: string;
  callers: Record<CallerName, Caller>;
  /** Valid (or nearly valid) bodies by route key; mutations of them reach past the schema checks. */
  templates: Record<string, unknown>;
  destroy(): Promise<void>;
}

/** Runs one step of building the world, naming it in the error: a failed hook says which step broke. */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(`fuzz world: ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export async function startFuzzWorld(dialect: Dialect, env: Record<string, string> = {}): Promise<FuzzWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'townhall-fuzz-'));
  const app = await step('starting the app', () => startIdentityApp(dialect, env));
  const seeded = await step('seeding the demo election', () => seedDemoElection(app.app, app.database.prisma, { dataDir }));
  const electionId = seeded.electionId;
  const card = seeded.codes.find((c) => c.electorNumber === 'CAS-0001')!;

  const toCaller = (client: ApiClient): Caller => ({ cookie: client.cookie, csrfToken: client.csrfToken });
  const anonymous = await step('opening an anonymous session', () => newBrowser(app));
  const resident = await newBrowser(app);
  await step('enrolling the resident', () => enrolOk(resident.client, resident.authenticator, { activationCode: card.activationCode, postcode: card.postcode }));
  const officer = await step('making the officer', () => staffMember(app, 'officer', 'Fuzz Officer'));
  const admin = await step('making the admin', () => staffMember(app, 'admin', 'Fuzz Admin'));
  // One of the demo election's own trustees, signed in with the link the seed prints (a new trustee
  // cannot join an election whose key ceremony has started).
  const trustee = await newBrowser(app);
  await step('signing in a demo trustee', () => acceptInvitation(trustee.client, trustee.authenticator, seeded.trusteeLinks[0]!.url.split('/').pop()!));

  // A real credential and ballot: their mutations exercise the ballot checks, not only the schema.
  const election = ElectionDetail.parse(await resident.client.json(resident.client.get(`/api/elections/${electionId}`)));
  const voter = await step('obtaining a voting credential', () => obtainCredential(resident.client, resident.authenticator, electionId));
  const choices = Object.fromEntries(election.contests.map((c) => [c.id, [c.options[0]!.id]]));
  const ballot = prepareBallot(election, voter, choices);
  // Spoiled with its own ballot: a spoiled ballot (or one sharing its ciphertexts) can never be cast.
  const spoilable = prepareBallot(election, voter, choices);

  const webauthnResponse = {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    rawId: 'AAAAAAAAAAAAAAAAAAAAAA',
    type: 'public-key',
    response: {
      clientDataJSON: Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: 'A'.repeat(43), origin: PUBLIC_URL, crossOrigin: false })).toString('base64url'),
      authenticatorData: Buffer.alloc(37).toString('base64url'),
      attestationObject: Buffer.alloc(64).toString('base64url'),
      signature: Buffer.alloc(70).toString('base64url'),
      userHandle: 'AAAA',
      transports: ['internal'],
    },
    authenticatorAttachment: 'platform',
    clientExtensionResults: {},
  };
  const hex = (bytes: number) => '00'.repeat(bytes);
  const templates: Record<string, unknown> = {
    'POST /api/enrolment/start': { activationCode: 'ABCD-EFGH-JKMN-PQRS', postcode: 'DB1 1AA' },
    'POST /api/enrolment/finish': { response: webauthnResponse },
    'POST /api/sign-in/finish': { response: webauthnResponse },
    'POST /api/passkeys/start': { assertion: webauthnResponse },
    'POST /api/passkeys/finish': { response: webauthnResponse },
    'POST /api/staff/invitations/:token/finish': { response: webauthnResponse },
    'POST /api/staff/invitations': { role: 'trustee', displayName: 'Someone', electionId },
    'POST /api/roll/poll-cards': { district: 'ZZZ' },
    'POST /api/official/elections': demoDraft(),
    'PUT /api/official/elections/:id': demoDraft(),
    'POST /api/official/elections/:id/ceremony': { threshold: 2, trustees: ['00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001'] },
    'POST /api/trustee/elections/:id/commitment': { commitment: hex(200) },
    'POST /api/trustee/elections/:id/shares': { shares: [hex(100), hex(100)] },
    'POST /api/trustee/elections/:id/verdict': { verdict: 'complaint', accused: 1, sharedSecret: hex(32), proof: hex(64) },
    'POST /api/trustee/elections/:id/partial-decryption': { shares: [{ contestId: election.contests[0]!.id, optionId: election.contests[0]!.options[0]!.id, share: hex(32), proof: hex(64) }] },
    'POST /api/elections/:id/credentials': { nonce: hex(32), blindedMessage: hex(384), assertion: webauthnResponse },
    'POST /api/elections/:id/ballots': ballot.request,
    'POST /api/elections/:id/spoiled-ballots': spoilable.spoil,
    'POST /api/services': {
      name: 'Parking permits',
      redirectUris: ['https://parking.example.gov.uk/callback'],
      clientType: 'public',
      claims: ['name', 'townhall:roll'],
      requiredClaims: ['townhall:roll'],
    },
    'POST /api/services/:clientId/status': { status: 'suspended' },
    'POST /oidc/interaction/:uid/consent': { claims: ['name'] },
    'POST /api/official/organisations': {
      kind: 'contractor',
      legalName: 'Fuzz Roofing Ltd',
      companyNumber: 'SC123456',
      address: '1 Yard Lane',
    },
    'POST /api/official/organisations/:id/status': { status: 'suspended' },
    'POST /api/official/organisations/:id/invitations': { displayName: 'Fuzz Administrator' },
    'POST /api/official/appointments': {
      donorElectorNumber: 'CAS-0001',
      attorneyElectorNumber: 'CAS-0002',
      documentReference: 'M-1234-5678-9012',
      purposes: ['manage-council-services'],
      endsOn: '2030-01-01',
    },
    'POST /api/organisations/:id/public/check-member': { code: 'ABCDE-FGHJK' },
    'POST /api/organisations/:id/invitations': { displayName: 'Fuzz Member', roles: ['member'] },
    'POST /api/organisations/:id/members/:memberId/roles': { roles: ['member', 'gas-safe'] },
    'PUT /api/organisations/:id/bank-account': { accountName: 'Fuzz Roofing Ltd', sortCode: '309430', accountNumber: '00733445', iban: null, bic: 'NWBKGB2L' },
    'POST /api/organisation-invitations/:token/finish': { response: webauthnResponse },
    'POST /api/appointments': { representativeCode: 'ABCD-EFGH-JKMN', purposes: ['receive-correspondence'], endsOn: '2030-01-01' },
    'POST /api/organisations/:id/contracts': { terms: exampleTerms() },
    'POST /api/organisations/:id/contracts/:contractId/approve': { revision: 1, assertion: webauthnResponse },
    'POST /api/organisations/:id/signing-passkeys/start': { assertion: webauthnResponse },
    'POST /api/organisations/:id/signing-passkeys/finish': { response: webauthnResponse },
    'POST /api/organisations/:id/contracts/:contractId/amendments': { terms: { ...exampleTerms(), revision: 2 }, effectiveAt: '2030-01-01T00:00:00.000Z' },
    'POST /api/organisations/:id/repairs': {
      contractId: 'north-consortium-repairs-2025',
      description: 'The kitchen tap drips',
      location: 'Kitchen',
      priority: 'routine',
      hazards: { dampOrMould: false, immediateRisk: false },
    },
    'POST /api/organisations/:id/repairs/:orderId/triage': { itemCode: 'TAP-01', quantity: 1, priority: 'routine', hazard: 'none' },
    'POST /api/organisations/:id/repairs/:orderId/reject': { reason: 'not-fixed', detail: 'Still drips' },
    'POST /api/organisations/:id/work-orders/:orderId/schedule': { appointmentStart: '2030-01-01T09:00:00.000Z', appointmentEnd: '2030-01-01T11:00:00.000Z' },
    'POST /api/organisations/:id/work-orders/:orderId/complete': { notes: 'Fitted a new mixer' },
    'POST /api/organisations/:id/payment-runs': { contractId: 'north-consortium-repairs-2025' },
    'POST /api/organisations/:id/webhook': { url: 'https://hooks.example.com/townhall' },
    'PATCH /api/organisations/:id/webhook': { url: 'https://hooks.example.com/townhall', isPaused: true },
    'PUT /api/elections/:id/ballot-key': {
      version: 1,
      credentialId: Buffer.from(resident.authenticator.credentials[0]!.id).toString('base64url'),
      salt: hex(32),
      wrappedKey: hex(428),
    },
  };
  return {
    app,
    origin: PUBLIC_URL,
    electionId,
    electionLog: `election-${electionId}`,
    callers: {
      none: {},
      anonymous: toCaller(anonymous.client),
      resident: toCaller(resident.client),
      officer: toCaller(officer.client),
      trustee: toCaller(trustee.client),
      admin: toCaller(admin.client),
    },
    templates,
    async destroy() {
      await app.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
