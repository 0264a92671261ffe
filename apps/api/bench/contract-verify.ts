/**
 * Repairs benchmark (section `contracts-verify-100k` of docs/benchmarks.md; issue 18 "Tests and
 * numbers"): verifying a 100,000-job contract record (target ≤ 60 s, memory bounded).
 *
 * The record is a real one, as `GET /api/contracts/:id/record` serves it: the repairs simulator's
 * consortium is set up through the API (5 associations and their staff with passkeys, one contractor,
 * one shared contract agreed by every party), one job per association runs through the API from the
 * tenant's report to a payment run, so every `by` in the log is a real member's pseudonym. The year of
 * jobs that follows is appended straight to the contract's log through LedgerService (the API's order
 * path is measured by `repairs-orders`): the same entry builders the service uses, each job's deadline
 * and price from one run of the evaluator over the whole history, a chosen share completed late. The
 * local witnesses cosign the checkpoints; the record is downloaded over HTTP to a file, then the
 * verifier's CLI checks it in a child process under /usr/bin/time (wall time, CPU, peak RSS), so the
 * figure is what a member of the public would see on this machine.
 *
 * BENCH_CONTRACT_JOBS (default 100,000); BENCH_CONTRACT_LATE_RATE (default 0.08);
 * BENCH_CONTRACT_RECORD_OUT=<path> keeps a copy of the record; BENCH_NO_REPORT=1 prints without
 * writing the section. Needs TEST_DATABASE_URL.
 */
