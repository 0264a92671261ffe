// Deterministic test vectors for docs/protocol/key-ceremony-and-credentials.md: credentials,
// ballot signatures, the trustee file, a 2-of-3 ceremony (with one upheld complaint) and a
// threshold decryption. All randomness comes from createSeededRandom(SEED); the RSA issuer key is
// RFC 9474's Appendix A key. `npx tsx scripts/key-ceremony-and-credentials-vectors.ts` rewrites
// test/vectors/townhall/key-ceremony-and-credentials.json and the vectors block of the doc; the
// test key-ceremony-and-credentials-vectors.test.ts regenerates both and fails on any difference.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { encrypt, sumCiphertexts } from '../src/elgamal/elgamal.ts';
import { createSeededRandom, encodePoint, encodeScalar, multiplyBase, randomScalar, scalarAdd, toHex, type RandomSource } from '../src/group.ts';
import {
  encodeCredential,
  encodeCredentialMessage,
  finalizeCredential,
  importIssuerPublicKey,
  requestCredential,
  signWithBallotKey,
} from '../src/credentials/index.ts';
import { createBlindSigner } from '../src/credentials/signer-node.ts';
import { sealTrusteeFile } from '../src/trustee-file/index.ts';
import {
  computeElectionKey,
  computeSecretShare,
  createTrusteeSetup,
  encodeEncryptedShare,
  encodeTrusteeCommitment,
  encryptShare,
  lagrangeCoefficientsAtZero,
  receiveShare,
  type CeremonyParameters,
  type Complaint,
} from '../src/ceremony/index.ts';
import { encodeChaumPedersenProof } from '../src/proofs/chaum-pedersen.ts';
import { combinePartialDecryptions, computePartialDecryption } from '../src/decryption/index.ts';

export const SEED = 'townhall/v1/test-vectors/key-ceremony-and-credentials';
const here = dirname(fileURLToPath(import.meta.url));
export const VECTORS_FILE = resolve(here, '../test/vectors/townhall/key-ceremony-and-credentials.json');
export const DOC_FILE = resolve(here, '../../../docs/protocol/key-ceremony-and-credentials.md');
export const DOC_START = '<!-- vectors:key-ceremony-and-credentials:start -->';
export const DOC_END = '<!-- vectors:key-ceremony-and-credentials:end -->';

function rfc9474Key() {
  const vector = JSON.parse(readFileSync(resolve(here, '../test/vectors/rfc9474/rsabssa-sha384-pss-randomized.json'), 'utf8'));
  const big = (hex: string) => BigInt(`0x${hex}`);
  const b64 = (v: bigint) => Buffer.from(v.toString(16).padStart(Math.ceil(v.toString(16).length / 2) * 2, '0'), 'hex').toString('base64url');
  const [p, q, d] = [big(vector.p), big(vector.q), big(vector.d)];
  let [r0, r1, s0, s1] = [q % p, p, 1n, 0n];
  while (r1 !== 0n) {
    const k = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - k * r1, s1, s0 - k * s1];
  }
  const qi = ((s0 % p) + p) % p;
  return createPrivateKey({
    key: { kty: 'RSA', n: b64(big(vector.n)), e: b64(big(vector.e)), d: b64(d), p: b64(p), q: b64(q), dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(qi) },
    format: 'jwk',
  });
}

/** Runs `operation` with WebCrypto's getRandomValues fed from `rng` (vectors only). */
async function withSeededWebCrypto<T>(rng: RandomSource, operation: () => Promise<T>): Promise<T> {
  const original = globalThis.crypto.getRandomValues;
  globalThis.crypto.getRandomValues = (<A extends ArrayBufferView | null>(array: A): A => {
    const bytes = new Uint8Array((array as ArrayBufferView).buffer, (array as ArrayBufferView).byteOffset, (array as ArrayBufferView).byteLength);
    bytes.set(rng(bytes.length));
    return array;
  }) as typeof original;
  try {
    return await operation();
  } finally {
    globalThis.crypto.getRandomValues = original;
  }
}

