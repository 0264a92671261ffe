/**
 * A full run whose log is scanned for secrets (log-secrets.medium.test.ts starts this file in its own
 * process, so that pino writes its debug-level JSON log to this process's stdout exactly as the
 * server does in production). Enrol, sign in, staff invitations, an election with a 3-trustee key
 * ceremony, a voting credential, a cast ballot, close, tally with two trustees, published result,
 * plus a few refused requests. Every secret the run produced is written to the file named by the
 * first argument (never to stdout), with its kind.
 *
 * Run: node --import tsx test/fuzz-support/log-secrets-run.ts <secrets.json>   (TEST_DATABASE_URL set)
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ElectionDetail, StaffInvitationCreated, TallyState, fromHexString } from '@townhall/protocol';
import { ElectionScheduler } from '../../src/elections/elections.module.ts';
import { startTestApp } from '../support/test-app.ts';
import { createTestDatabase } from '../support/test-database.ts';
import {
  acceptInvitation,
  enrolOk,
  obtainCredential,
  prepareBallot,
  signIn,
  signInOk,
  tallyAndWait,
  type ApiClient,
  type SoftwareAuthenticator,
} from '@townhall/client-flows';
import { PUBLIC_URL, issueCard, newBrowser, staffMember } from '../identity-support/flows.ts';
import { demoDraft, runKeyCeremony } from '../elections-support.ts';

export type SecretKind =
  | 'activation code' | 'session cookie' | 'CSRF token' | 'staff invitation token' | 'passkey assertion signature'
  | 'blinded message' | 'credential signature' | 'ballot secret key' | 'trustee polynomial coefficient' | 'trustee secret share' | 'trustee identity key'
  | 'issuer private key' | 'deployment secret' | 'log signing key' | 'database password' | 'roll search' | 'roll value';
export interface ProducedSecret { kind: SecretKind; value: string }

const secretsPath = process.argv[2];
if (!secretsPath) throw new Error('usage: log-secrets-run.ts <secrets.json>');

const secrets: ProducedSecret[] = [];
const keep = (kind: SecretKind, value: string | undefined) => {
  if (value) secrets.push({ kind, value });
};
const keepBytes = (kind: SecretKind, bytes: Uint8Array) => {
  const buffer = Buffer.from(bytes);
  keep(kind, buffer.toString('hex'));
  keep(kind, buffer.toString('base64'));
  keep(kind, buffer.toString('base64url'));
};
const keepScalar = (kind: SecretKind, scalar: bigint) => {
  const be = scalar.toString(16).padStart(64, '0');
  keep(kind, be);
  keep(kind, Buffer.from(be, 'hex').reverse().toString('hex'));
  keep(kind, scalar.toString(10));
};
/** Every session cookie and CSRF token a client holds, each time it changes. */
const keepSession = (client: ApiClient) => {
  keep('session cookie', client.cookie);
  keep('CSRF token', client.csrfToken);
};
/** Records the assertion signatures and private keys a software passkey produces. */
const watch = (authenticator: SoftwareAuthenticator) => {
  const get = authenticator.get.bind(authenticator);
  authenticator.get = (options, overrides) => {
    const assertion = get(options, overrides);
    keep('passkey assertion signature', assertion.response.signature);
    return assertion;
  };
  return authenticator;
};

const testDatabase = await createTestDatabase('postgres');
const password = `pw${randomBytes(12).toString('hex')}`;
const url = new URL((testDatabase.config as { url: string }).url);
url.password = password;
keep('database password', password);
const logSigningKey = randomBytes(32).toString('base64');
keep('log signing key', logSigningKey);
const app = await startTestApp('postgres', {
  testDatabase: { config: { kind: 'postgres', url: url.toString() }, drop: testDatabase.drop },
  // The apps' pages are served too: their URLs carry secrets as well (an invitation link, a poll card's link).
  env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000', TOWNHALL_LOG_LEVEL: 'debug', TOWNHALL_LOG_SIGNING_KEY: logSigningKey, TOWNHALL_SERVE_APPS: 'true' },
});

