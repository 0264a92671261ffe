import { equalBytes, utf8 } from './bytes.ts';
import { canonicalJson } from './jcs.ts';

// ledger.md §2: magic ‖ type (u16be) ‖ version (u8) ‖ previous leaf hash (32) ‖ body length (u32be) ‖ JCS body.
const MAGIC = utf8('townhall/entry\0');
const HEADER_LENGTH = 54;
export const MAX_ENTRY_BYTES = 65_535;

export const ENTRY_TYPES: Record<number, string> = {
  0x0001: 'LogCreated',
  0x0101: 'RollCommitted',
  0x0102: 'Enrolled',
  0x0103: 'PasskeyRevoked',
  0x0104: 'ServiceRegistered',
  0x0105: 'ConsentGiven',
  0x0106: 'ConsentWithdrawn',
  0x0107: 'ClaimsReleased',
  0x0108: 'OrganisationRegistered',
  0x0109: 'OrganisationStatusChanged',
  0x010a: 'MembershipGranted',
  0x010b: 'MembershipRevoked',
  0x010c: 'AppointmentMade',
  0x010d: 'AppointmentAccepted',
  0x010e: 'AppointmentEnded',
  0x010f: 'ServiceDeleted',
  0x0110: 'MemberPasskeyBound',
  0x0201: 'ElectionDefined',
  0x0202: 'TrusteeCommitted',
  0x0203: 'TrusteeShareSent',
  0x0204: 'ElectionKeyPublished',
  0x0205: 'IssuerKeyPublished',
  0x0206: 'ElectionOpened',
  0x0207: 'CredentialIssued',
  0x0208: 'BallotCast',
  0x0209: 'BallotSpoiled',
  0x020a: 'ElectionClosed',
  0x020b: 'TallyComputed',
  0x020c: 'PartialDecryption',
  0x020d: 'ResultPublished',
  0x0301: 'ContractAgreed',
  0x0302: 'ContractAmended',
  0x0303: 'OrderRaised',
  0x0304: 'OrderTriaged',
  0x0305: 'OrderAccepted',
  0x0306: 'OrderScheduled',
  0x0307: 'OrderCompleted',
  0x0308: 'OrderConfirmed',
  0x0309: 'OrderRejected',
  0x030a: 'PaymentComputed',
  0x030b: 'PaymentRun',
  0x030c: 'HazardInvestigated',
  0x030d: 'HazardSummaryIssued',
};

export interface Entry {
  readonly type: string;
  readonly previousHash: Uint8Array;
  readonly body: Record<string, unknown>;
  readonly bytes: Uint8Array;
}

export class EntryError extends Error {
  constructor(
    readonly code: 'MALFORMED_ENTRY' | 'NON_CANONICAL_ENTRY' | 'UNKNOWN_ENTRY_TYPE' | 'ENTRY_TOO_LARGE',
    message: string,
  ) {
    super(message);
  }
}

export function decodeEntry(bytes: Uint8Array): Entry {
  if (bytes.length > MAX_ENTRY_BYTES) throw new EntryError('ENTRY_TOO_LARGE', `${bytes.length} bytes`);
  if (bytes.length < HEADER_LENGTH || !equalBytes(bytes.subarray(0, MAGIC.length), MAGIC)) throw new EntryError('MALFORMED_ENTRY', 'bad magic or short header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = view.getUint16(15, false);
  const version = bytes[17]!;
  const type = ENTRY_TYPES[code];
  if (!type || version !== 1) throw new EntryError('UNKNOWN_ENTRY_TYPE', `type 0x${code.toString(16).padStart(4, '0')} version ${version}`);
  const length = view.getUint32(50, false);
  if (length !== bytes.length - HEADER_LENGTH) throw new EntryError('MALFORMED_ENTRY', `body length ${length} but ${bytes.length - HEADER_LENGTH} bytes follow`);
  let text: string;
  let body: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_LENGTH));
    body = JSON.parse(text);
  } catch {
    throw new EntryError('MALFORMED_ENTRY', 'body is not UTF-8 JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EntryError('MALFORMED_ENTRY', 'body is not a JSON object');
  if (canonicalJson(body) !== text) throw new EntryError('NON_CANONICAL_ENTRY', 'body differs from its RFC 8785 form');
  return { type, previousHash: bytes.slice(18, 50), body: body as Record<string, unknown>, bytes };
}

