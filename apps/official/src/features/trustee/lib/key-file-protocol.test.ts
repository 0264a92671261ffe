import { randomScalar, type TrusteeSecrets } from '@townhall/crypto';
import { toHexString, type CeremonyState } from '@townhall/protocol';
import { describe, expect, it } from 'vitest';
import { fromFailure, handleKeyFileMessage, type KeyFileCrypto, type KeyFileRequest, type KeyFileResponse } from './key-file-protocol.ts';
import { createTrusteeKey, openTrusteeKey } from './trustee-key.ts';

const cheap = { log2N: 10, r: 8, p: 1 };
const fingerprint = toHexString(new Uint8Array(32).fill(9));

/** What the page gets back from the worker: the handler's answer after a structured clone (postMessage). */
async function viaMessages(request: KeyFileRequest): Promise<KeyFileResponse> {
  return structuredClone(await handleKeyFileMessage(structuredClone(request)));
}

/** The worker client's logic, with the worker replaced by the message handler and structured clones. */
const simulatedWorker: KeyFileCrypto = {
  async seal({ electionFingerprint, trusteeIndex, secrets, passphrase, kdf }) {
    const answer = await viaMessages({ type: 'seal', id: 1, electionFingerprint: toHexString(electionFingerprint), trusteeIndex, secrets, passphrase, ...(kdf ? { kdf } : {}) });
    if (!answer.ok) throw fromFailure(answer.error);
    if (answer.type !== 'sealed') throw new Error('wrong answer');
    return answer.file;
  },
  async open(text, passphrase, { electionFingerprint, trusteeIndex }) {
    const answer = await viaMessages({ type: 'open', id: 2, text, passphrase, electionFingerprint: toHexString(electionFingerprint), trusteeIndex });
    if (!answer.ok) throw fromFailure(answer.error);
    if (answer.type !== 'opened') throw new Error('wrong answer');
    return answer.secrets;
  },
};

function state(fp = fingerprint): CeremonyState {
  return {
    status: 'key-ceremony',
    fingerprint: fp,
    threshold: 2,
    trustees: [1, 2].map((index) => ({ index, displayName: `T${index}`, commitment: null, sharesSent: false, verdict: 'pending' as const })),
    shares: [],
    electionKey: null,
    haltedReason: null,
    yourIndex: 1,
  };
}

describe('the key-file worker’s messages', () => {
  it('seals and opens a key file across structured clones, secrets intact', async () => {
    const secrets: TrusteeSecrets = { identitySecretKey: randomScalar(), polynomialCoefficients: [randomScalar(), randomScalar()], secretShare: null };
    const sealed = await viaMessages({ type: 'seal', id: 7, electionFingerprint: fingerprint, trusteeIndex: 2, secrets, passphrase: 'a long passphrase', kdf: cheap });
    expect(sealed).toMatchObject({ id: 7, ok: true, type: 'sealed' });
    const file = (sealed as { file: string }).file;
    expect(file).not.toContain(secrets.identitySecretKey.toString(16));
    const opened = await viaMessages({ type: 'open', id: 8, text: file, passphrase: 'a long passphrase', electionFingerprint: fingerprint, trusteeIndex: 2 });
    expect(opened).toEqual({ id: 8, ok: true, type: 'opened', secrets });
  });

  it('tells the page why a file does not open, as the page would have seen it without the worker', async () => {
    const s = state();
    const key = await createTrusteeKey(s, 1, 'passphrase one', { kdf: cheap, keyFiles: simulatedWorker });
    s.trustees[0]!.commitment = key.commitment;
    await expect(openTrusteeKey(key.file, 'passphrase one', s, 1, simulatedWorker)).resolves.toEqual(key.secrets);
    await expect(openTrusteeKey(key.file, 'wrong', s, 1, simulatedWorker)).rejects.toMatchObject({ problem: 'wrong-passphrase' });
    await expect(openTrusteeKey(key.file, 'passphrase one', s, 2, simulatedWorker)).rejects.toMatchObject({ problem: 'other-trustee', message: expect.stringContaining('trustee 1') });
    await expect(openTrusteeKey(key.file, 'passphrase one', state('cd'.repeat(32)), 1, simulatedWorker)).rejects.toMatchObject({ problem: 'other-election' });
    await expect(openTrusteeKey('{"format":"something else"}', 'x', s, 1, simulatedWorker)).rejects.toMatchObject({ problem: 'not-a-key-file' });
  });

  it('answers a malformed message with an error naming it, not a crash', async () => {
    await expect(handleKeyFileMessage({ type: 'seal', id: 3 })).resolves.toEqual({ id: 3, ok: false, error: { code: null, field: null, message: 'not a key-file request' } });
    await expect(handleKeyFileMessage(null)).resolves.toMatchObject({ id: -1, ok: false });
  });
});