try {
  // --- staff: the first admin from a one-time link; officer and trustees invited through the API
  const admin = await staffMember(app, 'admin', 'Admin');
  watch(admin.authenticator);
  keep('staff invitation token', admin.token);
  keepSession(admin.client);
  const invite = async (body: Record<string, unknown>) => {
    const created = StaffInvitationCreated.parse(await admin.client.json(admin.client.post('/api/staff/invitations', body), 201));
    const token = created.url.split('/').pop()!;
    keep('staff invitation token', token);
    const browser = await newBrowser(app);
    watch(browser.authenticator);
    // The link opens the officials' app page first, as it does in a browser (any letter case routes there).
    await browser.client.get(`/official/invite/${token}`);
    await browser.client.get(`/Official/Invite/${token}?from=email`);
    // Looking the link up first, as the official app does (the token is in the URL).
    await browser.client.json(browser.client.get(`/api/staff/invitations/${token}`));
    await acceptInvitation(browser.client, browser.authenticator, token);
    keepSession(browser.client);
    // A used link is looked up again: refused, and still not logged.
    await browser.client.get(`/api/staff/invitations/${token}`);
    return browser;
  };
  const officer = await invite({ role: 'officer', displayName: 'Returning Officer' });
  // A name searched for on the roll is personal data, in the API's query and in the app page's.
  const searched = 'Featherstonehaugh';
  keep('roll search', searched);
  await officer.client.get(`/official/roll/electors?district=CAS&q=${searched}`);
  await officer.client.json(officer.client.get(`/api/roll/electors?district=CAS&q=${searched}`));
  // Malformed roll files: a stray quote (it was a 500 whose log line quoted the field) and a bad
  // postcode. Refused with 422; none of their values may reach the log.
  const header = 'elector_number,given_name,family_name,address,postcode,date_of_birth,district';
  for (const value of ['Wilhelmina-Rose', 'Cholmondeley', 'Evergreen Terrace', 'ZZ99 9ZZZ9']) keep('roll value', value);
  for (const body of [
    `${header}\nLOG-0001,Wilhelmina-Rose,Cholmondeley"Warner,1 Road,DB1 1AA,1990-02-03,CAS\n`,
    `${header}\nLOG-0002,Ann,Lee,"742 Evergreen Terrace",ZZ99 9ZZZ9,1990-02-03,CAS\n`,
  ]) {
    const answer = await officer.client.request('POST', '/api/roll/imports', { raw: body });
    if (answer.status !== 422) throw new Error(`a malformed roll file answered ${answer.status}, not 422`);
  }

  // --- election and key ceremony (3 trustees, any 2 decrypt)
  const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
  const id = created.id;
  const newTrustee = async (i: number) => (await invite({ role: 'trustee', displayName: `Trustee ${i}`, electionId: id })).client;
  const trustees = await runKeyCeremony(officer.client, id, { trustees: 3, threshold: 2, newTrustee });
  for (const t of trustees) {
    for (const a of t.setup!.secrets.polynomialCoefficients) keepScalar('trustee polynomial coefficient', a);
    keepScalar('trustee identity key', t.setup!.secrets.identitySecretKey);
    keepScalar('trustee secret share', t.secretShare!);
  }
  await app.app.get(ElectionScheduler).tick();

  // --- a resident: a wrong code first, then enrolment, sign-out, sign-in with the passkey
  const resident = await newBrowser(app);
  watch(resident.authenticator);
  const code = await issueCard(app, 'CAS-0001');
  keep('activation code', code);
  keep('activation code', code.replace(/-/g, ''));
  // The poll card's link (its QR code) opens the residents' app with the code in the query.
  await resident.client.get(`/enrol?code=${code}`);
  await resident.client.get(`/enrol?code=${code.replace(/-/g, '')}&step=check`);
  await resident.client.post('/api/enrolment/start', { activationCode: 'ABCD-EFGH-JKMN-PQRS', postcode: 'DB1 1AA' });
  await resident.client.request('POST', '/api/enrolment/start', { raw: `{"activationCode":"${code}",`, contentType: 'application/json' });
  await enrolOk(resident.client, resident.authenticator, { activationCode: code, postcode: 'DB1 1AA' });
  keepSession(resident.client);
  await resident.client.post('/api/sign-out');
  keepSession(resident.client);
  await resident.client.session();
  keepSession(resident.client);
  // A corrupted assertion is refused (and its signature must not be logged either).
  await signIn(resident.client, resident.authenticator, { corruptSignature: true });
  await signInOk(resident.client, resident.authenticator);
  keepSession(resident.client);

  // --- credential, ballot, close, tally
  const election = ElectionDetail.parse(await resident.client.json(resident.client.get(`/api/elections/${id}`)));
  const voter = await obtainCredential(resident.client, resident.authenticator, id, { replay: (request) => keep('blinded message', request.blindedMessage as string) });
  keepBytes('credential signature', voter.credential.signature);
  keepBytes('ballot secret key', voter.keys.secretKey);
  const ballot = prepareBallot(election, voter, { mayor: ['ada'] });
  await resident.client.json(resident.client.post(`/api/elections/${id}/ballots`, ballot.request), 201);
  await officer.client.json(officer.client.post(`/api/official/elections/${id}/close`));
  const tally = await tallyAndWait(officer.client, id);
  const fingerprint = fromHexString(election.fingerprint!);
  await trustees[0]!.client.json(trustees[0]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, trustees[0]!.partialDecryption(tally, fingerprint)));
  const done = TallyState.parse(await trustees[2]!.client.json(trustees[2]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, trustees[2]!.partialDecryption(tally, fingerprint))));
  if (done.status !== 'published') throw new Error(`the tally ended ${done.status}, not published`);

  // --- server-side secrets, read from the database
  for (const row of await app.database.sql.query<{ key: Uint8Array | null }>('SELECT issuer_private_key AS key FROM election')) if (row.key) keepBytes('issuer private key', row.key);
  for (const row of await app.database.sql.query<{ value: Uint8Array }>('SELECT value FROM deployment_secret')) keepBytes('deployment secret', row.value);
} finally {
  await app.destroy();
}
writeFileSync(secretsPath, JSON.stringify({ secrets: secrets.filter((s) => s.value.length >= 12) }, null, 1));
