import { z } from 'zod';

/**
 * Repairs contracts: the terms format (version 1) and the events a contract's history consists of
 * (docs/protocol/contracts.md). The evaluator that turns terms and events into due dates, lateness
 * and payments is `@townhall/contracts`; this file is only the wire and ledger format.
 *
 * Money is integer pence (a JS safe integer). The bounds below keep every intermediate product of
 * the evaluator (price × quantity × basis points) below 2^53, so no figure ever needs a float:
 * unit price ≤ 10,000,000 p (£100,000), quantity ≤ 1,000, basis points ≤ 10,000 → ≤ 10^14.
 *
 * No personal data: parties are organisation ids, orders carry an opaque order id and a property
 * reference that is a keyed hash (64 hex digits), never an address or a name.
 */

// ---------------------------------------------------------------------------------------------
// Primitives

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 _ -');
/** A calendar date (YYYY-MM-DD), read as a date in Europe/London. */
const CalendarDate = z.iso.date('must be a date YYYY-MM-DD');
/** An instant in UTC (`Z`); the evaluator works to the millisecond. */
const Instant = z.iso.datetime('must be an ISO 8601 UTC timestamp ending in Z');
const BasisPoints = z
  .number()
  .int('must be a whole number of basis points')
  .min(0, 'cannot be negative')
  .max(10_000, 'cannot exceed 10000 (100%)');

export const MAX_UNIT_PRICE_PENCE = 10_000_000;
export const MAX_QUANTITY = 1_000;
export const MAX_HOST_FEE_PENCE = 1_000_000;

export const ItemCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, 'must be 1–32 of A-Z 0-9 - (starting with a letter or digit)');
export const OrderId = Id;
export const OrganisationId = Id;
/** A keyed hash of the property (HMAC-SHA-256 under the association's key), never the address. */
export const PropertyRef = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a 64-hex-digit keyed hash of the property, not an address');

export const PRIORITIES = ['emergency', 'urgent', 'routine'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

/** Damp-and-mould hazard class found at triage (Awaab's Law); `none` for every other repair. */
export const HAZARDS = ['none', 'emergency', 'significant'] as const;
export const Hazard = z.enum(HAZARDS);
export type Hazard = z.infer<typeof Hazard>;

export const CALENDARS = ['england-and-wales'] as const;
export const CalendarName = z.enum(CALENDARS);
export type CalendarName = z.infer<typeof CalendarName>;

// ---------------------------------------------------------------------------------------------
// Terms

export const CatalogueItem = z.strictObject({
  code: ItemCode,
  description: z.string().trim().min(1, 'describe the item').max(200),
  unitPricePence: z
    .number()
    .int('unitPricePence must be whole pence')
    .min(0, 'unitPricePence cannot be negative')
    .max(MAX_UNIT_PRICE_PENCE, `unitPricePence cannot exceed ${MAX_UNIT_PRICE_PENCE}`),
  /** The product or specification the contractor must fit or meet. */
  specification: z.string().trim().min(1, 'name the product or specification').max(500),
});
export type CatalogueItem = z.infer<typeof CatalogueItem>;

/** A service level: absolute hours, or working days counted in Europe/London on the contract's calendar. */
export const ServiceLevel = z.discriminatedUnion('unit', [
  z.strictObject({ unit: z.literal('hours'), amount: z.number().int().min(1, 'amount must be at least 1 hour').max(8_760) }),
  z.strictObject({
    unit: z.literal('working-days'),
    amount: z.number().int().min(1, 'amount must be at least 1 working day').max(260),
  }),
]);
export type ServiceLevel = z.infer<typeof ServiceLevel>;

export const BulkDiscountTier = z.strictObject({
  /** First job (1-based count in the period and scope) this tier applies to. */
  fromJob: z.number().int().min(1, 'fromJob must be at least 1'),
  /** Last job it applies to, inclusive; null for the open-ended top tier. */
  toJob: z.number().int().min(1, 'toJob must be at least 1').nullable(),
  discountBasisPoints: BasisPoints,
});

export const BULK_DISCOUNT_SCOPES = ['association', 'consortium'] as const;
export const BULK_DISCOUNT_PERIODS = ['calendar-month', 'calendar-quarter', 'contract-year'] as const;

export const BulkDiscount = z
  .strictObject({
    /** Count the jobs of the ordering association only, or of every association on the contract. */
    scope: z.enum(BULK_DISCOUNT_SCOPES),
    /** The count restarts at each period (London calendar; contract years run from startDate). */
    period: z.enum(BULK_DISCOUNT_PERIODS),
    tiers: z.array(BulkDiscountTier).min(1, 'bulkDiscount.tiers needs at least one tier').max(20),
    /** Items that neither count towards the volume nor get the discount (e.g. call-out charges). */
    excludedItemCodes: z.array(ItemCode).max(200).default([]),
  })
  .superRefine((discount, ctx) => {
    discount.tiers.forEach((tier, i) => {
      const at = `bulkDiscount.tiers[${i}]`;
      if (tier.toJob !== null && tier.toJob < tier.fromJob) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'toJob'],
          message: `${at}.toJob (${tier.toJob}) is before its fromJob (${tier.fromJob})`,
        });
      }
      if (tier.toJob === null && i !== discount.tiers.length - 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'toJob'],
          message: `${at}.toJob is open-ended (null) but it is not the last tier`,
        });
      }
      const previous = discount.tiers[i - 1];
      if (previous && tier.fromJob <= previous.fromJob) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'fromJob'],
          message:
            `${at}.fromJob (${tier.fromJob}) must be greater than tiers[${i - 1}].fromJob (${previous.fromJob}): ` +
            'tiers are unordered',
        });
      } else if (previous && previous.toJob !== null && tier.fromJob <= previous.toJob) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'fromJob'],
          message: `${at}.fromJob (${tier.fromJob}) overlaps tiers[${i - 1}] (jobs ${previous.fromJob}–${previous.toJob})`,
        });
      }
    });
  });
