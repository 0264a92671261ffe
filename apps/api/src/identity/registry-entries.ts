import type { AppendEntry } from '../ledger/ledger.module.ts';
import { ledgerEntry } from '../ledger/ledger-entry.ts';
import { sha256 } from './identity-keys.ts';

/**
 * Bodies of the registry log's identity entries (docs/protocol: registry log). Never personal data:
 * the elector is their keyed pseudonym, the passkey the SHA-256 of its credential id.
 */
export function enrolledEntry(pseudonym: string, credentialId: Uint8Array, publicKey: Uint8Array): AppendEntry {
  return ledgerEntry('Enrolled', {
    pseudonym,
    credentialIdHash: Buffer.from(sha256(credentialId)).toString('hex'),
    // The COSE_Key (RFC 9052 §7) exactly as the authenticator attested it.
    publicKey: Buffer.from(publicKey).toString('base64url'),
  });
}

export type RevocationReason = 'card-reissued' | 'removed-from-roll';

export function passkeyRevokedEntry(pseudonym: string, credentialId: Uint8Array, reason: RevocationReason): AppendEntry {
  return ledgerEntry('PasskeyRevoked', { pseudonym, credentialIdHash: Buffer.from(sha256(credentialId)).toString('hex'), reason });
}
