import { describe, expect, it } from 'vitest';
import { exampleTerms } from '@townhall/contracts';
import type { ContractTermsInput } from '@townhall/protocol';
import { recomputePayments, type PlannedJob } from './repairs-recompute.ts';

const job = (orderId: string, association: string, itemCode: string, quantity: number, isLate: boolean): PlannedJob => ({ orderId, association, itemCode, quantity, isLate });

describe('the repairs simulator’s plain recomputation', () => {
  it('gives the prices of the worked example of contracts.md §8 (the table, typed from the spec)', () => {
    const taps = ['2025-04-01T10:00:00Z', '2025-04-01T11:00:00Z', '2025-04-02T10:00:00Z', '2025-04-02T11:00:00Z'].map((confirmedAt, i) => ({
      job: job(`J${i + 1}`, 'ha-north', 'TAP-01', 1, false),
      confirmedAt,
    }));
    const payments = recomputePayments(exampleTerms(), [
      ...taps,
      { job: job('J5', 'ha-north', 'MOULD-TREAT', 3, true), confirmedAt: '2025-04-04T09:00:00Z' },
      { job: job('J6', 'ha-central', 'TAP-01', 1, false), confirmedAt: '2025-04-07T09:00:00Z' },
    ]);
    for (const id of ['J1', 'J2', 'J3', 'J4']) {
      expect(payments.get(id)).toMatchObject({ basePence: 8_500, bulkDiscountPence: 0, lateReductionPence: 0, contractorPaymentPence: 8_500, hostFeePence: 150, associationPaysPence: 8_650 });
    }
    expect(payments.get('J5')).toMatchObject({ basePence: 56_250, bulkDiscountPence: 1_406, lateReductionPence: 10_969, contractorPaymentPence: 43_875, hostFeePence: 150, associationPaysPence: 44_025 });
    expect(payments.get('J6')).toMatchObject({ basePence: 8_500, bulkDiscountPence: 0, lateReductionPence: 1_700, contractorPaymentPence: 6_800, hostFeePence: 0, associationPaysPence: 6_800 });
  });

  const yearly = (): ContractTermsInput => {
    const terms = exampleTerms();
    return {
      ...terms,
      startDate: '2025-09-01',
      endDate: '2026-12-31',
      bulkDiscount: { ...terms.bulkDiscount!, period: 'contract-year', tiers: [{ fromJob: 1, toJob: 1, discountBasisPoints: 0 }, { fromJob: 2, toJob: null, discountBasisPoints: 1_000 }] },
      lateDelivery: { windowMonths: 12, minimumJobs: 10, bands: [{ fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 }] },
    };
  };

  it('counts bulk ordinals per contract year from the start date, in London dates', () => {
    const payments = recomputePayments(yearly(), [
      { job: job('A', 'ha-north', 'TAP-01', 1, false), confirmedAt: '2026-08-31T10:00:00Z' },
      // 23:30Z on 31 August is 00:30 on 1 September in London (BST): the second contract year.
      { job: job('B', 'ha-north', 'TAP-01', 1, false), confirmedAt: '2026-08-31T23:30:00Z' },
      { job: job('C', 'ha-north', 'TAP-01', 1, false), confirmedAt: '2026-09-02T10:00:00Z' },
    ]);
    expect([...payments.values()].map((p) => p.bulkDiscountPence)).toEqual([0, 0, 850]);
  });

  it('applies a band from exactly its share (1 late of 10 is 10 %), and only from the minimum number of jobs', () => {
    const confirmations = Array.from({ length: 10 }, (_, i) => ({
      job: job(`J${i + 1}`, 'ha-central', 'CALLOUT', 1, i === 0),
      confirmedAt: `2026-0${Math.floor(i / 3) + 1}-1${i % 3}T10:00:00Z`,
    }));
    const payments = [...recomputePayments(yearly(), confirmations).values()];
    expect(payments.map((p) => p.lateReductionPence)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1_200]);
  });
});
