/// <reference lib="webworker" />
// First: Zod must not probe `new Function` (the CSP has no 'unsafe-eval') before any schema exists.
import '@townhall/web-ui/configure-zod';
import { handleKeyFileMessage } from '../lib/key-file-protocol.ts';

// scrypt with OWASP's parameters takes a second or more and 128 MiB: run here, the trustee page
// keeps painting and answering while the key file is sealed or opened.
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  void handleKeyFileMessage(event.data).then((response) => self.postMessage(response));
});
