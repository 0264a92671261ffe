import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

// SHA-256 for the whole verifier. @noble's is the portable default (browsers have only the
// asynchronous WebCrypto digest); the Node entries install node:crypto's, which is native and hashes a
// record's entries, Merkle nodes and tracking codes several times faster (./node-fast-paths.ts).

let implementation: (data: Uint8Array) => Uint8Array = nobleSha256;

export function sha256(data: Uint8Array): Uint8Array {
  return implementation(data);
}

export function useSha256(hash: (data: Uint8Array) => Uint8Array): void {
  implementation = hash;
}
