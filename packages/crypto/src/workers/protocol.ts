/**
 * Messages between a verification pool and its workers. Everything is plain JSON-compatible data
 * (wire-format ballots, hex keys), so it crosses `postMessage` in Node and in browsers alike.
 */
import { CryptoError, CRYPTO_ERROR_CODES, type CryptoErrorCode } from '../errors.ts';
import { fromHex, pointFromHex } from '../group.ts';
import { FINGERPRINT_LENGTH } from '../transcript.ts';
import { parseBallot, parseManifest, type EncryptedBallot } from '../ballot/ballot.ts';
import { verifyBallotBatch } from '../batch/batch.ts';

export interface VerifyChunkRequest {
  readonly kind: 'verify-ballots';
  readonly requestId: number;
  readonly manifest: unknown;
  /** Election key, 32-byte hex. */
  readonly electionKey: string;
  /** Election fingerprint, 32-byte hex. */
  readonly fingerprint: string;
  /** Index of `ballots[0]` in the caller's full list. */
  readonly firstIndex: number;
  /** Ballots in wire format (BallotWire). */
  readonly ballots: readonly unknown[];
}

export interface InvalidBallotReport {
  readonly index: number;
  readonly code: CryptoErrorCode;
  readonly field: string;
  readonly message: string;
}

export interface VerifyChunkResponse {
  readonly kind: 'verify-ballots-result';
  readonly requestId: number;
  readonly invalid: readonly InvalidBallotReport[];
  readonly timings: { decodeMs: number; equationsMs: number; msmMs: number };
  /** Set when the request itself was unusable (bad manifest, key or fingerprint). */
  readonly failure?: { code: CryptoErrorCode; field: string; message: string };
}

function report(index: number, error: unknown): InvalidBallotReport {
  const typed = error instanceof CryptoError ? error : new CryptoError('INVALID_BALLOT', 'ballot', String(error));
  return { index, code: typed.code, field: typed.field, message: typed.message };
}

/** What a worker does with one request: decode the ballots and batch-verify them. */
export function handleVerifyChunk(request: VerifyChunkRequest): VerifyChunkResponse {
  const base = { kind: 'verify-ballots-result' as const, requestId: request.requestId };
  try {
    const manifest = parseManifest(request.manifest);
    const electionKey = pointFromHex(request.electionKey, 'electionKey');
    const fingerprint = fromHex(request.fingerprint, 'fingerprint', FINGERPRINT_LENGTH);
    const decodeStarted = performance.now();
    const invalid: InvalidBallotReport[] = [];
    const decoded: EncryptedBallot[] = [];
    const positions: number[] = [];
    request.ballots.forEach((wire, i) => {
      try {
        decoded.push(parseBallot(wire));
        positions.push(request.firstIndex + i);
      } catch (error) {
        invalid.push(report(request.firstIndex + i, error));
      }
    });
    const decodeMs = performance.now() - decodeStarted;
    const result = verifyBallotBatch(manifest, decoded, electionKey, fingerprint);
    for (const item of result.invalid) invalid.push(report(positions[item.index]!, item.error));
    invalid.sort((a, b) => a.index - b.index);
    return { ...base, invalid, timings: { decodeMs, ...result.timings } };
  } catch (error) {
    const typed = error instanceof CryptoError ? error : new CryptoError('WORKER_FAILED', 'request', String(error));
    return { ...base, invalid: [], timings: { decodeMs: 0, equationsMs: 0, msmMs: 0 }, failure: { code: typed.code, field: typed.field, message: typed.message } };
  }
}

export function isKnownErrorCode(code: unknown): code is CryptoErrorCode {
  return typeof code === 'string' && (CRYPTO_ERROR_CODES as readonly string[]).includes(code);
}
