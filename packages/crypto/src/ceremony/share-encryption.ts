// Round 2: trustee i sends f_i(ℓ) to trustee ℓ, encrypted to ℓ's identity key X_ℓ
// (`TrusteeShareSent`). Hybrid encryption with a fresh ephemeral key per share:
//
//   E  = e·G,  Z = e·X_ℓ  (= x_ℓ·E)
//   key ‖ nonce = HKDF-SHA256(ikm = enc(Z), salt = empty,
//                  info = lengthPrefixed("townhall/v1/ceremony/share-key", fp, u32be(i), u32be(ℓ),
//                                        enc(E), enc(X_ℓ)), L = 56)
//   ciphertext = XChaCha20-Poly1305(key, nonce, enc(f_i(ℓ)),
//                  AD = lengthPrefixed("townhall/v1/ceremony/share", fp, u32be(i), u32be(ℓ), enc(E)))
//
// Key and nonce are single-use because E is fresh. Revealing Z (with a proof, see complaint.ts)
// lets anyone decrypt exactly this one share and nothing else.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.ts';
import {
  assertBytes,
  assertPoint,
  assertScalar,
  decodePoint,
  decodeScalar,
  encodePoint,
  encodeScalar,
  multiplyBase,
  multiplySecret,
  randomScalar,
  systemRandom,
  type Point,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import { lengthPrefixed, u32be, utf8 } from '../transcript.ts';
import { assertCeremonyParameters, assertTrusteeIndex, type CeremonyParameters } from './parameters.ts';
import { evaluatePolynomial } from './polynomial.ts';

export const SHARE_KEY_TAG = 'townhall/v1/ceremony/share-key';
export const SHARE_AD_TAG = 'townhall/v1/ceremony/share';
/** 32-byte scalar + 16-byte Poly1305 tag. */
export const SHARE_CIPHERTEXT_LENGTH = 48;

export interface EncryptedShare {
  readonly sender: number;
  readonly recipient: number;
  /** E = e·G. */
  readonly ephemeralKey: Point;
  readonly ciphertext: Uint8Array;
}

export function assertEncryptedShare(value: unknown, parameters: CeremonyParameters, field = 'encryptedShare'): EncryptedShare {
  if (typeof value !== 'object' || value === null) throw new CryptoError('INVALID_TYPE', field, 'expected an EncryptedShare');
  const share = value as EncryptedShare;
  assertTrusteeIndex(share.sender, parameters, `${field}.sender`);
  assertTrusteeIndex(share.recipient, parameters, `${field}.recipient`);
  if (share.sender === share.recipient) throw new CryptoError('INVALID_ARGUMENT', `${field}.recipient`, 'a trustee keeps its own share');
  assertPoint(share.ephemeralKey, `${field}.ephemeralKey`);
  assertBytes(share.ciphertext, `${field}.ciphertext`, SHARE_CIPHERTEXT_LENGTH);
  return share;
}

/** The AEAD keyed from the DH secret Z (the recipient and a complaint's judge derive the same). */
function deriveShareCipher(
  parameters: CeremonyParameters,
  share: Pick<EncryptedShare, 'sender' | 'recipient' | 'ephemeralKey'>,
  recipientIdentityKey: Point,
  sharedSecret: Point,
) {
  const fingerprint = parameters.electionFingerprint;
  const info = lengthPrefixed(
    utf8(SHARE_KEY_TAG),
    fingerprint,
    u32be(share.sender),
    u32be(share.recipient),
    encodePoint(share.ephemeralKey),
    encodePoint(recipientIdentityKey),
  );
  const okm = hkdf(sha256, encodePoint(sharedSecret), new Uint8Array(0), info, 56);
  const associatedData = lengthPrefixed(
    utf8(SHARE_AD_TAG),
    fingerprint,
    u32be(share.sender),
    u32be(share.recipient),
    encodePoint(share.ephemeralKey),
  );
  return xchacha20poly1305(okm.subarray(0, 32), okm.subarray(32), associatedData);
}

/** Trustee `sender` encrypts f_sender(recipient) to the recipient's identity key. */
export function encryptShare(
  parameters: CeremonyParameters,
  sender: number,
  polynomialCoefficients: readonly Scalar[],
  recipient: number,
  recipientIdentityKey: Point,
  rng: RandomSource = systemRandom,
): EncryptedShare {
  assertCeremonyParameters(parameters);
  assertTrusteeIndex(sender, parameters, 'sender');
  assertTrusteeIndex(recipient, parameters, 'recipient');
  if (sender === recipient) throw new CryptoError('INVALID_ARGUMENT', 'recipient', 'a trustee keeps its own share');
  if (!Array.isArray(polynomialCoefficients) || polynomialCoefficients.length !== parameters.threshold) {
    throw new CryptoError('INVALID_LENGTH', 'polynomialCoefficients', `expected ${parameters.threshold} coefficients`);
  }
  polynomialCoefficients.forEach((a, j) => assertScalar(a, `polynomialCoefficients[${j}]`));
  assertPoint(recipientIdentityKey, 'recipientIdentityKey');
  const ephemeralSecret = randomScalar(rng);
  const header = { sender, recipient, ephemeralKey: multiplyBase(ephemeralSecret) };
  const sharedSecret = multiplySecret(recipientIdentityKey, ephemeralSecret);
  const share = evaluatePolynomial(polynomialCoefficients, recipient);
  const ciphertext = deriveShareCipher(parameters, header, recipientIdentityKey, sharedSecret).encrypt(encodeScalar(share));
  return { ...header, ciphertext };
}

/** The DH secret Z = x·E that the recipient computes (and reveals in a complaint). */
export function computeShareSecret(identitySecretKey: Scalar, share: EncryptedShare): Point {
  assertScalar(identitySecretKey, 'identitySecretKey', { allowZero: false });
  if (typeof share !== 'object' || share === null) throw new CryptoError('INVALID_TYPE', 'encryptedShare', 'expected an EncryptedShare');
  assertPoint(share.ephemeralKey, 'encryptedShare.ephemeralKey');
  return multiplySecret(share.ephemeralKey, identitySecretKey);
}

/**
 * Decrypts a share with the DH secret. Throws INVALID_SHARE if the ciphertext does not
 * authenticate or does not hold a canonical scalar: either is grounds for a complaint.
 */
export function openShareWithSecret(
  parameters: CeremonyParameters,
  share: EncryptedShare,
  recipientIdentityKey: Point,
  sharedSecret: Point,
): Scalar {
  assertCeremonyParameters(parameters);
  assertEncryptedShare(share, parameters);
  assertPoint(recipientIdentityKey, 'recipientIdentityKey');
  assertPoint(sharedSecret, 'sharedSecret');
  let plaintext: Uint8Array;
  try {
    plaintext = deriveShareCipher(parameters, share, recipientIdentityKey, sharedSecret).decrypt(share.ciphertext);
  } catch (error) {
    throw new CryptoError('INVALID_SHARE', 'encryptedShare.ciphertext', 'the share does not decrypt', { cause: error });
  }
  try {
    return decodeScalar(plaintext, 'share');
  } catch (error) {
    throw new CryptoError('INVALID_SHARE', 'encryptedShare.ciphertext', 'the share is not a canonical scalar', { cause: error });
  }
}

/** Wire form: u32be(sender) ‖ u32be(recipient) ‖ E ‖ ciphertext, 88 bytes. */
export function encodeEncryptedShare(parameters: CeremonyParameters, share: EncryptedShare): Uint8Array {
  assertCeremonyParameters(parameters);
  assertEncryptedShare(share, parameters);
  const out = new Uint8Array(88);
  const view = new DataView(out.buffer);
  view.setUint32(0, share.sender);
  view.setUint32(4, share.recipient);
  out.set(encodePoint(share.ephemeralKey), 8);
  out.set(share.ciphertext, 40);
  return out;
}

export function decodeEncryptedShare(parameters: CeremonyParameters, bytes: Uint8Array, field = 'encryptedShare'): EncryptedShare {
  assertCeremonyParameters(parameters);
  assertBytes(bytes, field, 88);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const share: EncryptedShare = {
    sender: view.getUint32(0),
    recipient: view.getUint32(4),
    ephemeralKey: decodePoint(bytes.subarray(8, 40), `${field}.ephemeralKey`),
    ciphertext: bytes.slice(40),
  };
  return assertEncryptedShare(share, parameters, field);
}
