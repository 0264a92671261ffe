// Worker threads do not inherit the parent's tsx loader: register it, then load the TypeScript entry.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { workerData } from 'piscina';
import { register } from 'tsx/esm/api';

// A pool for background work asks for a lower priority (Linux: a thread is a task with its own nice
// value, /proc/thread-self names it), so it only takes CPU time the server leaves idle.
if (workerData?.nice) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice);
  } catch {
    // Not Linux, or not allowed: the pool runs at normal priority.
  }
}

register();
const entry = await import('./voter-worker.ts');
export default entry.default;
