// Imported for its effect by the Node entries (./node.ts, ./proof-worker.node.ts): SHA-256 from
// node:crypto for ./hash.ts. Results are plain Uint8Arrays, as @noble's are.
import { createHash } from 'node:crypto';
import { useSha256 } from './hash.ts';

useSha256((data) => {
  const digest = createHash('sha256').update(data).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
});
