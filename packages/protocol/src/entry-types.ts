import { z } from 'zod';
import { ElectionEntryBodies } from './elections.ts';
import {
  AppointmentAcceptedBody,
  AppointmentEndedBody,
  AppointmentMadeBody,
  MembershipGrantedBody,
  MemberPasskeyBoundBody,
  MembershipRevokedBody,
  OrganisationRegisteredBody,
  OrganisationStatusChangedBody,
} from './organisations.ts';
import {
  ContractAgreedBody,
  ContractAmendedBody,
  HazardInvestigatedBody,
  HazardSummaryIssuedBody,
  OrderAcceptedBody,
  OrderCompletedBody,
  OrderConfirmedBody,
  OrderRaisedBody,
  OrderRejectedBody,
  OrderScheduledBody,
  OrderTriagedBody,
  PaymentComputedBody,
  PaymentRunBody,
} from './contract-records.ts';
import { ClaimsReleasedBody, ConsentGivenBody, ConsentWithdrawnBody, ServiceDeletedBody, ServiceRegisteredBody } from './townhall-id.ts';

/**
 * The one table of ledger entry types (docs/protocol/ledger.md §2.1): each type's code, the log it
 * belongs to, its body versions and its body schema. packages/ledger derives its code table from it;
 * the server builds every entry it appends through it (apps/api/src/ledger/ledger-entry.ts), so a body
 * that does not match does not compile and is refused at run time. The independent verifier keeps its
 * own copy of the codes, checked against docs/protocol/ledger.md, which is checked against this table.
 *
 * Codes are never reused; a changed body layout gets a new version, not a new code. 0x00xx: log
 * structure; 0x01xx: the registry (identity) log; 0x02xx: an election's log; 0x03xx: a repairs
 * contract's log.
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** Genesis: the first entry of every log (ledger.md §2.1, §4.1). */
export const LogCreatedBody = z.union([
  z.strictObject({ kind: z.literal('registry'), origin: z.string() }),
  z.strictObject({ kind: z.literal('election'), electionId: z.string(), origin: z.string() }),
  z.strictObject({ kind: z.literal('contract'), contractId: z.string(), origin: z.string() }),
  z.strictObject({ kind: z.literal('benchmark'), origin: z.string() }),
]);

/** A commitment to an imported electoral roll: how many electors, per district, and the root of their pseudonyms. */
export const RollCommittedBody = z.strictObject({
  electorCount: z.number().int().nonnegative(),
  districts: z.record(z.string(), z.number().int().nonnegative()),
  pseudonymRoot: hex64,
  pseudonymTree: z.literal('rfc9162-sha256-sorted-hmac-sha256'),
});

/** An elector pseudonym enrolled a passkey: the hash of its credential id and its COSE public key (base64url). */
export const EnrolledBody = z.strictObject({ pseudonym: hex64, credentialIdHash: hex64, publicKey: z.string().regex(/^[A-Za-z0-9_-]+$/) });

/** A pseudonym's passkey was revoked: its card was re-issued, or it left the roll. */
export const PasskeyRevokedBody = z.strictObject({
  pseudonym: hex64,
  credentialIdHash: hex64,
  reason: z.enum(['card-reissued', 'removed-from-roll']),
});

export type LogKind = 'any' | 'registry' | 'election' | 'contract';
interface EntryTypeSpec {
  readonly code: number;
  readonly log: LogKind;
  readonly versions: readonly number[];
  readonly body: z.ZodType;
}

const E = ElectionEntryBodies;

