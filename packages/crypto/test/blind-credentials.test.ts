import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CREDENTIAL_MESSAGE_LENGTH,
  decodeCredential,
  encodeCredential,
  encodeCredentialMessage,
  finalizeCredential,
  generateBallotKeyPair,
  importIssuerPublicKey,
  requestCredential,
  verifyCredential,
  type Credential,
  type IssuerPublicKey,
} from '../src/credentials/index.ts';
import {
  createBlindSigner,
  exportIssuerPrivateKey,
  exportIssuerPublicKeySpki,
  generateIssuerKey,
  importIssuerPrivateKey,
  type BlindSigner,
} from '../src/credentials/signer-node.ts';

const fingerprint = new Uint8Array(32).fill(0x31);
const otherFingerprint = new Uint8Array(32).fill(0x32);
let signer: BlindSigner;
let issuer: IssuerPublicKey;
let otherIssuer: IssuerPublicKey;
const ballot = generateBallotKeyPair();
let credential: Credential;

beforeAll(async () => {
  const [key, otherKey] = await Promise.all([generateIssuerKey(), generateIssuerKey(2048)]);
  signer = createBlindSigner(key);
  issuer = await importIssuerPublicKey(signer.publicKeySpki);
  otherIssuer = await importIssuerPublicKey(exportIssuerPublicKeySpki(otherKey));
  const { blindedMessage, pending } = await requestCredential(issuer, fingerprint, ballot.publicKey);
  credential = await finalizeCredential(issuer, pending, signer.blindSign(blindedMessage));
}, 60_000);

