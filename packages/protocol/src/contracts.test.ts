import { describe, expect, it } from 'vitest';
import { CONTRACT_EVENT_TYPES, ContractEvent, ContractTerms, ORDER_STATES, type ContractTermsInput } from './contracts.ts';

function validTerms(): ContractTermsInput {
  return {
    version: 1,
    contractId: 'north-consortium-repairs-2025',
    revision: 1,
    title: 'Responsive repairs',
    currency: 'GBP',
    parties: {
      contractor: 'fixit-ltd',
      associations: ['ha-central', 'ha-north'],
      host: { association: 'ha-central', feePerJobPence: 150 },
    },
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    calendar: 'england-and-wales',
    catalogue: [
      { code: 'TAP-01', description: 'Replace tap', unitPricePence: 8_500, specification: 'WRAS-approved mixer' },
      { code: 'CALLOUT', description: 'Call-out', unitPricePence: 6_000, specification: 'Attend and make safe' },
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
        { fromJob: 1, toJob: 50, discountBasisPoints: 0 },
        { fromJob: 51, toJob: null, discountBasisPoints: 500 },
      ],
      excludedItemCodes: ['CALLOUT'],
    },
    lateDelivery: {
      windowMonths: 12,
      minimumJobs: 10,
      bands: [{ fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 }],
    },
    dampAndMould: { emergencyHours: 24, investigationWorkingDays: 10, writtenSummaryWorkingDays: 3, safetyWorkWorkingDays: 5 },
  };
}

