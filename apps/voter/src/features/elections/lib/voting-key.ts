import { fromHex, toHex } from '@townhall/crypto';

/**
 * The ballot key and its credential live in this tab's sessionStorage (docs/protocol/key-ceremony-and-credentials.md): they let
 * the voter re-vote until close from this browser session, and disappear when the tab closes. The
 * secret key is never sent anywhere in the clear; only the public key and the credential travel with
 * a ballot. Where the passkey has PRF, a sealed copy is kept by the server for other devices (§6).
 */
export interface StoredVotingKey {
  secretKey: string;
  publicKey: string;
  messagePrefix: string;
  signature: string;
}

const storageKey = (electionId: string) => `townhall.voting-key.${electionId}`;

export function loadVotingKey(electionId: string, storage: Storage = sessionStorage): StoredVotingKey | null {
  try {
    const raw = storage.getItem(storageKey(electionId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredVotingKey;
    return typeof parsed.secretKey === 'string' && typeof parsed.signature === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveVotingKey(electionId: string, key: { secretKey: Uint8Array; publicKey: Uint8Array; messagePrefix: Uint8Array; signature: Uint8Array }, storage: Storage = sessionStorage): StoredVotingKey {
  const stored = { secretKey: toHex(key.secretKey), publicKey: toHex(key.publicKey), messagePrefix: toHex(key.messagePrefix), signature: toHex(key.signature) };
  storage.setItem(storageKey(electionId), JSON.stringify(stored));
  return stored;
}

export const secretKeyBytes = (key: StoredVotingKey) => fromHex(key.secretKey, 'secretKey', 32);
