import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  G,
  GROUP_ORDER,
  IDENTITY,
  createSeededRandom,
  multiplyBase,
  scalarAdd,
  type Point,
} from '../src/group.ts';
import { proveChaumPedersen } from '../src/proofs/chaum-pedersen.ts';
import {
  complaintProofContext,
  computeShareSecret,
  computeVerificationShare,
  decodeEncryptedShare,
  decodeTrusteeCommitment,
  encodeEncryptedShare,
  encodeTrusteeCommitment,
  encryptShare,
  evaluatePolynomial,
  lagrangeCoefficientsAtZero,
  receiveShare,
  verifyComplaint,
  verifyTrusteeCommitment,
  type CeremonyParameters,
  type Complaint,
  type TrusteeCommitment,
} from '../src/ceremony/index.ts';
import { runCeremony } from './support/run-ceremony.ts';

const fingerprint = new Uint8Array(32).fill(0x11);
const otherFingerprint = new Uint8Array(32).fill(0x12);
const parameters: CeremonyParameters = { electionFingerprint: fingerprint, threshold: 2, trusteeCount: 3 };
const rng = createSeededRandom('key-ceremony-test');
const ceremony = runCeremony(parameters, rng);
const [t1, t2, t3] = ceremony.setups as [(typeof ceremony.setups)[0], (typeof ceremony.setups)[0], (typeof ceremony.setups)[0]];

