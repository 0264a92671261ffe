/**
 * Elections benchmark (section `elections-cast` of docs/benchmarks.md), against the real HTTP API on
 * real Postgres (TEST_DATABASE_URL: a scratch database is created and dropped):
 *   1. credential issuance: POST /elections/:id/credentials (passkey assertion check, RFC 9474 blind
 *      signature with the 3072-bit key, CredentialIssued append), 16 concurrent residents;
 *   2. cast throughput with pre-generated ballots (1 contest × 5 options) at 1, 16 and 64 concurrent
 *      clients (closed loop), with p50/p99 latency, and an open-loop run at a fixed 50 ballots/s;
 *   3. tally (aggregation + 1-of-1 decryption) of every ballot cast here.
 * The load generator runs in the same process as the server (it only sends prepared JSON).
 */
import { loadavg } from 'node:os';
import { CastBallotResponse, ElectionDetail, SessionResponse, CredentialChallengeResponse, CredentialResponse, TallyState, fromHexString } from '@townhall/protocol';
import { finalizeCredential, pointFromHex } from '@townhall/crypto';
import { decodeEntry } from '@townhall/ledger';
import { logger } from '../src/common/logger.ts';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { RollService } from '../src/roll/roll.service.ts';
import { enrolOk, newBrowser, staffMember, startIdentityApp } from '../test/identity-support/flows.ts';
import { SoftwareTrustee, credentialRequestBody, demoDraft, prepareBallot, type VoterCredential } from '../test/elections-support.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const VOTERS = Number(process.env.BENCH_VOTERS ?? 400);
const BALLOTS_PER_VOTER = Number(process.env.BENCH_BALLOTS_PER_VOTER ?? 8);
const SECONDS = Number(process.env.BENCH_CAST_SECONDS ?? 6);

logger.level = 'silent';
const app = await startIdentityApp('postgres', { TOWNHALL_LOG_LEVEL: 'silent' });
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const fmt = (x: number) => x.toFixed(1);

