export { leafHash, nodeHash, treeRoot, rootFromInclusionPath } from './merkle.ts';
export { parseRecord, RECORD_FORMAT, type ElectionRecord } from './record.ts';
export { readLines, type RecordSource } from './lines.ts';
export { verifyRecord, verifyRecordSource, type Progress, type VerifierState, type VerifyOptions } from './verify.ts';
export { CHECKS, type CheckId, type CheckResult, type CheckFailure, type CheckStatus, type ProgressEvent, type VerificationReport, type VerificationWarning } from './report.ts';
export { inProcessPool, type ProofPool } from './pool.ts';
export { decodeEntry, EntryError, type Entry } from './entry.ts';
export { parseVerifierKey, parseNote, parseCheckpoint, verifyLogSignature, verifyCosignature } from './note.ts';
export { fingerprintOf } from './verify-election.ts';
