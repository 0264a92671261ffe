import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError, finalizeCredential, generateBallotKeyPair, importIssuerPublicKey, requestCredential, verifyCredential } from '@townhall/crypto';
import { exportIssuerPrivateKey, exportIssuerPublicKeySpki, generateIssuerKey } from '@townhall/crypto/credentials-signer';
import { BlindSignThread, PasskeyRefusal, type PasskeyCheck } from './blind-sign-thread.ts';

const fingerprint = new Uint8Array(32).fill(3);

describe('BlindSignThread', () => {
  const thread = new BlindSignThread();
  afterAll(() => thread.close());

  it('signs on the worker thread a blinded request that unblinds to a valid credential, for each issuer key it is given', async () => {
    for (const keyId of ['election-a', 'election-b']) {
      const privateKey = await generateIssuerKey();
      const issuerKey = await importIssuerPublicKey(exportIssuerPublicKeySpki(privateKey));
      const der = exportIssuerPrivateKey(privateKey);
      for (let i = 0; i < 2; i++) {
        const { publicKey } = generateBallotKeyPair();
        const { blindedMessage, pending } = await requestCredential(issuerKey, fingerprint, publicKey);
        const credential = await finalizeCredential(issuerKey, pending, (await thread.sign(keyId, () => der, blindedMessage)).signature);
        expect(await verifyCredential(issuerKey, fingerprint, publicKey, credential)).toBe(true);
      }
    }
  }, 120_000);

  it('signs nothing when the passkey check fails, and keeps the issuer key that came with that request', async () => {
    const privateKey = await generateIssuerKey();
    const issuerKey = await importIssuerPublicKey(exportIssuerPublicKeySpki(privateKey));
    const der = exportIssuerPrivateKey(privateKey);
    const { publicKey } = generateBallotKeyPair();
    const { blindedMessage, pending } = await requestCredential(issuerKey, fingerprint, publicKey);
    const forged = {
      rp: { origin: 'https://townhall.example', rpId: 'townhall.example' },
      response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' } },
      expectedChallenge: 'challenge',
      passkey: { credentialId: new Uint8Array(4), publicKey: new Uint8Array(8) },
      storedCounter: 0,
    } as PasskeyCheck;
    // The key travels with the first request for it only, here a refused one.
    const refusal = await thread.sign('election-d', () => der, blindedMessage, forged).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PasskeyRefusal);
    expect(refusal).toMatchObject({ kind: 'assertion' });
    const { signature, newCounter } = await thread.sign('election-d', () => der, blindedMessage);
    expect(newCounter).toBeNull();
    expect(await verifyCredential(issuerKey, fingerprint, publicKey, await finalizeCredential(issuerKey, pending, signature))).toBe(true);
  }, 120_000);

  it('answers a blinded message that is not below the modulus with a CryptoError', async () => {
    const der = exportIssuerPrivateKey(await generateIssuerKey());
    await expect(thread.sign('election-c', () => der, new Uint8Array(384).fill(0xff))).rejects.toBeInstanceOf(CryptoError);
  }, 120_000);
});
