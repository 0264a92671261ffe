import { afterEach, describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '@townhall/ledger';
import { runRepairsSimulation, type RepairsOptions } from '../simulate/repairs.ts';
import { adminUrl } from './support/test-database.ts';

/**
 * The repairs simulator end to end on real Postgres: a small consortium through simulated months, its
 * payments equal to the plain recomputation and its record verified; and a record whose one payment
 * was changed (an operator paying the contractor a penny less than the terms say) caught by both.
 */
describe('the repairs simulator', () => {
  const realDate = Date;
  afterEach(() => {
    // The simulation puts the real clock back even when it fails.
    expect(globalThis.Date).toBe(realDate);
  });

  const small = (overrides: Partial<RepairsOptions>): RepairsOptions => ({
    associations: 2,
    contractors: 1,
    jobs: 30,
    lateRate: 0.2,
    rejectRate: 0.1,
    months: 4,
    seed: 18,
    concurrency: 4,
    databaseUrl: adminUrl(),
    log: () => undefined,
    ...overrides,
  });

  it('runs 30 jobs (some late, some rejected and redone) through simulated months, and every payment equals the recomputation', async () => {
    const report = await runRepairsSimulation(small({}));
    expect(report.jobs).toEqual({ planned: 30, late: 6, rejected: 3, confirmed: 30 });
    // 30 × (raise, triage, accept, schedule, complete, confirm) + 3 × (reject, complete again).
    expect(report.orderEvents).toBe(30 * 6 + 3 * 2);
    expect(Date.parse(report.simulatedTo) - Date.parse(report.simulatedFrom)).toBeGreaterThan(120 * 24 * 3_600_000);
    expect(report.contracts).toHaveLength(1);
    const [contract] = report.contracts;
    expect(contract).toMatchObject({ jobs: 30, payments: 30, isRecordValid: true, failedChecks: [], differences: [] });
    expect(contract!.paymentRuns).toBeGreaterThanOrEqual(4);
    // Both rules were at work: bulk tiers from the 6th job of an association, 20 % off once 10 % were late.
    expect(contract!.discounted).toBeGreaterThan(0);
    expect(contract!.reducedForLateness).toBeGreaterThan(0);
    expect(report.isCorrect).toBe(true);
  }, 300_000);

  it('reports a payment that differs from the recomputation, with both amounts', async () => {
    let tampered = '';
    const report = await runRepairsSimulation(
      small({
        jobs: 12,
        lateRate: 0.25,
        rejectRate: 0,
        seed: 19,
        async beforeCheck({ record }) {
          // The last PaymentComputed pays the contractor one penny less (and the association too),
          // re-encoded as a well-formed entry: only the arithmetic and the log's hashes can tell.
          const lines = record.split('\n');
          const index = lines.findLastIndex((l) => l.startsWith('{"kind":"entry"') && decodeEntry(Buffer.from((JSON.parse(l) as { bytes: string }).bytes, 'base64')).type === 'PaymentComputed');
          const line = JSON.parse(lines[index]!) as { bytes: string };
          const entry = decodeEntry(Buffer.from(line.bytes, 'base64'));
          const body = entry.body as { orderId: string; contractorPaymentPence: number; associationPaysPence: number };
          tampered = body.orderId;
          const changed = { ...body, contractorPaymentPence: body.contractorPaymentPence - 1, associationPaysPence: body.associationPaysPence - 1 };
          lines[index] = JSON.stringify({ ...line, bytes: Buffer.from(encodeEntry({ ...entry, body: changed } as Parameters<typeof encodeEntry>[0])).toString('base64') });
          return lines.join('\n');
        },
      }),
    );
    expect(report.isCorrect).toBe(false);
    const [contract] = report.contracts;
    expect(contract!.differences).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^order ${tampered}: contractorPaymentPence is \\d+ in the log, \\d+ recomputed$`)),
        expect.stringMatching(new RegExp(`^order ${tampered}: associationPaysPence is \\d+ in the log, \\d+ recomputed$`)),
        expect.stringMatching(new RegExp(`^run .*: order ${tampered} pays `)),
      ]),
    );
    // The verifier sees it too: the entry no longer hashes to the signed log.
    expect(contract!.isRecordValid).toBe(false);
  }, 300_000);
});