try {
  // ---- an election with one software trustee (k = 1), open at once
  const officer = await staffMember(app, 'officer', 'Bench officer');
  const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
  const member = await staffMember(app, 'trustee', 'Bench trustee', created.id);
  const staffId = (SessionResponse.parse(await member.client.json(member.client.get('/api/session'))).principal as { staffId: string }).staffId;
  await officer.client.json(officer.client.post(`/api/official/elections/${created.id}/ceremony`, { threshold: 1, trustees: [staffId] }));
  const trustee = new SoftwareTrustee(member.client, 1);
  await member.client.json(trustee.commit(created.id));
  await member.client.json(trustee.sendShares(created.id));
  await member.client.json(trustee.judge(created.id));
  await app.app.get(ElectionScheduler).tick();
  const election = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${created.id}`)));
  if (election.status !== 'open') throw new Error(`election is ${election.status}`);
  const logName = `election-${election.id}`;
  const published = (await app.app.get(LedgerService).entries(logName, 0n, 100n)).map((e) => decodeEntry(e.bytes)).find((e) => e.type === 'ElectionKeyPublished')!;
  await trustee.keepSecretShare(election.id, pointFromHex((published.body as { verificationShares: { share: string }[] }).verificationShares[0]!.share));

  // ---- residents: bench electors added to the roll, each enrolled with a software passkey
  const council = await app.database.prisma.council.findFirstOrThrow({ include: { districts: true } });
  const district = council.districts.find((d) => d.code === 'CAS')!;
  await app.database.prisma.elector.createMany({
    skipDuplicates: true,
    data: Array.from({ length: VOTERS }, (_, i) => ({
      councilId: council.id,
      districtId: district.id,
      electorNumber: `BENCH-${String(i).padStart(5, '0')}`,
      givenName: 'Bench',
      familyName: `Voter ${i}`,
      addressLine: `${i} Bench Road`,
      postcode: 'DB1 1AA',
      dateOfBirth: new Date('1980-01-01T00:00:00Z'),
    })),
  });
  const residents = [];
  for (let i = 0; i < VOTERS; i++) {
    const { card } = await app.app.get(RollService).reissueCard(`BENCH-${String(i).padStart(5, '0')}`);
    const browser = await newBrowser(app);
    await enrolOk(browser.client, browser.authenticator, { activationCode: card.activationCode, postcode: 'DB1 1AA' });
    residents.push(browser);
  }

  // ---- 1. credential issuance: nonces and blinded requests prepared first, then only the POSTs are timed
  const prepared: { r: (typeof residents)[number]; body: Awaited<ReturnType<typeof credentialRequestBody>> }[] = [];
  for (const r of residents) {
    const challenge = CredentialChallengeResponse.parse(await r.client.json(r.client.post(`/api/elections/${election.id}/credential-challenge`)));
    prepared.push({ r, body: await credentialRequestBody(r.authenticator, challenge) });
  }
  // The voter's side of issuance (unblinding and checking the signature: ~4 ms of JavaScript bigint
  // work each) runs in this same process, so it is done after the timed part.
  const issued: { body: (typeof prepared)[number]['body']; blindSignature: string }[] = [];
  let next = 0;
  const issueLatencies: number[] = [];
  const issueStarted = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < prepared.length) {
        const { r, body } = prepared[next++]!;
        const t0 = performance.now();
        const response = CredentialResponse.parse(await r.client.json(r.client.post(`/api/elections/${election.id}/credentials`, body.request), 201));
        issueLatencies.push(performance.now() - t0);
        issued.push({ body, blindSignature: response.blindSignature });
      }
    }),
  );
  const issueSeconds = (performance.now() - issueStarted) / 1000;
  issueLatencies.sort((a, b) => a - b);
  const voters: VoterCredential[] = [];
  for (const { body, blindSignature } of issued) voters.push({ keys: body.keys, credential: await finalizeCredential(body.issuerKey, body.pending, fromHexString(blindSignature)) });

  // ---- 2. cast throughput
  const options = ['ada', 'grace', 'alan', 'barbara', 'edsger'];
  const ballots = voters.flatMap((voter, v) => Array.from({ length: BALLOTS_PER_VOTER }, (_, b) => JSON.stringify(prepareBallot(election, voter, { mayor: [options[(v + b) % 5]!] }).request)));
  // Preparing blocks the event loop for a while: let idle keep-alive sockets the server closed meanwhile be noticed.
  await new Promise((resolve) => setTimeout(resolve, 200));
  let cursor = 0;
  const url = `${app.baseUrl}/api/elections/${election.id}/ballots`;
  const castOne = async (): Promise<number> => {
    const body = ballots[cursor++];
    if (!body) throw new Error('out of pre-generated ballots: raise BENCH_VOTERS or BENCH_BALLOTS_PER_VOTER');
    const t0 = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    CastBallotResponse.parse(await response.json());
    if (response.status !== 201) throw new Error(`cast answered ${response.status}`);
    return performance.now() - t0;
  };
  const rows: (string | number)[][] = [];
  for (const clients of [1, 16, 64]) {
    const latencies: number[] = [];
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) latencies.push(await castOne());
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    rows.push([`${clients} concurrent (closed loop)`, latencies.length, fmt(latencies.length / seconds), fmt(quantile(latencies, 0.5)), fmt(quantile(latencies, 0.99))]);
  }
  {
    // Open loop: one ballot every 20 ms regardless of answers.
    const latencies: number[] = [];
    const inflight: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; i < 50 * SECONDS; i++) {
      const due = started + i * 20;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inflight.push(castOne().then((l) => void latencies.push(l)));
    }
    await Promise.all(inflight);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    rows.push(['fixed 50 ballots/s (open loop)', latencies.length, fmt(latencies.length / seconds), fmt(quantile(latencies, 0.5)), fmt(quantile(latencies, 0.99))]);
  }

  // ---- 3. tally of everything cast
  await officer.client.json(officer.client.post(`/api/official/elections/${election.id}/close`));
  const cast = cursor;
  const tallyStarted = performance.now();
  await officer.client.json(officer.client.post(`/api/official/elections/${election.id}/tally`));
  const aggregateMs = performance.now() - tallyStarted;
  const tally = TallyState.parse(await officer.client.json(officer.client.get(`/api/elections/${election.id}/tally`)));
  const decryptStarted = performance.now();
  const done = TallyState.parse(await member.client.json(member.client.post(`/api/trustee/elections/${election.id}/partial-decryption`, trustee.partialDecryption(tally, fromHexString(election.fingerprint!)))));
  const decryptMs = performance.now() - decryptStarted;
  if (done.status !== 'published') throw new Error('result not published');
  const counted = done.result![0]!.counts.reduce((a, c) => a + c.count, 0);

  const markdown = [
    `Full HTTP API on Postgres, ${VOTERS} enrolled residents with software passkeys, 1 contest × 5 options, 1-of-1 trustee. Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
    `**Credential issuance** (passkey assertion + RFC 9474 blind signature, 3072-bit, + CredentialIssued append; the client's unblinding is done after the timed part), 16 concurrent: ${prepared.length} credentials in ${issueSeconds.toFixed(2)} s = **${fmt(prepared.length / issueSeconds)}/s**, p50 ${fmt(quantile(issueLatencies, 0.5))} ms, p99 ${fmt(quantile(issueLatencies, 0.99))} ms (target ≥ 200/s).`,
    '',
    `**Casting** (credential, ballot signature and proofs verified — proofs batched across concurrent requests — and BallotCast durably appended before the answer), ${SECONDS} s per row:`,
    '',
    markdownTable(['load', 'ballots', 'ballots/s', 'p50 ms', 'p99 ms'], rows),
    '',
    `Targets: ≥ 100 ballots/s; p99 ≤ 1 s at 50 ballots/s.`,
    '',
    `**Tally** of the ${cast} ballots cast above (${tally.countedBallots} counted: last per ballot key): aggregation ${fmt(aggregateMs)} ms; partial decryption check + combination + BSGS + ResultPublished ${fmt(decryptMs)} ms; counted total in the result ${counted}. The 100,000-ballot tally was not measured in this run.`,
  ].join('\n');
  writeBenchSection('elections-cast', 'Elections: credential issuance, casting, tally', markdown);
  process.stdout.write(`${markdown}\n`);
} finally {
  await app.destroy();
}
