// A matrix of hostile inputs fed to every public function of the core: each must be refused
// with a typed CryptoError (never a TypeError, RangeError or a bare Error from a dependency).
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.ts';
import { CryptoError, G, GROUP_ORDER, IDENTITY, SELECTION_PROOF_TAG, createSeededRandom, fromHex } from '../src/index.ts';
import invalid from './vectors/rfc9496/invalid-encodings.json' with { type: 'json' };
import { choices, electionKey, fingerprint, manifest } from './ballot-fixtures.ts';

const rng = createSeededRandom('hostile inputs');
const { ballot, auditSecrets } = api.encryptBallot(manifest, choices, electionKey, fingerprint, rng);
const wire = api.serializeBallot(ballot);
const ciphertext = ballot.contests[0]!.selections[0]!.ciphertext;
const selectionProof = ballot.contests[0]!.selections[0]!.proof;
const schnorr = api.proveSchnorr(5n, fingerprint, 'ctx', rng);
const cpStatement = { g1: G, h1: api.multiplyBase(5n), g2: electionKey, h2: electionKey.multiply(5n) };
const chaumPedersen = api.proveChaumPedersen(cpStatement, 5n, fingerprint, 'ctx', rng);
const valueStatement = { electionKey, ciphertext, allowedValues: [0, 1] };

const le = (n: bigint) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
};
const wrongTypes: unknown[] = [undefined, null, 0, 1.5, 'text', 5n, [], {}, () => 0, Symbol('x'), true];
const wrongLengths = [new Uint8Array(0), new Uint8Array(31), new Uint8Array(33), new Uint8Array(64)];
const nonCanonicalPoints = Object.values(invalid.groups).flat().map((hex) => fromHex(hex));

