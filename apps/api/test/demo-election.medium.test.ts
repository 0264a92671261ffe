import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CeremonyState, ElectionDetail, ElectionListResponse, fromHexString } from '@townhall/protocol';
import { G, openTrusteeFile, pointFromHex } from '@townhall/crypto';
import { DEMO_ELECTION_TITLE, describeDemoElection, seedDemoElection, type DemoElectionResult } from '../src/seed/demo-election.ts';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { dialects } from './support/test-database.ts';
import { acceptInvitation, ApiClient, enrolOk } from '@townhall/client-flows';
import { newBrowser, startIdentityApp, type RunningApp } from './identity-support/flows.ts';

describe.each(dialects)('the demo election seed on %s', (dialect) => {
  let app: RunningApp;
  let dataDir: string;
  let first: DemoElectionResult;
  let second: DemoElectionResult;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'townhall-demo-'));
    app = await startIdentityApp(dialect);
    first = await seedDemoElection(app.app, app.database.prisma, { dataDir });
    second = await seedDemoElection(app.app, app.database.prisma, { dataDir });
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates exactly one demo election, open, with a published key; the second seeding changes nothing', async () => {
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ electionId: first.electionId, created: false, codes: [], trustees: null, trusteeDirectory: first.trustees!.directory });
    const all = ElectionListResponse.parse(await (await fetch(`${app.baseUrl}/api/elections`)).json());
    const demos = all.elections.filter((e) => e.title === DEMO_ELECTION_TITLE);
    expect(demos).toHaveLength(1);
    const detail = ElectionDetail.parse(await (await fetch(`${app.baseUrl}/api/elections/${first.electionId}`)).json());
    expect(detail.status).toBe('open');
    expect(detail.electionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.issuerPublicKey).not.toBeNull();
    expect(detail.title.toLowerCase()).toContain('demo');
    expect(Date.parse(detail.closesAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(describeDemoElection(second, 'http://x').join('\n')).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
  });

  it('commits the seeded roll to the registry once, so observers can check eligibility against it', async () => {
    const ledger = app.app.get(LedgerService);
    const size = (await ledger.getLog(REGISTRY_LOG)).size;
    const entries = await ledger.entries(REGISTRY_LOG, 0n, size);
    const committed = entries.map((e) => decodeEntry(e.bytes)).filter((e) => e.type === 'RollCommitted');
    expect(committed).toHaveLength(1);
    const perDistrict = Object.fromEntries(['CAS', 'NGT', 'RVS'].map((code) => [code, demoElectors.filter((e) => e[1] === code).length]));
    expect(committed[0]!.body).toMatchObject({ electorCount: demoElectors.length, districts: perDistrict });
  });

  it('writes trustee key files that open with the printed passphrase and hold shares of the published key', async () => {
    const detail = ElectionDetail.parse(await (await fetch(`${app.baseUrl}/api/elections/${first.electionId}`)).json());
    const files = (await readdir(first.trustees!.directory)).filter((f) => f.endsWith('.townhall-key.json')).sort();
    expect(files).toHaveLength(3);
    const fingerprint = fromHexString(detail.fingerprint!);
    const shares = [];
    for (const [i, file] of files.entries()) {
      const secrets = await openTrusteeFile(await readFile(join(first.trustees!.directory, file), 'utf8'), first.trustees!.passphrase, { electionFingerprint: fingerprint, trusteeIndex: i + 1 });
      expect(secrets.secretShare).not.toBeNull();
      shares.push(secrets.secretShare!);
    }
    // Any 2 of the 3 shares interpolate to the secret of the published joint key: λ1 = 2, λ2 = −1 at x = 0.
    const n = 2n ** 252n + 27742317777372353535851937790883648493n;
    const secret = (((2n * shares[0]! - shares[1]!) % n) + n) % n;
    expect(G.multiply(secret).equals(pointFromHex(detail.electionKey!))).toBe(true);
  });

  it('prints activation codes that enrol, and the new resident sees the demo election', async () => {
    expect(first.codes.length).toBe(3);
    const lines = describeDemoElection(first, 'http://localhost:3000').join('\n');
    for (const code of first.codes) {
      expect(lines.replaceAll('-', '')).toContain(code.activationCode);
      const browser = await newBrowser(app);
      await enrolOk(browser.client, browser.authenticator, { activationCode: code.activationCode, postcode: code.postcode });
      const mine = ElectionListResponse.parse(await browser.client.json(browser.client.get('/api/elections/mine')));
      expect(mine.elections.find((e) => e.id === first.electionId)).toMatchObject({ status: 'open', hasCredential: false });
    }
  });

  it('prints one-time links that sign each demo trustee in as themselves; a later start replaces the unused ones', async () => {
    expect(first.trusteeLinks.map((l) => l.trusteeIndex)).toEqual([1, 2, 3]);
    expect(second.trusteeLinks.map((l) => l.trusteeIndex)).toEqual([1, 2, 3]);
    const printed = describeDemoElection(second, 'http://localhost:3000').join('\n');
    for (const link of second.trusteeLinks) expect(printed).toContain(`Demo trustee ${link.trusteeIndex}: ${link.url}`);
    expect(printed).toContain(`${second.trusteeDirectory}  (passphrase in README.txt there)`);
    expect(await readFile(join(first.trusteeDirectory, 'README.txt'), 'utf8')).toContain(first.trustees!.passphrase);

    // The first start's links stopped working when the second start printed new ones.
    const token = (url: string) => url.split('/').pop()!;
    const stale = await newBrowser(app);
    expect((await ApiClient.errorCode(stale.client.get(`/api/staff/invitations/${token(first.trusteeLinks[1]!.url)}`))).status).toBe(404);

    // Trustee 2 signs in with the fresh link: the same staff member the ceremony knows as trustee 2.
    const trustee = await newBrowser(app);
    const session = await acceptInvitation(trustee.client, trustee.authenticator, token(second.trusteeLinks[1]!.url));
    expect(session.principal).toMatchObject({ kind: 'staff', roles: [{ role: 'trustee', electionId: first.electionId }] });
    const state = CeremonyState.parse(await trustee.client.json(trustee.client.get(`/api/elections/${first.electionId}/ceremony`)));
    expect(state.yourIndex).toBe(2);
    expect(await app.database.prisma.staffMember.count({ where: { roles: { some: { role: 'trustee', electionId: first.electionId } } } })).toBe(3);
    // The link worked once.
    expect((await ApiClient.errorCode(stale.client.get(`/api/staff/invitations/${token(second.trusteeLinks[1]!.url)}`))).status).toBe(404);

    // The next start prints links only for the two demo trustees who have not signed in.
    const third = await seedDemoElection(app.app, app.database.prisma, { dataDir });
    expect(third.trusteeLinks.map((l) => l.trusteeIndex)).toEqual([1, 3]);
  });
});
