/**
 * The repairs simulator's clock (docs/simulator.md, "Repairs"): the process's `Date` runs behind the
 * real clock by a shift that the simulation only ever shortens, so a contract year passes in minutes.
 * The server, its ledger and its witnesses run in this process and all read this one clock, which
 * never goes backwards; once the simulation ends at or before the real time it rejoins it.
 * `Date.parse`, `Date.UTC` and dates built from a value are the real ones; `Date()` called without
 * `new` (a string of the current time) is not supported (no code in apps/api/src or packages/ calls it).
 */
const RealDate = globalThis.Date;

export interface SimulatedClock {
  now(): number;
  /** Moves the clock forward to `instant` (never backwards: an earlier instant changes nothing). */
  advanceTo(instant: number): void;
  /** Puts the real `Date` back (the simulated time is never ahead of it); calling it again does nothing. */
  restore(): void;
}

/** Installs a clock that reads `start` now and then runs at the real pace; `start` must not be in the future. */
export function installSimulatedClock(start: number): SimulatedClock {
  if (globalThis.Date !== RealDate) throw new Error('a simulated clock is already installed');
  if (start > RealDate.now()) throw new Error(`the simulated clock cannot start in the future (${new RealDate(start).toISOString()})`);
  let shift = start - RealDate.now();
  const now = () => RealDate.now() + shift;

  class SimulatedDate extends RealDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(now());
      else super(...(args as ConstructorParameters<DateConstructor>));
    }

    static override now(): number {
      return now();
    }
  }
  globalThis.Date = SimulatedDate as DateConstructor;

  return {
    now,
    advanceTo(instant) {
      const ahead = instant - now();
      if (ahead <= 0) return;
      if (shift + ahead > 0) throw new Error(`the simulated clock cannot pass the real time (asked for ${new RealDate(instant).toISOString()})`);
      shift += ahead;
    },
    restore() {
      globalThis.Date = RealDate;
    },
  };
}