/** The messages of a refusal, each prefixed with the path of the field it is about. */
function refusal(terms: unknown): string[] {
  const result = ContractTerms.safeParse(terms);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('contract terms, version 1', () => {
  it('accepts valid terms and defaults excludedItemCodes', () => {
    expect(refusal(validTerms())).toEqual([]);
    const { excludedItemCodes: _, ...bulk } = validTerms().bulkDiscount!;
    expect(ContractTerms.parse({ ...validTerms(), bulkDiscount: bulk }).bulkDiscount!.excludedItemCodes).toEqual([]);
  });

  const cases: [string, (t: ContractTermsInput) => unknown, RegExp][] = [
    [
      'overlapping tiers',
      (t) => ({
        ...t,
        bulkDiscount: {
          ...t.bulkDiscount!,
          tiers: [
            { fromJob: 1, toJob: 50, discountBasisPoints: 0 },
            { fromJob: 50, toJob: null, discountBasisPoints: 500 },
          ],
        },
      }),
      /^bulkDiscount\.tiers\.1\.fromJob: bulkDiscount\.tiers\[1\]\.fromJob \(50\) overlaps tiers\[0\] \(jobs 1–50\)$/,
    ],
    [
      'unordered tiers',
      (t) => ({
        ...t,
        bulkDiscount: {
          ...t.bulkDiscount!,
          tiers: [
            { fromJob: 51, toJob: null, discountBasisPoints: 500 },
            { fromJob: 1, toJob: 50, discountBasisPoints: 0 },
          ],
        },
      }),
      /tiers\[1\]\.fromJob \(1\) must be greater than tiers\[0\]\.fromJob \(51\): tiers are unordered/,
    ],
    [
      'a tier ending before it starts',
      (t) => ({ ...t, bulkDiscount: { ...t.bulkDiscount!, tiers: [{ fromJob: 10, toJob: 5, discountBasisPoints: 0 }] } }),
      /bulkDiscount\.tiers\[0\]\.toJob \(5\) is before its fromJob \(10\)/,
    ],
    [
      'an open tier that is not last',
      (t) => ({
        ...t,
        bulkDiscount: {
          ...t.bulkDiscount!,
          tiers: [
            { fromJob: 1, toJob: null, discountBasisPoints: 0 },
            { fromJob: 51, toJob: null, discountBasisPoints: 500 },
          ],
        },
      }),
      /tiers\[0\]\.toJob is open-ended \(null\) but it is not the last tier/,
    ],
    [
      'a discount over 100%',
      (t) => ({ ...t, bulkDiscount: { ...t.bulkDiscount!, tiers: [{ fromJob: 1, toJob: null, discountBasisPoints: 10_001 }] } }),
      /^bulkDiscount\.tiers\.0\.discountBasisPoints: cannot exceed 10000/,
    ],
    [
      'a negative price',
      (t) => ({ ...t, catalogue: [{ ...t.catalogue[0]!, unitPricePence: -1 }, t.catalogue[1]!] }),
      /^catalogue\.0\.unitPricePence: unitPricePence cannot be negative$/,
    ],
    [
      'a price in fractions of a penny',
      (t) => ({ ...t, catalogue: [{ ...t.catalogue[0]!, unitPricePence: 85.5 }, t.catalogue[1]!] }),
      /^catalogue\.0\.unitPricePence: unitPricePence must be whole pence$/,
    ],
    [
      'a duplicate item code',
      (t) => ({ ...t, catalogue: [t.catalogue[0]!, { ...t.catalogue[1]!, code: 'TAP-01' }] }),
      /^catalogue\.1\.code: catalogue\[1\]\.code "TAP-01" is used twice$/,
    ],
    [
      'an unknown item code referenced',
      (t) => ({ ...t, bulkDiscount: { ...t.bulkDiscount!, excludedItemCodes: ['BOILER'] } }),
      /^bulkDiscount\.excludedItemCodes\.0: bulkDiscount\.excludedItemCodes\[0\] "BOILER" is not an item code in the catalogue$/,
    ],
    [
      'a window of 0 months',
      (t) => ({ ...t, lateDelivery: { ...t.lateDelivery!, windowMonths: 0 } }),
      /^lateDelivery\.windowMonths: lateDelivery\.windowMonths must be at least 1: a window of 0 months cannot be evaluated$/,
    ],
    [
      'unordered late bands',
      (t) => ({
        ...t,
        lateDelivery: {
          ...t.lateDelivery!,
          bands: [
            { fromLateShareBasisPoints: 2_000, priceReductionBasisPoints: 3_000 },
            { fromLateShareBasisPoints: 1_000, priceReductionBasisPoints: 2_000 },
          ],
        },
      }),
      /lateDelivery\.bands\[1\]\.fromLateShareBasisPoints \(1000\) must be greater than bands\[0\]/,
    ],
    [
      'a service level of 0',
      (t) => ({ ...t, serviceLevels: { ...t.serviceLevels, urgent: { unit: 'working-days', amount: 0 } } }),
      /^serviceLevels\.urgent\.amount: amount must be at least 1 working day$/,
    ],
    [
      'an end before the start',
      (t) => ({ ...t, endDate: '2024-12-31' }),
      /^endDate: endDate \(2024-12-31\) is before startDate \(2025-01-01\)$/,
    ],
    [
      'a host that is not an association',
      (t) => ({ ...t, parties: { ...t.parties, host: { association: 'fixit-ltd', feePerJobPence: 1 } } }),
      /^parties\.host\.association: .*is not one of parties\.associations$/,
    ],
    [
      'a negative host fee',
      (t) => ({ ...t, parties: { ...t.parties, host: { ...t.parties.host, feePerJobPence: -5 } } }),
      /^parties\.host\.feePerJobPence: parties\.host\.feePerJobPence cannot be negative$/,
    ],
    [
      "a damp-and-mould timer looser than Awaab's Law",
      (t) => ({ ...t, dampAndMould: { ...t.dampAndMould, investigationWorkingDays: 14 } }),
      /^dampAndMould\.investigationWorkingDays: .*cannot exceed the statutory 10 working days$/,
    ],
    ['an unknown calendar', (t) => ({ ...t, calendar: 'scotland' }), /^calendar: /],
    ['another format version', (t) => ({ ...t, version: 2 }), /^version: /],
  ];
  for (const [name, mutate, message] of cases) {
    it(`refuses ${name}, naming the field`, () => {
      const messages = refusal(mutate(validTerms()));
      expect(
        messages.some((m) => message.test(m)),
        messages.join('\n'),
      ).toBe(true);
    });
  }
});

describe('contract events', () => {
  const at = '2025-05-01T09:00:00Z';

  it('accepts each event type with an ISO UTC timestamp', () => {
    const events = [
      { type: 'order-raised', at, orderId: 'o1', association: 'ha-north', propertyRef: 'ab'.repeat(32) },
      { type: 'order-triaged', at, orderId: 'o1', itemCode: 'TAP-01', quantity: 1, priority: 'urgent', hazard: 'none' },
      { type: 'order-accepted', at, orderId: 'o1' },
      {
        type: 'order-scheduled',
        at,
        orderId: 'o1',
        appointmentStart: '2025-05-02T08:00:00Z',
        appointmentEnd: '2025-05-02T12:00:00Z',
      },
      { type: 'order-completed', at, orderId: 'o1' },
      { type: 'order-rejected', at, orderId: 'o1', reason: 'not-fixed' },
      { type: 'order-confirmed', at, orderId: 'o1' },
      { type: 'hazard-investigated', at, orderId: 'o1' },
      { type: 'hazard-summary-issued', at, orderId: 'o1' },
      { type: 'terms-amended', at, effectiveAt: at, terms: { ...validTerms(), revision: 2 } },
    ];
    for (const event of events) expect(ContractEvent.safeParse(event).success, event.type).toBe(true);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(CONTRACT_EVENT_TYPES)));
  });

  it('refuses personal data in place of a property reference, local times and a backwards appointment', () => {
    const raised = { type: 'order-raised', at, orderId: 'o1', association: 'ha-north', propertyRef: '12 High Street, Leeds' };
    expect(ContractEvent.safeParse(raised).error!.issues[0]!.message).toMatch(/keyed hash of the property, not an address/);
    expect(ContractEvent.safeParse({ type: 'order-accepted', at: '2025-05-01 09:00', orderId: 'o1' }).success).toBe(false);
    expect(ContractEvent.safeParse({ type: 'order-accepted', at: '2025-05-01T10:00:00+01:00', orderId: 'o1' }).success).toBe(
      false,
    );
    const scheduled = {
      type: 'order-scheduled',
      at,
      orderId: 'o1',
      appointmentStart: '2025-05-02T12:00:00Z',
      appointmentEnd: '2025-05-02T08:00:00Z',
    };
    expect(ContractEvent.safeParse(scheduled).error!.issues[0]!.path).toEqual(['appointmentEnd']);
    expect(
      ContractEvent.safeParse({
        type: 'order-triaged',
        at,
        orderId: 'o1',
        itemCode: 'TAP-01',
        quantity: 0,
        priority: 'urgent',
        hazard: 'none',
      }).success,
    ).toBe(false);
    expect(ContractEvent.safeParse({ type: 'order-accepted', at, orderId: 'o1', tenantName: 'A Person' }).success).toBe(false);
  });

  it('has one lifecycle table whose states and ranks are consistent', () => {
    const ranks = Object.values(CONTRACT_EVENT_TYPES).map((t) => t.rank);
    expect(new Set(ranks).size).toBe(ranks.length);
    for (const rule of Object.values(CONTRACT_EVENT_TYPES)) {
      for (const state of rule.from ?? []) expect(ORDER_STATES).toContain(state);
      if (rule.to !== null) expect(ORDER_STATES).toContain(rule.to);
    }
    // Confirmed is final: nothing leads out of it but the summary to the tenant, which changes no state.
    const fromConfirmed = Object.entries(CONTRACT_EVENT_TYPES).filter(([, r]) =>
      (r.from as readonly string[] | null)?.includes('confirmed'),
    );
    expect(fromConfirmed.map(([type]) => type)).toEqual(['hazard-summary-issued']);
  });
});
