import { sha256 } from './hash.ts';
import type { ElectionManifest } from '@townhall/protocol';
import { concatBytes, fromBase64, fromBase64Url, fromHex, lengthPrefixed, toHex, u32be, utf8 } from './bytes.ts';
import { Point, ProofError, TAG_CONTEST_RANGE, TAG_SELECTION, batchHolds, decodePoint, disjunctiveEquations, holds, type Equation } from './group.ts';
import type { CheckFailure, CheckId } from './report.ts';
import { verifyEd25519 } from './signatures.ts';
import { verifyAssertionSignature } from './webauthn.ts';

/**
 * The per-ballot work of the verifier as self-contained jobs: plain data in, plain data out, no
 * zod and nothing platform-specific, so a job runs the same in this thread, in a Node worker
 * thread or in a Web Worker (see pool.ts). One job is a batch of ballots: tracking codes, ballot-key
 * signatures, RFC 9474 credentials, and every proof equation in one multi-scalar multiplication.
 */

const CREDENTIAL_TAG = 'townhall/credential/v1';
const BALLOT_SIGNATURE_TAG = 'townhall/v1/ballot-signature';
const BALLOT_TAG = 'townhall/v1/ballot';

export interface WireBallot {
  version: number;
  contests: { contestId: string; selections: { optionId: string; ciphertext: string; proof: string }[]; rangeProof: string }[];
}

/** What every job of one election shares (small; sent with each job, cached by the worker). */
export interface JobContext {
  readonly contests: readonly { id: string; minSelections: number; maxSelections: number; options: readonly { id: string }[] }[];
  /** Election fingerprint and election key, hex (no key yet: the proofs cannot be checked). */
  readonly fingerprint: string;
  readonly electionKey: string | null;
  /** The RSA issuer key (SPKI, hex), or null when none is published: credentials are then not checked here. */
  readonly issuerKeySpki: string | null;
}

export interface BallotItem {
  readonly index: number;
  /** Whether the ballot belongs in the running aggregate (cast before ElectionClosed). */
  readonly countable: boolean;
  readonly trackingCode: string;
  readonly signature: string;
  readonly credential: { ballotPublicKey: string; messagePrefix: string; signature: string };
  readonly ballot: WireBallot;
}

export interface BallotJob {
  readonly context: JobContext;
  readonly items: readonly BallotItem[];
}

export interface JobResult {
  readonly counts: Partial<Record<CheckId, number>>;
  readonly failures: { check: CheckId; failure: CheckFailure }[];
  /** Σ of the countable ballots' ciphertexts per option position (hex of α ‖ β), in manifest order. */
  readonly sums: string[];
  /** Entry indices of countable ballots left out of `sums` because their ciphertexts do not decode. */
  readonly excluded: number[];
}

export function ballotBytes(ballot: WireBallot): Uint8Array {
  const parts: Uint8Array[] = [lengthPrefixed(utf8(BALLOT_TAG)), u32be(ballot.contests.length)];
  for (const contest of ballot.contests) {
    parts.push(lengthPrefixed(utf8(contest.contestId)), u32be(contest.selections.length));
    for (const s of contest.selections) parts.push(lengthPrefixed(utf8(s.optionId)), fromHex(s.ciphertext, 64), lengthPrefixed(fromHex(s.proof)));
    parts.push(lengthPrefixed(fromHex(contest.rangeProof)));
  }
  return concatBytes(...parts);
}

export interface Ciphertext {
  alpha: Point;
  beta: Point;
}

