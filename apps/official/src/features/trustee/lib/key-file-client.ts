import { toHexString } from '@townhall/protocol';
import { fromFailure, type KeyFileCrypto, type KeyFileRequest, type KeyFileResponse } from './key-file-protocol.ts';

let nextId = 1;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** One request in a fresh Web Worker (Vite bundles it as a same-origin module script), ended when it answers. */
function inWorker(request: WithoutId<KeyFileRequest>): Promise<KeyFileResponse & { ok: true }> {
  const worker = new Worker(new URL('../workers/key-file.worker.ts', import.meta.url), { type: 'module', name: 'trustee-key-file' });
  const id = nextId++;
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<KeyFileResponse>) => {
      if (event.data.id !== id) return;
      worker.terminate();
      if (event.data.ok) resolve(event.data);
      else reject(fromFailure(event.data.error));
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      reject(new Error(event.message || 'the key-file worker failed'));
    });
    worker.postMessage({ ...request, id } as KeyFileRequest);
  });
}

/** The trustee page's key files: scrypt runs in a Web Worker, never on the page's thread. */
export const keyFilesInWorker: KeyFileCrypto = {
  async seal({ electionFingerprint, trusteeIndex, secrets, passphrase, kdf }) {
    const answer = await inWorker({ type: 'seal', electionFingerprint: toHexString(electionFingerprint), trusteeIndex, secrets, passphrase, ...(kdf ? { kdf } : {}) });
    if (answer.type !== 'sealed') throw new Error('the key-file worker answered the wrong request');
    return answer.file;
  },
  async open(text, passphrase, { electionFingerprint, trusteeIndex }) {
    const answer = await inWorker({ type: 'open', text, passphrase, electionFingerprint: toHexString(electionFingerprint), trusteeIndex });
    if (answer.type !== 'opened') throw new Error('the key-file worker answered the wrong request');
    return answer.secrets;
  },
};
