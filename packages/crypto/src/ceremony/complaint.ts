// Round 3: the recipient checks each share against the sender's commitments (Feldman):
//   f_i(ℓ)·G == Σ_j ℓ^j·C_{i,j}
// If a share does not decrypt or does not match, the recipient publishes a complaint that anyone
// can check: it reveals the DH secret Z = x_ℓ·E of that one share with a Chaum–Pedersen proof
// that log_G(X_ℓ) = log_E(Z), so a third party can derive the same key, decrypt, and see the
// failure. A complaint halts the ceremony; the verdict says who misbehaved.
import { CryptoError } from '../errors.ts';
import { G, assertPoint, assertScalar, multiplyBase, systemRandom, type Point, type RandomSource, type Scalar } from '../group.ts';
import {
  assertChaumPedersenProof,
  proveChaumPedersen,
  verifyChaumPedersen,
  type ChaumPedersenProof,
} from '../proofs/chaum-pedersen.ts';
import { assertTrusteeCommitment, type TrusteeCommitment } from './commitment.ts';
import { assertCeremonyParameters, assertTrusteeIndex, complaintProofContext, type CeremonyParameters } from './parameters.ts';
import { evaluateCommitments } from './polynomial.ts';
import { assertEncryptedShare, computeShareSecret, openShareWithSecret, type EncryptedShare } from './share-encryption.ts';

export interface Complaint {
  readonly complainant: number;
  readonly accused: number;
  /** The share complained about, exactly as published. */
  readonly encryptedShare: EncryptedShare;
  /** Z = x_complainant·E. */
  readonly sharedSecret: Point;
  /** log_G(X_complainant) = log_E(Z). */
  readonly proof: ChaumPedersenProof;
}

export type ShareReception = { readonly accepted: true; readonly share: Scalar } | { readonly accepted: false; readonly complaint: Complaint };

export type ComplaintVerdict =
  | { readonly upheld: true; readonly reason: 'undecryptable' | 'share-mismatch' }
  | { readonly upheld: false; readonly reason: 'invalid-proof' | 'share-valid' };

/** Does `share` lie on the polynomial committed to by `senderCommitment`, at `recipient`? */
export function isShareConsistent(senderCommitment: TrusteeCommitment, recipient: number, share: Scalar): boolean {
  assertScalar(share, 'share');
  return multiplyBase(share).equals(evaluateCommitments(senderCommitment.coefficientCommitments, recipient));
}

function complaintStatement(complainantKey: Point, share: EncryptedShare, sharedSecret: Point) {
  return { g1: G, h1: complainantKey, g2: share.ephemeralKey, h2: sharedSecret };
}

/**
 * The recipient's side of round 3: decrypt and check the share, or produce a complaint.
 * `senderCommitment` must already have passed verifyTrusteeCommitment.
 */
export function receiveShare(
  parameters: CeremonyParameters,
  recipientIdentitySecretKey: Scalar,
  senderCommitment: TrusteeCommitment,
  encryptedShare: EncryptedShare,
  rng: RandomSource = systemRandom,
): ShareReception {
  assertCeremonyParameters(parameters);
  assertScalar(recipientIdentitySecretKey, 'recipientIdentitySecretKey', { allowZero: false });
  assertTrusteeCommitment(senderCommitment, parameters, 'senderCommitment');
  assertEncryptedShare(encryptedShare, parameters);
  if (encryptedShare.sender !== senderCommitment.trusteeIndex) {
    throw new CryptoError('INVALID_ARGUMENT', 'encryptedShare.sender', 'does not match the sender commitment');
  }
  const recipientKey = multiplyBase(recipientIdentitySecretKey);
  const sharedSecret = computeShareSecret(recipientIdentitySecretKey, encryptedShare);
  try {
    const share = openShareWithSecret(parameters, encryptedShare, recipientKey, sharedSecret);
    if (isShareConsistent(senderCommitment, encryptedShare.recipient, share)) return { accepted: true, share };
  } catch (error) {
    if (!(error instanceof CryptoError) || error.code !== 'INVALID_SHARE') throw error;
  }
  const context = complaintProofContext(parameters, encryptedShare.recipient, encryptedShare.sender);
  const proof = proveChaumPedersen(
    complaintStatement(recipientKey, encryptedShare, sharedSecret),
    recipientIdentitySecretKey,
    parameters.electionFingerprint,
    context,
    rng,
  );
  return {
    accepted: false,
    complaint: { complainant: encryptedShare.recipient, accused: encryptedShare.sender, encryptedShare, sharedSecret, proof },
  };
}

export function assertComplaint(value: unknown, parameters: CeremonyParameters, field = 'complaint'): Complaint {
  if (typeof value !== 'object' || value === null) throw new CryptoError('INVALID_TYPE', field, 'expected a Complaint');
  const complaint = value as Complaint;
  assertTrusteeIndex(complaint.complainant, parameters, `${field}.complainant`);
  assertTrusteeIndex(complaint.accused, parameters, `${field}.accused`);
  assertEncryptedShare(complaint.encryptedShare, parameters, `${field}.encryptedShare`);
  if (complaint.encryptedShare.sender !== complaint.accused || complaint.encryptedShare.recipient !== complaint.complainant) {
    throw new CryptoError('INVALID_ARGUMENT', `${field}.encryptedShare`, 'sender/recipient do not match accused/complainant');
  }
  assertPoint(complaint.sharedSecret, `${field}.sharedSecret`);
  assertChaumPedersenProof(complaint.proof, `${field}.proof`);
  return complaint;
}

/**
 * Anyone: judge a complaint from the public record. Upheld means the accused sent a bad share;
 * not upheld means the complainant lied (bad proof, or the share is fine).
 */
export function verifyComplaint(
  parameters: CeremonyParameters,
  complaint: Complaint,
  accusedCommitment: TrusteeCommitment,
  complainantCommitment: TrusteeCommitment,
): ComplaintVerdict {
  assertCeremonyParameters(parameters);
  assertComplaint(complaint, parameters);
  assertTrusteeCommitment(accusedCommitment, parameters, 'accusedCommitment');
  assertTrusteeCommitment(complainantCommitment, parameters, 'complainantCommitment');
  if (accusedCommitment.trusteeIndex !== complaint.accused) {
    throw new CryptoError('INVALID_ARGUMENT', 'accusedCommitment.trusteeIndex', 'not the accused trustee');
  }
  if (complainantCommitment.trusteeIndex !== complaint.complainant) {
    throw new CryptoError('INVALID_ARGUMENT', 'complainantCommitment.trusteeIndex', 'not the complaining trustee');
  }
  const { encryptedShare, sharedSecret } = complaint;
  const recipientKey = complainantCommitment.identityKey;
  const context = complaintProofContext(parameters, complaint.complainant, complaint.accused);
  if (!verifyChaumPedersen(complaintStatement(recipientKey, encryptedShare, sharedSecret), complaint.proof, parameters.electionFingerprint, context)) {
    return { upheld: false, reason: 'invalid-proof' };
  }
  let share: Scalar;
  try {
    share = openShareWithSecret(parameters, encryptedShare, recipientKey, sharedSecret);
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'INVALID_SHARE') return { upheld: true, reason: 'undecryptable' };
    throw error;
  }
  return isShareConsistent(accusedCommitment, complaint.complainant, share)
    ? { upheld: false, reason: 'share-valid' }
    : { upheld: true, reason: 'share-mismatch' };
}
