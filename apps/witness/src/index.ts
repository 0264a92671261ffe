export { startWitness, parseLogArgument, type WitnessOptions, type RunningWitness, type WitnessedLogConfig } from './witness-server.ts';
export { loadOrCreateWitnessKey } from './witness-key.ts';
export { WitnessStateStore } from './state-store.ts';
