/**
 * Tally benchmark (section `elections-tally` of docs/benchmarks.md): aggregation and decryption of a
 * large counted set on real Postgres (TEST_DATABASE_URL; a scratch database is created and dropped).
 * The counted ballots are synthetic: BENCH_TALLY_BALLOTS rows are written straight into cast_ballot
 * (each a copy of one of 200 real encrypted ballots under the election's key, with its own ballot
 * key), not cast through the API, so they are not in the ledger; the tally path itself (paged SQL,
 * summing, TallyComputed, partial decryption check, combination, BSGS, ResultPublished) is the real one.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { TallyState, fromHexString } from '@townhall/protocol';
import { encryptBallot, pointFromHex, serializeBallot } from '@townhall/crypto';
import { logger } from '../src/common/logger.ts';
import { TallyService } from '../src/elections/tally/tally.service.ts';
import { startIdentityApp } from '../test/identity-support/flows.ts';
import { openElectionWithOneTrustee } from '../test/election-fixture.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const BALLOTS = Number(process.env.BENCH_TALLY_BALLOTS ?? 100_000);
const DISTINCT = 200;
const INSERT_CHUNK = 5000;

logger.level = 'silent';
const app = await startIdentityApp('postgres', { TOWNHALL_LOG_LEVEL: 'silent', TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const fmt = (x: number) => x.toFixed(1);

try {
  const { election, officer, member, trustee } = await openElectionWithOneTrustee(app);
  const options = ['ada', 'grace', 'alan', 'barbara', 'edsger'];
  const samples = Array.from({ length: DISTINCT }, (_, i) => {
    const choice = options[(i * 7) % 5]!;
    const { ballot } = encryptBallot({ contests: election.contests }, { mayor: [choice] }, pointFromHex(election.electionKey!), fromHexString(election.fingerprint!));
    return { choice, json: JSON.stringify(serializeBallot(ballot)) };
  });
  const expected = new Map(options.map((o) => [o, 0]));
  const insertStarted = performance.now();
  for (let start = 0; start < BALLOTS; start += INSERT_CHUNK) {
    const count = Math.min(INSERT_CHUNK, BALLOTS - start);
    const rows = Array.from({ length: count }, (_, i) => samples[(start + i) % DISTINCT]!);
    for (const row of rows) expected.set(row.choice, expected.get(row.choice)! + 1);
    await app.database.prisma.$executeRawUnsafe(
      `INSERT INTO cast_ballot (election_id, tracking_code, ballot_public_key, ballot, ledger_index)
       SELECT $1::uuid, decode(t, 'hex'), decode(k, 'hex'), b::jsonb, 0 FROM unnest($2::text[], $3::text[], $4::text[]) AS x(t, k, b)`,
      election.id,
      rows.map(() => randomBytes(32).toString('hex')),
      rows.map(() => randomBytes(32).toString('hex')),
      rows.map((r) => r.json),
    );
  }
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  await officer.client.json(officer.client.post(`/api/official/elections/${election.id}/close`));

  const loadAtStart = load();
  const cpu = process.cpuUsage();
  const memoryBefore = process.memoryUsage().rss;
  const aggregateStarted = performance.now();
  // Through the service, not HTTP: a large tally on a busy machine outlasts an HTTP client's patience.
  await app.app.get(TallyService).computeTally(election.id);
  const aggregateMs = performance.now() - aggregateStarted;
  const aggregateCpu = process.cpuUsage(cpu);
  const tally = TallyState.parse(await officer.client.json(officer.client.get(`/api/elections/${election.id}/tally`)));
  if (tally.countedBallots !== BALLOTS) throw new Error(`counted ${tally.countedBallots}, expected ${BALLOTS}`);
  const request = trustee.partialDecryption(tally, fromHexString(election.fingerprint!));
  const decryptStarted = performance.now();
  const done = TallyState.parse(await member.client.json(member.client.post(`/api/trustee/elections/${election.id}/partial-decryption`, request)));
  const decryptMs = performance.now() - decryptStarted;
  if (done.status !== 'published') throw new Error('result not published');
  const counts = done.result![0]!.counts;
  for (const { optionId, count } of counts) if (count !== expected.get(optionId)) throw new Error(`${optionId}: ${count}, expected ${expected.get(optionId)}`);
  const memoryAfter = process.memoryUsage().rss;

  const markdown = [
    `${BALLOTS.toLocaleString('en-GB')} counted ballots of 1 contest × 5 options on Postgres (synthetic rows written straight into \`cast_ballot\`, copies of ${DISTINCT} real encrypted ballots, each under its own ballot key; ${fmt(insertSeconds)} s to load), 1-of-1 trustee; the aggregation is timed through the service, the decryption through the HTTP API.`,
    `The aggregation reads the counted set in pages of 2,000 (keyset over the ballot-key index, only the ciphertexts extracted in SQL) and sums them on 2 worker threads while the next page is read; every count in the published result equals the choices loaded.`,
    `Load average (1 / 5 / 15 min) at the start: ${loadAtStart}; at the end: ${load()}.`,
    '',
    markdownTable(
      ['step', 'time', 'note'],
      [
        [`aggregation (TallyService.computeTally: page reads; ${(BALLOTS * 10).toLocaleString('en-GB')} point decodings and additions on 2 worker threads; TallyComputed)`, `${fmt(aggregateMs / 1000)} s`, `process CPU ${fmt((aggregateCpu.user + aggregateCpu.system) / 1e6)} s`],
        ['partial decryption check + combination + BSGS (max ' + BALLOTS.toLocaleString('en-GB') + ') + ResultPublished', `${fmt(decryptMs / 1000)} s`, 'the trustee computes its share beforehand'],
      ],
    ),
    '',
    `Resident memory ${Math.round(memoryBefore / 2 ** 20)} MiB before the tally, ${Math.round(memoryAfter / 2 ** 20)} MiB after. Counts: ${counts.map((c) => `${c.optionId} ${c.count}`).join(', ')}.`,
  ].join('\n');
  writeBenchSection('elections-tally', `Elections: tally of ${BALLOTS.toLocaleString('en-GB')} ballots`, markdown);
  process.stdout.write(`${markdown}\n`);
} finally {
  await app.destroy();
}
