import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError, finalizeCredential, generateBallotKeyPair, importIssuerPublicKey, requestCredential, verifyCredential } from '@townhall/crypto';
import { exportIssuerPrivateKey, exportIssuerPublicKeySpki, generateIssuerKey } from '@townhall/crypto/credentials-signer';
import { BlindSignThread } from './blind-sign-thread.ts';

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
        const credential = await finalizeCredential(issuerKey, pending, await thread.sign(keyId, () => der, blindedMessage));
        expect(await verifyCredential(issuerKey, fingerprint, publicKey, credential)).toBe(true);
      }
    }
  }, 120_000);

  it('sends a key again after forgetting it (its election is no longer open)', async () => {
    const privateKey = await generateIssuerKey();
    const issuerKey = await importIssuerPublicKey(exportIssuerPublicKeySpki(privateKey));
    const der = exportIssuerPrivateKey(privateKey);
    let sent = 0;
    const key = () => (sent++, der);
    const sign = async () => {
      const { publicKey } = generateBallotKeyPair();
      const { blindedMessage, pending } = await requestCredential(issuerKey, fingerprint, publicKey);
      const credential = await finalizeCredential(issuerKey, pending, await thread.sign('election-d', key, blindedMessage));
      return verifyCredential(issuerKey, fingerprint, publicKey, credential);
    };
    expect([await sign(), await sign()]).toEqual([true, true]);
    expect(sent).toBe(1);
    thread.forget('election-d');
    expect(await sign()).toBe(true);
    expect(sent).toBe(2);
  }, 120_000);

  it('answers a blinded message that is not below the modulus with a CryptoError', async () => {
    const der = exportIssuerPrivateKey(await generateIssuerKey());
    await expect(thread.sign('election-c', () => der, new Uint8Array(384).fill(0xff))).rejects.toBeInstanceOf(CryptoError);
  }, 120_000);
});
