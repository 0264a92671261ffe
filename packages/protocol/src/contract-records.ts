import { z } from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';
import { fromHexString } from './elections.ts';
import { AuthenticationResponseJSON } from './identity.ts';
import { lengthPrefixed, utf8 } from './length-prefixed.ts';
import {
  ContractTerms,
  Hazard,
  ItemCode,
  MAX_QUANTITY,
  OrderAccepted,
  OrderCompleted,
  OrderConfirmed,
  OrderRaised,
  OrderRejected,
  OrderScheduled,
  OrderTriaged,
  HazardInvestigated,
  HazardSummaryIssued,
  ORDER_STATES,
  Priority,
  REJECTION_REASONS,
  TermsAmended,
} from './contracts.ts';

/**
 * Repairs contracts on the ledger and through the API (docs/protocol/contracts.md §11): the bodies
 * of a contract log's entries and the API's request and response bodies. The terms and the events
 * themselves are `contracts.ts`; every order entry carries its event exactly as the evaluator reads
 * it, so a contract's history is its log's entries.
 *
 * Routes (all under /api). organisation(roles): a member of the organisation in the path holding one
 * of the roles (403 ORGANISATION_NOT_ACTIVE once it is suspended or closed). An order or contract the
 * organisation in the path is not a party to answers 404, like a missing one.
 *
 * method path                                                   access                                body → response
 * POST   /organisations/:id/contracts                           organisation(administrator)           ContractProposal → ContractDetail (201)
 * GET    /organisations/:id/contracts                           organisation(administrator,repairs,finance) – → ContractList
 * GET    /organisations/:id/contracts/:contractId               organisation(administrator,repairs,finance) – → ContractDetail
 * GET    /organisations/:id/contracts/:contractId/performance   organisation(administrator,repairs,finance) – → ContractPerformance
 * GET    /organisations/:id/contracts/:contractId/approval-options?revision= organisation(administrator) – → ContractApprovalOptions
 * POST   /organisations/:id/contracts/:contractId/approve       organisation(administrator)           ContractApprovalRequest → ContractDetail
 * POST   /organisations/:id/contracts/:contractId/amendments    organisation(administrator)           ContractAmendmentProposal → ContractDetail (201)
 * POST   /organisations/:id/repairs                             organisation(tenant), a resident      RepairReport → Repair (201)
 * GET    /organisations/:id/repairs                             organisation(administrator,repairs)   – → RepairList (the association's orders)
 * POST   /organisations/:id/repairs/:orderId/triage             organisation(administrator,repairs)   RepairTriage → Repair
 * POST   /organisations/:id/repairs/:orderId/hazard-investigated   (same)                            {} → Repair
 * POST   /organisations/:id/repairs/:orderId/hazard-summary-issued (same)                            {} → Repair
 * POST   /organisations/:id/repairs/:orderId/confirm            organisation(administrator,repairs)   {} → Repair (with its payment)
 * POST   /organisations/:id/repairs/:orderId/reject             organisation(administrator,repairs)   RepairRejection → Repair
 * GET    /organisations/:id/work-orders                         organisation(administrator,repairs)   – → RepairList (the contractor's triaged orders)
 * POST   /organisations/:id/work-orders/:orderId/accept         organisation(administrator,repairs)   {} → Repair
 * POST   /organisations/:id/work-orders/:orderId/schedule       organisation(administrator,repairs)   RepairSchedule → Repair
 * POST   /organisations/:id/work-orders/:orderId/complete       organisation(administrator,repairs)   RepairCompletion → Repair
 * POST   /organisations/:id/payment-runs                        organisation(administrator,finance)   PaymentRunRequest → PaymentRunSummary (201)
 * GET    /organisations/:id/payment-runs                        organisation(administrator,finance)   – → PaymentRunList
 * GET    /organisations/:id/payment-runs/:runId/file            organisation(administrator,finance)   – → text/csv
 * GET    /organisations/:id/payment-runs/:runId/pain001         organisation(administrator,finance)   – → application/xml (ISO 20022 pain.001.001.09, §11.6)
 * GET    /contracts/:contractId/ocds                             public                                – → OcdsReleasePackage (OCDS 1.1)
 * GET    /account/repairs                                       resident                              – → RepairList (the caller's own)
 * GET    /account/repairs/associations                          resident                              – → RepairAssociationList (where the caller may report)
 * GET    /account/repairs/:orderId                              resident                              – → Repair (the caller's own; else 404)
 * GET    /contracts/:contractId/record                          public                                – → the contract record, JSON Lines (§12; 404 if none)
 *
 * Errors besides VALIDATION_FAILED: CONTRACT_INVALID (422: parties that are not active organisations of
 * the right kind, a proposer who is not a party, an amendment that is not the next revision),
 * CONTRACT_WRONG_STATE (409: approving twice, ordering under a contract not agreed), ORDER_WRONG_STATE
 * (409: a step skipped or repeated, also under concurrent requests), NOTHING_TO_PAY (409), BANK_ACCOUNT_MISSING
 * (409: the pain.001 file of a run whose payer or a payee has no bank account recorded), NOT_FOUND.
 */

