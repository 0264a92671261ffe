import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BallotKeyVaultRecord, ElectionDetail, WRAPPED_BALLOT_KEY_BYTES } from '@townhall/protocol';

type VaultRecord = BallotKeyVaultRecord;
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { dialects } from './support/test-database.ts';
import { ApiClient, obtainCredential, type SoftwareAuthenticator } from '@townhall/client-flows';
import { newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { enrolResidents } from './election-fixture.ts';
import { demoDraft, runKeyCeremony } from './elections-support.ts';

/**
 * The ballot-key vault (docs/protocol/key-ceremony-and-credentials.md §6.3), issue #20: a resident's
 * sealed ballot key is kept for them and given back to them alone, only while the election is open,
 * only once they hold a credential in it, and only within the record's size limits. The server never
 * opens a record, so these records are random bytes of the right shapes.
 */

const code = ApiClient.errorCode;
type Resident = { client: ApiClient; authenticator: SoftwareAuthenticator };

const passkeyId = (resident: Resident) => Buffer.from(resident.authenticator.credentials[0]!.id).toString('base64url');
const record = (resident: Resident, wrappedBytes = 428): VaultRecord => ({
  version: 1,
  credentialId: passkeyId(resident),
  salt: randomBytes(32).toString('hex'),
  wrappedKey: randomBytes(wrappedBytes).toString('hex'),
});

describe.each(dialects)('the ballot-key vault on %s', (dialect) => {
  let app: RunningApp;
  let officer: ApiClient;
  let electionId: string;
  let owner: Resident;
  let other: Resident;
  let uncredentialed: Resident;
  const url = () => `/api/elections/${electionId}/ballot-key`;
  const put = (who: ApiClient, body: unknown, path = url()) => who.request('PUT', path, { body });
  const rows = () => app.database.prisma.ballotKeyVault.count({ where: { electionId } });

  beforeAll(async () => {
    app = await startIdentityApp(dialect, { TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
    officer = (await staffMember(app, 'officer', 'Returning Officer')).client;
    const created = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft()), 201));
    const newTrustee = async (i: number) => (await staffMember(app, 'trustee', `Trustee ${i}`, created.id)).client;
    await runKeyCeremony(officer, created.id, { trustees: 1, threshold: 1, newTrustee });
    await app.app.get(ElectionScheduler).tick();
    electionId = created.id;
    [owner, other, uncredentialed] = (await enrolResidents(app, 3, 'VAULT')) as [Resident, Resident, Resident];
    await obtainCredential(owner.client, owner.authenticator, electionId);
    await obtainCredential(other.client, other.authenticator, electionId);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('keeps a credentialed resident’s record and gives it back to them exactly; a later one replaces it', async () => {
    const first = record(owner);
    expect(BallotKeyVaultRecord.parse(await owner.client.json(put(owner.client, first)))).toEqual(first);
    expect(await owner.client.json(owner.client.get(url()))).toEqual(first);
    const second = record(owner, WRAPPED_BALLOT_KEY_BYTES.max);
    await owner.client.json(put(owner.client, second));
    expect(await owner.client.json(owner.client.get(url()))).toEqual(second);
    expect(await rows()).toBe(1);
  });

  it('never gives a record to anyone but its owner: another resident, staff and anonymous callers cannot read it', async () => {
    await owner.client.json(put(owner.client, record(owner)));
    // The route names no elector: another resident asking reads their own (none yet), never the owner's.
    expect(await code(other.client.get(url()))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    for (const role of ['officer', 'admin'] as const) {
      const staff = role === 'officer' ? officer : (await staffMember(app, role, 'Vault admin')).client;
      expect(await code(staff.get(url()))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(await code(put(staff, record(owner)))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    const anonymous = (await newBrowser(app)).client;
    expect(await code(anonymous.get(url()))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    // Another resident's own record is theirs alone, and leaves the owner's as it was.
    const mine = await owner.client.json<VaultRecord>(owner.client.get(url()));
    const theirs = record(other);
    await other.client.json(put(other.client, theirs));
    expect(await other.client.json(other.client.get(url()))).toEqual(theirs);
    expect(await owner.client.json(owner.client.get(url()))).toEqual(mine);
  });

  it('refuses a record from a resident without a credential (409), or sealed with someone else’s passkey (400)', async () => {
    expect(await code(put(uncredentialed.client, record(uncredentialed)))).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(await code(uncredentialed.client.get(url()))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const before = await other.client.json(other.client.get(url()));
    const refused = await code(put(other.client, { ...record(other), credentialId: passkeyId(owner) }));
    expect(refused).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', issues: [{ path: 'credentialId' }] });
    expect(await other.client.json(other.client.get(url()))).toEqual(before);
  });

  it('refuses records too large or too small, and malformed ones, with the field named; nothing is stored', async () => {
    const before = await owner.client.json(owner.client.get(url()));
    const tooLarge = await code(put(owner.client, record(owner, WRAPPED_BALLOT_KEY_BYTES.max + 1)));
    expect(tooLarge).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', issues: [{ path: 'wrappedKey' }] });
    expect(tooLarge.message).toContain(`at most ${WRAPPED_BALLOT_KEY_BYTES.max} bytes`);
    const tooSmall = await code(put(owner.client, record(owner, WRAPPED_BALLOT_KEY_BYTES.min - 1)));
    expect(tooSmall).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', issues: [{ path: 'wrappedKey' }] });
    for (const bad of [{ salt: 'ab' }, { version: 2 }, { credentialId: 'not base64url!' }, { extra: true }]) {
      expect(await code(put(owner.client, { ...record(owner), ...bad }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    // Far beyond the route's limit, the body is refused before it is parsed.
    const huge = await code(put(owner.client, { ...record(owner), wrappedKey: 'ab'.repeat(1024 * 1024) }));
    expect(huge).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await owner.client.json(owner.client.get(url()))).toEqual(before);
  });

  it('answers an unknown or draft election as not found', async () => {
    const unknown = '/api/elections/00000000-0000-4000-8000-000000000000/ballot-key';
    expect(await code(owner.client.get(unknown))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await code(put(owner.client, record(owner), unknown))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await code(owner.client.get('/api/elections/not-an-id/ballot-key'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const draft = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft()), 201));
    expect(await code(owner.client.get(`/api/elections/${draft.id}/ballot-key`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('refuses to store or give back a record once the election has closed (409)', async () => {
    await officer.json(officer.post(`/api/official/elections/${electionId}/close`, {}));
    expect(await code(owner.client.get(url()))).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
    expect(await code(put(owner.client, record(owner)))).toMatchObject({ status: 409, code: 'ELECTION_WRONG_PHASE' });
  });
});
