// Starts the TypeScript worker entry inside a Node worker thread (see ./node.ts).
import { register } from 'tsx/esm/api';

register();
await import('./proof-worker.node.ts');