export async function generateVectors() {
  const rng = createSeededRandom(SEED);
  const fingerprint = rng(32);

  // Credential and ballot signature.
  const issuerKey = rfc9474Key();
  const signer = createBlindSigner(issuerKey);
  const issuer = await importIssuerPublicKey(new Uint8Array(createPublicKey(issuerKey).export({ format: 'der', type: 'spki' })));
  const ballotSecretKey = rng(32);
  const ballotPublicKey = ed25519.getPublicKey(ballotSecretKey);
  const { request, credential, blindSignature } = await withSeededWebCrypto(rng, async () => {
    const request = await requestCredential(issuer, fingerprint, ballotPublicKey);
    const blindSignature = signer.blindSign(request.blindedMessage);
    return { request, blindSignature, credential: await finalizeCredential(issuer, request.pending, blindSignature) };
  });
  const ballotMessage = new TextEncoder().encode('townhall/v1/test-vectors ballot body');

  // Ceremony 2-of-3.
  const parameters: CeremonyParameters = { electionFingerprint: fingerprint, threshold: 2, trusteeCount: 3 };
  const setups = [1, 2, 3].map((i) => createTrusteeSetup(parameters, i, rng));
  const commitments = setups.map((s) => s.commitment);
  const shares = setups.flatMap((sender) =>
    commitments
      .filter((c) => c.trusteeIndex !== sender.commitment.trusteeIndex)
      .map((recipient) => encryptShare(parameters, sender.commitment.trusteeIndex, sender.secrets.polynomialCoefficients, recipient.trusteeIndex, recipient.identityKey, rng)),
  );
  const electionKey = computeElectionKey(parameters, commitments);
  const secretShares = setups.map((setup, position) => {
    const received = new Map(
      shares
        .filter((s) => s.recipient === position + 1)
        .map((s) => {
          const reception = receiveShare(parameters, setup.secrets.identitySecretKey, commitments[s.sender - 1]!, s, rng);
          if (!reception.accepted) throw new Error('honest share rejected');
          return [s.sender, reception.share] as const;
        }),
    );
    return computeSecretShare(parameters, position + 1, setup.secrets.polynomialCoefficients, received, electionKey.verificationShares[position]!);
  });
  // Trustee 1 sends trustee 2 a share of f_1 + 1: trustee 2 complains, and anyone upholds it.
  const cheating = [scalarAdd(setups[0]!.secrets.polynomialCoefficients[0]!, 1n), setups[0]!.secrets.polynomialCoefficients[1]!];
  const badShare = encryptShare(parameters, 1, cheating, 2, commitments[1]!.identityKey, rng);
  const badReception = receiveShare(parameters, setups[1]!.secrets.identitySecretKey, commitments[0]!, badShare, rng);
  if (badReception.accepted) throw new Error('bad share accepted');
  const complaint: Complaint = badReception.complaint;

  // Trustee file of trustee 1 (cheap scrypt so the test stays fast; real files use N = 2^17).
  const trusteeFile = await sealTrusteeFile({
    electionFingerprint: fingerprint,
    trusteeIndex: 1,
    secrets: { ...setups[0]!.secrets, secretShare: secretShares[0]! },
    passphrase: 'correct horse battery staple',
    kdf: { log2N: 10, r: 8, p: 1 },
    rng,
  });

  // Threshold decryption of an aggregate of 3 votes by trustees 1 and 3.
  const aggregate = sumCiphertexts([1, 1, 0, 1].map((v) => encrypt(electionKey.jointKey, v, randomScalar(rng))));
  const context = 'tally/contest:mayor/option:alice';
  const partials = [1, 3].map((i) => computePartialDecryption(fingerprint, i, secretShares[i - 1]!, aggregate, context, rng));
  const lambdas = lagrangeCoefficientsAtZero([1, 3]);
  const combined = combinePartialDecryptions(aggregate, partials, 2);

  const hex = (bytes: Uint8Array) => toHex(bytes);
  const point = (p: Parameters<typeof encodePoint>[0]) => hex(encodePoint(p));
  const scalar = (s: bigint) => hex(encodeScalar(s));
  return {
    seed: SEED,
    electionFingerprint: hex(fingerprint),
    credential: {
      issuerKey: 'RFC 9474 Appendix A test key (4096-bit)',
      issuerSpki: hex(issuer.spki),
      ballotSecretKey: hex(ballotSecretKey),
      ballotPublicKey: hex(ballotPublicKey),
      credentialMessage: hex(encodeCredentialMessage(fingerprint, ballotPublicKey)),
      preparedMessage: hex(request.pending.preparedMessage),
      blindedMessage: hex(request.blindedMessage),
      blindSignature: hex(blindSignature),
      messagePrefix: hex(credential.messagePrefix),
      signature: hex(credential.signature),
      wire: hex(encodeCredential(credential)),
    },
    ballotSignature: {
      message: hex(ballotMessage),
      signature: hex(signWithBallotKey(ballotSecretKey, ballotMessage)),
    },
    ceremony: {
      threshold: 2,
      trusteeCount: 3,
      trustees: setups.map((s, position) => ({
        index: position + 1,
        identitySecretKey: scalar(s.secrets.identitySecretKey),
        polynomialCoefficients: s.secrets.polynomialCoefficients.map(scalar),
        commitment: hex(encodeTrusteeCommitment(parameters, s.commitment)),
        secretShare: scalar(secretShares[position]!),
        verificationShare: point(electionKey.verificationShares[position]!),
      })),
      encryptedShares: shares.map((s) => hex(encodeEncryptedShare(parameters, s))),
      jointKey: point(electionKey.jointKey),
      jointSecret: scalar(setups.reduce((sum, s) => scalarAdd(sum, s.secrets.polynomialCoefficients[0]!), 0n)),
      complaint: {
        encryptedShare: hex(encodeEncryptedShare(parameters, complaint.encryptedShare)),
        complainant: complaint.complainant,
        accused: complaint.accused,
        sharedSecret: point(complaint.sharedSecret),
        proof: hex(encodeChaumPedersenProof(complaint.proof)),
        verdict: 'upheld: share-mismatch',
      },
    },
    trusteeFile: { passphrase: 'correct horse battery staple', text: trusteeFile },
    decryption: {
      votes: [1, 1, 0, 1],
      aggregate: { alpha: point(aggregate.alpha), beta: point(aggregate.beta) },
      context,
      partials: partials.map((p) => ({ trusteeIndex: p.trusteeIndex, share: point(p.share), proof: hex(encodeChaumPedersenProof(p.proof)) })),
      lagrange: Object.fromEntries([...lambdas].map(([i, l]) => [String(i), scalar(l)])),
      combined: point(combined),
      combinedEquals3G: combined.equals(multiplyBase(3n)),
      count: 3,
    },
  };
}

