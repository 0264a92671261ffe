import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElectionDetail, SessionResponse, TallyState, fromHexString } from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { pointFromHex } from '@townhall/crypto';
import { startWitness, type RunningWitness } from '@townhall/witness';
import { parseRecord, verifyRecord } from '@townhall/verifier';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { dialects } from './support/test-database.ts';
import { enrolOk, obtainCredential, prepareBallot, SoftwareTrustee } from '@townhall/client-flows';
import { PUBLIC_URL, issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { TEST_LOG_SEED_BASE64, testLogVerifierKey, waitFor } from './ledger-support.ts';
import { demoDraft } from './elections-support.ts';

// Set TOWNHALL_WRITE_RECORD_FIXTURE=<path> to keep the record of this run (packages/verifier's
// tampering suite uses one, made this way: see packages/verifier/test/fixtures/README.md).
const FIXTURE_PATH = process.env.TOWNHALL_WRITE_RECORD_FIXTURE;
const ELECTORS: Record<string, string> = { 'CAS-0001': 'DB1 1AA', 'CAS-0002': 'DB1 1AA', 'NGT-0001': 'DB2 2BA', 'NGT-0002': 'DB2 2BA', 'RVS-0001': 'DB3 3CA' };

const csvLine = ([number, district, given, family, address, postcode, dob]: (typeof demoElectors)[number]) => [number, given, family, `"${address}"`, postcode, dob, district].join(',');
const rollCsv = ['elector_number,given_name,family_name,address,postcode,date_of_birth,district', ...demoElectors.map(csvLine)].join('\r\n') + '\r\n';

interface RecordLine {
  kind: string;
  [key: string]: unknown;
}

describe.each(dialects)('the election record on %s', (dialect) => {
  const dirs = [mkdtempSync(join(tmpdir(), 'townhall-rw1-')), mkdtempSync(join(tmpdir(), 'townhall-rw2-'))];
  const witnesses: RunningWitness[] = [];
  let app: RunningApp;

  beforeAll(async () => {
    const logs = [{ origin: `${new URL(PUBLIC_URL).host}/townhall/*`, verifierKey: testLogVerifierKey() }];
    for (const [i, dir] of dirs.entries()) witnesses.push(await startWitness({ stateDir: dir, name: `record-witness-${i + 1}`, logs }));
    app = await startIdentityApp(dialect, {
      TOWNHALL_LOG_SIGNING_KEY: TEST_LOG_SEED_BASE64,
      TOWNHALL_LOCAL_WITNESSES: 'false',
      TOWNHALL_WITNESSES: witnesses.map((w) => `${w.verifierKey}@${w.url}`).join(', '),
      TOWNHALL_WITNESS_QUORUM: '2',
      // Each CredentialIssued appended at issuance (epochs of one, elections.md §5.1): the partial
      // record below shows the credentials of an open election, and the verifier's fixture made by
      // this test keeps the entry layout the tampering suite relies on.
      TOWNHALL_CREDENTIAL_EPOCH_MIN: '1',
    });
    // Two witnesses and a cold database: allow for a loaded 2-core machine.
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
    for (const w of witnesses) await w.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  const download = async (id: string): Promise<{ response: Response; text: string; lines: RecordLine[] }> => {
    const response = await fetch(`${app.baseUrl}/api/elections/${id}/record`);
    const text = response.ok ? await response.text() : '';
    return { response, text, lines: text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as RecordLine) };
  };
  /** The observer's independent verifier (packages/verifier) on the downloaded file. */
  const verify = async (text: string) => verifyRecord(await parseRecord(text));
  const statusOf = (report: Awaited<ReturnType<typeof verify>>) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  const published = (id: string) =>
    waitFor(async () => {
      const ledger = app.app.get(LedgerService);
      await ledger.checkpointNow(`election-${id}`);
      const size = (await ledger.getLog(`election-${id}`)).size;
      return (await ledger.latestCheckpoint(`election-${id}`, { published: true }))?.size === size;
    }, 'a published checkpoint covering the whole election log');

  it('downloads a complete record of a real election, partial while open, whole after the result', async () => {
    const officer = await staffMember(app, 'officer', 'Returning Officer');
    // Commit the roll to the registry (RollCommitted: eligible electors per district).
    const preview = await officer.client.json<{ importId: string }>(officer.client.request('POST', '/api/roll/imports', { raw: rollCsv }), 201);
    await officer.client.json(officer.client.post(`/api/roll/imports/${preview.importId}/apply`));
    const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
    const id = created.id;
    expect((await download('00000000-0000-4000-8000-000000000000')).response.status).toBe(404);

    const trustees: SoftwareTrustee[] = [];
    const staffIds: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const member = await staffMember(app, 'trustee', `Trustee ${i}`, id);
      const session = SessionResponse.parse(await member.client.json(member.client.get('/api/session')));
      staffIds.push(session.principal.kind === 'staff' ? session.principal.staffId : '');
      trustees.push(new SoftwareTrustee(member.client, i));
    }
    await officer.client.json(officer.client.post(`/api/official/elections/${id}/ceremony`, { threshold: 2, trustees: staffIds }));
    for (const t of trustees) await t.client.json(t.commit(id));
    for (const t of trustees) await t.client.json(t.sendShares(id));
    for (const t of trustees) await t.client.json(t.judge(id));
    const ledger = app.app.get(LedgerService);
    const keyEntry = (await ledger.entries(`election-${id}`, 0n, 100n)).map((e) => decodeEntry(e.bytes)).find((e) => e.type === 'ElectionKeyPublished')!;
    const shares = (keyEntry.body as { verificationShares: { share: string }[] }).verificationShares;
    for (const t of trustees) await t.keepSecretShare(id, pointFromHex(shares[t.index - 1]!.share));
    await app.app.get(ElectionScheduler).tick();

    const election = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${id}`)));
    const choices = ['ada', 'grace', 'ada', 'alan', 'grace'];
    const voters = [];
    for (const [number, postcode] of Object.entries(ELECTORS)) {
      const browser = await newBrowser(app);
      await enrolOk(browser.client, browser.authenticator, { activationCode: await issueCard(app, number), postcode });
      voters.push({ ...browser, credential: await obtainCredential(browser.client, browser.authenticator, id) });
    }
    // One Benaloh-spoiled ballot, five cast, and voter 2 changes their mind (supersession).
    const spoiled = prepareBallot(election, voters[0]!.credential, { mayor: ['edsger'] });
    await voters[0]!.client.json(voters[0]!.client.post(`/api/elections/${id}/spoiled-ballots`, spoiled.spoil), 201);
    for (const [i, voter] of voters.entries()) {
      await voter.client.json(voter.client.post(`/api/elections/${id}/ballots`, prepareBallot(election, voter.credential, { mayor: [choices[i]!] }).request), 201);
    }
    await published(id);
    const partial = await download(id);
    expect(partial.response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(partial.lines.filter((l) => l.kind === 'entry').length).toBeGreaterThan(0);
    expect(partial.lines.some((l) => l.kind === 'entry' && decodeEntry(Buffer.from(l.bytes as string, 'base64')).type === 'ResultPublished')).toBe(false);
    // A partial record verifies; the tally checks wait for the tally.
    const partialReport = await verify(partial.text);
    expect(partialReport.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(statusOf(partialReport)).toMatchObject({ 'ballots.proofs': 'pass', 'ballots.credentials': 'pass', 'credentials.issuance': 'pass', 'tally.result': 'skip' });

    await voters[1]!.client.json(voters[1]!.client.post(`/api/elections/${id}/ballots`, prepareBallot(election, voters[1]!.credential, { mayor: ['alan'] }).request), 201);
    choices[1] = 'alan';
    // Downloaded at once, before the witnesses have cosigned the re-vote: the record stops at the last
    // published checkpoint instead of carrying entries nothing vouches for yet.
    const live = await download(id);
    const liveEntries = live.lines.filter((l) => l.kind === 'entry').length;
    expect(Number((live.lines.filter((l) => l.kind === 'checkpoint').at(-1)!.note as string).split('\n')[1])).toBe(liveEntries);
    expect((await verify(live.text)).checks.filter((c) => c.status === 'fail')).toEqual([]);
    await officer.client.json(officer.client.post(`/api/official/elections/${id}/close`));
    await officer.client.json(officer.client.post(`/api/official/elections/${id}/tally`));
    const tally = TallyState.parse(await officer.client.json(officer.client.get(`/api/elections/${id}/tally`)));
    const fingerprint = fromHexString(election.fingerprint!);
    await trustees[0]!.client.json(trustees[0]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, trustees[0]!.partialDecryption(tally, fingerprint)));
    await trustees[2]!.client.json(trustees[2]!.client.post(`/api/trustee/elections/${id}/partial-decryption`, trustees[2]!.partialDecryption(tally, fingerprint)));
    await published(id);

    const { response, text, lines } = await download(id);
    expect(response.status).toBe(200);
    const size = (await ledger.getLog(`election-${id}`)).size;
    // The first line announces the entries that follow (a streamed download has no length).
    expect(lines[0]).toMatchObject({ kind: 'record', format: 'townhall/election-record', version: 1, electionId: id, entries: size.toString() });
    expect(lines[1]).toMatchObject({ kind: 'keys', electionLog: { origin: `localhost:3999/townhall/election/${id}` }, witnessPolicy: { quorum: 2 } });
    const entries = lines.filter((l) => l.kind === 'entry').map((l) => decodeEntry(Buffer.from(l.bytes as string, 'base64')));
    expect(BigInt(entries.length)).toBe(size);
    const types = entries.map((e) => e.type);
    expect(types.filter((t) => t === 'BallotCast')).toHaveLength(6);
    expect(types.filter((t) => t === 'CredentialIssued')).toHaveLength(5);
    expect(types.at(-1)).toBe('ResultPublished');
    const checkpoints = lines.filter((l) => l.kind === 'checkpoint').map((l) => l.note as string);
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    // The last checkpoint covers the whole log and carries both witnesses' cosignatures.
    expect(checkpoints.at(-1)!.split('\n')[1]).toBe(size.toString());
    expect(checkpoints.at(-1)!.split('\n').filter((l) => l.startsWith('— ')).length).toBe(3);
    const registry = lines.filter((l) => l.kind === 'registry-entry').map((l) => decodeEntry(Buffer.from(l.bytes as string, 'base64')));
    expect(registry.filter((e) => e.type === 'Enrolled')).toHaveLength(5);
    expect(registry.filter((e) => e.type === 'RollCommitted')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ kind: 'end', entries: size.toString(), checkpoints: checkpoints.length, registryEntries: 6 });
    const result = entries.at(-1)!.body as { result: { counts: { optionId: string; count: number }[] }[] };
    expect(result.result[0]!.counts.find((c) => c.optionId === 'alan')!.count).toBe(2);

    // The whole record verifies, and the verifier recomputes the published counts.
    const report = await verify(text);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report.isValid).toBe(true);
    expect(report.result).toEqual(result.result);

    if (FIXTURE_PATH && dialect === 'pglite') writeFileSync(FIXTURE_PATH, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }, 240_000);
});