export type BulkDiscount = z.infer<typeof BulkDiscount>;

export const LateDeliveryBand = z.strictObject({
  /** The band applies when late jobs / jobs in the window ≥ this share (1000 = 10%). */
  fromLateShareBasisPoints: z
    .number()
    .int()
    .min(1, 'fromLateShareBasisPoints must be at least 1')
    .max(10_000, 'cannot exceed 10000 (100%)'),
  /** The price of each job priced while the band applies falls by this share (2000 = −20%). */
  priceReductionBasisPoints: z
    .number()
    .int()
    .min(1, 'priceReductionBasisPoints must be at least 1')
    .max(10_000, 'cannot exceed 10000 (100%)'),
});

export const LateDelivery = z
  .strictObject({
    /** Rolling window in calendar months, ending on (and including) the day a job is confirmed. */
    windowMonths: z
      .number()
      .int('lateDelivery.windowMonths must be a whole number of months')
      .min(1, 'lateDelivery.windowMonths must be at least 1: a window of 0 months cannot be evaluated')
      .max(120),
    /** The rule applies only once the window holds at least this many confirmed jobs. */
    minimumJobs: z.number().int().min(1, 'lateDelivery.minimumJobs must be at least 1').max(1_000_000),
    bands: z.array(LateDeliveryBand).min(1, 'lateDelivery.bands needs at least one band').max(20),
  })
  .superRefine((rule, ctx) => {
    rule.bands.forEach((band, i) => {
      const previous = rule.bands[i - 1];
      if (previous && band.fromLateShareBasisPoints <= previous.fromLateShareBasisPoints) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'fromLateShareBasisPoints'],
          message:
            `lateDelivery.bands[${i}].fromLateShareBasisPoints (${band.fromLateShareBasisPoints}) must be greater than ` +
            `bands[${i - 1}] (${previous.fromLateShareBasisPoints}): bands are unordered or overlap`,
        });
      }
    });
  });
export type LateDelivery = z.infer<typeof LateDelivery>;

/**
 * Awaab's Law timers for damp and mould hazards (Hazards in Social Housing (Prescribed Requirements)
 * (England) Regulations 2025). A contract may be stricter than the law, never looser.
 */
export const STATUTORY_DAMP_AND_MOULD = {
  emergencyHours: 24,
  investigationWorkingDays: 10,
  writtenSummaryWorkingDays: 3,
  safetyWorkWorkingDays: 5,
} as const;

const statutoryAtMost = (field: keyof typeof STATUTORY_DAMP_AND_MOULD, unit: string) =>
  z
    .number()
    .int(`dampAndMould.${field} must be whole ${unit}`)
    .min(1, `dampAndMould.${field} must be at least 1`)
    .max(
      STATUTORY_DAMP_AND_MOULD[field],
      `dampAndMould.${field} cannot exceed the statutory ${STATUTORY_DAMP_AND_MOULD[field]} ${unit}`,
    );

