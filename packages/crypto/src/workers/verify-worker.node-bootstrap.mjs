// Starts the TypeScript worker entry inside a Node worker thread: the tsx loader registered by
// the parent thread does not carry over into workers, so the worker registers it itself.
import { register } from 'tsx/esm/api';

register();
await import('./verify-worker.node.ts');
