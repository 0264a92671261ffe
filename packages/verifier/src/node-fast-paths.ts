// Imported for its effect by the Node entries (./node.ts, ./proof-worker.node.ts): what is faster in
// Node than the portable defaults. SHA-256 from node:crypto (native) for ./hash.ts, results plain
// Uint8Arrays as @noble's are; and the verifier's own field arithmetic for the group hot loops
// (./group.ts, decision 0006), which beats @noble's in Node 20 but not in browsers.
import { createHash } from 'node:crypto';
import { useOwnFieldArithmetic } from './group.ts';
import { useSha256 } from './hash.ts';

useSha256((data) => {
  const digest = createHash('sha256').update(data).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
});
useOwnFieldArithmetic();
