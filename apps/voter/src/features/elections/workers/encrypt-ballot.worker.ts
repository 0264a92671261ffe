/// <reference lib="webworker" />
// First: Zod must not probe `new Function` (the CSP has no 'unsafe-eval') before any schema exists.
import '@townhall/web-ui/configure-zod';
import { handleEncryptMessage } from '../lib/encrypt-protocol.ts';

// Ballot encryption (ElGamal + proofs for every option) takes long enough to freeze the page on a
// slow phone, so it runs here; the page stays responsive and shows its progress message.
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  self.postMessage(handleEncryptMessage(event.data));
});
