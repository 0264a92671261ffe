// Starts the TypeScript entry inside a worker thread: the tsx loader registered by the main thread
// does not carry over into workers, so the worker registers it itself.
import { register } from 'tsx/esm/api';

register();
await import('./ciphertext-sum.worker.ts');
