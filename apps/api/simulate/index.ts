/**
 * The election simulator (docs/simulator.md): a realistic election through the real API, for tests,
 * benchmarks and load tests. `runSimulation` does everything the CLI does; the phase functions let a
 * load test stop at an open election, prepare ballots and fire them itself.
 */
export { startSimulationServer, type SimulationServer, type SimulationServerOptions } from './server.ts';
export {
  setUpElection,
  obtainCredential,
  encryptForVoter,
  castBallots,
  prepareBallots,
  closeElection,
  computeTally,
  decryptAndPublish,
  waitForPublishedCheckpoint,
  downloadRecord,
  finish,
  randomChoices,
  tallyChoices,
  sameTally,
  simulatedDraft,
  DISTRICTS,
  type SetUpOptions,
  type SimulatedElection,
  type SimulatedVoter,
  type CastOptions,
  type CastSummary,
  type PrepareBallotsOptions,
  type Tally,
} from './simulation.ts';
export { runSimulation, type SimulationOptions, type SimulationReport } from './run.ts';
export type { PhaseTiming } from './progress.ts';
export type { HeldCredential, PreparedRequest, ElectionKeys } from './voter-worker.ts';
