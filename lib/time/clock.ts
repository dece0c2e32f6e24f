import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The one place code reads "now". Outside a scope it is the wall clock. Inside runWithClock (the demo history
 * generator) it is that scope's clock, so the call log, breaker, webhooks, bookings and sync runs can be replayed at
 * past times by the real code paths, while requests served meanwhile by the same process keep the real time.
 * Not "server-only": the Drizzle schema uses it for column defaults and drizzle-kit loads the schema outside Next.
 */
export type Clock = { now(): Date };

const scope = new AsyncLocalStorage<Clock>();

export function now(): Date {
  const clock = scope.getStore();
  return clock ? clock.now() : new Date();
}

export function nowMs(): number {
  return now().getTime();
}

export function runWithClock<T>(clock: Clock, fn: () => T): T {
  return scope.run(clock, fn);
}

/**
 * A clock set to a chosen instant that then runs at real speed (so durations and ordering inside one step stay
 * true); set() jumps it, never backwards, so rows written in sequence keep increasing times.
 */
export type ShiftedClock = Clock & { set(at: Date): void };

export function createShiftedClock(start: Date): ShiftedClock {
  let base = start.getTime();
  let realAtBase = performance.now();
  const current = () => base + (performance.now() - realAtBase);
  return {
    now: () => new Date(Math.floor(current())),
    set(at: Date) {
      base = Math.max(at.getTime(), current());
      realAtBase = performance.now();
    },
  };
}