/** Organisation roles this feature gives meaning to (an organisation's administrators grant them). */
export const REPAIRS_ROLE = 'repairs';
export const FINANCE_ROLE = 'finance';
export const TENANT_ROLE = 'tenant';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const Instant = z.iso.datetime('must be an ISO 8601 UTC timestamp ending in Z');
/** A contract's id (contracts.md §2), as in its log's name and origin. */
export const ContractId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 _ -');
/** Whole pence as an integer JSON number (a JS safe integer). */
const Pence = z.number().int('must be whole pence').min(0).max(Number.MAX_SAFE_INTEGER);
/** A total that may exceed 2^53 pence, as decimal digits. */
const PenceTotal = z.string().regex(/^(0|[1-9][0-9]{0,20})$/, 'must be a whole number of pence in decimal digits');

const TERMS_HASH_TAG = 'townhall/contract-terms/v1\0';

/** SHA-256 of the tag and the JCS (RFC 8785) text of the validated terms, hex: what the parties approve. */
export function contractTermsHash(terms: z.input<typeof ContractTerms>): string {
  const text = TERMS_HASH_TAG + canonicalize(ContractTerms.parse(terms))!;
  return Array.from(sha256(new TextEncoder().encode(text)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------------------------------------
// Ledger entry bodies (one log per contract, `contract-<contractId>`; docs/protocol/ledger.md §2.1)

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

/** A WebAuthn assertion as the ledger keeps it: enough to check its signature, with the key of a MemberPasskeyBound entry. */
export const LedgerAssertion = z.strictObject({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url });

/**
 * One party's approval of a revision: its organisation, the approving administrator's membership
 * pseudonym, and their passkey's signature over the approval (contracts.md §11.1): an assertion
 * whose challenge is `contractApprovalChallenge` of this approval, by the passkey whose
 * credential id hashes to `credentialIdHash`, bound to `member` by a MemberPasskeyBound entry.
 */
export const ContractApproval = z.strictObject({
  organisation: z.string(),
  party: z.enum(['contractor', 'association']),
  /** The approver as in the organisation's MembershipGranted entries (registry log). */
  member: hex64,
  at: Instant,
  credentialIdHash: hex64,
  assertion: LedgerAssertion,
});
export type ContractApproval = z.infer<typeof ContractApproval>;

const CONTRACT_APPROVAL_TAG = 'townhall/v1/contract-approval';

/**
 * The WebAuthn challenge an approver's passkey signs (contracts.md §11.1): SHA-256 of the tag, the
 * contract, the revision, its terms hash, when it takes effect (an amendment's `effectiveAt`; empty
 * for revision 1), the organisation, its side and the member, length-prefixed. Nothing random:
 * anyone recomputes it from the entry. A replay can only repeat the same approval, which is taken once.
 */
export function contractApprovalChallenge(approval: {
  contractId: string;
  revision: number;
  termsHash: string;
  effectiveAt: string | null;
  organisation: string;
  party: 'contractor' | 'association';
  member: string;
}): Uint8Array {
  return sha256(
    lengthPrefixed(
      utf8(CONTRACT_APPROVAL_TAG),
      utf8(approval.contractId),
      utf8(String(approval.revision)),
      fromHexString(approval.termsHash),
      utf8(approval.effectiveAt ?? ''),
      utf8(approval.organisation),
      utf8(approval.party),
      fromHexString(approval.member),
    ),
  );
}

export const ContractAgreedBody = z.strictObject({
  contractId: ContractId,
  termsHash: hex64,
  terms: ContractTerms,
  approvals: z.array(ContractApproval).min(2),
});
export const ContractAmendedBody = z.strictObject({
  contractId: ContractId,
  termsHash: hex64,
  event: TermsAmended,
  approvals: z.array(ContractApproval).min(2),
});
/** `tenant`: a keyed pseudonym of the reporting resident for this order only. */
export const OrderRaisedBody = z.strictObject({ contractId: ContractId, event: OrderRaised, tenant: hex64 });
/** `dueAt`: the contractual due time the evaluator computed at triage (docs/protocol/contracts.md §5.4). */
export const OrderTriagedBody = z.strictObject({ contractId: ContractId, event: OrderTriaged, dueAt: Instant, by: hex64 });
const stepBody = <E extends z.ZodType>(event: E) => z.strictObject({ contractId: ContractId, event, by: hex64 });
export const OrderAcceptedBody = stepBody(OrderAccepted);
export const OrderScheduledBody = stepBody(OrderScheduled);
export const OrderCompletedBody = stepBody(OrderCompleted);
export const OrderConfirmedBody = stepBody(OrderConfirmed);
export const OrderRejectedBody = stepBody(OrderRejected);
export const HazardInvestigatedBody = stepBody(HazardInvestigated);
export const HazardSummaryIssuedBody = stepBody(HazardSummaryIssued);

/** The evaluator's price of a confirmed job, appended with its OrderConfirmed entry. */
export const ContractPayment = z.strictObject({
  orderId: z.string(),
  association: z.string(),
  termsRevision: z.number().int().min(1),
  basePence: Pence,
  bulkDiscountPence: Pence,
  lateReductionPence: Pence,
  contractorPaymentPence: Pence,
  hostFeePence: Pence,
  associationPaysPence: Pence,
});
export type ContractPayment = z.infer<typeof ContractPayment>;
export const PaymentComputedBody = z.strictObject({ contractId: ContractId, ...ContractPayment.shape });

/** Payments a run may hold: keeps a PaymentRun entry well under the 64 KiB entry limit. */
export const MAX_PAYMENTS_PER_RUN = 200;
export const PaymentRunItem = z.strictObject({
  orderId: z.string(),
  contractorPaymentPence: Pence,
  hostFeePence: Pence,
  associationPaysPence: Pence,
});
export const PaymentRunBody = z.strictObject({
  contractId: ContractId,
  runId: z.string(),
  association: z.string(),
  payments: z.array(PaymentRunItem).min(1).max(MAX_PAYMENTS_PER_RUN),
  contractorTotalPence: PenceTotal,
  hostFeeTotalPence: PenceTotal,
  totalPence: PenceTotal,
  at: Instant,
  by: hex64,
});

// ---------------------------------------------------------------------------------------------
// API bodies

const Text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const ContractProposal = z.strictObject({ terms: ContractTerms });
export const ContractAmendmentProposal = z.strictObject({
  terms: ContractTerms,
  /** When the new revision governs orders triaged from; not before the amendment is agreed. */
  effectiveAt: Instant,
});
/**
 * What the approver's passkey is asked to sign: `challenge` is base64url(contractApprovalChallenge(…))
 * of these fields. The page recomputes it from the terms it shows before asking for the passkey.
 */
export const ContractApprovalOptions = z.object({
  contractId: z.string(),
  revision: z.number().int(),
  termsHash: z.string(),
  /** When the revision takes effect (an amendment's; null for revision 1): signed with the terms. */
  effectiveAt: z.string().nullable(),
  organisation: z.string(),
  party: z.enum(['contractor', 'association']),
  /** The approver's membership pseudonym (as in the organisation's MembershipGranted entries). */
  member: z.string(),
  challenge: z.string(),
  rpId: z.string(),
  allowCredentials: z.array(z.object({ id: z.string(), type: z.literal('public-key') })),
  userVerification: z.literal('required'),
  timeout: z.number(),
});
export type ContractApprovalOptions = z.infer<typeof ContractApprovalOptions>;
export const ContractApprovalOptionsQuery = z.strictObject({ revision: z.coerce.number().int().min(1).max(1_000_000) });
export const ContractApprovalRequest = z.strictObject({
  revision: z.number().int().min(1),
  /** The approver's passkey assertion over the challenge of `…/approval-options?revision=`. */
  assertion: AuthenticationResponseJSON,
});
export type ContractApprovalRequest = z.infer<typeof ContractApprovalRequest>;

export const ContractVersion = z.object({
  revision: z.number().int(),
  status: z.enum(['proposed', 'agreed']),
  termsHash: z.string(),
  effectiveAt: z.string().nullable(),
  terms: ContractTerms,
  approvals: z.array(z.object({ organisationId: z.string(), party: z.enum(['contractor', 'association']), approvedAt: z.string() })),
  /** The index of its ContractAgreed or ContractAmended entry, once agreed. */
  agreedIndex: z.string().nullable(),
});
export type ContractVersion = z.infer<typeof ContractVersion>;
export const ContractDetail = z.object({
  contractId: z.string(),
  title: z.string(),
  contractorId: z.string(),
  associationIds: z.array(z.string()),
  hostId: z.string(),
  /** The latest agreed revision; null while revision 1 awaits approvals. */
  agreedRevision: z.number().int().nullable(),
  /** The contract's ledger log (`/api/ledger/<log>`). */
  log: z.string(),
  versions: z.array(ContractVersion),
});
export type ContractDetail = z.infer<typeof ContractDetail>;
export const ContractList = z.object({ contracts: z.array(ContractDetail) });
export type ContractList = z.infer<typeof ContractList>;

/** The tenant's answers to the hazard questions of the report form. */
export const HazardAnswers = z.strictObject({
  /** Is there damp or mould? */
  dampOrMould: z.boolean(),
  /** Is anyone's health or safety at risk now (no heating or water, exposed wiring, a leak near electrics)? */
  immediateRisk: z.boolean(),
});
export const RepairReport = z.strictObject({
  contractId: ContractId,
  /** What is wrong. The property is the tenant's address on the roll; only its keyed hash reaches the ledger. */
  description: Text(1000),
  /** Where in the home. */
  location: Text(200),
  /** How urgent the tenant thinks it is; staff set the priority that counts at triage. */
  priority: Priority,
  hazards: HazardAnswers,
});
export const RepairTriage = z.strictObject({
  itemCode: ItemCode,
  quantity: z.number().int().min(1).max(MAX_QUANTITY).default(1),
  priority: Priority,
  hazard: Hazard,
});
export const RepairSchedule = z
  .strictObject({ appointmentStart: Instant, appointmentEnd: Instant })
  .refine((a) => Date.parse(a.appointmentStart) < Date.parse(a.appointmentEnd), {
    path: ['appointmentEnd'],
    message: 'appointmentEnd must be after appointmentStart',
  });
/** Completion notes stay with the association and the contractor; they never enter the ledger. */
export const RepairCompletion = z.strictObject({ notes: z.string().trim().max(1000).default('') });
export const RepairRejection = z.strictObject({
  reason: z.enum(REJECTION_REASONS),
  /** Shown to the contractor and recorded in the ledger: no personal data. */
  detail: z.string().trim().max(280).default(''),
});

export const RepairStep = z.object({ type: z.string(), at: z.string(), ledgerIndex: z.string() });
export const Repair = z.object({
  orderId: z.string(),
  contractId: z.string(),
  associationId: z.string(),
  state: z.enum(ORDER_STATES),
  description: z.string(),
  location: z.string(),
  /** The property's address (the tenant's roll address): for the association and the contractor who attends. */
  address: z.string(),
  reportedPriority: Priority,
  hazards: HazardAnswers,
  itemCode: z.string().nullable(),
  quantity: z.number().int().nullable(),
  priority: Priority.nullable(),
  hazard: Hazard.nullable(),
  dueAt: z.string().nullable(),
  appointment: z.object({ start: z.string(), end: z.string() }).nullable(),
  completionNotes: z.string().nullable(),
  rejection: z.object({ reason: z.string(), detail: z.string() }).nullable(),
  payment: ContractPayment.extend({ paymentRunId: z.string().nullable() }).nullable(),
  log: z.string(),
  history: z.array(RepairStep),
});
export type Repair = z.infer<typeof Repair>;
export const RepairList = z.object({ repairs: z.array(Repair) });
export type RepairList = z.infer<typeof RepairList>;

/**
 * A repair order's reference as tenants and staff quote it on the phone: the first eight hex digits
 * of its id, in capitals, in two groups (`3F2A-91C0`). The full id is in the ledger entries.
 */
export const orderReference = (orderId: string) => orderId.replaceAll('-', '').slice(0, 8).toUpperCase().replace(/^(.{4})/, '$1-');

export const PaymentRunRequest = z.strictObject({ contractId: ContractId });
export const PaymentRunSummary = z.object({
  runId: z.string(),
  contractId: z.string(),
  associationId: z.string(),
  payments: z.array(PaymentRunItem),
  totalPence: PenceTotal,
  ledgerIndex: z.string(),
  createdAt: z.string(),
  /** When its bank file was made (at its first download; every later download is that same file), or null. */
  bankFileMadeAt: z.string().nullable(),
});
export type PaymentRunSummary = z.infer<typeof PaymentRunSummary>;
export const PaymentRunList = z.object({ runs: z.array(PaymentRunSummary) });
export type PaymentRunList = z.infer<typeof PaymentRunList>;

/**
 * How a contract is performing, for its parties' staff: computed by the evaluator from the contract's
 * whole history (docs/protocol/contracts.md §4), never stored.
 */
export const ContractPerformance = z.object({
  contractId: z.string(),
  title: z.string(),
  parties: z.array(z.object({ organisationId: z.string(), legalName: z.string(), party: z.enum(['contractor', 'association']), isHost: z.boolean() })),
  jobs: z.object({ raised: z.number().int(), open: z.number().int(), completed: z.number().int(), confirmed: z.number().int(), late: z.number().int() }),
  /**
   * The late-delivery window of the latest confirmation: what priced the last job. Null before any
   * job is confirmed, or when the terms have no late-delivery rule.
   */
  lateDelivery: z
    .object({
      at: z.string(),
      windowFrom: z.string(),
      windowTo: z.string(),
      jobsInWindow: z.number().int(),
      lateJobsInWindow: z.number().int(),
      minimumJobs: z.number().int(),
      /** The price reduction now in force (basis points), 0 when no band applies. */
      priceReductionBasisPoints: z.number().int(),
      /** The share from which the first band applies (basis points). */
      firstBandFromBasisPoints: z.number().int(),
    })
    .nullable(),
  /** Confirmed jobs and what each association paid, by association. */
  byAssociation: z.array(
    z.object({ organisationId: z.string(), jobsConfirmed: z.number().int(), contractorPaymentPence: PenceTotal, hostFeePence: PenceTotal, associationPaysPence: PenceTotal }),
  ),
});
export type ContractPerformance = z.infer<typeof ContractPerformance>;

// ---------------------------------------------------------------------------------------------
// Open Contracting Data Standard (OCDS 1.1) export: the fields of a release package this export
// fills, as the standard defines them (docs/protocol/contracts.md §13). Not the standard's own JSON
// schema, which allows much more; this is what a reader of our export can rely on.

const OcdsOrganisationReference = z.object({ id: z.string(), name: z.string() });
const OcdsValue = z.object({ amount: z.number().nonnegative(), currency: z.literal('GBP') });
export const OCDS_PARTY_ROLES = ['buyer', 'procuringEntity', 'supplier', 'payer', 'payee'] as const;
export const OcdsMilestone = z.object({
  id: z.string(),
  title: z.string(),
  type: z.literal('delivery'),
  dueDate: z.string(),
  dateMet: z.string().optional(),
  status: z.enum(['scheduled', 'met', 'notMet', 'partiallyMet']),
  description: z.string().optional(),
});
export const OcdsTransaction = z.object({
  id: z.string(),
  source: z.string(),
  date: z.string(),
  value: OcdsValue,
  payer: OcdsOrganisationReference,
  payee: OcdsOrganisationReference,
  uri: z.string(),
});
export const OcdsRelease = z.object({
  ocid: z.string().regex(/^ocds-[a-z0-9]{6}-/, 'must start with an OCDS prefix'),
  id: z.string(),
  date: z.string(),
  tag: z.array(z.enum(['contract', 'implementation'])).min(1),
  initiationType: z.literal('tender'),
  language: z.literal('en'),
  parties: z.array(OcdsOrganisationReference.extend({ roles: z.array(z.enum(OCDS_PARTY_ROLES)).min(1) })),
  buyer: OcdsOrganisationReference,
  awards: z.array(z.object({ id: z.string(), status: z.literal('active'), suppliers: z.array(OcdsOrganisationReference) })).length(1),
  contracts: z
    .array(
      z.object({
        id: z.string(),
        awardID: z.string(),
        title: z.string(),
        status: z.enum(['active', 'terminated']),
        period: z.object({ startDate: z.string(), endDate: z.string() }),
        dateSigned: z.string(),
        implementation: z.object({ milestones: z.array(OcdsMilestone), transactions: z.array(OcdsTransaction) }),
      }),
    )
    .length(1),
});
export const OcdsReleasePackage = z.object({
  uri: z.string(),
  version: z.literal('1.1'),
  publishedDate: z.string(),
  publisher: z.object({ name: z.string() }),
  license: z.string().optional(),
  releases: z.array(OcdsRelease).length(1),
});
export type OcdsReleasePackage = z.infer<typeof OcdsReleasePackage>;

/**
 * Where the caller may report a repair: each active association they are a `tenant` of that has an
 * agreed contract, with the contract a report goes under (the most recently agreed one when it has several).
 */
export const RepairAssociation = z.object({
  associationId: z.string(),
  legalName: z.string(),
  contractId: z.string(),
});
export type RepairAssociation = z.infer<typeof RepairAssociation>;
export const RepairAssociationList = z.object({ associations: z.array(RepairAssociation) });
export type RepairAssociationList = z.infer<typeof RepairAssociationList>;
