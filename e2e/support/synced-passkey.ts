import type { Page } from '@playwright/test';

/**
 * The same passkey on a second device, as a passkey provider that syncs it gives it (its signing key
 * and its PRF secret). Chromium's virtual authenticator can copy a credential's signing key to another
 * browser (WebAuthn.getCredentials → WebAuthn.addCredential) but not its PRF secret: WebAuthn.Credential
 * has no field for it, and the copy answers PRF requests with nothing. So `target` (the second device)
 * signs with its own copy of the credential, and its PRF results come from the authenticator that made
 * the credential, open in `source` on the same origin: the very output that device computes for the
 * same salt. Nothing else about the ceremony is changed.
 */
export async function syncPasskeyPrf(source: Page, target: Page): Promise<void> {
  await target.exposeFunction('__townhallSyncedPrf', (credentialId: string, salt: string) =>
    source.evaluate(
      async ({ credentialId, salt }) => {
        const bytes = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
        const credential = (await navigator.credentials.get({
          publicKey: {
            challenge: crypto.getRandomValues(new Uint8Array(32)),
            allowCredentials: [{ type: 'public-key', id: bytes(credentialId) }],
            userVerification: 'required',
            extensions: { prf: { eval: { first: bytes(salt) } } },
          },
        })) as PublicKeyCredential | null;
        const first = (credential?.getClientExtensionResults() as { prf?: { results?: { first?: ArrayBuffer } } }).prf?.results?.first;
        return first ? btoa(String.fromCharCode(...new Uint8Array(first))) : null;
      },
      { credentialId, salt },
    ),
  );
  await target.addInitScript(() => {
    type PrfInputs = { prf?: { eval?: { first?: BufferSource } } };
    type Bridge = (id: string, salt: string) => Promise<string | null>;
    const bridge = (window as unknown as { __townhallSyncedPrf: Bridge }).__townhallSyncedPrf;
    const base64 = (buffer: ArrayBuffer | ArrayBufferView) => {
      const isView = ArrayBuffer.isView(buffer);
      const view = isView ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
      return btoa(String.fromCharCode(...view));
    };
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = async (options?: CredentialRequestOptions) => {
      const credential = (await get(options)) as PublicKeyCredential | null;
      const salt = (options?.publicKey?.extensions as PrfInputs | undefined)?.prf?.eval?.first;
      if (!credential || !salt) return credential;
      const output = await bridge(base64(credential.rawId), base64(salt));
      if (output) {
        const results = { first: Uint8Array.from(atob(output), (c) => c.charCodeAt(0)).buffer };
        const own = credential.getClientExtensionResults.bind(credential);
        Object.defineProperty(credential, 'getClientExtensionResults', { value: () => ({ ...own(), prf: { results } }) });
      }
      return credential;
    };
  });
}
