// Worker threads do not inherit the parent's tsx loader: register it, then load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
const entry = await import('./voter-worker.ts');
export default entry.default;
