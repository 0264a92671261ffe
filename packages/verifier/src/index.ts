export { leafHash, nodeHash, treeRoot, rootFromInclusionPath } from './merkle.ts';
export { parseRecord, RECORD_FORMAT, type ElectionRecord } from './record.ts';
export { verifyRecord, type Progress } from './verify.ts';
export { CHECKS, type CheckId, type CheckResult, type CheckFailure, type CheckStatus, type VerificationReport } from './report.ts';
export { decodeEntry, EntryError, type Entry } from './entry.ts';
export { parseVerifierKey, parseNote, parseCheckpoint, verifyLogSignature, verifyCosignature } from './note.ts';
export { fingerprintOf } from './verify-election.ts';
