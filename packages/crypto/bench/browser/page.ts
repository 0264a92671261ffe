/// <reference types="vite/client" />
// The page that browser benchmarks and tests drive (bundled by ./harness.ts with Vite). It imports
// the package the way an app does — `@townhall/crypto` and its Web Worker subpath — and exposes a
// few functions on `window.townhallCrypto` that take and return plain JSON.
import {
  createVerificationPool,
  encryptBallot,
  fromHex,
  fromWebWorker,
  parseBallot,
  pointFromHex,
  verifyBallotBatch,
  type BallotManifest,
  type Choices,
} from '@townhall/crypto';
import VerifyWorker from '@townhall/crypto/workers/verify-worker.browser?worker';

export interface EncryptTimingRequest {
  manifest: BallotManifest;
  choices: Choices;
  electionKey: string;
  fingerprint: string;
  warmUps: number;
  runs: number;
}

export interface VerifyRequest {
  manifest: BallotManifest;
  ballots: unknown[];
  electionKey: string;
  fingerprint: string;
}

export interface VerifyOutcome {
  wallMs: number;
  isValid: boolean;
  invalid: { index: number; code: string; field: string }[];
}

const page = {
  /** Times `runs` encryptions (after `warmUps`) on the page's main thread; returns each in ms. */
  encryptTimes(request: EncryptTimingRequest): number[] {
    const key = pointFromHex(request.electionKey, 'electionKey');
    const fingerprint = fromHex(request.fingerprint, 'fingerprint', 32);
    for (let i = 0; i < request.warmUps; i++) encryptBallot(request.manifest, request.choices, key, fingerprint);
    const times: number[] = [];
    for (let i = 0; i < request.runs; i++) {
      const started = performance.now();
      encryptBallot(request.manifest, request.choices, key, fingerprint);
      times.push(performance.now() - started);
    }
    return times;
  },

  /** Mean µs to decode (and check) each of the given hex-encoded points, over `rounds` passes. */
  decodeMicroseconds(points: string[], rounds: number): number {
    const started = performance.now();
    for (let r = 0; r < rounds; r++) for (const hex of points) pointFromHex(hex);
    return ((performance.now() - started) * 1000) / (rounds * points.length);
  },

  /** Parses and batch-verifies wire ballots on the main thread. */
  verifyOnMainThread(request: VerifyRequest): VerifyOutcome {
    const key = pointFromHex(request.electionKey, 'electionKey');
    const fingerprint = fromHex(request.fingerprint, 'fingerprint', 32);
    const started = performance.now();
    const result = verifyBallotBatch(request.manifest, request.ballots.map((b) => parseBallot(b)), key, fingerprint);
    return {
      wallMs: performance.now() - started,
      isValid: result.isValid,
      invalid: result.invalid.map(({ index, error }) => ({ index, code: error.code, field: error.field })),
    };
  },

  /** Verifies wire ballots on a pool of `size` module Web Workers (warmed up first, then timed). */
  async verifyWithWorkers(request: VerifyRequest, size: number): Promise<VerifyOutcome> {
    const key = pointFromHex(request.electionKey, 'electionKey');
    const fingerprint = fromHex(request.fingerprint, 'fingerprint', 32);
    const pool = createVerificationPool(() => fromWebWorker(new VerifyWorker({ name: 'townhall-verify' })), size);
    try {
      await pool.verifyBallots(request.manifest, request.ballots.slice(0, 2 * size), key, fingerprint);
      const started = performance.now();
      const result = await pool.verifyBallots(request.manifest, request.ballots, key, fingerprint);
      return {
        wallMs: performance.now() - started,
        isValid: result.isValid,
        invalid: result.invalid.map(({ index, code, field }) => ({ index, code, field })),
      };
    } finally {
      await pool.close();
    }
  },
};

export type CryptoPage = typeof page;

declare global {
  interface Window {
    townhallCrypto?: CryptoPage;
  }
}

window.townhallCrypto = page;
