// The record's registry part is built in batches (a page of registry entries at a time, their
// inclusion proofs from one read of the tree's nodes). These tests pin it to the per-entry path it
// replaced: same entries, same proofs, and a record the observer's verifier accepts, on a registry
// spread over several pages.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElectionDetail } from '@townhall/protocol';
import { decodeEntry, encodeBase64 } from '@townhall/ledger';
import { parseRecord, verifyRecord } from '@townhall/verifier';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { enrolledEntry } from '../src/identity/registry-entries.ts';
import { dialects } from './support/test-database.ts';
import { enrolOk, obtainCredential } from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { openElectionWithOneTrustee } from './election-fixture.ts';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { TEST_LOG_SEED_BASE64, waitFor } from './ledger-support.ts';

const csvLine = ([number, district, given, family, address, postcode, dob]: (typeof demoElectors)[number]) => [number, given, family, `"${address}"`, postcode, dob, district].join(',');
const rollCsv = ['elector_number,given_name,family_name,address,postcode,date_of_birth,district', ...demoElectors.map(csvLine)].join('\r\n') + '\r\n';
const EARLY: Record<string, string> = { 'CAS-0001': 'DB1 1AA', 'NGT-0001': 'DB2 2BA' };
const LATE: Record<string, string> = { 'CAS-0002': 'DB1 1AA', 'NGT-0002': 'DB2 2BA', 'RVS-0001': 'DB3 3CA' };

interface RecordLine {
  kind: string;
  [key: string]: unknown;
}

describe.each(dialects)('the record of an election on a registry of several pages, on %s', (dialect) => {
  let app: RunningApp;
  let ledger: LedgerService;

  beforeAll(async () => {
    app = await startIdentityApp(dialect, { TOWNHALL_LOG_SIGNING_KEY: TEST_LOG_SEED_BASE64, TOWNHALL_LOCAL_WITNESSES: 'false', TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true', TOWNHALL_CREDENTIAL_EPOCH_MIN: '1' });
    ledger = app.app.get(LedgerService);
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
  });

  /** Other residents' enrolments (pseudonyms of no credential holder): entries the record must leave out. */
  const padRegistry = async (count: number) => {
    const entries = Array.from({ length: count }, () => enrolledEntry(randomBytes(32).toString('hex'), randomBytes(32), randomBytes(77)));
    await ledger.append(REGISTRY_LOG, async () => ({ entries, result: undefined }));
  };
  const enrolAndObtain = async (electors: Record<string, string>, electionId: string) => {
    for (const [number, postcode] of Object.entries(electors)) {
      const browser = await newBrowser(app);
      await enrolOk(browser.client, browser.authenticator, { activationCode: await issueCard(app, number), postcode });
      await obtainCredential(browser.client, browser.authenticator, electionId);
    }
  };
  const publishAll = (name: string) =>
    waitFor(async () => {
      await ledger.checkpointNow(name);
      return (await ledger.latestCheckpoint(name, { published: true }))?.size === (await ledger.getLog(name)).size;
    }, `a published checkpoint covering ${name}`);

  it('carries exactly the entries and proofs the per-entry path gives, and verifies', async () => {
    const officer = await staffMember(app, 'officer', 'Returning Officer');
    await padRegistry(700);
    const preview = await officer.client.json<{ importId: string }>(officer.client.request('POST', '/api/roll/imports', { raw: rollCsv }), 201);
    await officer.client.json(officer.client.post(`/api/roll/imports/${preview.importId}/apply`));
    const { election } = await openElectionWithOneTrustee(app);
    await padRegistry(600);
    await enrolAndObtain(EARLY, election.id);
    await padRegistry(1300);
    await enrolAndObtain(LATE, election.id);
    await padRegistry(457);
    await publishAll(`election-${election.id}`);
    await publishAll(REGISTRY_LOG);

    const response = await fetch(`${app.baseUrl}/api/elections/${ElectionDetail.parse(election).id}/record`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const lines = text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as RecordLine);

    // The reference, read the slow way: every registry entry, the last RollCommitted, and the
    // Enrolled entries of the pseudonyms the election issued credentials to.
    const registrySize = (await ledger.latestCheckpoint(REGISTRY_LOG, { published: true }))!.size;
    expect(registrySize).toBeGreaterThan(3000n);
    const pseudonyms = new Set(
      (await ledger.entries(`election-${election.id}`, 0n, 10_000n))
        .filter((row) => row.type === 'CredentialIssued')
        .map((row) => (decodeEntry(row.bytes).body as { pseudonym: string }).pseudonym),
    );
    expect(pseudonyms.size).toBe(5);
    const registry = await ledger.entries(REGISTRY_LOG, 0n, registrySize);
    const roll = registry.filter((row) => row.type === 'RollCommitted').at(-1)!;
    const expected = registry.filter((row) => row === roll || (row.type === 'Enrolled' && pseudonyms.has((decodeEntry(row.bytes).body as { pseudonym: string }).pseudonym)));
    expect(expected).toHaveLength(6);
    // Spread over three pages (of 1,000 entries) of the batched path, so page boundaries are crossed.
    expect(new Set(expected.map((row) => row.index / 1000n)).size).toBe(3);

    const registryLines = lines.filter((l) => l.kind === 'registry-entry');
    expect(registryLines.map((l) => l.index)).toEqual(expected.map((row) => row.index.toString()));
    for (const [i, row] of expected.entries()) {
      const single = await ledger.inclusionProof(REGISTRY_LOG, row.index, registrySize);
      expect(registryLines[i], `registry entry ${row.index}`).toEqual({ kind: 'registry-entry', index: row.index.toString(), bytes: encodeBase64(row.bytes), proof: single.proof.map(encodeBase64) });
    }
    expect(lines.at(-1)).toMatchObject({ kind: 'end', registryEntries: 6 });

    const report = await verifyRecord(await parseRecord(text));
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.checks.find((c) => c.id === 'registry.inclusion')?.status).toBe('pass');
  }, 180_000);

  it('proves many leaves at once exactly as one at a time, for tree sizes that are and are not checkpoints', async () => {
    const size = (await ledger.getLog(REGISTRY_LOG)).size;
    for (const treeSize of [size, size - 1n, 2048n, 1025n, 3n]) {
      const indices = [0n, treeSize - 1n, treeSize / 2n, treeSize / 3n, ...Array.from({ length: 40 }, (_, i) => (BigInt(i) * 7919n) % treeSize)];
      const batch = await ledger.inclusionProofs(REGISTRY_LOG, indices, treeSize);
      for (const [i, index] of indices.entries()) {
        expect(batch[i]!.map(encodeBase64), `${index} in ${treeSize}`).toEqual((await ledger.inclusionProof(REGISTRY_LOG, index, treeSize)).proof.map(encodeBase64));
      }
    }
    await expect(ledger.inclusionProofs(REGISTRY_LOG, [0n, size], size)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ledger.inclusionProofs(REGISTRY_LOG, [0n], size + 10n)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  }, 120_000);
});