// Hostile values per kind of argument.
const hostile = {
  pointBytes: [...wrongTypes, ...wrongLengths, ...nonCanonicalPoints, new Uint8Array(32) /* identity */],
  scalarBytes: [...wrongTypes, ...wrongLengths, le(GROUP_ORDER), le(GROUP_ORDER + 1n), new Uint8Array(32).fill(0xff)],
  bytes: [...wrongTypes.filter((v) => !(v instanceof Uint8Array)), 'abcd', [1, 2, 3]],
  fingerprint: [...wrongTypes, new Uint8Array(0), new Uint8Array(31), new Uint8Array(33)],
  point: [...wrongTypes, IDENTITY, new Uint8Array(32), { x: 1n, y: 2n }],
  anyPoint: [...wrongTypes, new Uint8Array(32), G.toBytes(), { alpha: G }],
  scalar: [...wrongTypes.filter((v) => v !== 5n), GROUP_ORDER, GROUP_ORDER + 1n, -1n, 2n ** 256n],
  nonZeroScalar: [...wrongTypes.filter((v) => v !== 5n), 0n, GROUP_ORDER, -1n],
  context: [undefined, null, 5, 5n, {}, [], new Uint8Array(3)],
  tag: [undefined, null, 5, '', {}, 'townhall/v1/proof/unknown'],
  anyTag: [undefined, null, 5, '', {}],
  hex: [...wrongTypes.filter((v) => v !== 'text'), 'xyz', 'abc', 'ABCD', ' 00', '0g'],
  pointHex: ['', '00', 'e2f2', 'E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D76', '0'.repeat(64), ...invalid.groups['negative field elements']],
  manifest: [
    ...wrongTypes,
    { contests: [] },
    { contests: [{ id: 'a/b', title: 'x', minSelections: 0, maxSelections: 1, options: [{ id: 'o', label: 'o' }] }] },
    { contests: [{ id: 'a', title: 'x', minSelections: 2, maxSelections: 1, options: [{ id: 'o', label: 'o' }] }] },
    { contests: [{ id: 'a', title: 'x', minSelections: 0, maxSelections: 2, options: [{ id: 'o', label: 'o' }] }] },
    { contests: [{ id: 'a', title: 'x', minSelections: 0, maxSelections: 1, options: [{ id: 'o', label: 'o' }, { id: 'o', label: 'p' }] }] },
    { contests: [manifest.contests[0], manifest.contests[0]] },
  ],
  choices: [null, 'mayor', 5, [], { mayor: 'ada' }, { mayor: [5] }, { mayor: ['ada', 'ada'] }, { 'no/such': [] }, { mayor: ['nobody'] }],
  ballot: [...wrongTypes, { version: 2, contests: ballot.contests }, { version: 1, contests: [] }, { version: 1, contests: [null, null] }],
  ballotWire: [
    ...wrongTypes,
    { ...wire, version: 2 },
    { ...wire, contests: [] },
    { ...wire, contests: [{ ...wire.contests[0]!, rangeProof: wire.contests[0]!.rangeProof.slice(2) }] },
    { ...wire, contests: [{ ...wire.contests[0]!, rangeProof: wire.contests[0]!.rangeProof.toUpperCase() }] },
    { ...wire, contests: [{ ...wire.contests[0]!, selections: [{ ...wire.contests[0]!.selections[0]!, ciphertext: '00'.repeat(64) }] }] },
    { ...wire, contests: [{ ...wire.contests[0]!, selections: [{ ...wire.contests[0]!.selections[0]!, ciphertext: 'ff'.repeat(64) }] }] },
    { ...wire, contests: [{ ...wire.contests[0]!, selections: [{ ...wire.contests[0]!.selections[0]!, proof: 'ff'.repeat(256) }] }] },
  ],
  secrets: [...wrongTypes, { version: 1, contests: [] }, { version: 1, contests: [{ contestId: 'mayor', selections: [] }] }],
  secretsWire: [
    ...wrongTypes,
    { version: 1, contests: [{ contestId: 'mayor', selections: [{ optionId: 'ada', value: 2, randomness: '01'.repeat(32) }] }] },
    { version: 1, contests: [{ contestId: 'mayor', selections: [{ optionId: 'ada', value: 0, randomness: 'ff'.repeat(32) }] }] },
    { version: 1, contests: [{ contestId: 'mayor', selections: [{ optionId: 'ada', value: 0, randomness: '00'.repeat(32) }] }] },
  ],
  ciphertext: [...wrongTypes, { alpha: G }, { alpha: 'x', beta: G }, { alpha: G, beta: new Uint8Array(32) }],
  ciphertextBytes: [...wrongTypes, new Uint8Array(63), new Uint8Array(64) /* identity alpha */, new Uint8Array(64).fill(0xff)],
  ciphertextList: [...wrongTypes.filter((v) => !Array.isArray(v)), [null], [{ alpha: G }]],
  schnorrProof: [...wrongTypes, { commitment: G }, { commitment: 'x', response: 1n }, { commitment: G, response: GROUP_ORDER }, { commitment: IDENTITY, response: 1n }],
  cpProof: [...wrongTypes, { ...chaumPedersen, commitment1: null }, { ...chaumPedersen, response: -1n }],
  cpStatement: [...wrongTypes, { ...cpStatement, g2: IDENTITY }, { ...cpStatement, h1: 'x' }],
  encodableProof: [...wrongTypes, { branches: [] }, { branches: [selectionProof.branches[0], null] }, { branches: Array(65).fill(selectionProof.branches[0]) }],
  disjunctiveProof: [...wrongTypes, { branches: [] }, { branches: [selectionProof.branches[0]] }, { branches: [selectionProof.branches[0], { ...selectionProof.branches[1], challenge: GROUP_ORDER }] }],
  valueStatement: [...wrongTypes, { ...valueStatement, allowedValues: [] }, { ...valueStatement, allowedValues: [1, 0] }, { ...valueStatement, allowedValues: [-1, 0] }, { ...valueStatement, allowedValues: [0.5] }, { ...valueStatement, electionKey: IDENTITY }],
  value: [undefined, null, -1, 1.5, '1', 1n, Number.MAX_SAFE_INTEGER + 1],
  rng: ['x', 5, {}, () => new Uint8Array(3), () => 'bytes', () => { throw new Error('no entropy'); }],
  inputs: [...wrongTypes.filter((v) => !Array.isArray(v)), [null], ['text'], [5]],
  ballotList: [...wrongTypes.filter((v) => !Array.isArray(v))],
  equations: [...wrongTypes.filter((v) => !Array.isArray(v)), [null], [{ label: 'x', terms: [[1n, 'point']] }], [{ label: 'x', terms: [['1', G]] }]],
  terms: [...wrongTypes.filter((v) => !Array.isArray(v)), [[1n, null]], [[GROUP_ORDER, G]], [[1, G]]],
  branchCount: [-1, 1.5, '2', null],
};
type Kind = keyof typeof hostile;

