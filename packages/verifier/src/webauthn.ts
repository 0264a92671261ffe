import { sha256 } from './hash.ts';
import { concatBytes, equalBytes, fromBase64Url, utf8 } from './bytes.ts';
import { verifyEs256 } from './signatures.ts';

/**
 * The part of WebAuthn (W3C Level 3 §7.2) an observer can check from the ledger: an assertion's
 * ES256 signature over authenticatorData ‖ SHA-256(clientDataJSON) by the COSE key (RFC 9053 §7.1.1)
 * that the registry's Enrolled entry recorded, with user presence and verification flags set.
 */

/** Decodes the COSE_Key map of an EC2 P-256 key: {1: 2, 3: -7, -1: 1, -2: x, -3: y}. */
export function coseP256PublicKey(cose: Uint8Array): Uint8Array {
  let at = 0;
  const head = () => {
    const byte = cose[at++];
    if (byte === undefined) throw new TypeError('COSE key: truncated');
    const major = byte >> 5;
    let value = byte & 31;
    if (value === 24) value = cose[at++]!;
    else if (value > 24) throw new TypeError('COSE key: unsupported length');
    return { major, value };
  };
  const item = (): number | Uint8Array => {
    const { major, value } = head();
    if (major === 0) return value;
    if (major === 1) return -1 - value;
    if (major === 2) {
      const bytes = cose.slice(at, at + value);
      at += value;
      return bytes;
    }
    throw new TypeError(`COSE key: unexpected CBOR major type ${major}`);
  };
  const map = head();
  if (map.major !== 5) throw new TypeError('COSE key: not a map');
  const fields = new Map<number, number | Uint8Array>();
  for (let i = 0; i < map.value; i++) {
    const key = item();
    if (typeof key !== 'number') throw new TypeError('COSE key: non-integer label');
    fields.set(key, item());
  }
  const x = fields.get(-2);
  const y = fields.get(-3);
  if (fields.get(1) !== 2 || fields.get(3) !== -7 || fields.get(-1) !== 1 || !(x instanceof Uint8Array) || !(y instanceof Uint8Array) || x.length !== 32 || y.length !== 32) {
    throw new TypeError('COSE key: not an ES256 P-256 key');
  }
  return concatBytes(Uint8Array.of(0x04), x, y);
}

export type AssertionReading = { readonly valid: false; readonly reason: string } | { readonly valid: true; readonly message: Uint8Array; readonly signature: Uint8Array };

/**
 * Everything about an assertion that needs no key: type, challenge, rpIdHash, flags. Returns the
 * signed message (authenticatorData ‖ SHA-256(clientDataJSON)) and the DER signature to check
 * once the passkey's public key is known (the registry's Enrolled entries come at the record's end).
 */
export function readAssertion(assertion: { clientDataJSON: string; authenticatorData: string; signature: string }, expected: { challenge: Uint8Array; rpId: string }): AssertionReading {
  const clientData = fromBase64Url(assertion.clientDataJSON);
  const client = JSON.parse(new TextDecoder().decode(clientData)) as { type?: string; challenge?: string };
  if (client.type !== 'webauthn.get') return { valid: false, reason: 'clientDataJSON.type is not webauthn.get' };
  if (!equalBytes(fromBase64Url(client.challenge ?? ''), expected.challenge)) return { valid: false, reason: 'the challenge is not over this credential request' };
  const authenticatorData = fromBase64Url(assertion.authenticatorData);
  if (authenticatorData.length < 37) return { valid: false, reason: 'authenticatorData is too short' };
  if (!equalBytes(authenticatorData.subarray(0, 32), sha256(utf8(expected.rpId)))) return { valid: false, reason: `rpIdHash is not SHA-256("${expected.rpId}")` };
  const flags = authenticatorData[32]!;
  if ((flags & 0x01) === 0 || (flags & 0x04) === 0) return { valid: false, reason: 'user presence or user verification flag not set' };
  return { valid: true, message: concatBytes(authenticatorData, sha256(clientData)), signature: fromBase64Url(assertion.signature) };
}

/** The ES256 signature of a read assertion by the COSE key of the Enrolled entry (WebAuthn ECDSA signatures are DER and need not be low-S). */
export const verifyAssertionSignature = (message: Uint8Array, signature: Uint8Array, coseKey: Uint8Array): Promise<boolean> => verifyEs256(signature, message, coseP256PublicKey(coseKey));
