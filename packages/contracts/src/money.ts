/**
 * Money is integer pence held in a JS number. The terms' bounds (packages/protocol contracts.ts)
 * keep every product computed here ≤ 10^14, far below 2^53, so the arithmetic is exact; totals
 * over many jobs are bigint. No value here is ever a fraction of a penny.
 */

const BASIS = 10_000;

/**
 * `pence × basisPoints / 10000`, rounded half up to the penny (an exact half penny rounds up):
 * floor((pence × bp + 5000) / 10000) on non-negative integers. Docs §6 rule R1.
 */
export function shareHalfUp(pence: number, basisPoints: number): number {
  const product = pence * basisPoints;
  if (!Number.isSafeInteger(product) || pence < 0 || basisPoints < 0) {
    throw new RangeError(`shareHalfUp: ${pence} × ${basisPoints} is not a non-negative safe integer product`);
  }
  const halfUp = product + BASIS / 2;
  return (halfUp - (halfUp % BASIS)) / BASIS; // integer division, exact below 2^53
}

/** `part / whole` as whole basis points, rounded down (used only to print a share, never to decide). */
export function basisPointsOfShare(part: number, whole: number): number {
  if (whole === 0) return 0;
  const scaled = part * BASIS;
  return (scaled - (scaled % whole)) / whole;
}

/** 1234 basis points → "12.34%". */
export function formatBasisPoints(basisPoints: number): string {
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}%`;
}

/** 123456 pence → "£1,234.56". */
export function formatPence(pence: number | bigint): string {
  const value = BigInt(pence);
  const sign = value < 0n ? '−' : '';
  const abs = value < 0n ? -value : value;
  const pounds = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}£${pounds}.${(abs % 100n).toString().padStart(2, '0')}`;
}
