/** Phase timings and progress lines of a simulation run. */

export interface PhaseTiming {
  name: string;
  /** Items done in the phase (electors, credentials, ballots…). */
  count: number;
  ms: number;
}

export interface Phase {
  tick(n?: number): void;
}

const PROGRESS_EVERY_MS = 5_000;
const number = (n: number) => n.toLocaleString('en-GB');

/** Runs named phases one after the other, printing progress every few seconds and a line at the end of each. */
export class PhaseLog {
  readonly timings: PhaseTiming[] = [];

  constructor(private readonly log: (line: string) => void) {}

  async run<T>(name: string, total: number, body: (phase: Phase) => Promise<T>): Promise<T> {
    const started = performance.now();
    let done = 0;
    const timer = setInterval(() => {
      const seconds = (performance.now() - started) / 1000;
      this.log(`  … ${name}: ${number(done)} / ${number(total)} (${(done / seconds).toFixed(1)}/s)`);
    }, PROGRESS_EVERY_MS);
    timer.unref();
    try {
      const result = await body({ tick: (n = 1) => void (done += n) });
      const ms = performance.now() - started;
      this.timings.push({ name, count: done, ms });
      const rate = done > 1 ? `, ${(done / (ms / 1000)).toFixed(1)}/s` : '';
      this.log(`✓ ${name}: ${number(done)} in ${(ms / 1000).toFixed(2)} s${rate}`);
      return result;
    } finally {
      clearInterval(timer);
    }
  }
}
