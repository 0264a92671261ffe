/**
 * One error type for everything the ledger package rejects. `code` is a closed list; `evidence`
 * carries what a verifier needs to show an auditor *why* something was rejected (expected vs.
 * computed root, both checkpoints, the index where a chain broke), typed per code.
 */

export const LEDGER_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'MALFORMED_NOTE',
  'MALFORMED_KEY',
  'MALFORMED_CHECKPOINT',
  'MALFORMED_PROOF',
  'MALFORMED_REQUEST',
  'MALFORMED_ENTRY',
  'NON_CANONICAL_ENTRY',
  'UNKNOWN_ENTRY_TYPE',
  'ENTRY_TOO_LARGE',
  'CHAIN_BROKEN',
  'UNKNOWN_KEY',
  'AMBIGUOUS_KEY',
  'BAD_SIGNATURE',
  'ORIGIN_MISMATCH',
  'WITNESS_POLICY_UNMET',
  'INDEX_OUT_OF_RANGE',
  'PROOF_WRONG_LENGTH',
  'ROOT_MISMATCH',
  'INCONSISTENT_CHECKPOINTS',
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

/** What each code carries. Hashes are raw bytes; sizes and indices are bigint. */
export interface LedgerErrorEvidence {
  INVALID_ARGUMENT: { argument: string };
  MALFORMED_NOTE: { line?: number };
  MALFORMED_KEY: { key?: string };
  MALFORMED_CHECKPOINT: { line?: number };
  MALFORMED_PROOF: { line?: number };
  MALFORMED_REQUEST: { line?: number };
  MALFORMED_ENTRY: { offset?: number };
  NON_CANONICAL_ENTRY: { canonical?: string };
  UNKNOWN_ENTRY_TYPE: { typeCode: number; version?: number };
  ENTRY_TOO_LARGE: { size: number; limit: number };
  CHAIN_BROKEN: { index: bigint; expectedPrevious: Uint8Array; foundPrevious: Uint8Array };
  UNKNOWN_KEY: { signers: { name: string; keyId: number }[] };
  AMBIGUOUS_KEY: { name: string; keyId: number };
  BAD_SIGNATURE: { name: string; keyId: number };
  ORIGIN_MISMATCH: { expected: string; found: string };
  WITNESS_POLICY_UNMET: { required: number; verified: string[] };
  INDEX_OUT_OF_RANGE: { index: bigint; size: bigint };
  PROOF_WRONG_LENGTH: { expected: number; found: number };
  ROOT_MISMATCH: { expected: Uint8Array; computed: Uint8Array; treeSize?: bigint; which?: 'old' | 'new' | 'stored' };
  INCONSISTENT_CHECKPOINTS: { older: string; newer: string };
}

export class LedgerError<C extends LedgerErrorCode = LedgerErrorCode> extends Error {
  override readonly name = 'LedgerError';
  readonly code: C;
  readonly evidence: LedgerErrorEvidence[C];

  constructor(code: C, message: string, evidence: LedgerErrorEvidence[C], options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
    this.evidence = evidence;
  }
}

export function isLedgerError<C extends LedgerErrorCode>(value: unknown, code?: C): value is LedgerError<C> {
  return value instanceof LedgerError && (code === undefined || value.code === code);
}