/** crypto.md §5.2 and §6: structure against the manifest, then the proofs as equations. */
export function ballotProofs(contests: JobContext['contests'] | ElectionManifest['contests'], fp: Uint8Array, K: Point, ballot: WireBallot): { equations: Equation[]; ciphertexts: Ciphertext[] } {
  if (ballot.contests.length !== contests.length) throw new TypeError('INVALID_BALLOT: wrong number of contests');
  const equations: Equation[] = [];
  const ciphertexts: Ciphertext[] = [];
  contests.forEach((contest, c) => {
    const wire = ballot.contests[c]!;
    if (wire.contestId !== contest.id || wire.selections.length !== contest.options.length) throw new TypeError(`INVALID_BALLOT: contest ${c} does not match the manifest`);
    let A = Point.ZERO;
    let B = Point.ZERO;
    contest.options.forEach((option, o) => {
      const selection = wire.selections[o]!;
      if (selection.optionId !== option.id) throw new TypeError(`INVALID_BALLOT: option ${contest.id}/${o} does not match the manifest`);
      const bytes = fromHex(selection.ciphertext, 64);
      const alpha = decodePoint(bytes.subarray(0, 32));
      const beta = decodePoint(bytes.subarray(32), { allowIdentity: true });
      ciphertexts.push({ alpha, beta });
      A = A.add(alpha);
      B = B.add(beta);
      equations.push(...disjunctiveEquations(TAG_SELECTION, fp, `ballot/${contest.id}/${option.id}`, K, alpha, beta, [0, 1], fromHex(selection.proof)));
    });
    const range = Array.from({ length: contest.maxSelections - contest.minSelections + 1 }, (_, i) => contest.minSelections + i);
    // crypto.md §7: the range proof's terms on (Σα, Σβ) are expanded onto each option's α, β, which
    // the batch already holds, so the aggregate adds no element to the multi-scalar multiplication.
    const options = ciphertexts.slice(ciphertexts.length - contest.options.length);
    for (const equation of disjunctiveEquations(TAG_CONTEST_RANGE, fp, `ballot/${contest.id}`, K, A, B, range, fromHex(wire.rangeProof))) {
      equations.push(
        equation.flatMap((term) =>
          term.point === A ? options.map((c) => ({ scalar: term.scalar, point: c.alpha })) : term.point === B ? options.map((c) => ({ scalar: term.scalar, point: c.beta })) : [term],
        ),
      );
    }
  });
  return { equations, ciphertexts };
}

export interface ProofItem {
  readonly label: string;
  readonly evidence: Record<string, unknown>;
  readonly equations: Equation[];
}

/**
 * crypto.md §7: one weighted MSM for all items; if it fails, each half again with fresh weights,
 * down to single items, whose equations are then checked one by one to name the failure.
 */
export function failingProofs(items: readonly ProofItem[]): CheckFailure[] {
  if (items.length === 0 || batchHolds(items.flatMap((i) => i.equations))) return [];
  if (items.length === 1) {
    const item = items[0]!;
    const failing = item.equations.findIndex((e) => !holds(e));
    // The batch failed but every equation holds: only a weight that hit the failure's kernel, 2^-128.
    return failing < 0 ? [] : [{ message: `${item.label}: equation ${failing} does not hold`, evidence: item.evidence }];
  }
  const half = Math.ceil(items.length / 2);
  return [...failingProofs(items.slice(0, half)), ...failingProofs(items.slice(half))];
}

// A worker serves one election at a time; decoded keys are kept between its jobs.
let cached: { key: string; fp: Uint8Array; K: Point | undefined; issuer: Promise<CryptoKey | null> } | undefined;

