// The benchmark machine is shared: other processes inflate wall-clock times. These helpers let a
// benchmark wait (optionally) for a quieter moment, and record the load it actually ran under.
import { availableParallelism, loadavg } from 'node:os';

export const oneMinuteLoad = (): number => loadavg()[0]!;

/**
 * Waits until the 1-minute load average is at most `BENCH_MAX_LOAD` (default: the core count),
 * for at most `BENCH_WAIT_MINUTES` (default 0: do not wait). Returns the load when it stopped waiting.
 */
export async function waitForQuietMachine(log: (line: string) => void): Promise<number> {
  const maxLoad = Number(process.env.BENCH_MAX_LOAD ?? availableParallelism());
  const deadline = Date.now() + Number(process.env.BENCH_WAIT_MINUTES ?? 0) * 60_000;
  while (oneMinuteLoad() > maxLoad && Date.now() < deadline) {
    log(`1-minute load ${oneMinuteLoad().toFixed(1)} > ${maxLoad}; waiting`);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
  return oneMinuteLoad();
}

/** Wall time and this process's CPU time (user + system) of `run`, in ms. */
export function measure<T>(run: () => T): { result: T; wallMs: number; cpuMs: number } {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const result = run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}
