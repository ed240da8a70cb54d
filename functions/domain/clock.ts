/**
 * Time as the product sees it. On AWS it is the system clock; the local stack and the
 * tests use a simulated clock (CLOCK_START, CLOCK_SPEED) so deadlines can pass quickly.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that started at `start` and runs `speed` simulated seconds per real second. */
export function simulatedClock(start: Date, speed: number, realNow: () => number = Date.now): Clock {
  if (!Number.isFinite(start.getTime())) throw new Error('CLOCK_START is not a valid ISO instant');
  if (!Number.isFinite(speed) || speed <= 0) throw new Error('CLOCK_SPEED must be a positive number');
  const realStart = realNow();
  return { now: () => new Date(start.getTime() + (realNow() - realStart) * speed) };
}

/** A clock that moves only when told: for tests. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Reads CLOCK_START / CLOCK_SPEED; the system clock when CLOCK_START is unset. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const start = env.CLOCK_START;
  if (!start) return systemClock;
  return simulatedClock(new Date(start), env.CLOCK_SPEED ? Number(env.CLOCK_SPEED) : 1);
}

let current: Clock = clockFromEnv();

/** The clock every handler reads. */
export function clock(): Clock {
  return current;
}

/** Replaces the process-wide clock (local stack, tests). */
export function setClock(next: Clock): void {
  current = next;
}