describe('k-of-n key ceremony (Pedersen/Feldman DKG)', () => {
  it('the joint key is Σ C_{i,0} and equals the sum of the constant terms times G', () => {
    const secret = ceremony.setups.reduce((sum, s) => scalarAdd(sum, s.secrets.polynomialCoefficients[0]!), 0n);
    expect(ceremony.electionKey.jointKey.equals(multiplyBase(secret))).toBe(true);
  });

  it('each secret share matches its public verification share, and any k shares interpolate the joint secret', () => {
    ceremony.secretShares.forEach((s, i) => {
      expect(multiplyBase(s).equals(ceremony.electionKey.verificationShares[i]!)).toBe(true);
      expect(computeVerificationShare(parameters, ceremony.commitments, i + 1).equals(multiplyBase(s))).toBe(true);
    });
    for (const pair of [[1, 2], [1, 3], [2, 3]]) {
      const lambdas = lagrangeCoefficientsAtZero(pair);
      const interpolated = pair.reduce((sum, i) => sum.add(multiplyBase(ceremony.secretShares[i - 1]!).multiply(lambdas.get(i)!)), IDENTITY);
      expect(interpolated.equals(ceremony.electionKey.jointKey)).toBe(true);
    }
  });

  it('works for other k-of-n shapes (1-of-1, 3-of-5)', () => {
    for (const [threshold, trusteeCount] of [[1, 1], [3, 5]] as const) {
      const p = { electionFingerprint: fingerprint, threshold, trusteeCount };
      const run = runCeremony(p, createSeededRandom(`shape-${threshold}-${trusteeCount}`));
      expect(run.secretShares).toHaveLength(trusteeCount);
    }
  });

  describe('commitments', () => {
    const commitment = t1.commitment;
    it('encode/decode round-trips and decoded commitments still verify', () => {
      const bytes = encodeTrusteeCommitment(parameters, commitment);
      expect(bytes).toHaveLength(4 + 96 * 3);
      const decoded = decodeTrusteeCommitment(parameters, bytes);
      expect(verifyTrusteeCommitment(parameters, decoded)).toBe(true);
      expect(encodeTrusteeCommitment(parameters, decoded)).toEqual(bytes);
    });

    const mutations: [string, (c: TrusteeCommitment) => TrusteeCommitment][] = [
      ['identity key replaced', (c) => ({ ...c, identityKey: c.identityKey.add(G) })],
      ['identity proof response +1', (c) => ({ ...c, identityProof: { ...c.identityProof, response: (c.identityProof.response + 1n) % GROUP_ORDER } })],
      ['a coefficient commitment replaced', (c) => ({ ...c, coefficientCommitments: [c.coefficientCommitments[0]!, c.coefficientCommitments[1]!.add(G)] })],
      ['coefficient proofs swapped', (c) => ({ ...c, coefficientProofs: [c.coefficientProofs[1]!, c.coefficientProofs[0]!] })],
      ['proof commitment replaced', (c) => ({ ...c, coefficientProofs: [{ ...c.coefficientProofs[0]!, commitment: G }, c.coefficientProofs[1]!] })],
      ['claimed by another trustee', (c) => ({ ...c, trusteeIndex: 2 })],
    ];
    it.each(mutations)('any single field changed is rejected: %s', (_name, mutate) => {
      expect(verifyTrusteeCommitment(parameters, mutate(commitment))).toBe(false);
    });

    it('is not valid under another fingerprint or another k-of-n', () => {
      expect(verifyTrusteeCommitment({ ...parameters, electionFingerprint: otherFingerprint }, commitment)).toBe(false);
      expect(verifyTrusteeCommitment({ ...parameters, trusteeCount: 4 }, commitment)).toBe(false);
    });

    it('every bit flip of the wire form is rejected (decoding error or failed proof)', () => {
      const bytes = encodeTrusteeCommitment(parameters, commitment);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), (bit) => {
          const changed = bytes.slice();
          changed[bit >> 3]! ^= 1 << (bit & 7);
          let accepted = false;
          try {
            accepted = verifyTrusteeCommitment(parameters, decodeTrusteeCommitment(parameters, changed));
          } catch (error) {
            expect(error).toMatchObject({ name: 'CryptoError' });
          }
          expect(accepted).toBe(false);
        }),
        { numRuns: 60 },
      );
    });
  });

  describe('encrypted shares and complaints', () => {
    const shareFrom1To2 = ceremony.encryptedShares.find((s) => s.sender === 1 && s.recipient === 2)!;

    it('the recipient decrypts exactly f_sender(recipient)', () => {
      const reception = receiveShare(parameters, t2.secrets.identitySecretKey, t1.commitment, shareFrom1To2, rng);
      expect(reception).toEqual({ accepted: true, share: evaluatePolynomial(t1.secrets.polynomialCoefficients, 2) });
    });

    it('encode/decode round-trips (88 bytes)', () => {
      const bytes = encodeEncryptedShare(parameters, shareFrom1To2);
      expect(bytes).toHaveLength(88);
      expect(encodeEncryptedShare(parameters, decodeEncryptedShare(parameters, bytes))).toEqual(bytes);
    });

    it('a share that is not on the committed polynomial yields a complaint that anyone upholds', () => {
      const cheating = [scalarAdd(t1.secrets.polynomialCoefficients[0]!, 1n), t1.secrets.polynomialCoefficients[1]!];
      const bad = encryptShare(parameters, 1, cheating, 2, t2.commitment.identityKey, rng);
      const reception = receiveShare(parameters, t2.secrets.identitySecretKey, t1.commitment, bad, rng);
      expect(reception.accepted).toBe(false);
      const complaint = (reception as { complaint: Complaint }).complaint;
      expect(complaint).toMatchObject({ complainant: 2, accused: 1 });
      expect(verifyComplaint(parameters, complaint, t1.commitment, t2.commitment)).toEqual({ upheld: true, reason: 'share-mismatch' });
      expect(verifyComplaint({ ...parameters, electionFingerprint: otherFingerprint }, complaint, t1.commitment, t2.commitment)).toEqual({
        upheld: false,
        reason: 'invalid-proof',
      });
    });

    it('a share that does not decrypt (ciphertext altered, or sealed to another key) is upheld as undecryptable', () => {
      const altered = { ...shareFrom1To2, ciphertext: shareFrom1To2.ciphertext.map((b, i) => (i === 0 ? b ^ 1 : b)) };
      const toWrongKey = encryptShare(parameters, 1, t1.secrets.polynomialCoefficients, 2, t3.commitment.identityKey, rng);
      for (const bad of [altered, toWrongKey]) {
        const reception = receiveShare(parameters, t2.secrets.identitySecretKey, t1.commitment, bad, rng);
        expect(reception.accepted).toBe(false);
        const complaint = (reception as { complaint: Complaint }).complaint;
        expect(verifyComplaint(parameters, complaint, t1.commitment, t2.commitment)).toEqual({ upheld: true, reason: 'undecryptable' });
      }
    });

    it('a false complaint about a good share is not upheld (the complainant is exposed)', () => {
      const x2 = t2.secrets.identitySecretKey;
      const sharedSecret = computeShareSecret(x2, shareFrom1To2);
      const proof = proveChaumPedersen(
        { g1: G, h1: t2.commitment.identityKey, g2: shareFrom1To2.ephemeralKey, h2: sharedSecret },
        x2,
        fingerprint,
        complaintProofContext(parameters, 2, 1),
        rng,
      );
      const complaint: Complaint = { complainant: 2, accused: 1, encryptedShare: shareFrom1To2, sharedSecret, proof };
      expect(verifyComplaint(parameters, complaint, t1.commitment, t2.commitment)).toEqual({ upheld: false, reason: 'share-valid' });
      const lying: Complaint = { ...complaint, sharedSecret: sharedSecret.add(G) };
      expect(verifyComplaint(parameters, lying, t1.commitment, t2.commitment)).toEqual({ upheld: false, reason: 'invalid-proof' });
    });
  });

  describe('hostile inputs → typed CryptoError', () => {
    const commitment = t1.commitment;
    const share = ceremony.encryptedShares[0]!;
    const cases: [string, () => unknown, string, string?][] = [
      ['parameters not an object', () => verifyTrusteeCommitment(null as never, commitment), 'INVALID_TYPE', 'parameters'],
      ['fingerprint of 31 bytes', () => verifyTrusteeCommitment({ ...parameters, electionFingerprint: new Uint8Array(31) }, commitment), 'INVALID_LENGTH', 'parameters.electionFingerprint'],
      ['threshold > n', () => verifyTrusteeCommitment({ ...parameters, threshold: 4 }, commitment), 'INVALID_ARGUMENT', 'parameters.threshold'],
      ['threshold 0', () => verifyTrusteeCommitment({ ...parameters, threshold: 0 }, commitment), 'INVALID_ARGUMENT', 'parameters.threshold'],
      ['256 trustees', () => verifyTrusteeCommitment({ ...parameters, trusteeCount: 256 }, commitment), 'INVALID_ARGUMENT', 'parameters.trusteeCount'],
      ['trustee index 0', () => verifyTrusteeCommitment(parameters, { ...commitment, trusteeIndex: 0 }), 'INVALID_ARGUMENT', 'commitment.trusteeIndex'],
      ['trustee index as string', () => verifyTrusteeCommitment(parameters, { ...commitment, trusteeIndex: '1' as never }), 'INVALID_TYPE', 'commitment.trusteeIndex'],
      ['identity key is the identity', () => verifyTrusteeCommitment(parameters, { ...commitment, identityKey: IDENTITY }), 'IDENTITY_POINT', 'commitment.identityKey'],
      ['identity key as bytes', () => verifyTrusteeCommitment(parameters, { ...commitment, identityKey: commitment.identityKey.toBytes() as unknown as Point }), 'INVALID_TYPE', 'commitment.identityKey'],
      ['too few coefficient commitments', () => verifyTrusteeCommitment(parameters, { ...commitment, coefficientCommitments: [commitment.coefficientCommitments[0]!] }), 'INVALID_LENGTH', 'commitment.coefficientCommitments'],
      ['proof response ≥ ℓ', () => verifyTrusteeCommitment(parameters, { ...commitment, identityProof: { ...commitment.identityProof, response: GROUP_ORDER } }), 'NON_CANONICAL_SCALAR', 'commitment.identityProof.response'],
      ['decode wrong length', () => decodeTrusteeCommitment(parameters, new Uint8Array(10)), 'INVALID_LENGTH', 'commitment'],
      ['decode non-canonical point', () => decodeTrusteeCommitment(parameters, new Uint8Array(4 + 96 * 3).fill(0xff)), 'NON_CANONICAL_POINT'],
      ['decode identity point', () => decodeTrusteeCommitment(parameters, new Uint8Array(4 + 96 * 3)), 'IDENTITY_POINT', 'commitment.identityKey'],
      ['share to oneself', () => encryptShare(parameters, 1, t1.secrets.polynomialCoefficients, 1, commitment.identityKey), 'INVALID_ARGUMENT', 'recipient'],
      ['share with k−1 coefficients', () => encryptShare(parameters, 1, [1n], 2, commitment.identityKey), 'INVALID_LENGTH', 'polynomialCoefficients'],
      ['share coefficient ≥ ℓ', () => encryptShare(parameters, 1, [1n, GROUP_ORDER], 2, commitment.identityKey), 'NON_CANONICAL_SCALAR', 'polynomialCoefficients[1]'],
      ['share to the identity key', () => encryptShare(parameters, 1, t1.secrets.polynomialCoefficients, 2, IDENTITY), 'IDENTITY_POINT', 'recipientIdentityKey'],
      ['ciphertext of 47 bytes', () => receiveShare(parameters, t2.secrets.identitySecretKey, commitment, { ...share, ciphertext: new Uint8Array(47) }), 'INVALID_LENGTH', 'encryptedShare.ciphertext'],
      ['identity ephemeral key', () => receiveShare(parameters, t2.secrets.identitySecretKey, commitment, { ...share, ephemeralKey: IDENTITY }), 'IDENTITY_POINT', 'encryptedShare.ephemeralKey'],
      ['secret key 0', () => receiveShare(parameters, 0n, commitment, share), 'INVALID_ARGUMENT', 'recipientIdentitySecretKey'],
      ['share from someone else', () => receiveShare(parameters, t2.secrets.identitySecretKey, t3.commitment, share), 'INVALID_ARGUMENT', 'encryptedShare.sender'],
      ['decode share: non-canonical E', () => decodeEncryptedShare(parameters, new Uint8Array(88).fill(0xff)), 'NON_CANONICAL_POINT', 'encryptedShare.ephemeralKey'],
      ['lagrange with duplicates', () => lagrangeCoefficientsAtZero([1, 1]), 'INVALID_ARGUMENT', 'indices'],
    ];
    it.each(cases)('%s', (_name, run, code, field) => {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ name: 'CryptoError', code, ...(field ? { field } : {}) });
    });
  });
});
