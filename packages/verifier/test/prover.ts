/**
 * A minimal ballot prover (crypto.md §3.3, §5) for the tampering suite only: it makes a ballot whose
 * proofs are valid for a chosen fingerprint, so a test can present "a proof from another election".
 */
import { concatBytes, toHex, u32be } from '../src/bytes.ts';
import { G, Point, TAG_CONTEST_RANGE, TAG_SELECTION, challenge, mod } from '../src/group.ts';

function randomScalar(): bigint {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(64));
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return mod(n) || 1n;
}
const times = (P: Point, s: bigint) => (mod(s) === 0n ? Point.ZERO : P.multiply(mod(s)));
function scalarBytes(s: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, n = mod(s); i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

export function proveDisjunctive(tag: string, fp: Uint8Array, context: string, K: Point, alpha: Point, beta: Point, values: number[], real: number, r: bigint): Uint8Array {
  const w = randomScalar();
  const branches = values.map((V, j) => {
    if (j === real) return { t1: times(G, w), t2: times(K, w), c: 0n, z: 0n };
    const c = randomScalar();
    const z = randomScalar();
    return { t1: times(G, z).subtract(times(alpha, c)), t2: times(K, z).subtract(times(beta.subtract(times(G, BigInt(V))), c)), c, z };
  });
  const total = challenge(tag, fp, context, [K.toBytes(), alpha.toBytes(), beta.toBytes(), concatBytes(...values.map((x) => u32be(x)))], branches.flatMap((b) => [b.t1.toBytes(), b.t2.toBytes()]));
  const others = branches.reduce((sum, b, j) => (j === real ? sum : sum + b.c), 0n);
  branches[real]!.c = mod(total - others);
  branches[real]!.z = mod(w + branches[real]!.c * r);
  return concatBytes(...branches.flatMap((b) => [b.t1.toBytes(), b.t2.toBytes(), scalarBytes(b.c), scalarBytes(b.z)]));
}

/** A one-contest ballot (min = max = 1) choosing option `choice`, proven for `fp`. */
export function makeBallot(fp: Uint8Array, K: Point, contest: { id: string; options: { id: string }[] }, choice: number) {
  let A = Point.ZERO;
  let B = Point.ZERO;
  let R = 0n;
  const selections = contest.options.map((option, o) => {
    const r = randomScalar();
    const value = o === choice ? 1 : 0;
    const alpha = times(G, r);
    const beta = times(K, r).add(value ? G : Point.ZERO);
    A = A.add(alpha);
    B = B.add(beta);
    R = mod(R + r);
    return { optionId: option.id, ciphertext: toHex(concatBytes(alpha.toBytes(), beta.toBytes())), proof: toHex(proveDisjunctive(TAG_SELECTION, fp, `ballot/${contest.id}/${option.id}`, K, alpha, beta, [0, 1], value, r)) };
  });
  const rangeProof = toHex(proveDisjunctive(TAG_CONTEST_RANGE, fp, `ballot/${contest.id}`, K, A, B, [1], 0, R));
  return { version: 1 as const, contests: [{ contestId: contest.id, selections, rangeProof }] };
}