export const ENTRY_TYPE_REGISTRY = {
  LogCreated: { code: 0x0001, log: 'any', versions: [1], body: LogCreatedBody },
  RollCommitted: { code: 0x0101, log: 'registry', versions: [1], body: RollCommittedBody },
  Enrolled: { code: 0x0102, log: 'registry', versions: [1], body: EnrolledBody },
  PasskeyRevoked: { code: 0x0103, log: 'registry', versions: [1], body: PasskeyRevokedBody },
  ServiceRegistered: { code: 0x0104, log: 'registry', versions: [1], body: ServiceRegisteredBody },
  ConsentGiven: { code: 0x0105, log: 'registry', versions: [1], body: ConsentGivenBody },
  ConsentWithdrawn: { code: 0x0106, log: 'registry', versions: [1], body: ConsentWithdrawnBody },
  ClaimsReleased: { code: 0x0107, log: 'registry', versions: [1], body: ClaimsReleasedBody },
  OrganisationRegistered: { code: 0x0108, log: 'registry', versions: [1], body: OrganisationRegisteredBody },
  OrganisationStatusChanged: { code: 0x0109, log: 'registry', versions: [1], body: OrganisationStatusChangedBody },
  MembershipGranted: { code: 0x010a, log: 'registry', versions: [1], body: MembershipGrantedBody },
  MembershipRevoked: { code: 0x010b, log: 'registry', versions: [1], body: MembershipRevokedBody },
  AppointmentMade: { code: 0x010c, log: 'registry', versions: [1], body: AppointmentMadeBody },
  AppointmentAccepted: { code: 0x010d, log: 'registry', versions: [1], body: AppointmentAcceptedBody },
  AppointmentEnded: { code: 0x010e, log: 'registry', versions: [1], body: AppointmentEndedBody },
  ServiceDeleted: { code: 0x010f, log: 'registry', versions: [1], body: ServiceDeletedBody },
  MemberPasskeyBound: { code: 0x0110, log: 'registry', versions: [1], body: MemberPasskeyBoundBody },
  ElectionDefined: { code: 0x0201, log: 'election', versions: [1], body: E.ElectionDefined },
  TrusteeCommitted: { code: 0x0202, log: 'election', versions: [1], body: E.TrusteeCommitted },
  TrusteeShareSent: { code: 0x0203, log: 'election', versions: [1], body: E.TrusteeShareSent },
  ElectionKeyPublished: { code: 0x0204, log: 'election', versions: [1], body: E.ElectionKeyPublished },
  IssuerKeyPublished: { code: 0x0205, log: 'election', versions: [1], body: E.IssuerKeyPublished },
  ElectionOpened: { code: 0x0206, log: 'election', versions: [1], body: E.ElectionOpened },
  CredentialIssued: { code: 0x0207, log: 'election', versions: [1], body: E.CredentialIssued },
  BallotCast: { code: 0x0208, log: 'election', versions: [1], body: E.BallotCast },
  BallotSpoiled: { code: 0x0209, log: 'election', versions: [1], body: E.BallotSpoiled },
  ElectionClosed: { code: 0x020a, log: 'election', versions: [1], body: E.ElectionClosed },
  TallyComputed: { code: 0x020b, log: 'election', versions: [1], body: E.TallyComputed },
  PartialDecryption: { code: 0x020c, log: 'election', versions: [1], body: E.PartialDecryption },
  ResultPublished: { code: 0x020d, log: 'election', versions: [1], body: E.ResultPublished },
  ContractAgreed: { code: 0x0301, log: 'contract', versions: [1], body: ContractAgreedBody },
  ContractAmended: { code: 0x0302, log: 'contract', versions: [1], body: ContractAmendedBody },
  OrderRaised: { code: 0x0303, log: 'contract', versions: [1], body: OrderRaisedBody },
  OrderTriaged: { code: 0x0304, log: 'contract', versions: [1], body: OrderTriagedBody },
  OrderAccepted: { code: 0x0305, log: 'contract', versions: [1], body: OrderAcceptedBody },
  OrderScheduled: { code: 0x0306, log: 'contract', versions: [1], body: OrderScheduledBody },
  OrderCompleted: { code: 0x0307, log: 'contract', versions: [1], body: OrderCompletedBody },
  OrderConfirmed: { code: 0x0308, log: 'contract', versions: [1], body: OrderConfirmedBody },
  OrderRejected: { code: 0x0309, log: 'contract', versions: [1], body: OrderRejectedBody },
  PaymentComputed: { code: 0x030a, log: 'contract', versions: [1], body: PaymentComputedBody },
  PaymentRun: { code: 0x030b, log: 'contract', versions: [1], body: PaymentRunBody },
  HazardInvestigated: { code: 0x030c, log: 'contract', versions: [1], body: HazardInvestigatedBody },
  HazardSummaryIssued: { code: 0x030d, log: 'contract', versions: [1], body: HazardSummaryIssuedBody },
} as const satisfies Record<string, EntryTypeSpec>;

export type EntryTypeName = keyof typeof ENTRY_TYPE_REGISTRY;
/** What the writer gives for an entry of type K (before any schema default). */
export type EntryBodyInput<K extends EntryTypeName> = z.input<(typeof ENTRY_TYPE_REGISTRY)[K]['body']>;
