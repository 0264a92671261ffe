// The vectors printed in docs/protocol/crypto.md and stored in test/vectors/townhall are
// regenerated from the code and compared byte for byte, so the specification cannot drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  GROUP_ORDER,
  auditBallot,
  fromHex,
  parseAuditSecrets,
  parseBallot,
  pointFromHex,
  scalarFromHex,
  verifyBallot,
  verifySchnorr,
  decodeSchnorrProof,
} from '../src/index.ts';
import { buildProtocolVectors, renderVectorsMarkdown, VECTORS_END, VECTORS_START } from '../scripts/protocol-vectors.ts';
import stored from './vectors/townhall/protocol-vectors.json' with { type: 'json' };

const vectors = buildProtocolVectors();

describe('protocol test vectors', () => {
  it('are what the code produces today (test/vectors/townhall/protocol-vectors.json)', () => {
    expect(JSON.parse(JSON.stringify(vectors))).toEqual(stored);
  });

  it('appear unchanged in docs/protocol/crypto.md', () => {
    const doc = readFileSync(new URL('../../../docs/protocol/crypto.md', import.meta.url), 'utf8');
    const block = doc.slice(doc.indexOf(VECTORS_START), doc.indexOf(VECTORS_END) + VECTORS_END.length);
    expect(block).toBe(renderVectorsMarkdown(vectors));
  });

  it('hash-to-scalar follows the documented byte layout (independent recomputation)', () => {
    const digest = sha512(fromHex(stored.hashToScalar.preimage));
    let wide = 0n;
    for (let i = digest.length - 1; i >= 0; i--) wide = (wide << 8n) | BigInt(digest[i]!);
    expect(scalarFromHex(stored.hashToScalar.scalar)).toBe(wide % GROUP_ORDER);
  });

  it('the documented proofs and ballot verify, and the audit secrets open the ballot', () => {
    const fingerprint = fromHex(stored.fingerprint);
    const electionKey = pointFromHex(stored.electionKey);
    expect(verifySchnorr(pointFromHex(stored.schnorr.publicKey), decodeSchnorrProof(fromHex(stored.schnorr.proof)), fingerprint, stored.schnorr.context)).toBe(true);
    const ballot = parseBallot(stored.ballot.wire);
    verifyBallot(stored.ballot.manifest, ballot, electionKey, fingerprint);
    expect(auditBallot(stored.ballot.manifest, ballot, parseAuditSecrets(stored.ballot.auditSecrets), electionKey, fingerprint)).toEqual(stored.ballot.choices);
  });
});
