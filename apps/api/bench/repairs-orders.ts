/**
 * Repairs benchmark (section `repairs-orders` of docs/benchmarks.md; issue 18 "Tests and numbers"):
 * order events recorded per second through the API (target ≥ 500/s), against real Postgres, the
 * simulator's server in this process (createApp, two local witnesses). The consortium of the repairs
 * simulator (5 associations, 3 contractors, one shared contract each, staff and tenants with passkeys)
 * is set up through the API; then jobs run through their whole lifecycle — reported by a tenant,
 * triaged, accepted, booked, completed, confirmed (priced by the evaluator over the contract's
 * history, PaymentComputed appended) — each job's steps one after the other, many jobs in flight, on
 * the real clock (every job on time). An order event is one of those six requests; each is a ledger
 * append on its contract's log.
 *
 * BENCH_REPAIRS_JOBS jobs (default 2,000, so 12,000 events) at each of the concurrencies in
 * BENCH_REPAIRS_CONCURRENCY (default "16,64"); BENCH_NO_REPORT=1 prints without writing the section.
 * Needs TEST_DATABASE_URL.
 */
import { loadavg } from 'node:os';
import { Repair } from '@townhall/protocol';
import { logger } from '../src/common/logger.ts';
import { startSimulationServer } from '../simulate/server.ts';
import { forEachConcurrently } from '../src/common/for-each-concurrently.ts';
import { PhaseLog } from '../simulate/progress.ts';
import { setUpConsortium, type Consortium } from '../simulate/repairs.ts';
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';

const JOBS = Number(process.env.BENCH_REPAIRS_JOBS ?? 2_000);
const CONCURRENCIES = (process.env.BENCH_REPAIRS_CONCURRENCY ?? '16,64').split(',').map(Number);
const HOUR = 3_600_000;
const EVENTS_PER_JOB = 6;
/** As in the identity benchmarks: a checkpoint per active log a second, each cosigned by both witnesses in this process. */
const CHECKPOINT_INTERVAL_MS = 1_000;

logger.level = 'silent';
if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL (a scratch database is created and dropped)');
const loadAtStart = loadavg();
const server = await startSimulationServer({ databaseUrl: process.env.TEST_DATABASE_URL, env: { TOWNHALL_CHECKPOINT_INTERVAL_MS: String(CHECKPOINT_INTERVAL_MS) } });
const today = new Date().toISOString().slice(0, 10);
const consortium = await setUpConsortium(server, {
  associations: 5,
  contractors: 3,
  startDate: today,
  endDate: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
  now: Date.now,
  phases: new PhaseLog((line) => process.stdout.write(`${line}\n`)),
});

const STEPS = ['reported', 'triaged', 'accepted', 'booked', 'completed', 'confirmed'] as const;
/** Each step's total latency (ms) and count, in the measured runs: where the time goes. */
const latency = new Map<(typeof STEPS)[number], { ms: number; count: number }>();
async function timed<T>(step: (typeof STEPS)[number], request: Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await request;
  const total = latency.get(step) ?? { ms: 0, count: 0 };
  latency.set(step, { ms: total.ms + performance.now() - started, count: total.count + 1 });
  return result;
}

/** One job, its six order events in turn; every one is on time (completed within the hour). */
async function runJob({ associations, contracts, signedIn }: Consortium, index: number): Promise<void> {
  const association = associations[index % associations.length]!;
  const contract = contracts[Math.floor(index / associations.length) % contracts.length]!;
  const tenant = await signedIn(association.tenants[index % association.tenants.length]!);
  const officer = await signedIn(association.officer);
  const contractor = await signedIn(contract.contractor.admin);
  const repairs = `/api/organisations/${association.id}/repairs`;
  const body = { contractId: contract.contractId, description: `Benchmark job ${index + 1}`, location: 'Kitchen', priority: 'routine', hazards: { dampOrMould: false, immediateRisk: false } };
  const { orderId } = Repair.parse(await timed('reported', tenant.json(tenant.post(repairs, body), 201)));
  const work = `/api/organisations/${contract.contractor.id}/work-orders/${orderId}`;
  await timed('triaged', officer.json(officer.post(`${repairs}/${orderId}/triage`, { itemCode: 'TAP-01', priority: 'routine', hazard: 'none' })));
  await timed('accepted', contractor.json(contractor.post(`${work}/accept`)));
  const start = Date.now() + HOUR;
  await timed('booked', contractor.json(contractor.post(`${work}/schedule`, { appointmentStart: new Date(start).toISOString(), appointmentEnd: new Date(start + HOUR).toISOString() })));
  await timed('completed', contractor.json(contractor.post(`${work}/complete`, { notes: 'Done' })));
  await timed('confirmed', officer.json(officer.post(`${repairs}/${orderId}/confirm`)));
}

let next = 0;
for (let i = 0; i < 20; i++) await runJob(consortium, next++); // warm-up, not measured
latency.clear();
const rows: (string | number)[][] = [];
for (const concurrency of CONCURRENCIES) {
  const indices = Array.from({ length: JOBS }, () => next++);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  await forEachConcurrently(indices, concurrency, (index) => runJob(consortium, index));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const events = JOBS * EVENTS_PER_JOB;
  const cpuMsPerEvent = (cpu.user + cpu.system) / 1000 / events;
  rows.push([concurrency, JOBS.toLocaleString('en-GB'), events.toLocaleString('en-GB'), seconds.toFixed(1), (events / seconds).toFixed(0), ((seconds * 1000) / events).toFixed(2), cpuMsPerEvent.toFixed(2)]);
  process.stdout.write(`${concurrency} jobs in flight: ${events} order events in ${seconds.toFixed(1)} s, ${(events / seconds).toFixed(0)}/s, ${cpuMsPerEvent.toFixed(2)} ms of this process's CPU per event\n`);
}
const loadAtEnd = loadavg();
await server.stop();

const table = markdownTable(['jobs in flight', 'jobs', 'order events', 'seconds', 'events/s', 'ms per event', 'CPU ms per event (this process)'], rows);
const latencies = markdownTable(
  ['order event', 'mean latency (ms), all concurrencies'],
  STEPS.map((step) => [step, (latency.get(step)!.ms / latency.get(step)!.count).toFixed(1)]),
);
const report = `The repairs simulator's consortium (apps/api/simulate/repairs.ts: 5 associations, 3 contractors, one contract per contractor shared by all, staff and tenants with passkeys) on Postgres, the API in this process with its two local witnesses (a checkpoint of each active log every ${CHECKPOINT_INTERVAL_MS / 1000} s, as in the identity benchmarks). Each job's six order events (reported, triaged, accepted, booked, completed, confirmed and priced) one after the other, many jobs at once over 3 contract logs; after 20 jobs of warm-up. Target: 500 order events a second. "CPU ms per event" is this one process's CPU time (API, witnesses and the benchmark's own HTTP client) over the events it recorded; Postgres runs beside it on the other core. Load average (1/5/15 min) at the start ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')}, at the end ${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')}.

${table}

${latencies}`;
process.stdout.write(`${report}\n`);
if (!process.env.BENCH_NO_REPORT) writeBenchSection('repairs-orders', 'Repairs: order events recorded per second through the API', report);
