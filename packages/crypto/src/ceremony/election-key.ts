// Round 4: the results of a ceremony without complaints.
//   joint election key        K   = Σ_i C_{i,0}
//   trustee ℓ's secret share  s_ℓ = Σ_i f_i(ℓ)
//   its verification share    S_ℓ = Σ_i Σ_j ℓ^j·C_{i,j}  (= s_ℓ·G; public, from commitments alone)
import { CryptoError } from '../errors.ts';
import { IDENTITY, assertPoint, assertScalar, multiplyBase, scalarAdd, type Point, type Scalar } from '../group.ts';
import { assertTrusteeCommitment, verifyTrusteeCommitment, type TrusteeCommitment } from './commitment.ts';
import { assertCeremonyParameters, assertTrusteeIndex, type CeremonyParameters } from './parameters.ts';
import { evaluateCommitments, evaluatePolynomial } from './polynomial.ts';

export interface ElectionKey {
  /** K, published in `ElectionKeyPublished`. */
  readonly jointKey: Point;
  /** S_1 … S_n (index ℓ at position ℓ − 1). */
  readonly verificationShares: readonly Point[];
}

/** One commitment per trustee, in index order 1 … n. */
function assertCompleteCommitments(parameters: CeremonyParameters, commitments: readonly TrusteeCommitment[]): void {
  if (!Array.isArray(commitments)) throw new CryptoError('INVALID_TYPE', 'commitments', 'expected an array');
  if (commitments.length !== parameters.trusteeCount) {
    throw new CryptoError('INVALID_LENGTH', 'commitments', `expected ${parameters.trusteeCount} commitments, got ${commitments.length}`);
  }
  commitments.forEach((c, position) => {
    assertTrusteeCommitment(c, parameters, `commitments[${position}]`);
    if (c.trusteeIndex !== position + 1) {
      throw new CryptoError('INVALID_ARGUMENT', `commitments[${position}].trusteeIndex`, `expected trustee ${position + 1}`);
    }
  });
}

/** S_ℓ from the commitments alone. */
export function computeVerificationShare(
  parameters: CeremonyParameters,
  commitments: readonly TrusteeCommitment[],
  trusteeIndex: number,
): Point {
  assertCeremonyParameters(parameters);
  assertCompleteCommitments(parameters, commitments);
  assertTrusteeIndex(trusteeIndex, parameters, 'trusteeIndex');
  return commitments.reduce((sum, c) => sum.add(evaluateCommitments(c.coefficientCommitments, trusteeIndex)), IDENTITY);
}

/**
 * K and every S_ℓ, after checking every commitment's proofs (throws INVALID_PROOF naming the
 * first bad commitment). Call only once no complaint was upheld.
 */
export function computeElectionKey(parameters: CeremonyParameters, commitments: readonly TrusteeCommitment[]): ElectionKey {
  assertCeremonyParameters(parameters);
  assertCompleteCommitments(parameters, commitments);
  commitments.forEach((c, position) => {
    if (!verifyTrusteeCommitment(parameters, c)) {
      throw new CryptoError('INVALID_PROOF', `commitments[${position}]`, `trustee ${c.trusteeIndex}'s commitment proofs do not verify`);
    }
  });
  const jointKey = commitments.reduce((sum, c) => sum.add(c.coefficientCommitments[0]!), IDENTITY);
  if (jointKey.is0()) throw new CryptoError('IDENTITY_POINT', 'commitments', 'the joint key is the identity');
  const verificationShares = Array.from({ length: parameters.trusteeCount }, (_, position) =>
    commitments.reduce((sum, c) => sum.add(evaluateCommitments(c.coefficientCommitments, position + 1)), IDENTITY),
  );
  return { jointKey, verificationShares };
}

/**
 * Trustee ℓ's secret share s_ℓ = f_ℓ(ℓ) + Σ_{i ≠ ℓ} f_i(ℓ), from its own polynomial and the shares
 * it accepted from every other trustee. Checks s_ℓ·G against S_ℓ before returning it.
 */
export function computeSecretShare(
  parameters: CeremonyParameters,
  trusteeIndex: number,
  ownPolynomialCoefficients: readonly Scalar[],
  receivedShares: ReadonlyMap<number, Scalar>,
  verificationShare: Point,
): Scalar {
  assertCeremonyParameters(parameters);
  assertTrusteeIndex(trusteeIndex, parameters, 'trusteeIndex');
  if (!Array.isArray(ownPolynomialCoefficients) || ownPolynomialCoefficients.length !== parameters.threshold) {
    throw new CryptoError('INVALID_LENGTH', 'ownPolynomialCoefficients', `expected ${parameters.threshold} coefficients`);
  }
  ownPolynomialCoefficients.forEach((a, j) => assertScalar(a, `ownPolynomialCoefficients[${j}]`));
  assertPoint(verificationShare, 'verificationShare');
  if (!(receivedShares instanceof Map)) throw new CryptoError('INVALID_TYPE', 'receivedShares', 'expected a Map<sender, share>');
  let secretShare = evaluatePolynomial(ownPolynomialCoefficients, trusteeIndex);
  for (let sender = 1; sender <= parameters.trusteeCount; sender++) {
    if (sender === trusteeIndex) continue;
    const share = receivedShares.get(sender);
    if (share === undefined) throw new CryptoError('INVALID_ARGUMENT', 'receivedShares', `no share from trustee ${sender}`);
    secretShare = scalarAdd(secretShare, assertScalar(share, `receivedShares[${sender}]`));
  }
  if (receivedShares.size !== parameters.trusteeCount - 1) {
    throw new CryptoError('INVALID_ARGUMENT', 'receivedShares', 'shares from unknown trustees');
  }
  if (!multiplyBase(secretShare).equals(verificationShare)) {
    throw new CryptoError('INVALID_SHARE', 'verificationShare', 'the combined share does not match the public verification share');
  }
  return secretShare;
}
