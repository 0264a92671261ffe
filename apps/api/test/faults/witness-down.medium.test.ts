/**
 * Issue #8, fault 3: one of two witnesses (quorum 2) is killed. Casting goes on; no checkpoint is
 * published without the quorum, so new ballots have no receipt yet; when the witness comes back
 * (same state, same port) the log catches up, receipts appear and verify offline, and the auditor
 * finds the new checkpoint consistent with the one it saw before the outage.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BallotStatus } from '@townhall/protocol';
import { SIGNATURE_TYPE_COSIGNATURE_V1, parseVerifierKey, verifyReceipt } from '@townhall/ledger';
import { audit } from '@townhall/auditor';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { testLogVerifierKey } from '../ledger-support.ts';
import { Casting } from './support/casting.ts';
import { LOG_VERIFIER_KEY, ORIGIN_PREFIX, PUBLIC_URL, deploymentEnv, prepareElection } from './support/election.ts';
import { findFreePort } from './support/free-port.ts';
import { logView, waitForPublishedHead } from './support/observe.ts';
import { scratchDir, startApi, startWitness, type ApiProcess, type WitnessProcess } from './support/processes.ts';
import { seededRandom, stepLogger } from './support/random.ts';

const VOTERS = 6;

describe('a witness down while voters cast (real processes)', () => {
  const random = seededRandom('witness-down');
  const progress = stepLogger('witness-down');
  const dir = scratchDir('witness-down');
  let testDatabase: TestDatabase | undefined;
  let api: ApiProcess | undefined;
  const witnesses: WitnessProcess[] = [];

  afterAll(async () => {
    await api?.kill();
    for (const w of witnesses) await w.kill().catch(() => undefined);
    await testDatabase?.drop();
  });

  it(`holds checkpoints back without the quorum and catches up when the witness returns (seed ${random.seed})`, async () => {
    testDatabase = await createTestDatabase('postgres');
    const databaseUrl = (testDatabase.config as { url: string }).url;
    for (const n of [1, 2]) {
      witnesses.push(await startWitness({ stateDir: `${dir}/witness-${n}`, name: `faults-witness-${n}`, originPrefix: ORIGIN_PREFIX, logVerifierKey: LOG_VERIFIER_KEY, logPath: `${dir}/witness-${n}.log` }));
    }
    const env = { ...deploymentEnv(witnesses, 2), TOWNHALL_DATA_DIR: dir };
    const prepared = await prepareElection({ databaseUrl, env, voters: VOTERS, ballotsPerVoter: 2, trustees: 1, threshold: 1, random, progress });
    api = await startApi({ port: await findFreePort(), env: { ...env, DATABASE_URL: databaseUrl }, logPath: `${dir}/api.log` });
    const logUrl = `${api.baseUrl}/api/ledger/election-${prepared.id}`;
    const casting = new Casting(prepared.id, () => api!.baseUrl);

    // Both witnesses up: first ballots, published, audited.
    await casting.castAll(prepared.ballots.map((mine) => mine.slice(0, 1)));
    const before = await waitForPublishedHead(api.baseUrl, prepared.id);
    const auditState = `${dir}/audit`;
    expect((await audit({ baseUrl: logUrl, stateDir: auditState })).size).toBe(before.size);
    progress(`published and audited at size ${before.size}`);

    // One witness down: casting continues, nothing new is published, new ballots have no receipt.
    const down = witnesses[random.int(0, 1)]!;
    await down.kill();
    await casting.castAll(prepared.ballots.map((mine) => mine.slice(1, 2)));
    expect(casting.summary()).toEqual({ '201': VOTERS * 2 });
    const during = await logView(api.baseUrl, prepared.id);
    expect(during.size).toBe(before.size + BigInt(VOTERS));
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await logView(api.baseUrl, prepared.id)).publishedSize).toBe(before.size);
    }
    const checkpointText = await (await fetch(`${logUrl}/checkpoint`)).text();
    expect(checkpointText.split('\n')[1]).toBe(before.size.toString());
    const waiting = prepared.ballots.map((mine) => mine[1]!);
    for (const ballot of waiting) {
      const status = BallotStatus.parse(await (await fetch(`${api.baseUrl}/api/elections/${prepared.id}/ballots/${ballot.trackingCode}`)).json());
      expect(status.receipt).toBeNull();
    }
    progress(`witness on port ${down.port} down: size ${during.size}, still published ${before.size}`);

    // The witness returns: the log catches up, receipts appear and verify with the 2-of-2 policy.
    await down.restart();
    const after = await waitForPublishedHead(api.baseUrl, prepared.id, 90_000);
    expect(after.size).toBe(during.size);
    progress(`witness back: published ${after.publishedSize}`);
    const origin = `${new URL(PUBLIC_URL).host}/townhall/election/${prepared.id}`;
    const policy = { threshold: 2, witnesses: witnesses.map((w) => parseVerifierKey(w.verifierKey)) };
    expect(policy.witnesses.every((w) => w.type === SIGNATURE_TYPE_COSIGNATURE_V1)).toBe(true);
    for (const ballot of waiting) {
      const status = BallotStatus.parse(await (await fetch(`${api.baseUrl}/api/elections/${prepared.id}/ballots/${ballot.trackingCode}`)).json());
      expect(status.receipt).not.toBeNull();
      const verified = verifyReceipt(status.receipt!, { origin, logKeys: [parseVerifierKey(testLogVerifierKey(origin))], policy });
      expect(verified.index).toBe(BigInt(status.ledgerIndex));
      expect(verified.cosignatures).toHaveLength(2);
    }
    // The auditor accepts the new checkpoint as consistent with the one before the outage.
    const audited = await audit({ baseUrl: logUrl, stateDir: auditState });
    expect({ previousSize: audited.previousSize, size: audited.size }).toEqual({ previousSize: before.size, size: after.size });
  }, 600_000);
});
