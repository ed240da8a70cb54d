/**
 * Operator command: when is "within N <unit>" of an instant due?
 *
 *   npm run --silent due -- 2026-09-30T10:00:00+08:00 5
 *   2026-10-13T18:00:00+08:00
 *   npm run --silent due -- 2026-09-20T10:00:00+08:00 15 --unit calendarDays
 *   2026-10-08T18:00:00+08:00
 *
 * Uses the calendar of CONFIG_DIR (default ./config: the built-in mainland China calendar
 * plus config/calendar/*.json), then any --calendar files, which win.
 */
import path from 'node:path';
import {
  CalendarConfigError,
  DURATION_UNITS,
  type DurationUnit,
  describeDuration,
  loadCalendar,
  parseInstant,
} from '../domain/calendar/index.js';

export const USAGE = `Usage: npm run --silent due -- <start> <N> [--unit <unit>] [--calendar <file>]...

Prints the due instant of "within N <unit>" of <start>, as ISO 8601 with the calendar's
offset, followed by " provisional" when it relies on projected holidays (a year with no
official notice yet).

  <start>            an ISO 8601 instant with offset, e.g. 2026-09-30T10:00:00+08:00
  <N>                whole number of units; 0 = by close of business today (days),
                     the start itself (hours), the next business instant (working hours)
  --unit <unit>      workingDays (default): close of business of the Nth working day
                       after the day of receipt
                     calendarDays: close of business of the Nth day after the day of
                       receipt; a day off moves it to the next working day (民法典 第二百零三条)
                     hours: N natural hours after <start>, holidays or not
                     workingHours: N hours inside business hours (default 09:00–18:00)
                       of working days, make-up working days included
  --calendar <file>  a calendar file (JSON, see config/calendar/README.md) applied after
                     CONFIG_DIR's config/calendar/*.json; may be repeated
  -h, --help         this help

Examples:
  npm run --silent due -- 2026-09-30T10:00:00+08:00 5                      →  2026-10-13T18:00:00+08:00
  npm run --silent due -- 2026-09-20T10:00:00+08:00 15 --unit calendarDays →  2026-10-08T18:00:00+08:00
  npm run --silent due -- 2026-09-30T19:30:00+08:00 24 --unit hours        →  2026-10-01T19:30:00+08:00
  npm run --silent due -- 2026-09-30T19:30:00+08:00 24 --unit workingHours →  2026-10-10T15:00:00+08:00`;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

class UsageError extends Error {}

interface Args {
  start: Date;
  amount: number;
  unit: DurationUnit;
  calendars: string[];
}

function parseUnit(value: string | undefined): DurationUnit {
  if (!value) throw new UsageError('--unit needs a unit');
  if (!(DURATION_UNITS as readonly string[]).includes(value))
    throw new UsageError(`unknown unit "${value}": use ${DURATION_UNITS.join(', ')}`);
  return value as DurationUnit;
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const positional: string[] = [];
  const calendars: string[] = [];
  let unit: DurationUnit = 'workingDays';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--calendar') {
      const file = argv[++i];
      if (!file) throw new UsageError('--calendar needs a file');
      calendars.push(file);
    } else if (arg === '--unit') {
      unit = parseUnit(argv[++i]);
    } else if (arg.startsWith('--unit=')) {
      unit = parseUnit(arg.slice('--unit='.length));
    } else if (arg.startsWith('--calendar=')) {
      calendars.push(arg.slice('--calendar='.length));
    } else if (arg.startsWith('-') && !/^-\d/.test(arg)) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2)
    throw new UsageError(`expected <start> and <N>, got ${positional.length} argument(s)`);
  const [startText, amountText] = positional as [string, string];
  let start: Date;
  try {
    start = parseInstant(startText);
  } catch (e) {
    throw new UsageError(`<start>: ${(e as Error).message}`);
  }
  if (!/^\d+$/.test(amountText))
    throw new UsageError(
      `<N> must be a whole number of ${describeDuration({ amount: 2, unit }).slice(2)} ≥ 0, got "${amountText}"`,
    );
  return { start, amount: Number(amountText), unit, calendars };
}

/** Runs the command; returns the exit code (0 done, 1 bad calendar data, 2 bad arguments). */
export function runDue(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv = process.env): number {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`due: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.out(USAGE);
    return 0;
  }
  try {
    const configDir = env.CONFIG_DIR ?? path.join(process.cwd(), 'config');
    const calendar = loadCalendar(configDir, args.calendars);
    const { dueAt, provisional } = calendar.due(args.start, { amount: args.amount, unit: args.unit });
    io.out(provisional ? `${dueAt} provisional` : dueAt);
    return 0;
  } catch (e) {
    if (e instanceof CalendarConfigError) {
      io.err(`due: ${e.message}`);
      return 1;
    }
    if (e instanceof RangeError) {
      io.err(`due: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

// Run when executed as a script (tsx functions/cli/due.ts), not when imported by tests.
if (/^due\.[cm]?[jt]s$/.test(path.basename(process.argv[1] ?? ''))) {
  process.exitCode = runDue(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