describe('blind-signature credentials', () => {
  it('the issuer key is 3072-bit RSA and the credential message is tag ‖ fingerprint ‖ ballot key', () => {
    expect(signer.modulusLength).toBe(384);
    expect(issuer.modulusLength).toBe(384);
    const message = encodeCredentialMessage(fingerprint, ballot.publicKey);
    expect(message).toHaveLength(CREDENTIAL_MESSAGE_LENGTH);
    expect(new TextDecoder().decode(message.subarray(0, 22))).toBe('townhall/credential/v1');
    expect(message.subarray(22, 54)).toEqual(fingerprint);
    expect(message.subarray(54)).toEqual(ballot.publicKey);
  });

  it('issue → finalize → verify round-trips, also through the wire form', async () => {
    expect(await verifyCredential(issuer, fingerprint, ballot.publicKey, credential)).toBe(true);
    const decoded = decodeCredential(encodeCredential(credential), issuer);
    expect(await verifyCredential(issuer, fingerprint, ballot.publicKey, decoded)).toBe(true);
  });

  it('blinding hides the message: two requests for the same ballot key look unrelated', async () => {
    const a = await requestCredential(issuer, fingerprint, ballot.publicKey);
    const b = await requestCredential(issuer, fingerprint, ballot.publicKey);
    expect(a.blindedMessage).not.toEqual(b.blindedMessage);
    expect(a.blindedMessage).toHaveLength(384);
  });

  it('is not valid for another election, another ballot key, another issuer, or with any change', async () => {
    const flipped = (bytes: Uint8Array, at: number) => bytes.map((b, i) => (i === at ? b ^ 1 : b));
    expect(await verifyCredential(issuer, otherFingerprint, ballot.publicKey, credential)).toBe(false);
    expect(await verifyCredential(issuer, fingerprint, generateBallotKeyPair().publicKey, credential)).toBe(false);
    expect(await verifyCredential(issuer, fingerprint, ballot.publicKey, { ...credential, messagePrefix: flipped(credential.messagePrefix, 0) })).toBe(false);
    expect(await verifyCredential(issuer, fingerprint, ballot.publicKey, { ...credential, signature: flipped(credential.signature, 200) })).toBe(false);
    await expect(verifyCredential(otherIssuer, fingerprint, ballot.publicKey, credential)).rejects.toMatchObject({ code: 'INVALID_LENGTH' });
  });

  it('finalize refuses a blind signature that is not the issuer’s answer', async () => {
    const { blindedMessage, pending } = await requestCredential(issuer, fingerprint, ballot.publicKey);
    const answer = signer.blindSign(blindedMessage);
    answer[383] = answer[383]! ^ 1;
    await expect(finalizeCredential(issuer, pending, answer)).rejects.toMatchObject({ code: 'INVALID_SIGNATURE', field: 'blindSignature' });
    const other = await requestCredential(issuer, fingerprint, ballot.publicKey);
    await expect(finalizeCredential(issuer, pending, signer.blindSign(other.blindedMessage))).rejects.toMatchObject({ code: 'INVALID_SIGNATURE' });
  });

  it('the issuer private key survives a PKCS#8 round trip and signs the same way', async () => {
    const key = await generateIssuerKey(2048);
    const again = importIssuerPrivateKey(exportIssuerPrivateKey(key));
    const blinded = new Uint8Array(256).fill(0x42);
    expect(createBlindSigner(again).blindSign(blinded)).toEqual(createBlindSigner(key).blindSign(blinded));
  });

  describe('hostile inputs → typed CryptoError', () => {
    const weakKey = () => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' });
    const exponent3 = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey.export({ format: 'der', type: 'spki' });
    const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
    const asyncCases: [string, () => Promise<unknown>, string, string][] = [
      ['spki of garbage', () => importIssuerPublicKey(new Uint8Array(40).fill(1)), 'INVALID_ARGUMENT', 'spki'],
      ['spki as base64 text', () => importIssuerPublicKey('MIIB' as never), 'INVALID_TYPE', 'spki'],
      ['1024-bit issuer key', () => importIssuerPublicKey(new Uint8Array(weakKey())), 'INVALID_ARGUMENT', 'spki'],
      ['public exponent 3', () => importIssuerPublicKey(new Uint8Array(exponent3())), 'INVALID_ARGUMENT', 'spki'],
      ['EC key', () => importIssuerPublicKey(new Uint8Array(ecKey())), 'INVALID_ARGUMENT', 'spki'],
      ['issuer key not imported', () => requestCredential({} as never, fingerprint, ballot.publicKey), 'INVALID_TYPE', 'issuerPublicKey'],
      ['fingerprint of 31 bytes', () => requestCredential(issuer, new Uint8Array(31), ballot.publicKey), 'INVALID_LENGTH', 'electionFingerprint'],
      ['ballot key of 33 bytes', () => requestCredential(issuer, fingerprint, new Uint8Array(33)), 'INVALID_LENGTH', 'ballotPublicKey'],
      ['ballot key as hex', () => verifyCredential(issuer, fingerprint, 'ab' as never, credential), 'INVALID_TYPE', 'ballotPublicKey'],
      ['credential null', () => verifyCredential(issuer, fingerprint, ballot.publicKey, null as never), 'INVALID_TYPE', 'credential'],
      ['signature of 383 bytes', () => verifyCredential(issuer, fingerprint, ballot.publicKey, { ...credential, signature: credential.signature.subarray(1) }), 'INVALID_LENGTH', 'credential.signature'],
      ['prefix of 31 bytes', () => verifyCredential(issuer, fingerprint, ballot.publicKey, { ...credential, messagePrefix: new Uint8Array(31) }), 'INVALID_LENGTH', 'credential.messagePrefix'],
      ['blind signature ≥ n', async () => {
        const { pending } = await requestCredential(issuer, fingerprint, ballot.publicKey);
        return finalizeCredential(issuer, pending, new Uint8Array(384).fill(0xff));
      }, 'INVALID_ARGUMENT', 'blindSignature'],
      ['pending missing', () => finalizeCredential(issuer, undefined as never, new Uint8Array(384)), 'INVALID_TYPE', 'pending'],
      ['issuer key 1024 bits', () => generateIssuerKey(1024), 'INVALID_ARGUMENT', 'modulusBits'],
    ];
    it.each(asyncCases)('%s', async (_name, run, code, field) => {
      await expect(run()).rejects.toMatchObject({ name: 'CryptoError', code, field });
    });

    const syncCases: [string, () => unknown, string, string][] = [
      ['blinded message too short', () => signer.blindSign(new Uint8Array(383)), 'INVALID_LENGTH', 'blindedMessage'],
      ['blinded message ≥ n', () => signer.blindSign(new Uint8Array(384).fill(0xff)), 'INVALID_ARGUMENT', 'blindedMessage'],
      ['blinded message as array', () => signer.blindSign([1, 2, 3] as never), 'INVALID_TYPE', 'blindedMessage'],
      ['signer from a public key', () => createBlindSigner(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey), 'INVALID_TYPE', 'privateKey'],
      ['signer from an EC key', () => createBlindSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), 'INVALID_TYPE', 'privateKey'],
      ['PKCS#8 garbage', () => importIssuerPrivateKey(new Uint8Array(64)), 'INVALID_ARGUMENT', 'pkcs8Der'],
      ['decode credential wrong length', () => decodeCredential(new Uint8Array(400), issuer), 'INVALID_LENGTH', 'credential'],
      ['encode credential null', () => encodeCredential(null as never), 'INVALID_TYPE', 'credential'],
    ];
    it.each(syncCases)('%s', (_name, run, code, field) => {
      expect(run).toThrow(expect.objectContaining({ name: 'CryptoError', code, field }));
    });
  });
});