export const DampAndMouldTimers = z.strictObject({
  /** Emergency hazard: investigate and make safe within this many hours of the report. */
  emergencyHours: statutoryAtMost('emergencyHours', 'hours'),
  /** Significant hazard: investigate within this many working days of the report … */
  investigationWorkingDays: statutoryAtMost('investigationWorkingDays', 'working days'),
  /** … send the tenant a written summary within this many working days of the investigation … */
  writtenSummaryWorkingDays: statutoryAtMost('writtenSummaryWorkingDays', 'working days'),
  /** … and complete the safety work within this many working days of the investigation. */
  safetyWorkWorkingDays: statutoryAtMost('safetyWorkWorkingDays', 'working days'),
});
export type DampAndMouldTimers = z.infer<typeof DampAndMouldTimers>;

export const ContractParties = z.strictObject({
  contractor: OrganisationId,
  associations: z.array(OrganisationId).min(1, 'parties.associations needs at least one association').max(100),
  host: z.strictObject({
    association: OrganisationId,
    /** Paid by every other ordering association to the host, per confirmed job. */
    feePerJobPence: z
      .number()
      .int('parties.host.feePerJobPence must be whole pence')
      .min(0, 'parties.host.feePerJobPence cannot be negative')
      .max(MAX_HOST_FEE_PENCE, `parties.host.feePerJobPence cannot exceed ${MAX_HOST_FEE_PENCE}`),
  }),
});

export const ContractTerms = z
  .strictObject({
    /** Version of this terms format. */
    version: z.literal(1),
    contractId: Id,
    /** The contract's own revision: 1 when agreed, +1 with each amendment. */
    revision: z.number().int().min(1, 'revision must be at least 1'),
    title: z.string().trim().min(1, 'give the contract a title').max(200),
    currency: z.literal('GBP'),
    parties: ContractParties,
    /** First and last day (inclusive, Europe/London) on which orders may be raised. */
    startDate: CalendarDate,
    endDate: CalendarDate,
    /** Bank holidays that are not working days. */
    calendar: CalendarName,
    catalogue: z.array(CatalogueItem).min(1, 'the catalogue needs at least one item').max(5_000),
    serviceLevels: z.strictObject({ emergency: ServiceLevel, urgent: ServiceLevel, routine: ServiceLevel }),
    bulkDiscount: BulkDiscount.nullable(),
    lateDelivery: LateDelivery.nullable(),
    dampAndMould: DampAndMouldTimers,
  })
  .superRefine((terms, ctx) => {
    if (terms.endDate < terms.startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: `endDate (${terms.endDate}) is before startDate (${terms.startDate})`,
      });
    }
    const codes = new Set<string>();
    terms.catalogue.forEach((item, i) => {
      if (codes.has(item.code))
        ctx.addIssue({
          code: 'custom',
          path: ['catalogue', i, 'code'],
          message: `catalogue[${i}].code "${item.code}" is used twice`,
        });
      codes.add(item.code);
    });
    terms.bulkDiscount?.excludedItemCodes.forEach((code, i) => {
      if (!codes.has(code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['bulkDiscount', 'excludedItemCodes', i],
          message: `bulkDiscount.excludedItemCodes[${i}] "${code}" is not an item code in the catalogue`,
        });
      }
    });
    const associations = new Set<string>();
    terms.parties.associations.forEach((association, i) => {
      if (associations.has(association)) {
        ctx.addIssue({
          code: 'custom',
          path: ['parties', 'associations', i],
          message: `parties.associations[${i}] "${association}" is listed twice`,
        });
      }
      if (association === terms.parties.contractor) {
        ctx.addIssue({
          code: 'custom',
          path: ['parties', 'associations', i],
          message: `parties.associations[${i}] is also the contractor`,
        });
      }
      associations.add(association);
    });
    if (!associations.has(terms.parties.host.association)) {
      ctx.addIssue({
        code: 'custom',
        path: ['parties', 'host', 'association'],
        message: `parties.host.association "${terms.parties.host.association}" is not one of parties.associations`,
      });
    }
  });
export type ContractTerms = z.infer<typeof ContractTerms>;
export type ContractTermsInput = z.input<typeof ContractTerms>;

// ---------------------------------------------------------------------------------------------
// Events: what a contract's history consists of. Every event has `at`, the instant it was recorded.