// Each public function: a valid call, and the kind of each argument.
const cases: { name: string; args: unknown[]; kinds: (Kind | null)[]; run: (...args: any[]) => unknown }[] = [
  { name: 'decodePoint', run: api.decodePoint, args: [G.toBytes(), 'p'], kinds: ['pointBytes', null] },
  { name: 'encodePoint', run: api.encodePoint, args: [G], kinds: ['anyPoint'] },
  { name: 'decodeScalar', run: api.decodeScalar, args: [le(5n)], kinds: ['scalarBytes'] },
  { name: 'encodeScalar', run: api.encodeScalar, args: [5n], kinds: ['scalar'] },
  { name: 'fromHex', run: api.fromHex, args: ['abcd'], kinds: ['hex'] },
  { name: 'toHex', run: api.toHex, args: [new Uint8Array(2)], kinds: ['bytes'] },
  { name: 'pointFromHex', run: api.pointFromHex, args: [api.pointToHex(G)], kinds: ['pointHex'] },
  { name: 'pointToHex', run: api.pointToHex, args: [G], kinds: ['anyPoint'] },
  { name: 'scalarFromHex', run: api.scalarFromHex, args: ['05'.padEnd(64, '0')], kinds: ['hex'] },
  { name: 'scalarToHex', run: api.scalarToHex, args: [5n], kinds: ['scalar'] },
  { name: 'scalarAdd', run: api.scalarAdd, args: [1n, 2n], kinds: ['scalar', 'scalar'] },
  { name: 'scalarMul', run: api.scalarMul, args: [1n, 2n], kinds: ['scalar', 'scalar'] },
  { name: 'scalarInvert', run: api.scalarInvert, args: [3n], kinds: ['nonZeroScalar'] },
  { name: 'multiplySecret', run: api.multiplySecret, args: [G, 5n], kinds: ['anyPoint', 'scalar'] },
  { name: 'multiplyPublic', run: api.multiplyPublic, args: [G, 5n], kinds: ['anyPoint', 'scalar'] },
  { name: 'multiplyBase', run: api.multiplyBase, args: [5n], kinds: ['scalar'] },
  { name: 'precomputeFixedBase', run: api.precomputeFixedBase, args: [api.multiplyBase(9n)], kinds: ['point'] },
  { name: 'cachedFixedBase', run: api.cachedFixedBase, args: [electionKey], kinds: ['point'] },
  { name: 'randomScalar', run: api.randomScalar, args: [rng], kinds: ['rng'] },
  { name: 'hashToScalar', run: api.hashToScalar, args: ['tag', [new Uint8Array(1)]], kinds: ['anyTag', 'inputs'] },
  {
    name: 'fiatShamirChallenge',
    run: (fp: unknown, context: unknown, statement: unknown) => api.fiatShamirChallenge({ tag: 't', fingerprint: fp, context, statement, commitments: [] } as never),
    args: [fingerprint, 'ctx', []],
    kinds: ['fingerprint', 'context', 'inputs'],
  },
  { name: 'encrypt', run: api.encrypt, args: [electionKey, 1, 5n], kinds: ['point', 'value', 'nonZeroScalar'] },
  { name: 'addCiphertexts', run: api.addCiphertexts, args: [ciphertext, ciphertext], kinds: ['ciphertext', 'ciphertext'] },
  { name: 'sumCiphertexts', run: api.sumCiphertexts, args: [[ciphertext]], kinds: ['ciphertextList'] },
  { name: 'encodeCiphertext', run: api.encodeCiphertext, args: [ciphertext], kinds: ['ciphertext'] },
  { name: 'decodeCiphertext', run: api.decodeCiphertext, args: [api.encodeCiphertext(ciphertext)], kinds: ['ciphertextBytes'] },
  { name: 'decryptToPoint', run: api.decryptToPoint, args: [ciphertext, 5n], kinds: ['ciphertext', 'nonZeroScalar'] },
  { name: 'proveSchnorr', run: api.proveSchnorr, args: [5n, fingerprint, 'ctx', rng], kinds: ['nonZeroScalar', 'fingerprint', 'context', 'rng'] },
  { name: 'verifySchnorr', run: api.verifySchnorr, args: [api.multiplyBase(5n), schnorr, fingerprint, 'ctx'], kinds: ['point', 'schnorrProof', 'fingerprint', 'context'] },
  { name: 'encodeSchnorrProof', run: api.encodeSchnorrProof, args: [schnorr], kinds: ['schnorrProof'] },
  { name: 'decodeSchnorrProof', run: api.decodeSchnorrProof, args: [api.encodeSchnorrProof(schnorr)], kinds: ['ciphertextBytes'] },
  { name: 'proveChaumPedersen', run: api.proveChaumPedersen, args: [cpStatement, 5n, fingerprint, 'ctx', rng], kinds: ['cpStatement', 'nonZeroScalar', 'fingerprint', 'context', 'rng'] },
  { name: 'verifyChaumPedersen', run: api.verifyChaumPedersen, args: [cpStatement, chaumPedersen, fingerprint, 'ctx'], kinds: ['cpStatement', 'cpProof', 'fingerprint', 'context'] },
  { name: 'encodeChaumPedersenProof', run: api.encodeChaumPedersenProof, args: [chaumPedersen], kinds: ['cpProof'] },
  { name: 'decodeChaumPedersenProof', run: api.decodeChaumPedersenProof, args: [api.encodeChaumPedersenProof(chaumPedersen)], kinds: ['scalarBytes'] },
  {
    name: 'proveEncryptedValue',
    run: api.proveEncryptedValue,
    args: [SELECTION_PROOF_TAG, valueStatement, 0, auditSecrets.contests[0]!.selections[0]!.randomness, fingerprint, 'ctx', rng],
    kinds: ['tag', 'valueStatement', 'value', 'nonZeroScalar', 'fingerprint', 'context', 'rng'],
  },
  {
    name: 'verifyEncryptedValue',
    run: api.verifyEncryptedValue,
    args: [SELECTION_PROOF_TAG, valueStatement, selectionProof, fingerprint, 'ballot/mayor/ada'],
    kinds: ['tag', 'valueStatement', 'disjunctiveProof', 'fingerprint', 'context'],
  },
  { name: 'encodeDisjunctiveProof', run: api.encodeDisjunctiveProof, args: [selectionProof], kinds: ['encodableProof'] },
  { name: 'decodeDisjunctiveProof', run: api.decodeDisjunctiveProof, args: [api.encodeDisjunctiveProof(selectionProof), 2], kinds: ['ciphertextBytes', 'branchCount'] },
  { name: 'evaluateTerms', run: api.evaluateTerms, args: [[[1n, G]]], kinds: ['terms'] },
  { name: 'checkEquationsBatched', run: api.checkEquationsBatched, args: [[{ label: 'x', terms: [[0n, G]] }], [G], rng], kinds: ['equations', null, 'rng'] },
  { name: 'parseManifest', run: api.parseManifest, args: [manifest], kinds: ['manifest'] },
  { name: 'encryptBallot', run: api.encryptBallot, args: [manifest, choices, electionKey, fingerprint, rng], kinds: ['manifest', 'choices', 'point', 'fingerprint', 'rng'] },
  { name: 'verifyBallot', run: api.verifyBallot, args: [manifest, ballot, electionKey, fingerprint], kinds: ['manifest', 'ballot', 'point', 'fingerprint'] },
  { name: 'auditBallot', run: api.auditBallot, args: [manifest, ballot, auditSecrets, electionKey, fingerprint], kinds: ['manifest', 'ballot', 'secrets', 'point', 'fingerprint'] },
  { name: 'serializeBallot', run: api.serializeBallot, args: [ballot], kinds: ['ballot'] },
  { name: 'parseBallot', run: api.parseBallot, args: [wire], kinds: ['ballotWire'] },
  { name: 'serializeAuditSecrets', run: api.serializeAuditSecrets, args: [auditSecrets], kinds: ['secrets'] },
  { name: 'parseAuditSecrets', run: api.parseAuditSecrets, args: [api.serializeAuditSecrets(auditSecrets)], kinds: ['secretsWire'] },
  { name: 'ballotDigest', run: api.ballotDigest, args: [ballot], kinds: ['ballot'] },
  { name: 'verifyBallotBatch', run: api.verifyBallotBatch, args: [manifest, [ballot], electionKey, fingerprint], kinds: ['manifest', 'ballotList', 'point', 'fingerprint'] },
];

