// The trustee's key-share file: the secrets a trustee keeps between the key ceremony and the
// tally, sealed under a passphrase in the trustee's browser and never sent to the server.
//
//   key ‖ check = scrypt(NFKC(passphrase), salt, N = 2^log2N, r, p, dkLen = 64)
//   ciphertext  = XChaCha20-Poly1305(key, nonce, plaintext, associatedData)
//   associatedData = lengthPrefixed("townhall/v1/trustee-file", u32be(version), fingerprint,
//                                   u32be(trusteeIndex), utf8("scrypt"), u32be(log2N), u32be(r),
//                                   u32be(p), salt)
//
// `check` (the second half of the KDF output, independent of the key) is stored so a wrong
// passphrase is told apart from a damaged file: it costs a guesser exactly one KDF run, as the
// AEAD tag would anyway.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { equalBytes } from '@noble/ciphers/utils.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { CryptoError } from '../errors.ts';
import {
  assertBytes,
  assertScalar,
  describeType,
  fromHex,
  scalarFromHex,
  scalarToHex,
  systemRandom,
  toHex,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import { FINGERPRINT_LENGTH, lengthPrefixed, u32be, utf8 } from '../transcript.ts';

export const TRUSTEE_FILE_FORMAT = 'townhall/trustee-key-share';
export const TRUSTEE_FILE_VERSION = 1;
const AD_TAG = 'townhall/v1/trustee-file';
const SALT_LENGTH = 32;
const NONCE_LENGTH = 24;
const CHECK_LENGTH = 32;
export const MAX_TRUSTEE_INDEX = 255;

export interface ScryptParameters {
  /** N = 2^log2N. */
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/** 2^17 × 128 × 8 bytes = 128 MiB and about a second in a browser: OWASP's scrypt floor. */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = Object.freeze({ log2N: 17, r: 8, p: 1 });
/** Bounds accepted when reading a file: low enough for tests, high enough to refuse a memory bomb. */
const SCRYPT_BOUNDS = { log2N: [10, 22], r: [1, 32], p: [1, 16] } as const;

/** What the file protects. */
export interface TrusteeSecrets {
  /** The trustee's ristretto255 identity secret key x (shares are encrypted to x·G). */
  readonly identitySecretKey: Scalar;
  /** The trustee's own polynomial a_0 … a_{k−1}, needed until every share is sent. */
  readonly polynomialCoefficients: readonly Scalar[];
  /** s_i = Σ_j f_j(i), once the ceremony has finished; null before. */
  readonly secretShare: Scalar | null;
}

export interface TrusteeFile {
  readonly format: typeof TRUSTEE_FILE_FORMAT;
  readonly version: typeof TRUSTEE_FILE_VERSION;
  readonly electionFingerprint: string;
  readonly trusteeIndex: number;
  readonly kdf: { readonly algorithm: 'scrypt'; readonly log2N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly aead: { readonly algorithm: 'xchacha20-poly1305'; readonly nonce: string };
  readonly passphraseCheck: string;
  readonly ciphertext: string;
}

export interface SealTrusteeFileInput {
  readonly electionFingerprint: Uint8Array;
  readonly trusteeIndex: number;
  readonly secrets: TrusteeSecrets;
  readonly passphrase: string;
  /** Defaults to {@link DEFAULT_SCRYPT_PARAMETERS}; tests pass cheaper ones. */
  readonly kdf?: ScryptParameters;
  /** Salt and nonce source; defaults to the system CSPRNG. */
  readonly rng?: RandomSource;
}

function corrupt(field: string, message: string): CryptoError {
  return new CryptoError('INVALID_ARGUMENT', field, message);
}

function assertTrusteeIndex(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new CryptoError('INVALID_TYPE', field, `expected a number, got ${describeType(value)}`);
  if (!Number.isInteger(value) || value < 1 || value > MAX_TRUSTEE_INDEX) {
    throw new CryptoError('INVALID_ARGUMENT', field, `expected an integer in [1, ${MAX_TRUSTEE_INDEX}]`);
  }
  return value;
}

function assertPassphrase(value: unknown): string {
  if (typeof value !== 'string') throw new CryptoError('INVALID_TYPE', 'passphrase', `expected a string, got ${describeType(value)}`);
  if (value.length === 0) throw new CryptoError('INVALID_ARGUMENT', 'passphrase', 'must not be empty');
  return value;
}

function assertScryptParameters(value: unknown, field: string): ScryptParameters {
  if (typeof value !== 'object' || value === null) throw new CryptoError('INVALID_TYPE', field, 'expected { log2N, r, p }');
  const parameters = value as Record<string, unknown>;
  for (const name of ['log2N', 'r', 'p'] as const) {
    const v = parameters[name];
    const [min, max] = SCRYPT_BOUNDS[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new CryptoError('INVALID_ARGUMENT', `${field}.${name}`, `expected an integer in [${min}, ${max}]`);
    }
  }
  return value as ScryptParameters;
}

function assertSecrets(value: unknown): TrusteeSecrets {
  if (typeof value !== 'object' || value === null) throw new CryptoError('INVALID_TYPE', 'secrets', 'expected TrusteeSecrets');
  const secrets = value as TrusteeSecrets;
  assertScalar(secrets.identitySecretKey, 'secrets.identitySecretKey', { allowZero: false });
  if (!Array.isArray(secrets.polynomialCoefficients)) {
    throw new CryptoError('INVALID_TYPE', 'secrets.polynomialCoefficients', 'expected an array of scalars');
  }
  secrets.polynomialCoefficients.forEach((a, j) => assertScalar(a, `secrets.polynomialCoefficients[${j}]`));
  if (secrets.secretShare !== null) assertScalar(secrets.secretShare, 'secrets.secretShare');
  return secrets;
}

function associatedData(fingerprint: Uint8Array, trusteeIndex: number, kdf: ScryptParameters, salt: Uint8Array): Uint8Array {
  return lengthPrefixed(
    utf8(AD_TAG),
    u32be(TRUSTEE_FILE_VERSION),
    fingerprint,
    u32be(trusteeIndex),
    utf8('scrypt'),
    u32be(kdf.log2N),
    u32be(kdf.r),
    u32be(kdf.p),
    salt,
  );
}

async function deriveKeyAndCheck(passphrase: string, salt: Uint8Array, kdf: ScryptParameters) {
  const output = await scryptAsync(utf8(passphrase.normalize('NFKC')), salt, {
    N: 2 ** kdf.log2N,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32 + CHECK_LENGTH,
    maxmem: 2 ** 31,
  });
  return { key: output.subarray(0, 32), check: output.subarray(32) };
}

function encodeSecrets(secrets: TrusteeSecrets): Uint8Array {
  return utf8(
    JSON.stringify({
      identitySecretKey: scalarToHex(secrets.identitySecretKey),
      polynomialCoefficients: secrets.polynomialCoefficients.map((a) => scalarToHex(a)),
      secretShare: secrets.secretShare === null ? null : scalarToHex(secrets.secretShare),
    }),
  );
}

function decodeSecrets(plaintext: Uint8Array): TrusteeSecrets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch (error) {
    throw new CryptoError('INVALID_ARGUMENT', 'file.ciphertext', 'decrypted content is not valid JSON', { cause: error });
  }
  const value = parsed as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || !Array.isArray(value.polynomialCoefficients)) {
    throw corrupt('file.ciphertext', 'decrypted content has the wrong shape');
  }
  return {
    identitySecretKey: scalarFromHex(value.identitySecretKey as string, 'secrets.identitySecretKey', { allowZero: false }),
    polynomialCoefficients: value.polynomialCoefficients.map((a, j) =>
      scalarFromHex(a as string, `secrets.polynomialCoefficients[${j}]`),
    ),
    secretShare: value.secretShare === null ? null : scalarFromHex(value.secretShare as string, 'secrets.secretShare'),
  };
}

/** Seal a trustee's secrets; returns the file's JSON text. */
export async function sealTrusteeFile(input: SealTrusteeFileInput): Promise<string> {
  if (typeof input !== 'object' || input === null) throw new CryptoError('INVALID_TYPE', 'input', 'expected SealTrusteeFileInput');
  const fingerprint = assertBytes(input.electionFingerprint, 'electionFingerprint', FINGERPRINT_LENGTH);
  const trusteeIndex = assertTrusteeIndex(input.trusteeIndex, 'trusteeIndex');
  const secrets = assertSecrets(input.secrets);
  const passphrase = assertPassphrase(input.passphrase);
  const kdf = assertScryptParameters(input.kdf ?? DEFAULT_SCRYPT_PARAMETERS, 'kdf');
  const rng = input.rng ?? systemRandom;
  const salt = assertBytes(rng(SALT_LENGTH), 'rng()', SALT_LENGTH);
  const nonce = assertBytes(rng(NONCE_LENGTH), 'rng()', NONCE_LENGTH);
  const { key, check } = await deriveKeyAndCheck(passphrase, salt, kdf);
  const ciphertext = xchacha20poly1305(key, nonce, associatedData(fingerprint, trusteeIndex, kdf, salt)).encrypt(
    encodeSecrets(secrets),
  );
  const file: TrusteeFile = {
    format: TRUSTEE_FILE_FORMAT,
    version: TRUSTEE_FILE_VERSION,
    electionFingerprint: toHex(fingerprint),
    trusteeIndex,
    kdf: { algorithm: 'scrypt', log2N: kdf.log2N, r: kdf.r, p: kdf.p, salt: toHex(salt) },
    aead: { algorithm: 'xchacha20-poly1305', nonce: toHex(nonce) },
    passphraseCheck: toHex(check),
    ciphertext: toHex(ciphertext),
  };
  return JSON.stringify(file, null, 2);
}

/**
 * Parse and check the unencrypted header of a trustee file (no passphrase needed), so a UI can
 * show which election and trustee a file belongs to. Throws INVALID_ARGUMENT (or INVALID_TYPE /
 * INVALID_HEX / INVALID_LENGTH) naming the `file.*` field for anything malformed or unsupported.
 */
export function readTrusteeFileHeader(text: string): TrusteeFile {
  if (typeof text !== 'string') throw new CryptoError('INVALID_TYPE', 'file', `expected JSON text, got ${describeType(text)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CryptoError('INVALID_ARGUMENT', 'file', 'not JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt('file', 'expected a JSON object');
  const file = parsed as Record<string, unknown>;
  if (file.format !== TRUSTEE_FILE_FORMAT) throw corrupt('file.format', `not a ${TRUSTEE_FILE_FORMAT} file`);
  if (file.version !== TRUSTEE_FILE_VERSION) throw corrupt('file.version', `unsupported version ${String(file.version)}`);
  fromHex(file.electionFingerprint as string, 'file.electionFingerprint', FINGERPRINT_LENGTH);
  assertTrusteeIndex(file.trusteeIndex, 'file.trusteeIndex');
  const kdf = file.kdf as Record<string, unknown> | null;
  if (typeof kdf !== 'object' || kdf === null || kdf.algorithm !== 'scrypt') throw corrupt('file.kdf.algorithm', 'unsupported KDF');
  assertScryptParameters(kdf, 'file.kdf');
  fromHex(kdf.salt as string, 'file.kdf.salt', SALT_LENGTH);
  const aead = file.aead as Record<string, unknown> | null;
  if (typeof aead !== 'object' || aead === null || aead.algorithm !== 'xchacha20-poly1305') {
    throw corrupt('file.aead.algorithm', 'unsupported cipher');
  }
  fromHex(aead.nonce as string, 'file.aead.nonce', NONCE_LENGTH);
  fromHex(file.passphraseCheck as string, 'file.passphraseCheck', CHECK_LENGTH);
  const ciphertext = fromHex(file.ciphertext as string, 'file.ciphertext');
  if (ciphertext.length < 16) throw new CryptoError('INVALID_LENGTH', 'file.ciphertext', 'shorter than the AEAD tag');
  return parsed as TrusteeFile;
}

export interface OpenTrusteeFileExpectation {
  readonly electionFingerprint?: Uint8Array;
  readonly trusteeIndex?: number;
}

/**
 * Open a trustee file. Errors, by cause:
 * - wrong passphrase → `INVALID_PASSPHRASE` (field `passphrase`);
 * - malformed, unsupported or damaged file → `INVALID_ARGUMENT` (or a decoding code) on a `file.*` field;
 * - a file for another election or trustee than `expected` → `INVALID_ARGUMENT` on that field.
 */
export async function openTrusteeFile(
  text: string,
  passphrase: string,
  expected: OpenTrusteeFileExpectation = {},
): Promise<TrusteeSecrets> {
  const file = readTrusteeFileHeader(text);
  assertPassphrase(passphrase);
  const fingerprint = fromHex(file.electionFingerprint, 'file.electionFingerprint', FINGERPRINT_LENGTH);
  if (expected.electionFingerprint !== undefined) {
    assertBytes(expected.electionFingerprint, 'expected.electionFingerprint', FINGERPRINT_LENGTH);
    if (!equalBytes(expected.electionFingerprint, fingerprint)) {
      throw corrupt('file.electionFingerprint', 'this file belongs to another election');
    }
  }
  if (expected.trusteeIndex !== undefined && expected.trusteeIndex !== file.trusteeIndex) {
    assertTrusteeIndex(expected.trusteeIndex, 'expected.trusteeIndex');
    throw corrupt('file.trusteeIndex', `this file belongs to trustee ${file.trusteeIndex}`);
  }
  const kdf: ScryptParameters = { log2N: file.kdf.log2N, r: file.kdf.r, p: file.kdf.p };
  const salt = fromHex(file.kdf.salt, 'file.kdf.salt', SALT_LENGTH);
  const { key, check } = await deriveKeyAndCheck(passphrase, salt, kdf);
  if (!equalBytes(check, fromHex(file.passphraseCheck, 'file.passphraseCheck', CHECK_LENGTH))) {
    throw new CryptoError('INVALID_PASSPHRASE', 'passphrase', 'wrong passphrase for this trustee file');
  }
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(
      key,
      fromHex(file.aead.nonce, 'file.aead.nonce', NONCE_LENGTH),
      associatedData(fingerprint, file.trusteeIndex, kdf, salt),
    ).decrypt(fromHex(file.ciphertext, 'file.ciphertext'));
  } catch (error) {
    throw new CryptoError('INVALID_ARGUMENT', 'file.ciphertext', 'the file is damaged or was altered (authentication failed)', {
      cause: error,
    });
  }
  return decodeSecrets(plaintext);
}
