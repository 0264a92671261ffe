import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  auditBallot,
  ballotDigest,
  ballotDigestOfWire,
  createSeededRandom,
  decryptToPoint,
  encryptBallot,
  parseAuditSecrets,
  parseBallot,
  serializeAuditSecrets,
  serializeBallot,
  solveSmallDiscreteLog,
  sumCiphertexts,
  toHex,
  verifyBallot,
  type EncryptedBallot,
} from '../src/index.ts';
import { choices, electionKey, fingerprint, manifest, otherFingerprint, secretKey } from './ballot-fixtures.ts';

const rng = createSeededRandom('ballot tests');
const { ballot, auditSecrets } = encryptBallot(manifest, choices, electionKey, fingerprint, rng);

function expectCryptoError(run: () => unknown, code: string, field?: string | RegExp) {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CryptoError);
  expect((caught as CryptoError).code).toBe(code);
  if (typeof field === 'string') expect((caught as CryptoError).field).toBe(field);
  else if (field) expect((caught as CryptoError).field).toMatch(field);
}

describe('encryptBallot / verifyBallot', () => {
  it('produces a ballot that verifies and decrypts to the choices', () => {
    verifyBallot(manifest, ballot, electionKey, fingerprint);
    const decrypted = ballot.contests.map((c) => c.selections.map((s) => solveSmallDiscreteLog(decryptToPoint(s.ciphertext, secretKey), 1)));
    expect(decrypted).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });

  it('encrypts an empty selection where the contest allows none', () => {
    const empty = encryptBallot(manifest, { mayor: ['ada'] }, electionKey, fingerprint, rng).ballot;
    verifyBallot(manifest, empty, electionKey, fingerprint);
    const aggregate = sumCiphertexts(empty.contests[1]!.selections.map((s) => s.ciphertext));
    expect(solveSmallDiscreteLog(decryptToPoint(aggregate, secretKey), 3)).toBe(0);
  });

  it('survives the JSON wire format unchanged', () => {
    const wire = JSON.parse(JSON.stringify(serializeBallot(ballot)));
    const parsed = parseBallot(wire);
    verifyBallot(manifest, parsed, electionKey, fingerprint);
    expect(serializeBallot(parsed)).toEqual(wire);
    expect(toHex(ballotDigest(parsed))).toBe(toHex(ballotDigest(ballot)));
  });

  it('gives the same tracking code from the wire form, without decoding points', () => {
    const wire = JSON.parse(JSON.stringify(serializeBallot(ballot)));
    expect(toHex(ballotDigestOfWire(wire))).toBe(toHex(ballotDigest(ballot)));
    // A point that does not decode (all 0xff) still has bytes to hash, but parseBallot, and so
    // verification, refuses the ballot.
    wire.contests[0].selections[0].ciphertext = 'ff'.repeat(64);
    expect(ballotDigestOfWire(wire)).toHaveLength(32);
    expectCryptoError(() => parseBallot(wire), 'NON_CANONICAL_POINT', /ciphertext/);
    wire.contests[0].selections[0].ciphertext = 'ab'.repeat(63);
    expect(() => ballotDigestOfWire(wire)).toThrow(CryptoError);
    wire.contests[0].selections[0].ciphertext = serializeBallot(ballot).contests[0]!.selections[0]!.ciphertext;
    wire.contests[0].rangeProof = wire.contests[0].rangeProof.slice(2);
    expect(() => ballotDigestOfWire(wire)).toThrow(/rangeProof/);
  });

  it('refuses choices the manifest does not allow', () => {
    expectCryptoError(() => encryptBallot(manifest, { mayor: ['ada', 'grace'] }, electionKey, fingerprint), 'INVALID_CHOICES', 'choices.mayor');
    expectCryptoError(() => encryptBallot(manifest, { mayor: [] }, electionKey, fingerprint), 'INVALID_CHOICES', 'choices.mayor');
    expectCryptoError(() => encryptBallot(manifest, { mayor: ['bob'] }, electionKey, fingerprint), 'INVALID_CHOICES', 'choices.mayor');
    expectCryptoError(() => encryptBallot(manifest, { mayor: ['ada'], dogs: [] }, electionKey, fingerprint), 'INVALID_CHOICES', 'choices.dogs');
    expectCryptoError(() => encryptBallot(manifest, { mayor: ['ada'], parks: ['trees', 'trees'] }, electionKey, fingerprint), 'INVALID_CHOICES');
  });

  it('does not verify under another election fingerprint', () => {
    expectCryptoError(() => verifyBallot(manifest, ballot, electionKey, otherFingerprint), 'INVALID_PROOF', /^ballot\.contests\[0\]\.selections\[0\]\.proof/);
  });

  it('rejects a ballot whose ciphertexts were swapped between options', () => {
    const [a, b, c] = ballot.contests[0]!.selections;
    const swapped: EncryptedBallot = {
      ...ballot,
      contests: [{ ...ballot.contests[0]!, selections: [{ ...a!, ciphertext: b!.ciphertext }, { ...b!, ciphertext: a!.ciphertext }, c!] }, ballot.contests[1]!],
    };
    expectCryptoError(() => verifyBallot(manifest, swapped, electionKey, fingerprint), 'INVALID_PROOF', /^ballot\.contests\[0\]\.selections\[0\]\.proof/);
  });

  it('rejects a ballot that votes twice for one option (homomorphic doubling)', () => {
    const sel = ballot.contests[0]!.selections[1]!;
    const doubled = { alpha: sel.ciphertext.alpha.double(), beta: sel.ciphertext.beta.double() };
    const tampered: EncryptedBallot = {
      ...ballot,
      contests: [{ ...ballot.contests[0]!, selections: ballot.contests[0]!.selections.map((s, i) => (i === 1 ? { ...s, ciphertext: doubled } : s)) }, ballot.contests[1]!],
    };
    expectCryptoError(() => verifyBallot(manifest, tampered, electionKey, fingerprint), 'INVALID_PROOF', /selections\[1\]\.proof/);
  });

  it('rejects a ballot whose shape does not match the manifest', () => {
    expectCryptoError(() => verifyBallot(manifest, { ...ballot, contests: ballot.contests.slice(0, 1) }, electionKey, fingerprint), 'INVALID_BALLOT', 'ballot.contests');
    const renamed = { ...ballot, contests: [{ ...ballot.contests[0]!, contestId: 'dogs' }, ballot.contests[1]!] };
    expectCryptoError(() => verifyBallot(manifest, renamed, electionKey, fingerprint), 'INVALID_BALLOT', 'ballot.contests[0].contestId');
  });
});

