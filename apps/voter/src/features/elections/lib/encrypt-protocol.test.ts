import { describe, expect, it } from 'vitest';
import { G, auditBallot, ballotDigest, fromHex, parseAuditSecrets, parseBallot, pointFromHex, toHex, verifyBallot } from '@townhall/crypto';
import { BallotWire, type Contest } from '@townhall/protocol';
import { handleEncryptMessage, type EncryptBallotRequest } from './encrypt-protocol.ts';

const contests: Contest[] = [
  { id: 'park', title: 'Park', options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }], minSelections: 1, maxSelections: 1 },
];
const secret = 123456789n;
const electionKey = toHex(G.multiply(secret).toBytes());
const fingerprint = 'ab'.repeat(32);
const request = (overrides: Partial<EncryptBallotRequest> = {}): EncryptBallotRequest => ({
  type: 'encrypt-ballot',
  id: 7,
  contests,
  choices: { park: ['b'] },
  electionKey,
  fingerprint,
  ...overrides,
});

describe('the ballot-encryption worker message contract', () => {
  it('answers an encrypt-ballot request with the wire ballot, its audit secrets and its tracking code, under the same id', () => {
    const answer = handleEncryptMessage(request());
    expect(answer).toMatchObject({ type: 'encrypted-ballot', id: 7, ok: true });
    if (!answer.ok) throw new Error(answer.error);
    // The wire ballot is what the API accepts, and it survives structured cloning.
    expect(BallotWire.safeParse(structuredClone(answer.ballot)).success).toBe(true);
    expect(answer.trackingCode).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.secrets.contests[0]!.selections.map((s) => s.value)).toEqual([0, 1, 0]);
    // The ballot's proofs verify under the election key and fingerprint, and the code is its digest.
    const ballot = parseBallot(answer.ballot);
    expect(() => verifyBallot({ contests }, ballot, pointFromHex(electionKey), fromHex(fingerprint))).not.toThrow();
    expect(toHex(ballotDigest(ballot))).toBe(answer.trackingCode);
    // Opening it with its audit secrets (the Benaloh check) gives back the choices.
    expect(auditBallot({ contests }, ballot, parseAuditSecrets(answer.secrets), pointFromHex(electionKey), fromHex(fingerprint))).toEqual({ park: ['b'] });
  });

  it('gives two different ballots for the same choices (fresh randomness each time)', () => {
    const first = handleEncryptMessage(request());
    const second = handleEncryptMessage(request());
    expect(first.ok && second.ok && first.trackingCode !== second.trackingCode).toBe(true);
  });

  it('refuses choices outside the contest’s rules with an error, not a ballot', () => {
    const answer = handleEncryptMessage(request({ choices: { park: ['a', 'b'] } }));
    expect(answer).toMatchObject({ type: 'encrypted-ballot', id: 7, ok: false });
    expect(answer.ok ? '' : answer.error).not.toBe('');
  });

  it('refuses a message that is not a request, keeping its id when it has one', () => {
    expect(handleEncryptMessage({ type: 'something-else', id: 3 })).toEqual({ type: 'encrypted-ballot', id: 3, ok: false, error: 'not an encrypt-ballot request' });
    expect(handleEncryptMessage(null)).toMatchObject({ id: -1, ok: false });
  });

  it('refuses a malformed election key', () => {
    expect(handleEncryptMessage(request({ electionKey: 'zz' }))).toMatchObject({ ok: false });
  });
});
