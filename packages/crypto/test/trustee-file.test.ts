import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GROUP_ORDER, createSeededRandom, randomScalar } from '../src/group.ts';
import {
  DEFAULT_SCRYPT_PARAMETERS,
  openTrusteeFile,
  readTrusteeFileHeader,
  sealTrusteeFile,
  type TrusteeSecrets,
} from '../src/trustee-file/index.ts';

const cheapKdf = { log2N: 10, r: 8, p: 1 };
const fingerprint = new Uint8Array(32).fill(7);
const otherFingerprint = new Uint8Array(32).fill(8);
const rng = createSeededRandom('trustee-file-test');
const secrets: TrusteeSecrets = {
  identitySecretKey: randomScalar(rng),
  polynomialCoefficients: [randomScalar(rng), randomScalar(rng)],
  secretShare: randomScalar(rng),
};
const passphrase = 'correct horse battery staple';

async function sealed(overrides: Partial<Parameters<typeof sealTrusteeFile>[0]> = {}) {
  return sealTrusteeFile({ electionFingerprint: fingerprint, trusteeIndex: 2, secrets, passphrase, kdf: cheapKdf, ...overrides });
}

function edit(text: string, change: (file: any) => void): string {
  const file = JSON.parse(text);
  change(file);
  return JSON.stringify(file);
}

const flipHex = (hex: string, at = 0) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);

