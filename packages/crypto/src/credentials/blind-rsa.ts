// Client side of RFC 9474 RSABSSA-SHA384-PSS-Randomized, on @cloudflare/blindrsa-ts (WebCrypto,
// so it runs in the browser and in Node). The issuer's signing half lives in signer-node.ts.
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { CryptoError } from '../errors.ts';
import { bytesToBigIntBE, describeType, requireBytes } from './bytes.ts';

/** RFC 9474 §5: SHA-384, PSS with a 48-byte salt, 32-byte random message prefix. */
export const BLIND_RSA_SUITE_NAME = 'RSABSSA-SHA384-PSS-Randomized';
export const MESSAGE_PREFIX_LENGTH = 32;
export const MIN_MODULUS_BITS = 2048;
export const MAX_MODULUS_BITS = 4096;
const RSA_PUBLIC_EXPONENT = 65537n;

const suite = RSABSSA.SHA384.PSS.Randomized();

/** An issuer public key checked and imported for RSA-PSS/SHA-384 verification. */
export interface IssuerPublicKey {
  readonly kind: 'townhall/issuer-public-key';
  readonly cryptoKey: CryptoKey;
  /** SubjectPublicKeyInfo DER, as published in `IssuerKeyPublished`. */
  readonly spki: Uint8Array;
  readonly modulus: bigint;
  /** Modulus length in bytes (kLen): the length of every blinded message and signature. */
  readonly modulusLength: number;
}

export interface BlindingResult {
  readonly blindedMessage: Uint8Array;
  /** r⁻¹ mod n, kept by the client until the blind signature comes back. */
  readonly inverse: Uint8Array;
}

async function wrapAsync<T>(code: CryptoError['code'], field: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new CryptoError(code, field, detail, { cause: error });
  }
}

function decodeBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Import an issuer key from its SPKI DER; rejects anything but RSA with e = 65537 and 2048–4096 bits. */
export async function importIssuerPublicKey(spki: Uint8Array): Promise<IssuerPublicKey> {
  requireBytes(spki, 'spki');
  const cryptoKey = await wrapAsync('INVALID_ARGUMENT', 'spki', () =>
    crypto.subtle.importKey('spki', new Uint8Array(spki), { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']),
  );
  const jwk = await crypto.subtle.exportKey('jwk', cryptoKey);
  if (!jwk.n || !jwk.e) throw new CryptoError('INVALID_ARGUMENT', 'spki', 'not an RSA public key');
  const modulusBytes = decodeBase64Url(jwk.n);
  const modulus = bytesToBigIntBE(modulusBytes);
  const bits = modulus.toString(2).length;
  if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
    throw new CryptoError('INVALID_ARGUMENT', 'spki', `modulus has ${bits} bits; expected ${MIN_MODULUS_BITS}–${MAX_MODULUS_BITS}`);
  }
  if (bytesToBigIntBE(decodeBase64Url(jwk.e)) !== RSA_PUBLIC_EXPONENT) {
    throw new CryptoError('INVALID_ARGUMENT', 'spki', 'public exponent must be 65537');
  }
  return Object.freeze({
    kind: 'townhall/issuer-public-key' as const,
    cryptoKey,
    spki: new Uint8Array(spki),
    modulus,
    modulusLength: Math.ceil(bits / 8),
  });
}

export function requireIssuerPublicKey(value: unknown, field = 'issuerPublicKey'): IssuerPublicKey {
  if (typeof value !== 'object' || value === null || (value as IssuerPublicKey).kind !== 'townhall/issuer-public-key') {
    throw new CryptoError('INVALID_TYPE', field, `expected an IssuerPublicKey from importIssuerPublicKey, got ${describeType(value)}`);
  }
  return value as IssuerPublicKey;
}

/** RFC 9474 §4.1 Prepare: a fresh 32-byte random prefix ‖ message. */
export function prepareMessage(message: Uint8Array): Uint8Array {
  requireBytes(message, 'message');
  return suite.prepare(message);
}

/** RFC 9474 §4.2 Blind. */
export async function blindMessage(issuerPublicKey: IssuerPublicKey, preparedMessage: Uint8Array): Promise<BlindingResult> {
  requireIssuerPublicKey(issuerPublicKey);
  requireBytes(preparedMessage, 'preparedMessage');
  if (preparedMessage.length < MESSAGE_PREFIX_LENGTH) {
    throw new CryptoError('INVALID_LENGTH', 'preparedMessage', `shorter than the ${MESSAGE_PREFIX_LENGTH}-byte prefix`);
  }
  const { blindedMsg, inv } = await wrapAsync('INVALID_ARGUMENT', 'preparedMessage', () =>
    suite.blind(issuerPublicKey.cryptoKey, preparedMessage),
  );
  return { blindedMessage: blindedMsg, inverse: inv };
}

/** RFC 9474 §4.4 Finalize: unblind and verify; throws INVALID_SIGNATURE if the issuer's answer is bad. */
export async function finalizeBlindSignature(
  issuerPublicKey: IssuerPublicKey,
  preparedMessage: Uint8Array,
  blindSignature: Uint8Array,
  inverse: Uint8Array,
): Promise<Uint8Array> {
  requireIssuerPublicKey(issuerPublicKey);
  requireBytes(preparedMessage, 'preparedMessage');
  requireBytes(blindSignature, 'blindSignature', issuerPublicKey.modulusLength);
  requireBytes(inverse, 'inverse', issuerPublicKey.modulusLength);
  if (bytesToBigIntBE(blindSignature) >= issuerPublicKey.modulus) {
    throw new CryptoError('INVALID_ARGUMENT', 'blindSignature', 'not less than the modulus');
  }
  return wrapAsync('INVALID_SIGNATURE', 'blindSignature', () =>
    suite.finalize(issuerPublicKey.cryptoKey, preparedMessage, blindSignature, inverse),
  );
}

/** RSASSA-PSS-VERIFY (SHA-384, 48-byte salt) of a finalized signature over a prepared message. */
export async function verifyBlindRsaSignature(
  issuerPublicKey: IssuerPublicKey,
  preparedMessage: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  requireIssuerPublicKey(issuerPublicKey);
  requireBytes(preparedMessage, 'preparedMessage');
  requireBytes(signature, 'signature', issuerPublicKey.modulusLength);
  return wrapAsync('INVALID_SIGNATURE', 'signature', () => suite.verify(issuerPublicKey.cryptoKey, signature, preparedMessage));
}
