import type { CDPSession, Page } from '@playwright/test';

/**
 * A Chromium virtual WebAuthn authenticator driven over the DevTools protocol
 * (https://chromedevtools.github.io/devtools-protocol/tot/WebAuthn/). The defaults model a
 * platform passkey provider: CTAP2, internal transport, discoverable (resident) credentials and
 * user verification that succeeds, which is what Townhall's registration requires
 * (`residentKey: required`, `userVerification: required`).
 */
export interface VirtualAuthenticatorOptions {
  protocol: 'ctap2' | 'u2f';
  transport: 'usb' | 'nfc' | 'ble' | 'cable' | 'internal';
  hasResidentKey: boolean;
  hasUserVerification: boolean;
  isUserVerified: boolean;
  /** Answer user-presence checks without a (simulated) touch. */
  automaticPresenceSimulation: boolean;
  /** Support the WebAuthn PRF extension (CTAP2 hmac-secret) for credentials made with it. */
  hasPrf?: boolean;
}

export const passkeyAuthenticatorOptions: VirtualAuthenticatorOptions = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
};

/** A credential as the authenticator holds it (WebAuthn.Credential, base64 fields). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

export interface VirtualAuthenticator {
  readonly authenticatorId: string;
  credentials(): Promise<VirtualCredential[]>;
  clearCredentials(): Promise<void>;
  /** Puts a credential (e.g. one read from another authenticator) on this one: the same passkey on another device. */
  addCredential(credential: VirtualCredential): Promise<void>;
  /** Make the next user-verification gesture succeed or fail (e.g. a wrong fingerprint). */
  setUserVerified(isUserVerified: boolean): Promise<void>;
  /**
   * Tamper with the authenticator's answers from now on: `isBadUV` clears the user-verified flag,
   * `isBadUP` the user-present flag, `isBogusSignature` zeroes the signature. Bits left out are reset.
   */
  setResponseOverrideBits(bits: { isBadUV?: boolean; isBadUP?: boolean; isBogusSignature?: boolean }): Promise<void>;
  remove(): Promise<void>;
}

/** Attaches a virtual authenticator to `page`; WebAuthn calls on that page then use it. */
export async function addVirtualAuthenticator(
  page: Page,
  overrides: Partial<VirtualAuthenticatorOptions> = {},
): Promise<VirtualAuthenticator> {
  const session: CDPSession = await page.context().newCDPSession(page);
  // enableUI false: no account-chooser or other browser UI that a headless test could not answer.
  await session.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: { ...passkeyAuthenticatorOptions, ...overrides },
  });

  let isRemoved = false;
  return {
    authenticatorId,
    async credentials() {
      const { credentials } = await session.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
    async clearCredentials() {
      await session.send('WebAuthn.clearCredentials', { authenticatorId });
    },
    async addCredential(credential) {
      await session.send('WebAuthn.addCredential', { authenticatorId, credential });
    },
    async setUserVerified(isUserVerified) {
      await session.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
    },
    async setResponseOverrideBits(bits) {
      await session.send('WebAuthn.setResponseOverrideBits', { authenticatorId, ...bits });
    },
    async remove() {
      // A test may take a device away itself; the fixture's teardown then has nothing to do.
      if (isRemoved) return;
      isRemoved = true;
      await session.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      await session.send('WebAuthn.disable');
      await session.detach();
    },
  };
}

/**
 * Chromium offers passkey autofill (conditional UI), and its virtual authenticator answers it by
 * itself: a sign-in page would sign in on arrival. Tests of the sign-in buttons use a browser that
 * does not offer autofill.
 */
export async function withoutPasskeyAutofill(page: Page): Promise<void> {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}
