import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../src/bytes.ts';
import { Point, TAG_SELECTION, challenge, chaumPedersenEquations, decodeScalar, disjunctiveEquations, hashToScalar, holds, schnorrEquations, ProofError } from '../src/group.ts';

// docs/protocol/crypto.md §10 vectors, copied from the document.
const fp = fromHex('45a215027201f88b8fe27bdf7a5f935c16a5537ecc3983d47e486fd8ad977b11');
const K = Point.fromBytes(fromHex('0ac8b08b0bd0336ea22023e63b667497d713ad4694e47d08b09dabc6fb694940'));
const P = (h: string) => Point.fromBytes(fromHex(h));
const scalarHex = (s: bigint) => toHex(Uint8Array.from({ length: 32 }, (_, i) => Number((s >> BigInt(8 * i)) & 0xffn)));
const ciphertext = fromHex('c44244b0a68d36312674ef123d09a24a2b345c958165f7d74411275371012d53b6aecda1aa0975e127e5cd93579272e0fdbdeb3380953c131a2d927a1ff8ae1e');
const selectionProof = fromHex(
  'f079ade69dd9716864627247864d64dcc36f9304a6b122992aa5b79d5a10813e82a1cb45c7af1f877135cc199aee8392b7166def3a180c2178f84c1b487599068d12030720db03139f30e7390074c06324aa9c297decb9d12d118689d87b3f07f0ffd954d461d15ae808ed377a910f9168b24eddf0f98d748d787354433c0002bcfec9eb151ee4fb6523ac889ee8c92313ec9c2839265daaf32c08251ccdd22002470b8f59fdc492e9a6cbc6ae2ca861403dde25460f7acb4862cffcc86d1d0da3c26c9e17c118b360333fbd99bc9276c29e733a3eafe644428011aae3496b0df176fa40cdca5e8453761861c673f774179f391077396c1b7510539ad6653103',
);

describe('crypto.md §10 vectors', () => {
  it('hashToScalar (protocol.md §4)', () => {
    const s = hashToScalar('townhall/v1/test', [new Uint8Array(0), utf8('abc'), new Uint8Array(32)]);
    expect(scalarHex(s)).toBe('e26422e436675c904d1aa9fb573cf102d5736e983dfc9d562ad2644afa3ff80a');
  });

  it('the Fiat–Shamir challenge (protocol.md §5)', () => {
    const c = challenge('townhall/v1/test', fp, 'example/context', [K.toBytes()], [fromHex('44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d')]);
    expect(scalarHex(c)).toBe('64edf4a5b3dd3d7c2f1653b2afd9025cef5ff838ce30097cecd74ba29ebcd502');
  });

  it('the Schnorr proof verifies, and not in another context', () => {
    const X = P('a823fcc8600644c4a6be481aa53bec1195512641e3141163ed8c15387cf87e44');
    const proof = fromHex('9eb04ad53553054a14b9ae4c7506c13239895afc731978af868fe9dc3a63ec5e62b55a780d7d57ad410f95c8ee895e190f5da0358b07fba33f755fa0299ad70c');
    expect(schnorrEquations(fp, 'example/schnorr', X, proof).every(holds)).toBe(true);
    expect(schnorrEquations(fp, 'example/other', X, proof).every(holds)).toBe(false);
  });

  it('the Chaum–Pedersen proof verifies, and not with another fingerprint', () => {
    const [g1, h1, g2, h2] = ['e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76', '2c913ab864053380b027ad0c8fd35af6c23cfad2090cd08e616ade8bb4f89227', 'c44244b0a68d36312674ef123d09a24a2b345c958165f7d74411275371012d53', 'ea537226cce798c81a56111269a86727820665051705eabf66b80c3eaa45a805'].map(P) as [Point, Point, Point, Point];
    const proof = fromHex('688450e9120883fe3e2aaab5ce30a96a9657dff7653676dc120707bce8c90749f0588b4d137122984326cfb2669a0534e9e1d3404eabdb32fd5d3f1b2040c46a325c23e4488a7ac4e51f8e7a4c21a4b12b54ae3a6167558ce7a1bfd9ad2b6f00');
    expect(chaumPedersenEquations(fp, 'example/chaum-pedersen', g1, h1, g2, h2, proof).every(holds)).toBe(true);
    expect(chaumPedersenEquations(new Uint8Array(32), 'example/chaum-pedersen', g1, h1, g2, h2, proof).every(holds)).toBe(false);
  });

  it('the selection proof verifies; moved to another position its challenges no longer add up', () => {
    const alpha = Point.fromBytes(ciphertext.subarray(0, 32));
    const beta = Point.fromBytes(ciphertext.subarray(32));
    expect(disjunctiveEquations(TAG_SELECTION, fp, 'ballot/mayor/grace', K, alpha, beta, [0, 1], selectionProof).every(holds)).toBe(true);
    expect(() => disjunctiveEquations(TAG_SELECTION, fp, 'ballot/mayor/ada', K, alpha, beta, [0, 1], selectionProof)).toThrow(ProofError);
  });

  it('refuses a scalar ≥ ℓ and a non-canonical point', () => {
    expect(() => decodeScalar(fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010'))).toThrow(/order/);
    expect(() => Point.fromBytes(fromHex('ff'.repeat(32)))).toThrow();
  });
});
