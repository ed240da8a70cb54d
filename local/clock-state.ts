/**
 * The simulated clock of the local stack, and its position kept in the data folder so that
 * a restart continues where the last run stopped: stored deadlines never end up in the
 * future of a clock that jumped back to CLOCK_START.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Clock, simulatedClock, systemClock } from '../functions/domain/clock.js';
import { parseClockStart } from './preflight.js';

export interface ClockChoice {
  clock: Clock;
  /** simulated seconds per real second (1 for the system clock) */
  speed: number;
  simulated: boolean;
  /** a sentence for the console, e.g. why the clock did not start at CLOCK_START */
  note?: string;
  /** writes the clock's position to the data folder (call every few seconds and on stop) */
  save(): void;
  /**
   * Sets a simulated clock running. Until then it stands still at its start, so that the
   * seconds the stack takes to start do not pass as hours at a high CLOCK_SPEED.
   */
  run(): void;
}

interface SavedClock {
  /** the simulated instant when the stack last saved it */
  simulatedNow: string;
  speed: number;
  /** the CLOCK_START of the run that wrote it */
  start?: string;
}

/**
 * Picks the clock:
 * - an explicit `clock` (tests: a ManualClock) wins;
 * - CLOCK_START set: simulated from CLOCK_START at CLOCK_SPEED — unless the data folder's
 *   clock is already later (a restart): then it continues from there;
 * - CLOCK_START unset but the data folder ran on a simulated clock: it continues from there;
 * - otherwise the system clock (CLOCK_SPEED alone runs a simulated clock from now).
 */
export function chooseClock(options: {
  file: string;
  clock?: Clock;
  clockStart?: string;
  clockSpeed?: number;
}): ClockChoice {
  if (options.clock) {
    return {
      clock: options.clock,
      speed: options.clockSpeed ?? 1,
      simulated: true,
      save: () => undefined,
      run: () => undefined,
    };
  }
  const saved = readSaved(options.file);
  const speed = options.clockSpeed ?? saved?.speed ?? 1;
  if (options.clockSpeed !== undefined && (!Number.isFinite(speed) || speed <= 0)) {
    throw new Error('CLOCK_SPEED must be a positive number (simulated seconds per real second).');
  }
  let start: Date | undefined;
  let note: string | undefined;
  if (options.clockStart) {
    const parsed = parseClockStart(options.clockStart);
    if (typeof parsed === 'string') throw new Error(parsed);
    start = parsed;
    if (saved && new Date(saved.simulatedNow).getTime() > start.getTime()) {
      start = new Date(saved.simulatedNow);
      note = `the clock continues at ${saved.simulatedNow}, where the last run in this data folder stopped (later than CLOCK_START)`;
    }
  } else if (saved && saved.start !== undefined) {
    start = new Date(saved.simulatedNow);
    note = `the clock continues at ${saved.simulatedNow}, where the last run in this data folder stopped`;
  } else if (options.clockSpeed !== undefined && options.clockSpeed !== 1) {
    start = new Date();
  }
  if (!start)
    return { clock: systemClock, speed: 1, simulated: false, save: () => undefined, run: () => undefined };

  const clock = new StartableClock(start, speed);
  const startLabel = options.clockStart ?? saved?.start ?? start.toISOString();
  return {
    clock,
    speed,
    simulated: true,
    ...(note ? { note } : {}),
    save: () =>
      writeSaved(options.file, { simulatedNow: clock.now().toISOString(), speed, start: startLabel }),
    run: () => clock.run(),
  };
}

/** A simulated clock that stands at `start` until run(), then moves `speed` times real time. */
export class StartableClock implements Clock {
  private running: Clock | undefined;
  constructor(
    private readonly start: Date,
    private readonly speed: number,
  ) {}

  now(): Date {
    return this.running ? this.running.now() : new Date(this.start.getTime());
  }

  run(): void {
    this.running ??= simulatedClock(this.start, this.speed);
  }
}

function readSaved(file: string): SavedClock | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedClock;
    return Number.isFinite(new Date(saved.simulatedNow).getTime()) ? saved : undefined;
  } catch {
    return undefined;
  }
}

function writeSaved(file: string, value: SavedClock): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, file);
}
