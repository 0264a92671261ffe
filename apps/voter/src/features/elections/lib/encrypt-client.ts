import type { Contest } from '@townhall/protocol';
import type { EncryptBallotRequest, EncryptBallotResponse } from './encrypt-protocol.ts';

export type EncryptedBallot = Extract<EncryptBallotResponse, { ok: true }>;

let nextId = 1;

/** Encrypts the choices in a fresh Web Worker (Vite bundles it as a same-origin module script). */
export function encryptInWorker(input: { contests: Contest[]; choices: Record<string, string[]>; electionKey: string; fingerprint: string }): Promise<EncryptedBallot> {
  const worker = new Worker(new URL('../workers/encrypt-ballot.worker.ts', import.meta.url), { type: 'module', name: 'encrypt-ballot' });
  const id = nextId++;
  return new Promise<EncryptedBallot>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<EncryptBallotResponse>) => {
      if (event.data.id !== id) return;
      worker.terminate();
      if (event.data.ok) resolve(event.data);
      else reject(new Error(event.data.error));
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      reject(new Error(event.message || 'the encryption worker failed'));
    });
    const request: EncryptBallotRequest = { type: 'encrypt-ballot', id, ...input };
    worker.postMessage(request);
  });
}