describe('trustee key-share file', () => {
  it('defaults to strong scrypt parameters (128 MiB)', () => {
    expect(DEFAULT_SCRYPT_PARAMETERS).toEqual({ log2N: 17, r: 8, p: 1 });
  });

  it('round-trips any secrets under any passphrase', async () => {
    const scalar = fc.bigInt({ min: 1n, max: GROUP_ORDER - 1n });
    await fc.assert(
      fc.asyncProperty(
        scalar,
        fc.array(fc.bigInt({ min: 0n, max: GROUP_ORDER - 1n }), { maxLength: 5 }),
        fc.option(scalar, { nil: null }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 255 }),
        async (identitySecretKey, polynomialCoefficients, secretShare, pass, trusteeIndex) => {
          const input = { identitySecretKey, polynomialCoefficients, secretShare };
          const text = await sealTrusteeFile({ electionFingerprint: fingerprint, trusteeIndex, secrets: input, passphrase: pass, kdf: cheapKdf });
          expect(await openTrusteeFile(text, pass, { electionFingerprint: fingerprint, trusteeIndex })).toEqual(input);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('stores the KDF parameters, election and trustee in the clear header', async () => {
    const header = readTrusteeFileHeader(await sealed());
    expect(header).toMatchObject({
      format: 'townhall/trustee-key-share',
      version: 1,
      trusteeIndex: 2,
      electionFingerprint: '07'.repeat(32),
      kdf: { algorithm: 'scrypt', log2N: 10, r: 8, p: 1 },
      aead: { algorithm: 'xchacha20-poly1305' },
    });
  });

  it('normalizes the passphrase (NFKC) so the same words typed differently still open it', async () => {
    const text = await sealed({ passphrase: 'ﬁle Å' }); // ligature fi, Angstrom sign
    expect(await openTrusteeFile(text, 'file Å')).toEqual(secrets);
  });

  it('a wrong passphrase is INVALID_PASSPHRASE', async () => {
    const text = await sealed();
    await expect(openTrusteeFile(text, 'Correct horse battery staple')).rejects.toMatchObject({
      code: 'INVALID_PASSPHRASE',
      field: 'passphrase',
    });
  });

  const damage: [string, (file: any) => void, string][] = [
    ['ciphertext bit flipped', (f) => (f.ciphertext = flipHex(f.ciphertext, 10)), 'file.ciphertext'],
    ['ciphertext truncated', (f) => (f.ciphertext = f.ciphertext.slice(0, -2)), 'file.ciphertext'],
    ['nonce changed', (f) => (f.aead.nonce = flipHex(f.aead.nonce)), 'file.ciphertext'],
    ['fingerprint in header changed (associated data)', (f) => (f.electionFingerprint = '08'.repeat(32)), 'file.ciphertext'],
    ['trustee index in header changed (associated data)', (f) => (f.trusteeIndex = 3), 'file.ciphertext'],
    ['unsupported version', (f) => (f.version = 2), 'file.version'],
    ['other format', (f) => (f.format = 'something-else'), 'file.format'],
    ['unsupported KDF', (f) => (f.kdf.algorithm = 'pbkdf2'), 'file.kdf.algorithm'],
    ['KDF memory bomb', (f) => (f.kdf.log2N = 30), 'file.kdf.log2N'],
    ['unsupported cipher', (f) => (f.aead.algorithm = 'aes-gcm'), 'file.aead.algorithm'],
    ['salt of wrong length', (f) => (f.kdf.salt = 'abcd'), 'file.kdf.salt'],
    ['non-hex ciphertext', (f) => (f.ciphertext = 'zz'), 'file.ciphertext'],
    ['missing check', (f) => delete f.passphraseCheck, 'file.passphraseCheck'],
    ['trustee index 0', (f) => (f.trusteeIndex = 0), 'file.trusteeIndex'],
  ];
  it.each(damage)('a damaged or unsupported file (%s) names the field, not the passphrase', async (_name, change, field) => {
    const text = edit(await sealed(), change);
    const error = await openTrusteeFile(text, passphrase).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CryptoError', field });
    expect((error as { code: string }).code).not.toBe('INVALID_PASSPHRASE');
  });

  it('refuses a file for another election or trustee before deriving any key', async () => {
    const text = await sealed();
    await expect(openTrusteeFile(text, passphrase, { electionFingerprint: otherFingerprint })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'file.electionFingerprint',
    });
    await expect(openTrusteeFile(text, passphrase, { trusteeIndex: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'file.trusteeIndex',
    });
  });

  it('rejects text that is not a trustee file', async () => {
    for (const text of ['', 'null', '[]', '{"format":"townhall/trustee-key-share"}', '{']) {
      await expect(openTrusteeFile(text, passphrase)).rejects.toMatchObject({ name: 'CryptoError' });
    }
    await expect(openTrusteeFile(42 as unknown as string, passphrase)).rejects.toMatchObject({ code: 'INVALID_TYPE', field: 'file' });
  });

  const hostileSeal: [string, Record<string, unknown>, string, string][] = [
    ['fingerprint of 31 bytes', { electionFingerprint: new Uint8Array(31) }, 'INVALID_LENGTH', 'electionFingerprint'],
    ['fingerprint as hex text', { electionFingerprint: '07'.repeat(32) }, 'INVALID_TYPE', 'electionFingerprint'],
    ['trustee index 0', { trusteeIndex: 0 }, 'INVALID_ARGUMENT', 'trusteeIndex'],
    ['trustee index 1.5', { trusteeIndex: 1.5 }, 'INVALID_ARGUMENT', 'trusteeIndex'],
    ['trustee index as string', { trusteeIndex: '2' }, 'INVALID_TYPE', 'trusteeIndex'],
    ['empty passphrase', { passphrase: '' }, 'INVALID_ARGUMENT', 'passphrase'],
    ['passphrase as bytes', { passphrase: new Uint8Array(4) }, 'INVALID_TYPE', 'passphrase'],
    ['secret key ≥ ℓ', { secrets: { ...secrets, identitySecretKey: GROUP_ORDER } }, 'NON_CANONICAL_SCALAR', 'secrets.identitySecretKey'],
    ['secret key zero', { secrets: { ...secrets, identitySecretKey: 0n } }, 'INVALID_ARGUMENT', 'secrets.identitySecretKey'],
    ['secret share as number', { secrets: { ...secrets, secretShare: 5 } }, 'INVALID_TYPE', 'secrets.secretShare'],
    ['coefficient negative', { secrets: { ...secrets, polynomialCoefficients: [-1n] } }, 'NON_CANONICAL_SCALAR', 'secrets.polynomialCoefficients[0]'],
    ['KDF too weak to read back', { kdf: { log2N: 4, r: 8, p: 1 } }, 'INVALID_ARGUMENT', 'kdf.log2N'],
  ];
  it.each(hostileSeal)('sealTrusteeFile rejects %s', async (_name, overrides, code, field) => {
    await expect(sealed(overrides as never)).rejects.toMatchObject({ code, field });
  });
});
