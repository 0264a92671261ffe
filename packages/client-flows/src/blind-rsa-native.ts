/**
 * The client half of RFC 9474 (RSABSSA-SHA384-PSS-Randomized) with native arithmetic, for the
 * simulator's voters: the same Blind and Finalize steps as `requestCredential` / `finalizeCredential`
 * in @townhall/crypto, on the same message (`CREDENTIAL_MESSAGE_TAG ‖ fingerprint ‖ ballot key`, a
 * fresh 32-byte prefix), and with the same outputs (`PendingCredential`, `Credential`), but with
 * BigInt and OpenSSL instead of @cloudflare/blindrsa-ts's pure-JS bignums (sjcl), which spend about
 * 70 ms of CPU per credential at 3072 bits — an hour of CPU for 100,000 voters.
 *
 * The issuer (the real server) sees exactly what a browser sends: a blinded message of kLen bytes.
 * Its answer is unblinded and checked with RSASSA-PSS-VERIFY (RFC 9474 §4.4), and blind-rsa-native's
 * test checks both directions against @townhall/crypto.
 */
import { constants, createHash, createPublicKey, publicEncrypt, randomBytes, verify, type KeyObject } from 'node:crypto';
import {
  MESSAGE_PREFIX_LENGTH,
  encodeCredentialMessage,
  importIssuerPublicKey,
  type Credential,
  type CredentialRequest,
  type PendingCredential,
} from '@townhall/crypto';

/** RFC 9474 §5 RSABSSA-SHA384-PSS-Randomized: SHA-384, MGF1-SHA-384, 48-byte salt. */
const HASH = 'sha384';
const HASH_LENGTH = 48;
const SALT_LENGTH = 48;

export interface NativeIssuerKey {
  readonly publicKey: KeyObject;
  readonly modulus: bigint;
  /** Modulus length in bits and in bytes (kLen). */
  readonly modulusBits: number;
  readonly modulusLength: number;
}

const os2ip = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`));

function i2osp(value: bigint, length: number): Buffer {
  const hex = value.toString(16);
  if (hex.length > 2 * length) throw new Error('integer too large');
  return Buffer.from(hex.padStart(2 * length, '0'), 'hex');
}

/** x⁻¹ mod m by the extended Euclidean algorithm; throws if gcd(x, m) ≠ 1. */
function inverseMod(x: bigint, m: bigint): bigint {
  let [r0, r1] = [x % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible modulo n');
  return s0 < 0n ? s0 + m : s0;
}

/**
 * Imports the issuer key as the voter app does (@townhall/crypto's checks: RSA, e = 65537,
 * 2048–4096 bits), and as a node:crypto key for the native steps.
 */
export async function importNativeIssuerKey(spki: Uint8Array): Promise<NativeIssuerKey> {
  const checked = await importIssuerPublicKey(spki);
  const publicKey = createPublicKey({ key: Buffer.from(checked.spki), format: 'der', type: 'spki' });
  return Object.freeze({ publicKey, modulus: checked.modulus, modulusBits: checked.modulus.toString(2).length, modulusLength: checked.modulusLength });
}

function mgf1(seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, done = 0; done < length; i++, done += HASH_LENGTH) {
    counter.writeUInt32BE(i);
    blocks.push(createHash(HASH).update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-384, MGF1-SHA-384 and a fresh 48-byte salt. */
function emsaPssEncode(message: Uint8Array, emBits: number): Buffer {
  const emLength = Math.ceil(emBits / 8);
  if (emLength < HASH_LENGTH + SALT_LENGTH + 2) throw new Error('encoding error');
  const mHash = createHash(HASH).update(message).digest();
  const salt = randomBytes(SALT_LENGTH);
  const h = createHash(HASH).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.alloc(emLength - HASH_LENGTH - 1);
  db[db.length - SALT_LENGTH - 1] = 0x01;
  salt.copy(db, db.length - SALT_LENGTH);
  const mask = mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLength - emBits);
  return Buffer.concat([db, h, Buffer.of(0xbc)]);
}

/** A uniformly random integer in [1, n) (rejection sampling on bit_len(n) random bits). */
function randomBelow(n: bigint, bits: number, length: number): bigint {
  const excess = 8 * length - bits;
  for (;;) {
    const bytes = randomBytes(length);
    bytes[0]! &= 0xff >> excess;
    const r = os2ip(bytes);
    if (r > 0n && r < n) return r;
  }
}

/** RFC 9474 §4.1–4.2 Prepare and Blind for the credential message of `ballotPublicKey`. */
export function requestCredentialNative(issuer: NativeIssuerKey, electionFingerprint: Uint8Array, ballotPublicKey: Uint8Array): CredentialRequest {
  const { modulus: n, modulusLength: kLen } = issuer;
  const preparedMessage = new Uint8Array(Buffer.concat([randomBytes(MESSAGE_PREFIX_LENGTH), encodeCredentialMessage(electionFingerprint, ballotPublicKey)]));
  const m = os2ip(emsaPssEncode(preparedMessage, issuer.modulusBits - 1));
  const r = randomBelow(n, issuer.modulusBits, kLen);
  // One inversion checks both coprimalities (m and r with n) and gives r⁻¹ = m · (m·r)⁻¹.
  let inverse: bigint;
  try {
    inverse = (m * inverseMod((m * r) % n, n)) % n;
  } catch {
    throw new Error('invalid input: the encoded message or the blind is not coprime with the modulus');
  }
  // x = r^e mod n: RSAVP1 with OpenSSL (raw RSA public operation).
  const x = os2ip(publicEncrypt({ key: issuer.publicKey, padding: constants.RSA_NO_PADDING }, i2osp(r, kLen)));
  const blindedMessage = new Uint8Array(i2osp((m * x) % n, kLen));
  return { blindedMessage, pending: { preparedMessage, inverse: new Uint8Array(i2osp(inverse, kLen)) } };
}

/** RFC 9474 §4.4 Finalize: unblind and verify (RSASSA-PSS-VERIFY); throws if the issuer's answer is bad. */
export function finalizeCredentialNative(issuer: NativeIssuerKey, pending: PendingCredential, blindSignature: Uint8Array): Credential {
  const { modulus: n, modulusLength: kLen } = issuer;
  if (blindSignature.length !== kLen || pending.inverse.length !== kLen) throw new Error('unexpected input size');
  const z = os2ip(blindSignature);
  if (z >= n) throw new Error('blind signature not less than the modulus');
  const signature = new Uint8Array(i2osp((z * os2ip(pending.inverse)) % n, kLen));
  const valid = verify(HASH, pending.preparedMessage, { key: issuer.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: SALT_LENGTH }, signature);
  if (!valid) throw new Error('invalid signature: the issuer answer does not unblind to a valid credential');
  return { messagePrefix: pending.preparedMessage.slice(0, MESSAGE_PREFIX_LENGTH), signature };
}
