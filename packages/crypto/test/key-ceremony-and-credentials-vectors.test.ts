// The published vectors (JSON file and the doc's block) must be exactly what the code produces
// from the seed, and must verify from their bytes alone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCiphertext } from '../src/elgamal/elgamal.ts';
import { fromHex, multiplyBase, pointFromHex, scalarFromHex } from '../src/group.ts';
import { decodeChaumPedersenProof } from '../src/proofs/chaum-pedersen.ts';
import { decodeCredential, importIssuerPublicKey, verifyBallotSignature, verifyCredential } from '../src/credentials/index.ts';
import {
  computeElectionKey,
  decodeEncryptedShare,
  decodeTrusteeCommitment,
  verifyComplaint,
  verifyTrusteeCommitment,
} from '../src/ceremony/index.ts';
import { combinePartialDecryptions, createDiscreteLogTable, verifyPartialDecryption } from '../src/decryption/index.ts';
import { openTrusteeFile } from '../src/trustee-file/index.ts';
import {
  DOC_END,
  DOC_FILE,
  DOC_START,
  VECTORS_FILE,
  generateVectors,
  renderDocBlock,
  renderVectorsJson,
  type Vectors,
} from '../scripts/key-ceremony-and-credentials-vectors.ts';

const published: Vectors = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));
const fingerprint = fromHex(published.electionFingerprint, 'fingerprint', 32);
const parameters = { electionFingerprint: fingerprint, threshold: published.ceremony.threshold, trusteeCount: published.ceremony.trusteeCount };

describe('key ceremony and credential test vectors', () => {
  it('the JSON file and the doc block are exactly what the code generates from the seed', async () => {
    const vectors = await generateVectors();
    expect(renderVectorsJson(vectors)).toBe(readFileSync(VECTORS_FILE, 'utf8'));
    const doc = readFileSync(DOC_FILE, 'utf8');
    expect(doc.slice(doc.indexOf(DOC_START), doc.indexOf(DOC_END) + DOC_END.length)).toBe(renderDocBlock(vectors));
  }, 30_000);

  it('the credential and the ballot signature verify from their bytes', async () => {
    const { credential, ballotSignature } = published;
    const issuer = await importIssuerPublicKey(fromHex(credential.issuerSpki));
    const ballotKey = fromHex(credential.ballotPublicKey);
    expect(await verifyCredential(issuer, fingerprint, ballotKey, decodeCredential(fromHex(credential.wire), issuer))).toBe(true);
    expect(verifyBallotSignature(ballotKey, fromHex(ballotSignature.message), fromHex(ballotSignature.signature))).toBe(true);
  });

  it('the ceremony transcript verifies and yields the published keys; the complaint is upheld', () => {
    const { ceremony } = published;
    const commitments = ceremony.trustees.map((t) => decodeTrusteeCommitment(parameters, fromHex(t.commitment)));
    commitments.forEach((c) => expect(verifyTrusteeCommitment(parameters, c)).toBe(true));
    const key = computeElectionKey(parameters, commitments);
    expect(key.jointKey.equals(pointFromHex(ceremony.jointKey))).toBe(true);
    expect(key.jointKey.equals(multiplyBase(scalarFromHex(ceremony.jointSecret)))).toBe(true);
    ceremony.trustees.forEach((t, i) => {
      expect(key.verificationShares[i]!.equals(pointFromHex(t.verificationShare))).toBe(true);
      expect(multiplyBase(scalarFromHex(t.secretShare)).equals(pointFromHex(t.verificationShare))).toBe(true);
    });
    expect(ceremony.encryptedShares.map((s) => decodeEncryptedShare(parameters, fromHex(s)))).toHaveLength(6);
    const c = ceremony.complaint;
    const complaint = {
      complainant: c.complainant,
      accused: c.accused,
      encryptedShare: decodeEncryptedShare(parameters, fromHex(c.encryptedShare)),
      sharedSecret: pointFromHex(c.sharedSecret),
      proof: decodeChaumPedersenProof(fromHex(c.proof)),
    };
    expect(verifyComplaint(parameters, complaint, commitments[c.accused - 1]!, commitments[c.complainant - 1]!)).toEqual({
      upheld: true,
      reason: 'share-mismatch',
    });
  });

  it('the trustee file opens with the passphrase and holds trustee 1’s secrets', async () => {
    const secrets = await openTrusteeFile(published.trusteeFile.text, published.trusteeFile.passphrase, { electionFingerprint: fingerprint, trusteeIndex: 1 });
    const trustee = published.ceremony.trustees[0]!;
    expect(secrets.identitySecretKey).toBe(scalarFromHex(trustee.identitySecretKey));
    expect(secrets.secretShare).toBe(scalarFromHex(trustee.secretShare));
  });

  it('the partial decryptions verify and combine to the published count', () => {
    const { decryption, ceremony } = published;
    const aggregate = decodeCiphertext(fromHex(decryption.aggregate.alpha + decryption.aggregate.beta));
    const partials = decryption.partials.map((p) => ({
      trusteeIndex: p.trusteeIndex,
      share: pointFromHex(p.share),
      proof: decodeChaumPedersenProof(fromHex(p.proof)),
    }));
    for (const p of partials) {
      const S = pointFromHex(ceremony.trustees[p.trusteeIndex - 1]!.verificationShare);
      expect(verifyPartialDecryption(fingerprint, S, aggregate, p, decryption.context)).toBe(true);
    }
    const combined = combinePartialDecryptions(aggregate, partials, 2);
    expect(combined.equals(pointFromHex(decryption.combined))).toBe(true);
    expect(createDiscreteLogTable({ maxValue: 100 }).solve(combined)).toBe(decryption.count);
  });
});
