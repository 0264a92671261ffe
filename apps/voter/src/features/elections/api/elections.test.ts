import { describe, expect, it } from 'vitest';
import { fromHex, generateBallotKeyPair, toHex, verifyBallotSignature } from '@townhall/crypto';
import { SpoilBallotRequest, ballotSignatureMessage, spoilSignatureMessage, type ElectionDetail } from '@townhall/protocol';
import type { EncryptedBallot } from '../lib/encrypt-client.ts';
import { castRequest, spoilRequest } from './elections.ts';

// The Benaloh "check this ballot's encryption" request (elections.md §6): authorised like a cast, by
// the credential and the ballot key, which signs the spoil message (not the cast message).
describe('spoilRequest', () => {
  const keys = generateBallotKeyPair();
  const key = { secretKey: toHex(keys.secretKey), publicKey: toHex(keys.publicKey), messagePrefix: 'ab'.repeat(32), signature: 'cd'.repeat(384) };
  const election = { fingerprint: '12'.repeat(32) } as ElectionDetail;
  const prepared = {
    trackingCode: '34'.repeat(32),
    ballot: { version: 1, contests: [{ contestId: 'mayor', selections: [{ optionId: 'ada', ciphertext: '56'.repeat(64), proof: '' }], rangeProof: '' }] },
    secrets: { version: 1, contests: [{ contestId: 'mayor', selections: [{ optionId: 'ada', value: 1, randomness: '78'.repeat(32) }] }] },
  } as EncryptedBallot;

  it('carries the credential and a ballot-key signature over the spoil message, in the shape the API takes', () => {
    const request = spoilRequest(election, key, prepared);
    expect(SpoilBallotRequest.parse(request)).toEqual(request);
    expect(request.credential).toEqual({ messagePrefix: key.messagePrefix, signature: key.signature, ballotPublicKey: key.publicKey });
    const fingerprint = fromHex(election.fingerprint!, 'fingerprint', 32);
    const trackingCode = fromHex(prepared.trackingCode, 'trackingCode', 32);
    expect(verifyBallotSignature(keys.publicKey, spoilSignatureMessage(fingerprint, trackingCode), fromHex(request.signature, 'signature'))).toBe(true);
    // A spoil signature is not a cast signature, and the other way round.
    expect(verifyBallotSignature(keys.publicKey, ballotSignatureMessage(fingerprint, trackingCode), fromHex(request.signature, 'signature'))).toBe(false);
    expect(request.signature).not.toBe(castRequest(election, key, prepared).signature);
  });
});
