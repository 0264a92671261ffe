/** A whole simulated election, from an empty database to the downloaded record (what the CLI runs). */
import { loadavg, cpus } from 'node:os';
import {
  castBallots,
  closeElection,
  computeTally,
  decryptAndPublish,
  downloadRecord,
  finish,
  sameTally,
  setUpElection,
  waitForPublishedCheckpoint,
  type CastOptions,
  type SetUpOptions,
  type Tally,
} from './simulation.ts';
import type { PhaseTiming } from './progress.ts';

export interface SimulationOptions extends SetUpOptions, CastOptions {
  /** Where the election record goes (JSON Lines). */
  out: string;
}

export interface SimulationReport {
  electionId: string;
  out: string;
  recordBytes: number;
  logSize: string;
  electors: number;
  voters: number;
  ballotsCast: number;
  spoiled: number;
  revotes: number;
  decryptingTrustees: number[];
  expected: Tally;
  result: Tally;
  /** The published result equals the plain tally of the choices the simulator made. */
  isResultCorrect: boolean;
  timings: PhaseTiming[];
  totalMs: number;
  /** Load averages (1, 5, 15 min) when the run started and when it ended. */
  machine: { cpus: number; model: string; loadAverageAtStart: number[]; loadAverage: number[] };
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const started = performance.now();
  const loadAverageAtStart = loadavg();
  const sim = await setUpElection(options);
  try {
    const cast = await castBallots(sim, options);
    await closeElection(sim);
    const tally = await computeTally(sim);
    if (tally.countedBallots !== sim.voters.length) throw new Error(`the tally counts ${tally.countedBallots} ballots, expected ${sim.voters.length}`);
    const { trustees, result } = await decryptAndPublish(sim, tally);
    const logSize = await waitForPublishedCheckpoint(sim);
    const record = await downloadRecord(sim, options.out);
    return {
      electionId: sim.election.id,
      out: record.file,
      recordBytes: record.bytes,
      logSize: logSize.toString(),
      electors: sim.electors.length,
      voters: sim.voters.length,
      ballotsCast: cast.ballotsCast,
      spoiled: cast.spoiled,
      revotes: cast.revotes,
      decryptingTrustees: trustees,
      expected: cast.expected,
      result,
      isResultCorrect: sameTally(cast.expected, result),
      timings: sim.phases.timings,
      totalMs: performance.now() - started,
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverageAtStart, loadAverage: loadavg() },
    };
  } finally {
    await finish(sim);
  }
}