function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array(${value.length}) ${api.toHex(value).slice(0, 16)}…`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 60) ?? String(value);
  } catch {
    return String(value);
  }
}

describe('hostile-input matrix', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: the valid call succeeds, every hostile argument gets a CryptoError`, () => {
      expect(() => testCase.run(...testCase.args)).not.toThrow();
      const failures: string[] = [];
      testCase.kinds.forEach((kind, position) => {
        if (!kind) return;
        for (const value of hostile[kind]) {
          const args = testCase.args.slice();
          args[position] = value;
          try {
            const result = testCase.run(...args);
            // Verifiers may answer `false` for a well-typed but wrong proof; anything else must throw.
            if (result !== false) failures.push(`arg ${position} = ${describeValue(value)}: accepted`);
          } catch (error) {
            if (!(error instanceof CryptoError)) failures.push(`arg ${position} = ${describeValue(value)}: threw ${String(error)}`);
          }
        }
      });
      expect(failures).toEqual([]);
    });
  }

  it('the verify functions answer false (not an exception) for a well-typed wrong proof', () => {
    expect(api.verifySchnorr(api.multiplyBase(6n), schnorr, fingerprint, 'ctx')).toBe(false);
    expect(api.verifyEncryptedValue(SELECTION_PROOF_TAG, valueStatement, selectionProof, fingerprint, 'other')).toBe(false);
  });
});
