import { describe, expect, it } from 'vitest';
import { finalizeCredential, generateBallotKeyPair, importIssuerPublicKey, requestCredential, verifyCredential } from '@townhall/crypto';
import { createBlindSigner, generateIssuerKey } from '@townhall/crypto/credentials-signer';
import { finalizeCredentialNative, importNativeIssuerKey, requestCredentialNative } from './blind-rsa-native.ts';

/** The simulator's native RFC 9474 client must be interchangeable with @townhall/crypto's, both ways. */
describe('native RFC 9474 credential blinding', () => {
  it('gives credentials that @townhall/crypto finalizes and verifies, and finalizes its requests', async () => {
    const signer = createBlindSigner(await generateIssuerKey());
    const issuer = await importIssuerPublicKey(signer.publicKeySpki);
    const native = await importNativeIssuerKey(signer.publicKeySpki);
    const fingerprint = new Uint8Array(32).fill(7);
    for (let i = 0; i < 5; i++) {
      const { publicKey } = generateBallotKeyPair();
      // Native blind → real issuer → @townhall/crypto's finalize (RSASSA-PSS-VERIFY inside) and verify.
      const request = requestCredentialNative(native, fingerprint, publicKey);
      expect(request.blindedMessage).toHaveLength(signer.modulusLength);
      const blindSignature = signer.blindSign(request.blindedMessage);
      const credential = await finalizeCredential(issuer, request.pending, blindSignature);
      expect(await verifyCredential(issuer, fingerprint, publicKey, credential)).toBe(true);
      expect(finalizeCredentialNative(native, request.pending, blindSignature)).toEqual(credential);
      // @townhall/crypto's blind → real issuer → native finalize.
      const theirs = await requestCredential(issuer, fingerprint, publicKey);
      const unblinded = finalizeCredentialNative(native, theirs.pending, signer.blindSign(theirs.blindedMessage));
      expect(await verifyCredential(issuer, fingerprint, publicKey, unblinded)).toBe(true);
      // A credential for another ballot key does not verify.
      expect(await verifyCredential(issuer, fingerprint, generateBallotKeyPair().publicKey, unblinded)).toBe(false);
    }
  });

  it('refuses an issuer answer that does not unblind to a valid signature', async () => {
    const signer = createBlindSigner(await generateIssuerKey());
    const native = await importNativeIssuerKey(signer.publicKeySpki);
    const request = requestCredentialNative(native, new Uint8Array(32), generateBallotKeyPair().publicKey);
    const other = requestCredentialNative(native, new Uint8Array(32), generateBallotKeyPair().publicKey);
    expect(() => finalizeCredentialNative(native, request.pending, signer.blindSign(other.blindedMessage))).toThrow(/invalid signature/);
    expect(() => finalizeCredentialNative(native, request.pending, new Uint8Array(signer.modulusLength).fill(0xff))).toThrow(/modulus/);
  });
});