export type Vectors = Awaited<ReturnType<typeof generateVectors>>;

export function renderVectorsJson(vectors: Vectors): string {
  return `${JSON.stringify(vectors, null, 2)}\n`;
}

/** The doc block: the whole vector file, so the doc shows exactly what the test checks. */
export function renderDocBlock(vectors: Vectors): string {
  return [
    DOC_START,
    '',
    `Generated by \`packages/crypto/scripts/key-ceremony-and-credentials-vectors.ts\` (seed \`${SEED}\`); checked by`,
    '`packages/crypto/test/key-ceremony-and-credentials-vectors.test.ts`. All values are lowercase hex; points and scalars',
    'use the encodings of §1.',
    '',
    '```json',
    renderVectorsJson(vectors).trimEnd(),
    '```',
    '',
    DOC_END,
  ].join('\n');
}

export function replaceDocBlock(doc: string, block: string): string {
  const from = doc.indexOf(DOC_START);
  const to = doc.indexOf(DOC_END);
  if (from < 0 || to < from) throw new Error('vectors markers not found in the doc');
  return doc.slice(0, from) + block + doc.slice(to + DOC_END.length);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const vectors = await generateVectors();
  writeFileSync(VECTORS_FILE, renderVectorsJson(vectors));
  writeFileSync(DOC_FILE, replaceDocBlock(readFileSync(DOC_FILE, 'utf8'), renderDocBlock(vectors)));
  console.log(`wrote ${VECTORS_FILE} and the vectors block of ${DOC_FILE}`);
}