describe('auditBallot (Benaloh challenge)', () => {
  it('opens a spoiled ballot to the choices it encrypts', () => {
    expect(auditBallot(manifest, ballot, auditSecrets, electionKey, fingerprint)).toEqual({ mayor: ['grace'], parks: ['trees', 'lighting'] });
  });

  it('works on secrets that went through the wire format', () => {
    const secrets = parseAuditSecrets(JSON.parse(JSON.stringify(serializeAuditSecrets(auditSecrets))));
    expect(auditBallot(manifest, ballot, secrets, electionKey, fingerprint)).toEqual({ mayor: ['grace'], parks: ['trees', 'lighting'] });
  });

  it('catches a device that claims a different vote than it encrypted', () => {
    const lying = {
      ...auditSecrets,
      contests: [
        {
          ...auditSecrets.contests[0]!,
          selections: auditSecrets.contests[0]!.selections.map((s) => ({ ...s, value: s.optionId === 'ada' ? 1 : 0 })),
        },
        auditSecrets.contests[1]!,
      ],
    };
    expectCryptoError(() => auditBallot(manifest, ballot, lying, electionKey, fingerprint), 'AUDIT_MISMATCH', 'secrets.contests[0].selections[0]');
  });

  it('catches randomness that does not open the ciphertext', () => {
    const other = encryptBallot(manifest, choices, electionKey, fingerprint, rng).auditSecrets;
    expectCryptoError(() => auditBallot(manifest, ballot, other, electionKey, fingerprint), 'AUDIT_MISMATCH', 'secrets.contests[0].selections[0]');
  });
});
