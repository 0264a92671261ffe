import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON } from '@townhall/protocol';

/** Who the assertion must be for: the deployment's public origin and its host name as RP ID. */
export interface RelyingParty {
  readonly origin: string;
  readonly rpId: string;
}

/**
 * Checks a passkey assertion (a WebAuthn authentication response) with @simplewebauthn/server:
 * signed by the stored public key over the expected challenge, for this relying party, with user
 * verification. Throws an Error saying why when the assertion is refused.
 */
export async function verifyPasskeyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  passkey: { credentialId: Uint8Array; publicKey: Uint8Array },
): Promise<{ newCounter: number }> {
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpId,
    requireUserVerification: true,
    credential: { id: isoBase64URL.fromBuffer(new Uint8Array(passkey.credentialId)), publicKey: new Uint8Array(passkey.publicKey), counter: 0 },
  });
  if (!verification.verified) throw new Error('assertion not verified');
  return { newCounter: verification.authenticationInfo.newCounter };
}

/** A signature counter that did not move forward: the passkey may have been copied (WebAuthn §6.1.1). */
export const counterRegressed = (newCounter: number, storedCounter: number): boolean => (newCounter > 0 || storedCounter > 0) && newCounter <= storedCounter;
