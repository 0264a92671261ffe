// Hostile-input matrix for the public functions of credentials, ceremony, decryption and the
// trustee file not already covered next to their behaviour tests: every bad input must become a
// CryptoError with a stable code and the name of the offending argument.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GROUP_ORDER, IDENTITY, G, createSeededRandom, scalarAdd, type Point } from '../src/group.ts';
import {
  blindMessage,
  encodeCredentialMessage,
  finalizeBlindSignature,
  importIssuerPublicKey,
  prepareMessage,
  verifyBlindRsaSignature,
} from '../src/credentials/index.ts';
import { exportIssuerPrivateKey, exportIssuerPublicKeySpki } from '../src/credentials/signer-node.ts';
import {
  computeElectionKey,
  computeSecretShare,
  computeShareSecret,
  computeVerificationShare,
  createTrusteeSetup,
  evaluateCommitments,
  encryptShare,
  evaluatePolynomial,
  isShareConsistent,
  openShareWithSecret,
  receiveShare,
  verifyComplaint,
  type Complaint,
} from '../src/ceremony/index.ts';
import { readTrusteeFileHeader } from '../src/trustee-file/index.ts';
import { runCeremony } from './support/run-ceremony.ts';

const fingerprint = new Uint8Array(32).fill(0x41);
const parameters = { electionFingerprint: fingerprint, threshold: 2, trusteeCount: 3 };
const rng = createSeededRandom('part2-hostile-inputs');
const { setups, commitments, encryptedShares, electionKey } = runCeremony(parameters, rng);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const issuer = await importIssuerPublicKey(new Uint8Array(rsa.publicKey.export({ format: 'der', type: 'spki' })));
const share12 = encryptedShares.find((s) => s.sender === 1 && s.recipient === 2)!;
const cheating = [scalarAdd(setups[0]!.secrets.polynomialCoefficients[0]!, 1n), setups[0]!.secrets.polynomialCoefficients[1]!];
const badShare = encryptShare(parameters, 1, cheating, 2, commitments[1]!.identityKey, rng);
const reception = receiveShare(parameters, setups[1]!.secrets.identitySecretKey, commitments[0]!, badShare, rng);
const complaint = (reception as { complaint: Complaint }).complaint;
const received2 = new Map([
  [1, 1n],
  [3, 2n],
]);

type Case = [name: string, run: () => unknown, code: string, field: string];