function contextOf(context: JobContext) {
  const key = `${context.fingerprint}:${context.electionKey}:${context.issuerKeySpki ?? ''}`;
  if (cached?.key !== key) {
    const issuer = context.issuerKeySpki
      ? globalThis.crypto.subtle.importKey('spki', fromHex(context.issuerKeySpki), { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']).catch(() => null)
      : Promise.resolve(null);
    cached = { key, fp: fromHex(context.fingerprint, 32), K: context.electionKey === null ? undefined : decodePoint(fromHex(context.electionKey, 32)), issuer };
  }
  return cached;
}

export async function runBallotJob(job: BallotJob): Promise<JobResult> {
  const { fp, K, issuer } = contextOf(job.context);
  const issuerKey = await issuer;
  const failures: JobResult['failures'] = [];
  const counts: Partial<Record<CheckId, number>> = K ? { 'ballots.proofs': job.items.length } : {};
  const fail = (check: CheckId, message: string, evidence: Record<string, unknown>): void => void failures.push({ check, failure: { message, evidence } });
  const positions = job.context.contests.reduce((n, c) => n + c.options.length, 0);
  const sums = Array.from({ length: positions }, () => ({ alpha: Point.ZERO, beta: Point.ZERO }));
  const excluded: number[] = [];
  const proofItems: ProofItem[] = [];
  const signatureChecks: Promise<void>[] = [];

  const checkBallot = (item: BallotItem, evidence: Record<string, unknown>) => {
    const digest = sha256(ballotBytes(item.ballot));
    if (toHex(digest) !== item.trackingCode) fail('ballots.signatures', `entry ${item.index}: the tracking code is not the ballot's digest`, { ...evidence, computed: toHex(digest) });
    const ballotKey = fromHex(item.credential.ballotPublicKey, 32);
    signatureChecks.push(
      verifyEd25519(fromHex(item.signature, 64), lengthPrefixed(utf8(BALLOT_SIGNATURE_TAG), fp, digest), ballotKey).then((valid) => {
        if (!valid) fail('ballots.signatures', `entry ${item.index}: the ballot-key signature does not verify`, evidence);
      }),
    );
    if (issuerKey) {
      counts['ballots.credentials'] = (counts['ballots.credentials'] ?? 0) + 1;
      const message = concatBytes(fromHex(item.credential.messagePrefix, 32), utf8(CREDENTIAL_TAG), fp, ballotKey);
      signatureChecks.push(
        globalThis.crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, issuerKey, fromHex(item.credential.signature), message).then(
          (valid) => {
            if (!valid) fail('ballots.credentials', `entry ${item.index}: the credential's RSA-PSS signature does not verify`, evidence);
          },
          () => void fail('ballots.credentials', `entry ${item.index}: the credential's RSA-PSS signature does not verify`, evidence),
        ),
      );
    }
    if (!K) return;
    try {
      const { equations, ciphertexts } = ballotProofs(job.context.contests, fp, K, item.ballot);
      proofItems.push({ label: `ballot at entry ${item.index}`, evidence, equations });
      if (item.countable) {
        ciphertexts.forEach((c, i) => {
          sums[i]!.alpha = sums[i]!.alpha.add(c.alpha);
          sums[i]!.beta = sums[i]!.beta.add(c.beta);
        });
      }
    } catch (error) {
      if (item.countable) excluded.push(item.index);
      fail('ballots.proofs', `entry ${item.index}: ${error instanceof ProofError ? 'INVALID_PROOF' : 'INVALID_BALLOT'}: ${(error as Error).message}`, evidence);
    }
  };
  for (const item of job.items) {
    const evidence = { index: item.index, trackingCode: item.trackingCode };
    try {
      checkBallot(item, evidence);
    } catch (error) {
      // Bytes the schema let through but that do not decode (a key or signature of the wrong length).
      if (item.countable && !excluded.includes(item.index)) excluded.push(item.index);
      fail('ballots.signatures', `entry ${item.index}: unreadable ballot: ${(error as Error).message}`, evidence);
    }
  }
  for (const failure of failingProofs(proofItems)) failures.push({ check: 'ballots.proofs', failure });
  await Promise.all(signatureChecks);
  return { counts, failures, sums: sums.map((s) => toHex(concatBytes(s.alpha.toBytes(), s.beta.toBytes()))), excluded };
}

/** Passkey assertions to check (elections.md §5): the signed message and DER signature (base64), the enrolled COSE key (base64url). */
export interface AssertionJob {
  items: { message: string; signature: string; publicKey: string }[];
}

/** An ES256 verdict, or why the signature or key could not be read. */
export type AssertionOutcome = { valid: boolean } | { error: string };

export async function runAssertionJob(job: AssertionJob): Promise<AssertionOutcome[]> {
  return Promise.all(
    job.items.map(async (item): Promise<AssertionOutcome> => {
      try {
        return { valid: await verifyAssertionSignature(fromBase64(item.message), fromBase64(item.signature), fromBase64Url(item.publicKey)) };
      } catch (error) {
        return { error: (error as Error).message };
      }
    }),
  );
}
