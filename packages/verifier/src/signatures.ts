import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';

/**
 * Signature checks, strict as the protocol requires, done by the platform's WebCrypto where it can
 * (native code, several times faster than pure JavaScript, and the same in Node and browsers) and
 * by @noble/curves where it cannot. The strictness rules are applied here, before WebCrypto, so the
 * outcome never depends on which library ran the equation.
 */

const ED25519_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

function isCanonicalScalar(bytes: Uint8Array): boolean {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n < ED25519_ORDER;
}

let webCryptoEd25519: boolean | undefined;
async function hasWebCryptoEd25519(): Promise<boolean> {
  if (webCryptoEd25519 === undefined) {
    try {
      const key = await globalThis.crypto.subtle.importKey('raw', ed25519.getPublicKey(new Uint8Array(32).fill(1)), { name: 'Ed25519' }, false, ['verify']);
      webCryptoEd25519 = await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, new Uint8Array(64), new Uint8Array(0)).then(() => true);
    } catch {
      webCryptoEd25519 = false;
    }
  }
  return webCryptoEd25519!;
}

const FIELD_PRIME = 2n ** 255n - 19n;

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/**
 * The y-coordinates of the 8 points of small order (the torsion subgroup), found once: ℓ·P is in
 * the torsion subgroup for any curve point P; one of order 8 generates it.
 */
let torsionYs: Set<bigint> | undefined;
function smallOrderYs(): Set<bigint> {
  if (torsionYs) return torsionYs;
  const Point = ed25519.Point;
  for (let seed = 1; ; seed++) {
    let P;
    try {
      const bytes = new Uint8Array(32);
      bytes[0] = seed;
      bytes[1] = 7;
      P = Point.fromBytes(bytes, true);
    } catch {
      continue;
    }
    const T = P.multiplyUnsafe(ED25519_ORDER - 1n).add(P);
    if (T.multiplyUnsafe(4n).is0()) continue;
    const ys = new Set<bigint>();
    for (let k = 0n, Q = Point.ZERO; k < 8n; k++, Q = Q.add(T)) ys.add(Q.toAffine().y);
    if (ys.size < 5) continue;
    return (torsionYs = ys);
  }
}

/**
 * Ed25519 as RFC 8032 §5.1.7 with the strict rules of ledger.md §4.2 and elections.md §6: the public
 * key is a canonical encoding (y < p) of a point that is not of small order, S < ℓ, and R canonical
 * (a non-canonical R never equals the recomputed encoding, in either implementation). Small order is
 * recognised by the y-coordinate (a point and its negation share it), so no point is decoded here.
 */
export async function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const y = littleEndian(publicKey) & (2n ** 255n - 1n);
  if (y >= FIELD_PRIME || smallOrderYs().has(y)) return false;
  if (!isCanonicalScalar(signature.subarray(32))) return false;
  if (!(await hasWebCryptoEd25519())) {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  }
  try {
    const key = await importEd25519(publicKey);
    return key !== null && (await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>));
  } catch {
    return false;
  }
}

// The log's and the witnesses' keys sign every checkpoint: keep the few most recent imported keys
// (a ballot key is seen once, so the set is simply emptied when it fills).
const importedEd25519 = new Map<string, Promise<CryptoKey | null>>();
function importEd25519(publicKey: Uint8Array): Promise<CryptoKey | null> {
  const id = String.fromCharCode(...publicKey);
  let key = importedEd25519.get(id);
  if (!key) {
    if (importedEd25519.size >= 64) importedEd25519.clear();
    key = globalThis.crypto.subtle.importKey('raw', publicKey.slice() as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']).catch(() => null);
    importedEd25519.set(id, key);
  }
  return key;
}

/** ES256 (ECDSA P-256, SHA-256) with a DER signature, any S (WebAuthn signatures need not be low-S). */
export async function verifyEs256(derSignature: Uint8Array, message: Uint8Array, uncompressedKey: Uint8Array): Promise<boolean> {
  let raw: Uint8Array;
  try {
    raw = p256.Signature.fromBytes(derSignature, 'der').toBytes('compact');
    // importKey validates the point (on the curve, not the identity).
    const key = await globalThis.crypto.subtle.importKey('raw', uncompressedKey as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return await globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, raw as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}