const cases: Case[] = [
  // credentials (client)
  ['prepareMessage: string', () => prepareMessage('hello' as never), 'INVALID_TYPE', 'message'],
  ['blindMessage: no issuer key', () => blindMessage(null as never, new Uint8Array(40)), 'INVALID_TYPE', 'issuerPublicKey'],
  ['blindMessage: shorter than the prefix', () => blindMessage(issuer, new Uint8Array(31)), 'INVALID_LENGTH', 'preparedMessage'],
  ['finalizeBlindSignature: inverse of wrong length', () => finalizeBlindSignature(issuer, new Uint8Array(40), new Uint8Array(256), new Uint8Array(255)), 'INVALID_LENGTH', 'inverse'],
  ['finalizeBlindSignature: signature as array', () => finalizeBlindSignature(issuer, new Uint8Array(40), [] as never, new Uint8Array(256)), 'INVALID_TYPE', 'blindSignature'],
  ['verifyBlindRsaSignature: signature of wrong length', () => verifyBlindRsaSignature(issuer, new Uint8Array(40), new Uint8Array(10)), 'INVALID_LENGTH', 'signature'],
  ['verifyBlindRsaSignature: message null', () => verifyBlindRsaSignature(issuer, null as never, new Uint8Array(256)), 'INVALID_TYPE', 'preparedMessage'],
  ['encodeCredentialMessage: fingerprint as hex', () => encodeCredentialMessage('41'.repeat(32) as never, new Uint8Array(32)), 'INVALID_TYPE', 'electionFingerprint'],
  ['encodeCredentialMessage: ballot key of 64 bytes', () => encodeCredentialMessage(fingerprint, new Uint8Array(64)), 'INVALID_LENGTH', 'ballotPublicKey'],
  // credentials (issuer)
  ['exportIssuerPrivateKey: public key', () => exportIssuerPrivateKey(rsa.publicKey), 'INVALID_TYPE', 'privateKey'],
  ['exportIssuerPublicKeySpki: PEM string', () => exportIssuerPublicKeySpki('-----BEGIN' as never), 'INVALID_TYPE', 'privateKey'],
  // ceremony
  ['createTrusteeSetup: index n + 1', () => createTrusteeSetup(parameters, 4, rng), 'INVALID_ARGUMENT', 'trusteeIndex'],
  ['createTrusteeSetup: threshold as string', () => createTrusteeSetup({ ...parameters, threshold: '2' as never }, 1, rng), 'INVALID_ARGUMENT', 'parameters.threshold'],
  ['computeElectionKey: a commitment missing', () => computeElectionKey(parameters, commitments.slice(0, 2)), 'INVALID_LENGTH', 'commitments'],
  ['computeElectionKey: out of order', () => computeElectionKey(parameters, [commitments[1]!, commitments[0]!, commitments[2]!]), 'INVALID_ARGUMENT', 'commitments[0].trusteeIndex'],
  ['computeElectionKey: a forged proof', () => computeElectionKey(parameters, [{ ...commitments[0]!, identityKey: commitments[0]!.identityKey.add(G) }, commitments[1]!, commitments[2]!]), 'INVALID_PROOF', 'commitments[0]'],
  ['computeVerificationShare: index 0', () => computeVerificationShare(parameters, commitments, 0), 'INVALID_ARGUMENT', 'trusteeIndex'],
  ['computeSecretShare: a share missing', () => computeSecretShare(parameters, 2, setups[1]!.secrets.polynomialCoefficients, new Map([[1, 1n]]), electionKey.verificationShares[1]!), 'INVALID_ARGUMENT', 'receivedShares'],
  ['computeSecretShare: wrong shares', () => computeSecretShare(parameters, 2, setups[1]!.secrets.polynomialCoefficients, received2, electionKey.verificationShares[1]!), 'INVALID_SHARE', 'verificationShare'],
  ['computeSecretShare: shares as object', () => computeSecretShare(parameters, 2, setups[1]!.secrets.polynomialCoefficients, { 1: 1n } as never, electionKey.verificationShares[1]!), 'INVALID_TYPE', 'receivedShares'],
  ['computeSecretShare: share ≥ ℓ', () => computeSecretShare(parameters, 2, setups[1]!.secrets.polynomialCoefficients, new Map([[1, GROUP_ORDER], [3, 1n]]), electionKey.verificationShares[1]!), 'NON_CANONICAL_SCALAR', 'receivedShares[1]'],
  ['computeSecretShare: identity verification share', () => computeSecretShare(parameters, 2, setups[1]!.secrets.polynomialCoefficients, received2, IDENTITY), 'IDENTITY_POINT', 'verificationShare'],
  ['isShareConsistent: share as number', () => isShareConsistent(commitments[0]!, 2, 5 as never), 'INVALID_TYPE', 'share'],
  ['evaluatePolynomial: x = 0 (the secret)', () => evaluatePolynomial([1n, 2n], 0), 'INVALID_ARGUMENT', 'x'],
  ['evaluatePolynomial: coefficient ≥ ℓ', () => evaluatePolynomial([GROUP_ORDER], 1), 'NON_CANONICAL_SCALAR', 'coefficients[0]'],
  ['evaluateCommitments: identity commitment', () => evaluateCommitments([IDENTITY], 1), 'IDENTITY_POINT', 'commitments[0]'],
  ['evaluateCommitments: bytes for a point', () => evaluateCommitments([new Uint8Array(32) as unknown as Point], 1), 'INVALID_TYPE', 'commitments[0]'],
  ['computeShareSecret: share null', () => computeShareSecret(1n, null as never), 'INVALID_TYPE', 'encryptedShare'],
  ['computeShareSecret: secret ≥ ℓ', () => computeShareSecret(GROUP_ORDER, share12), 'NON_CANONICAL_SCALAR', 'identitySecretKey'],
  ['openShareWithSecret: identity secret', () => openShareWithSecret(parameters, share12, commitments[1]!.identityKey, IDENTITY), 'IDENTITY_POINT', 'sharedSecret'],
  ['openShareWithSecret: wrong secret', () => openShareWithSecret(parameters, share12, commitments[1]!.identityKey, G), 'INVALID_SHARE', 'encryptedShare.ciphertext'],
  ['verifyComplaint: wrong accused commitment', () => verifyComplaint(parameters, complaint, commitments[2]!, commitments[1]!), 'INVALID_ARGUMENT', 'accusedCommitment.trusteeIndex'],
  ['verifyComplaint: accused ≠ sender', () => verifyComplaint(parameters, { ...complaint, accused: 3 }, commitments[2]!, commitments[1]!), 'INVALID_ARGUMENT', 'complaint.encryptedShare'],
  ['verifyComplaint: identity shared secret', () => verifyComplaint(parameters, { ...complaint, sharedSecret: IDENTITY }, commitments[0]!, commitments[1]!), 'IDENTITY_POINT', 'complaint.sharedSecret'],
  ['verifyComplaint: proof response ≥ ℓ', () => verifyComplaint(parameters, { ...complaint, proof: { ...complaint.proof, response: GROUP_ORDER } }, commitments[0]!, commitments[1]!), 'NON_CANONICAL_SCALAR', 'complaint.proof.response'],
  // trustee file
  ['readTrusteeFileHeader: bytes', () => readTrusteeFileHeader(new Uint8Array(4) as never), 'INVALID_TYPE', 'file'],
  ['readTrusteeFileHeader: upper-case hex', () => readTrusteeFileHeader(JSON.stringify({ format: 'townhall/trustee-key-share', version: 1, electionFingerprint: 'AB'.repeat(32) })), 'INVALID_HEX', 'file.electionFingerprint'],
];

describe('part 2 hostile inputs → typed CryptoError', () => {
  it.each(cases)('%s', async (_name, run, code, field) => {
    let caught: unknown;
    try {
      await run();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'CryptoError', code, field });
  });

  it('control: the same complaint with the right commitments is upheld', () => {
    expect(verifyComplaint(parameters, complaint, commitments[0]!, commitments[1]!)).toEqual({ upheld: true, reason: 'share-mismatch' });
  });
});
