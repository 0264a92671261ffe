import { computeElectionKey, decodeTrusteeCommitment, encodeCiphertext, encrypt, pointFromHex, randomScalar, encodeEncryptedShare, encryptShare, verifyPartialDecryption, decodePoint, decodeChaumPedersenProof } from '@townhall/crypto';
import { fromHexString, toHexString, type CeremonyState, type TallyState } from '@townhall/protocol';
import { describe, expect, it } from 'vitest';
import { computeTallyShares, createTrusteeKey, deriveSecretShare, encryptSharesForOthers, judgeReceivedShares, openTrusteeKey } from './trustee-key.ts';

const cheap = { log2N: 10, r: 8, p: 1 };
const fingerprint = toHexString(new Uint8Array(32).fill(7));

function emptyState(fp = fingerprint): CeremonyState {
  return {
    status: 'key-ceremony',
    fingerprint: fp,
    threshold: 2,
    trustees: [1, 2, 3].map((index) => ({ index, displayName: `T${index}`, commitment: null, sharesSent: false, verdict: 'pending' as const })),
    shares: [],
    electionKey: null,
    haltedReason: null,
    yourIndex: null,
  };
}

async function runCeremony() {
  const state = emptyState();
  const keys = [];
  for (const t of state.trustees) {
    const key = await createTrusteeKey(state, t.index, `passphrase ${t.index}`, { kdf: cheap });
    t.commitment = key.commitment;
    keys.push(key);
  }
  for (const t of state.trustees) {
    const others = state.trustees.filter((o) => o.index !== t.index);
    encryptSharesForOthers(state, t.index, keys[t.index - 1]!.secrets).forEach((share, i) => state.shares.push({ from: t.index, to: others[i]!.index, share }));
  }
  return { state, keys };
}

describe('trustee key in the browser', () => {
  it('runs a 2-of-3 ceremony whose shares every trustee accepts and whose partial decryptions verify', async () => {
    const { state, keys } = await runCeremony();
    for (const t of state.trustees) expect(judgeReceivedShares(state, t.index, keys[t.index - 1]!.secrets)).toEqual({ verdict: 'accept' });

    const parameters = { electionFingerprint: fromHexString(fingerprint), threshold: 2, trusteeCount: 3 };
    const commitments = state.trustees.map((t) => decodeTrusteeCommitment(parameters, fromHexString(t.commitment!)));
    const { jointKey, verificationShares } = computeElectionKey(parameters, commitments);
    const ciphertext = encrypt(jointKey, 1, randomScalar());
    const bytes = encodeCiphertext(ciphertext);
    const tally: TallyState = {
      status: 'tallied', closedAtSize: '10', countedBallots: 1, partialDecryptions: [], threshold: 2, result: null,
      aggregation: null,
      aggregate: [{ contestId: 'c', optionId: 'o', alpha: toHexString(bytes.subarray(0, 32)), beta: toHexString(bytes.subarray(32)) }],
    };
    // The trustee reopens its saved file at tally time, as the tally page does.
    const secrets = await openTrusteeKey(keys[1]!.file, 'passphrase 2', state, 2);
    const request = computeTallyShares(state, tally, 2, deriveSecretShare(state, 2, secrets));
    expect(request.shares).toHaveLength(1);
    const share = request.shares[0]!;
    expect(
      verifyPartialDecryption(fromHexString(fingerprint), verificationShares[1]!, { alpha: pointFromHex(tally.aggregate![0]!.alpha), beta: pointFromHex(tally.aggregate![0]!.beta) },
        { trusteeIndex: 2, share: decodePoint(fromHexString(share.share)), proof: decodeChaumPedersenProof(fromHexString(share.proof)) }, 'tally/contest:c/option:o'),
    ).toBe(true);
  });

  it('complains about a share that does not match its sender’s commitment', async () => {
    const { state, keys } = await runCeremony();
    // Trustee 1 sends trustee 3 a share from a polynomial it did not commit to.
    const bad = state.shares.findIndex((s) => s.from === 1 && s.to === 3);
    const parameters = { electionFingerprint: fromHexString(fingerprint), threshold: 2, trusteeCount: 3 };
    const wrongPolynomial = keys[0]!.secrets.polynomialCoefficients.map((a, j) => (j === 0 ? a + 1n : a));
    const recipientKey = decodeTrusteeCommitment(parameters, fromHexString(state.trustees[2]!.commitment!)).identityKey;
    state.shares[bad] = { from: 1, to: 3, share: toHexString(encodeEncryptedShare(parameters, encryptShare(parameters, 1, wrongPolynomial, 3, recipientKey))) };
    const verdict = judgeReceivedShares(state, 3, keys[2]!.secrets);
    expect(verdict).toMatchObject({ verdict: 'complaint', accused: 1 });
  });

  it('names a wrong passphrase, a file of another election and a file of another trustee', async () => {
    const { state, keys } = await runCeremony();
    await expect(openTrusteeKey(keys[0]!.file, 'wrong', state, 1)).rejects.toMatchObject({ problem: 'wrong-passphrase' });
    await expect(openTrusteeKey(keys[0]!.file, 'passphrase 1', emptyState('ab'.repeat(32)), 1)).rejects.toMatchObject({ problem: 'other-election' });
    await expect(openTrusteeKey(keys[0]!.file, 'passphrase 1', state, 2)).rejects.toMatchObject({ problem: 'other-trustee' });
    await expect(openTrusteeKey('{"hello":1}', 'x', state, 1)).rejects.toMatchObject({ problem: 'not-a-key-file' });
  });

  it('refuses a file from an earlier attempt whose key is not the committed one', async () => {
    const { state } = await runCeremony();
    const stale = await createTrusteeKey(state, 1, 'old', { kdf: cheap });
    await expect(openTrusteeKey(stale.file, 'old', state, 1)).rejects.toMatchObject({ problem: 'not-this-key' });
  });
});
