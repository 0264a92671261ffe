/// <reference lib="webworker" />
import { handleEncryptMessage } from '../lib/encrypt-protocol.ts';

// Ballot encryption (ElGamal + proofs for every option) takes long enough to freeze the page on a
// slow phone, so it runs here; the page stays responsive and shows its progress message.
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  self.postMessage(handleEncryptMessage(event.data));
});
