// Issuer side of RFC 9474 on OpenSSL through node:crypto. Node only: exported as the
// `@townhall/crypto/credentials-signer` subpath so no browser bundle pulls in node:crypto.
//
// BlindSign (RFC 9474 §4.3) is RSASP1 on the blinded message, i.e. raw RSA with the private key:
// `privateDecrypt` with RSA_NO_PADDING runs OpenSSL's constant-time, blinded CRT exponentiation.
// The result is checked with the public key (s^e mod n == m) before it leaves the issuer, so a
// computation fault cannot leak a factor of n (the §4.3 step 3–4 check).
import {
  KeyObject,
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  privateDecrypt,
  publicEncrypt,
  timingSafeEqual,
} from 'node:crypto';
import { promisify } from 'node:util';
import { CryptoError, wrapErrors } from '../errors.ts';
import { bytesToBigIntBE, describeType, requireBytes } from './bytes.ts';
import { MAX_MODULUS_BITS, MIN_MODULUS_BITS } from './blind-rsa.ts';

export const ISSUER_MODULUS_BITS = 3072;
const generateKeyPairAsync = promisify(generateKeyPair);

export interface BlindSigner {
  /** SubjectPublicKeyInfo DER of the issuer key, for `IssuerKeyPublished`. */
  readonly publicKeySpki: Uint8Array;
  /** kLen: the byte length of blinded messages and blind signatures. */
  readonly modulusLength: number;
  /** RFC 9474 BlindSign with the fault check; throws CryptoError on a malformed blinded message. */
  blindSign(blindedMessage: Uint8Array): Uint8Array;
}

function requireRsaPrivateKey(value: unknown, field = 'privateKey'): KeyObject {
  if (!(value instanceof KeyObject) || value.type !== 'private' || value.asymmetricKeyType !== 'rsa') {
    throw new CryptoError('INVALID_TYPE', field, `expected an RSA private KeyObject, got ${describeType(value)}`);
  }
  const details = value.asymmetricKeyDetails;
  const bits = details?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
    throw new CryptoError('INVALID_ARGUMENT', field, `modulus has ${bits} bits; expected ${MIN_MODULUS_BITS}–${MAX_MODULUS_BITS}`);
  }
  if (details?.publicExponent !== 65537n) {
    throw new CryptoError('INVALID_ARGUMENT', field, 'public exponent must be 65537');
  }
  return value;
}

/** A fresh issuer key (3072-bit by default, e = 65537). */
export async function generateIssuerKey(modulusBits: number = ISSUER_MODULUS_BITS): Promise<KeyObject> {
  if (!Number.isInteger(modulusBits) || modulusBits < MIN_MODULUS_BITS || modulusBits > MAX_MODULUS_BITS) {
    throw new CryptoError('INVALID_ARGUMENT', 'modulusBits', `expected an integer in ${MIN_MODULUS_BITS}–${MAX_MODULUS_BITS}`);
  }
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: modulusBits, publicExponent: 65537 });
  return privateKey;
}

/** PKCS#8 DER, for the issuer's sealed storage. */
export function exportIssuerPrivateKey(privateKey: KeyObject): Uint8Array {
  requireRsaPrivateKey(privateKey);
  return new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
}

export function importIssuerPrivateKey(pkcs8Der: Uint8Array): KeyObject {
  requireBytes(pkcs8Der, 'pkcs8Der');
  const key = wrapErrors('INVALID_ARGUMENT', 'pkcs8Der', () =>
    createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' }),
  );
  return requireRsaPrivateKey(key, 'pkcs8Der');
}

/** SubjectPublicKeyInfo DER (rsaEncryption), what `importIssuerPublicKey` reads. */
export function exportIssuerPublicKeySpki(privateKey: KeyObject): Uint8Array {
  requireRsaPrivateKey(privateKey);
  return new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
}

export function createBlindSigner(privateKey: KeyObject): BlindSigner {
  requireRsaPrivateKey(privateKey);
  const publicKey = createPublicKey(privateKey);
  const modulusLength = Math.ceil(privateKey.asymmetricKeyDetails!.modulusLength! / 8);
  const jwk = publicKey.export({ format: 'jwk' });
  const modulus = bytesToBigIntBE(new Uint8Array(Buffer.from(jwk.n!, 'base64url')));
  const publicKeySpki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));

  function blindSign(blindedMessage: Uint8Array): Uint8Array {
    requireBytes(blindedMessage, 'blindedMessage', modulusLength);
    // RFC 9474 §4.3 step 1–2: RSASP1 needs 0 ≤ m < n.
    if (bytesToBigIntBE(blindedMessage) >= modulus) {
      throw new CryptoError('INVALID_ARGUMENT', 'blindedMessage', 'not less than the modulus');
    }
    const signature = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, blindedMessage);
    // §4.3 step 3–4: m' = RSAVP1(pk, s); refuse to answer unless m' == m.
    const check = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
    if (check.length !== blindedMessage.length || !timingSafeEqual(check, blindedMessage)) {
      throw new CryptoError('INVALID_SIGNATURE', 'blindedMessage', 'signing failure: fault check did not pass');
    }
    return new Uint8Array(signature);
  }

  return Object.freeze({ publicKeySpki, modulusLength, blindSign });
}
