import type { ContractEventInput, ContractTermsInput } from '@townhall/protocol';

/**
 * The worked example of docs/protocol/contracts.md §8: a three-association consortium's repairs
 * contract and one fortnight of its history. `evaluate.test.ts` checks every figure the docs print.
 */
export function exampleTerms(): ContractTermsInput {
  return {
    version: 1,
    contractId: 'north-consortium-repairs-2025',
    revision: 1,
    title: 'Responsive repairs, North consortium, 2025',
    currency: 'GBP',
    parties: {
      contractor: 'fixit-ltd',
      associations: ['ha-central', 'ha-north', 'ha-south'],
      host: { association: 'ha-central', feePerJobPence: 150 },
    },
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    calendar: 'england-and-wales',
    catalogue: [
      {
        code: 'TAP-01',
        description: 'Replace kitchen mixer tap',
        unitPricePence: 8_500,
        specification: 'WRAS-approved monobloc mixer',
      },
      {
        code: 'MOULD-TREAT',
        description: 'Mould wash and fungicidal treatment, per room',
        unitPricePence: 18_750,
        specification: 'BS 5250 survey first',
      },
      { code: 'CALLOUT', description: 'Emergency call-out', unitPricePence: 6_000, specification: 'Attend and make safe' },
    ],
    serviceLevels: {
      emergency: { unit: 'hours', amount: 24 },
      urgent: { unit: 'working-days', amount: 3 },
      routine: { unit: 'working-days', amount: 20 },
    },
    bulkDiscount: {
      scope: 'association',
      period: 'calendar-month',
      tiers: [
        { fromJob: 1, toJob: 4, discountBasisPoints: 0 },
        { fromJob: 5, toJob: null, discountBasisPoints: 250 },
      ],
      excludedItemCodes: ['CALLOUT'],
    },
    lateDelivery: {
      windowMonths: 12,
      minimumJobs: 5,
      bands: [{ fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 }],
    },
    dampAndMould: { emergencyHours: 24, investigationWorkingDays: 10, writtenSummaryWorkingDays: 3, safetyWorkWorkingDays: 5 },
  };
}

const property = (n: number) => n.toString(16).padStart(64, 'a');

function orderSteps(
  orderId: string,
  association: string,
  steps: {
    raised: string;
    triaged: string;
    item: string;
    quantity: number;
    priority: 'emergency' | 'urgent' | 'routine';
    completed: string;
    confirmed: string;
  },
  n: number,
): ContractEventInput[] {
  return [
    { type: 'order-raised', at: steps.raised, orderId, association, propertyRef: property(n) },
    {
      type: 'order-triaged',
      at: steps.triaged,
      orderId,
      itemCode: steps.item,
      quantity: steps.quantity,
      priority: steps.priority,
      hazard: 'none',
    },
    { type: 'order-accepted', at: steps.triaged, orderId },
    { type: 'order-completed', at: steps.completed, orderId },
    { type: 'order-confirmed', at: steps.confirmed, orderId },
  ];
}

export function exampleEvents(): ContractEventInput[] {
  const taps = ['2025-04-01T10:00:00Z', '2025-04-01T11:00:00Z', '2025-04-02T10:00:00Z', '2025-04-02T11:00:00Z'].flatMap(
    (confirmed, i) =>
      orderSteps(
        `J${i + 1}`,
        'ha-north',
        {
          raised: '2025-03-03T09:00:00Z',
          triaged: '2025-03-03T10:00:00Z',
          item: 'TAP-01',
          quantity: 1,
          priority: 'routine',
          completed: '2025-03-20T14:00:00Z',
          confirmed,
        },
        i + 1,
      ),
  );
  return [
    ...taps,
    ...orderSteps(
      'J5',
      'ha-north',
      {
        raised: '2025-03-27T16:00:00Z',
        triaged: '2025-03-28T09:00:00Z',
        item: 'MOULD-TREAT',
        quantity: 3,
        priority: 'urgent',
        completed: '2025-04-03T08:00:00Z',
        confirmed: '2025-04-04T09:00:00Z',
      },
      5,
    ),
    ...orderSteps(
      'J6',
      'ha-central',
      {
        raised: '2025-04-01T08:00:00Z',
        triaged: '2025-04-01T09:00:00Z',
        item: 'TAP-01',
        quantity: 1,
        priority: 'emergency',
        completed: '2025-04-01T15:00:00Z',
        confirmed: '2025-04-07T09:00:00Z',
      },
      6,
    ),
  ];
}