import { copyFileSync, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { evaluateContract, type JobResult } from '@townhall/contracts';
import { decodeEntry } from '@townhall/ledger';
import { ContractTerms, Repair, type ContractEventType } from '@townhall/protocol';
import { runCli } from '../../../packages/verifier/bench/cli-run.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { logger } from '../src/common/logger.ts';
import { contractEntries, ORDER_EVENT_ENTRY, paymentOf } from '../src/contracts/contracts-ledger.ts';
import { LedgerService, type AppendEntry } from '../src/ledger/ledger.module.ts';
import { PhaseLog } from '../simulate/progress.ts';
import { setUpConsortium } from '../simulate/repairs.ts';
import { startSimulationServer } from '../simulate/server.ts';
import { waitFor } from '../test/ledger-support.ts';

const JOBS = Number(process.env.BENCH_CONTRACT_JOBS ?? 100_000);
const LATE_RATE = Number(process.env.BENCH_CONTRACT_LATE_RATE ?? 0.08);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Entries per LedgerService.append call while the year is written. */
const ENTRIES_PER_APPEND = 5_000;

logger.level = 'silent';
if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL (a scratch database is created and dropped)');
const phases = new PhaseLog((line) => process.stdout.write(`${line}\n`));
/** Prints a phase's name when it starts, and its duration and outcome when it ends. */
let phaseStarted = 0;
const phase = {
  start(name: string) {
    phaseStarted = performance.now();
    process.stdout.write(`… ${name}\n`);
  },
  progress(line: string) {
    process.stdout.write(`  … ${line}\n`);
  },
  end(outcome = '') {
    process.stdout.write(`✓ ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s${outcome ? `: ${outcome}` : ''}\n`);
  },
};
const loadAtStart = loadavg();
const server = await startSimulationServer({ databaseUrl: process.env.TEST_DATABASE_URL, env: { TOWNHALL_CHECKPOINT_INTERVAL_MS: '1000' } });
const scratch = mkdtempSync(join(tmpdir(), 'townhall-contract-bench-'));
try {
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);
  const consortium = await setUpConsortium(server, {
    associations: 5,
    contractors: 1,
    startDate: today,
    endDate: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
    now: Date.now,
    phases,
  });
  const contract = consortium.contracts[0]!;
  const ledger = server.app.get(LedgerService);

  // ---- one real job per association through the API, and a payment run: the members' pseudonyms
  phase.start('one job per association through the API');
  const contractor = await consortium.signedIn(contract.contractor.admin);
  for (const association of consortium.associations) {
    const tenant = await consortium.signedIn(association.tenants[0]!);
    const officer = await consortium.signedIn(association.officer);
    const repairs = `/api/organisations/${association.id}/repairs`;
    const { orderId } = Repair.parse(
      await tenant.json(tenant.post(repairs, { contractId: contract.contractId, description: 'Dripping tap', location: 'Kitchen', priority: 'routine', hazards: { dampOrMould: false, immediateRisk: false } }), 201),
    );
    const work = `/api/organisations/${contract.contractor.id}/work-orders/${orderId}`;
    await officer.json(officer.post(`${repairs}/${orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' }));
    await contractor.json(contractor.post(`${work}/accept`));
    await contractor.json(contractor.post(`${work}/schedule`, { appointmentStart: new Date(Date.now() + HOUR).toISOString(), appointmentEnd: new Date(Date.now() + 2 * HOUR).toISOString() }));
    await contractor.json(contractor.post(`${work}/complete`, { notes: 'Washer replaced' }));
    await officer.json(officer.post(`${repairs}/${orderId}/confirm`));
    const finance = await consortium.signedIn(association.finance);
    await finance.json(finance.post(`/api/organisations/${association.id}/payment-runs`, { contractId: contract.contractId }), 201);
  }
  const realEntries = (await ledger.entries(contract.log, 0n, (await ledger.getLog(contract.log)).size)).map((row) => decodeEntry(row.bytes));
  const byOf = new Map<string, string>(); // association id, or 'contractor' → a member's pseudonym
  let firstTerms: unknown;
  const realEvents: { type: ContractEventType; at: string }[] = [];
  // In log order: an order's OrderRaised (naming its association) comes before its OrderTriaged.
  const associationOfOrder = new Map<string, string>();
  for (const entry of realEntries) {
    const body = entry.body as { terms?: unknown; event?: { type: ContractEventType; at: string; association?: string; orderId?: string }; by?: string };
    if (entry.type === 'ContractAgreed') firstTerms = body.terms;
    if (!body.event) continue;
    realEvents.push(body.event);
    if (body.event.type === 'order-raised') associationOfOrder.set(body.event.orderId!, body.event.association!);
    if (entry.type === 'OrderTriaged' && body.by) byOf.set(associationOfOrder.get(body.event.orderId!)!, body.by);
    if (entry.type === 'OrderAccepted' && body.by) byOf.set('contractor', body.by);
  }
  const terms = ContractTerms.parse(firstTerms);
  phase.end(`${realEntries.length} entries, ${byOf.size} members' pseudonyms`);

  // ---- a year of jobs, appended straight to the log
  phase.start(`${JOBS.toLocaleString('en-GB')} jobs over a year: events and the evaluator's deadlines and prices`);
  const rng = xoroshiro128plus(20261207);
  const draw = (from: number, to: number) => uniformInt(rng, from, to);
  const associations = consortium.associations.map((a) => a.id);
  const lastRealAt = Date.parse(realEvents.at(-1)!.at);
  const yearStart = lastRealAt + HOUR;
  const yearEnd = Date.parse(`${terms.endDate}T00:00:00Z`) - 70 * DAY; // late jobs finish within the contract
  type Step = { at: number; job: number; type: ContractEventType };
  const steps: Step[] = [];
  const jobs: { orderId: string; association: string }[] = [];
  for (let job = 0; job < JOBS; job++) {
    const raised = yearStart + Math.floor(((yearEnd - yearStart) * job) / JOBS) + draw(0, 59_000);
    const late = draw(0, 9_999) < LATE_RATE * 10_000;
    const triaged = raised + draw(1, 4) * HOUR;
    const completed = late ? triaged + draw(45, 60) * DAY : triaged + draw(3, 9) * HOUR;
    jobs.push({ orderId: crypto.randomUUID(), association: associations[job % associations.length]! });
    steps.push(
      { at: raised, job, type: 'order-raised' },
      { at: triaged, job, type: 'order-triaged' },
      { at: triaged + 30 * 60_000, job, type: 'order-accepted' },
      { at: triaged + HOUR, job, type: 'order-scheduled' },
      { at: completed, job, type: 'order-completed' },
      { at: completed + draw(2, 30) * HOUR, job, type: 'order-confirmed' },
    );
  }
  steps.sort((a, b) => a.at - b.at || a.job - b.job);
  // Strictly increasing instants (contracts.md §3.3): a step that shares a millisecond moves on by one.
  for (let i = 1; i < steps.length; i++) if (steps[i]!.at <= steps[i - 1]!.at) steps[i]!.at = steps[i - 1]!.at + 1;
  const propertyRef = (job: number) => Buffer.from(`property-${job % 20_000}`.padEnd(32, '.')).toString('hex').slice(0, 64);
  const eventOf = (step: Step): Record<string, unknown> & { type: ContractEventType; at: string } => {
    const { orderId, association } = jobs[step.job]!;
    const at = new Date(step.at).toISOString();
    switch (step.type) {
      case 'order-raised':
        return { type: step.type, at, orderId, association, propertyRef: propertyRef(step.job) };
      case 'order-triaged':
        return { type: step.type, at, orderId, itemCode: 'TAP-01', quantity: 1, priority: 'routine', hazard: 'none' };
      case 'order-scheduled':
        return { type: step.type, at, orderId, appointmentStart: new Date(step.at + DAY).toISOString(), appointmentEnd: new Date(step.at + DAY + 2 * HOUR).toISOString() };
      default:
        return { type: step.type, at, orderId };
    }
  };
  const events = steps.map(eventOf);
  const evaluation = evaluateContract(terms, [...realEvents, ...events]);
  if (evaluation.errors.length > 0) throw new Error(`the evaluator refused the generated history: ${JSON.stringify(evaluation.errors.slice(0, 3))}`);
  const jobResults = new Map<string, JobResult>(evaluation.jobs.map((j) => [j.orderId, j]));
  const lateJobs = evaluation.jobs.filter((j) => j.isLate === true).length;
  phase.end(`${events.length.toLocaleString('en-GB')} events, ${lateJobs.toLocaleString('en-GB')} jobs late`);

  phase.start('appending the year to the contract log');
  const tenant = 'ab'.repeat(32);
  const entryOf = (event: ReturnType<typeof eventOf>, job: number): AppendEntry[] => {
    const contractId = contract.contractId;
    const { association, orderId } = jobs[job]!;
    const result = jobResults.get(orderId)!;
    switch (event.type) {
      case 'order-raised':
        return [contractEntries.raised({ contractId, event: event as never, tenant })];
      case 'order-triaged':
        return [contractEntries.triaged({ contractId, event, dueAt: result.dueAt!, by: byOf.get(association)! })];
      case 'order-confirmed': {
        return [
          contractEntries.step('OrderConfirmed', { contractId, event, by: byOf.get(association)! }),
          contractEntries.paymentComputed({ contractId, ...paymentOf(result) }),
        ];
      }
      default:
        return [contractEntries.step(ORDER_EVENT_ENTRY[event.type as 'order-accepted'] as 'OrderAccepted', { contractId, event, by: byOf.get('contractor')! })];
    }
  };
  let pending: AppendEntry[] = [];
  let appended = 0;
  const flush = async () => {
    const batch = pending;
    pending = [];
    await ledger.append(contract.log, async () => ({ entries: batch, result: undefined }));
    appended += batch.length;
  };
  for (const [i, step] of steps.entries()) {
    pending.push(...entryOf(events[i]!, step.job));
    if (pending.length >= ENTRIES_PER_APPEND) {
      await flush();
      if (appended % 100_000 < ENTRIES_PER_APPEND) phase.progress(`${appended.toLocaleString('en-GB')} entries`);
    }
  }
  if (pending.length > 0) await flush();
  const size = (await ledger.getLog(contract.log)).size;
  phase.end(`${appended.toLocaleString('en-GB')} entries appended; the log has ${size.toLocaleString('en-GB')}`);

  phase.start('checkpoints cosigned by both witnesses');
  await waitFor(
    async () => {
      await ledger.checkpointNow(contract.log);
      return (await ledger.latestCheckpoint(contract.log, { published: true }))?.size === size;
    },
    'a published checkpoint of the whole contract log',
    600_000,
  );
  phase.end();

  phase.start('downloading the record over HTTP');
  const recordPath = join(scratch, `contract-${contract.contractId}.record.jsonl`);
  const downloadStarted = performance.now();
  const response = await fetch(`${server.baseUrl}/api/contracts/${contract.contractId}/record`);
  if (!response.ok || !response.body) throw new Error(`record download: HTTP ${response.status}`);
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(recordPath));
  const downloadSeconds = (performance.now() - downloadStarted) / 1000;
  const recordBytes = statSync(recordPath).size;
  phase.end(`${(recordBytes / 2 ** 20).toFixed(0)} MiB in ${downloadSeconds.toFixed(1)} s`);
  await server.stop();

  if (process.env.BENCH_CONTRACT_RECORD_OUT) copyFileSync(recordPath, process.env.BENCH_CONTRACT_RECORD_OUT);
  phase.start('verifying with the CLI (child process)');
  const run = await runCli(recordPath, []);
  const failed = run.report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  phase.end(`${run.report.isValid ? 'valid' : `NOT valid (${failed.join(', ')})`} in ${(run.wallMs / 1000).toFixed(1)} s`);
  if (!run.report.isValid) throw new Error(`the record does not verify: ${JSON.stringify(run.report.checks.filter((c) => c.status === 'fail')).slice(0, 2000)}`);

  const checked = Object.fromEntries(run.report.checks.map((c) => [c.id, c.checked]));
  const wallSeconds = run.wallMs / 1000;
  const table = markdownTable(
    ['measure', 'value', 'target', ''],
    [
      [`verify the record (${JOBS.toLocaleString('en-GB')} jobs, ${Number(size).toLocaleString('en-GB')} entries, ${(recordBytes / 2 ** 20).toFixed(0)} MiB), wall time of the CLI`, `${wallSeconds.toFixed(1)} s`, '≤ 60 s', wallSeconds <= 60 ? 'met' : 'not met'],
      ['CPU time of the CLI (user + system)', run.cpuSeconds === null ? 'n/a' : `${run.cpuSeconds.toFixed(1)} s`, '—', '—'],
      [
        'peak RSS of the CLI (the history is held in memory: it grows with the record)',
        run.peakRssBytes === null ? 'n/a' : `${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${(run.peakRssBytes / 1024 / JOBS).toFixed(1)} KiB per job`,
        'bounded',
        'not met: linear',
      ],
      ['payments recomputed to the penny (`contract.payments`)', String(checked['contract.payments'] ?? 0), '—', '—'],
      ['entries checked in sequence (`contract.sequence`)', String(checked['contract.sequence'] ?? 0), '—', '—'],
      ['jobs completed late', lateJobs.toLocaleString('en-GB'), '—', '—'],
      ['download of the record over HTTP (not in the time above)', `${downloadSeconds.toFixed(1)} s`, '—', '—'],
    ],
  );
  const report = `A real contract record, served by \`GET /api/contracts/:id/record\`: the repairs simulator's consortium set up through the API (5 associations, one contractor, one shared contract agreed by every party), one job per association through the API to a payment run, then a year of ${JOBS.toLocaleString('en-GB')} jobs (${(LATE_RATE * 100).toFixed(0)}% drawn to be completed late) appended straight to the contract's log with the service's entry builders, deadlines and prices from the evaluator; checkpoints cosigned by the two local witnesses. The verifier's CLI (\`townhall-verify\`) checks the whole record in a child process under GNU time: every record, ledger, registry and contract check (13), the evaluator run once over the whole history. Load average (1/5/15 min) at the start ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')}, at the end ${loadavg().map((l) => l.toFixed(2)).join(' / ')}.

${table}`;
  process.stdout.write(`${report}\n`);
  if (!process.env.BENCH_NO_REPORT) writeBenchSection('contracts-verify-100k', 'Repairs contracts: verifying a 100,000-job contract record', report);
} finally {
  rmSync(scratch, { recursive: true, force: true });
  await server.stop().catch(() => undefined);
}