const orderEvent = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), at: Instant, orderId: OrderId, ...shape });

export const REJECTION_REASONS = ['not-fixed', 'wrong-item-fitted', 'poor-workmanship', 'not-attended', 'other'] as const;

export const OrderRaised = orderEvent('order-raised', { association: OrganisationId, propertyRef: PropertyRef });
export const OrderTriaged = orderEvent('order-triaged', {
  itemCode: ItemCode,
  quantity: z.number().int().min(1, 'quantity must be at least 1').max(MAX_QUANTITY, `quantity cannot exceed ${MAX_QUANTITY}`),
  priority: Priority,
  hazard: Hazard,
});
export const OrderAccepted = orderEvent('order-accepted', {});
export const OrderScheduled = orderEvent('order-scheduled', { appointmentStart: Instant, appointmentEnd: Instant }).refine(
  (e) => Date.parse(e.appointmentStart) < Date.parse(e.appointmentEnd),
  { path: ['appointmentEnd'], message: 'appointmentEnd must be after appointmentStart' },
);
export const OrderCompleted = orderEvent('order-completed', {});
export const OrderConfirmed = orderEvent('order-confirmed', {});
/** `detail` is a short explanation for the contractor; it must not hold personal data. */
export const OrderRejected = orderEvent('order-rejected', {
  reason: z.enum(REJECTION_REASONS),
  detail: z.string().trim().max(280).default(''),
});
/** Significant damp-and-mould hazards only: the investigation concluded. */
export const HazardInvestigated = orderEvent('hazard-investigated', {});
/** Significant damp-and-mould hazards only: the written summary of the investigation went to the tenant. */
export const HazardSummaryIssued = orderEvent('hazard-summary-issued', {});
/** New terms (revision + 1), in force for orders triaged at or after `effectiveAt` (never before `at`). */
export const TermsAmended = z.strictObject({
  type: z.literal('terms-amended'),
  at: Instant,
  effectiveAt: Instant,
  terms: ContractTerms,
});

export const ContractEvent = z.discriminatedUnion('type', [
  OrderRaised,
  OrderTriaged,
  OrderAccepted,
  OrderScheduled,
  OrderCompleted,
  OrderConfirmed,
  OrderRejected,
  HazardInvestigated,
  HazardSummaryIssued,
  TermsAmended,
]);
export type ContractEvent = z.infer<typeof ContractEvent>;
export type ContractEventInput = z.input<typeof ContractEvent>;
export type ContractEventType = ContractEvent['type'];
export type OrderEvent = Exclude<ContractEvent, { type: 'terms-amended' }>;

/**
 * The one table of event types: canonical rank (orders simultaneous events, docs/protocol/contracts.md §3)
 * and, for order events, the order states each may follow and which party takes the step (§11.3;
 * `null`: the tenant reports, every party amends). Hazard events do not change the state.
 */
export const ORDER_STATES = ['raised', 'triaged', 'accepted', 'scheduled', 'completed', 'rejected', 'confirmed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const CONTRACT_EVENT_TYPES = {
  'terms-amended': { rank: 0, from: null, to: null, side: null },
  'order-raised': { rank: 1, from: [], to: 'raised', side: null },
  'order-triaged': { rank: 2, from: ['raised'], to: 'triaged', side: 'association' },
  'hazard-investigated': { rank: 3, from: ['triaged', 'accepted', 'scheduled', 'rejected'], to: null, side: 'association' },
  'hazard-summary-issued': {
    rank: 4,
    from: ['triaged', 'accepted', 'scheduled', 'completed', 'rejected', 'confirmed'],
    to: null,
    side: 'association',
  },
  'order-accepted': { rank: 5, from: ['triaged'], to: 'accepted', side: 'contractor' },
  'order-scheduled': { rank: 6, from: ['accepted', 'scheduled', 'rejected'], to: 'scheduled', side: 'contractor' },
  'order-completed': { rank: 7, from: ['accepted', 'scheduled', 'rejected'], to: 'completed', side: 'contractor' },
  'order-rejected': { rank: 8, from: ['completed'], to: 'rejected', side: 'association' },
  'order-confirmed': { rank: 9, from: ['completed'], to: 'confirmed', side: 'association' },
} as const satisfies Record<ContractEventType, { rank: number; from: readonly OrderState[] | null; to: OrderState | null; side: 'association' | 'contractor' | null }>;
