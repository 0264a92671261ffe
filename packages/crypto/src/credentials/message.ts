// The byte string an issuer blind-signs: what a credential attests.
// Layout (86 bytes, every part fixed-length so no length prefixes are needed):
//   CREDENTIAL_MESSAGE_TAG (22 bytes, ASCII "townhall/credential/v1")
//   ‖ election fingerprint (32 bytes)
//   ‖ Ed25519 ballot public key (32 bytes)
// The randomized RFC 9474 variant then prepends its own 32-byte random prefix (§4.1).
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { requireBytes } from './bytes.ts';

export const CREDENTIAL_MESSAGE_TAG: Uint8Array = utf8ToBytes('townhall/credential/v1');
export const ELECTION_FINGERPRINT_LENGTH = 32;
export const BALLOT_PUBLIC_KEY_LENGTH = 32;
export const CREDENTIAL_MESSAGE_LENGTH =
  CREDENTIAL_MESSAGE_TAG.length + ELECTION_FINGERPRINT_LENGTH + BALLOT_PUBLIC_KEY_LENGTH;

/** `tag ‖ fingerprint ‖ ballotPublicKey`, the message an issuer credential signs. */
export function encodeCredentialMessage(electionFingerprint: Uint8Array, ballotPublicKey: Uint8Array): Uint8Array {
  requireBytes(electionFingerprint, 'electionFingerprint', ELECTION_FINGERPRINT_LENGTH);
  requireBytes(ballotPublicKey, 'ballotPublicKey', BALLOT_PUBLIC_KEY_LENGTH);
  return concatBytes(CREDENTIAL_MESSAGE_TAG, electionFingerprint, ballotPublicKey);
}
