// Runs a complete honest k-of-n key ceremony in memory (what n trustee browsers do together).
import type { RandomSource, Scalar } from '../../src/group.ts';
import {
  computeElectionKey,
  computeSecretShare,
  createTrusteeSetup,
  encryptShare,
  receiveShare,
  verifyTrusteeCommitment,
  type CeremonyParameters,
  type EncryptedShare,
} from '../../src/ceremony/index.ts';

export function runCeremony(parameters: CeremonyParameters, rng: RandomSource) {
  const n = parameters.trusteeCount;
  const setups = Array.from({ length: n }, (_, i) => createTrusteeSetup(parameters, i + 1, rng));
  const commitments = setups.map((s) => s.commitment);
  for (const c of commitments) if (!verifyTrusteeCommitment(parameters, c)) throw new Error('honest commitment rejected');
  const encryptedShares: EncryptedShare[] = [];
  for (const sender of setups) {
    for (const recipient of commitments) {
      if (recipient.trusteeIndex === sender.commitment.trusteeIndex) continue;
      encryptedShares.push(
        encryptShare(parameters, sender.commitment.trusteeIndex, sender.secrets.polynomialCoefficients, recipient.trusteeIndex, recipient.identityKey, rng),
      );
    }
  }
  const electionKey = computeElectionKey(parameters, commitments);
  const secretShares: Scalar[] = setups.map((setup, position) => {
    const index = position + 1;
    const received = new Map<number, Scalar>();
    for (const share of encryptedShares.filter((s) => s.recipient === index)) {
      const reception = receiveShare(parameters, setup.secrets.identitySecretKey, commitments[share.sender - 1]!, share, rng);
      if (!reception.accepted) throw new Error('honest share rejected');
      received.set(share.sender, reception.share);
    }
    return computeSecretShare(parameters, index, setup.secrets.polynomialCoefficients, received, electionKey.verificationShares[position]!);
  });
  return { setups, commitments, encryptedShares, electionKey, secretShares };
}
