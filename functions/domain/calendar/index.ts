/**
 * The business calendar: working days, deadlines, and where the calendar comes from.
 *
 *   const calendar = loadCalendar();             // built-in China data + config/calendar/*.json
 *   calendar.addWorkingDays(receivedAt, 5)       // { dueAt: '2026-10-13T18:00:00+08:00', provisional: false }
 *   calendar.workingDaysBetween(receivedAt, at)  // for KPIs
 *   calendar.isWorkingDay('2026-02-14')          // true (调休)
 *   calendar.due(receivedAt, { amount: 15, unit: 'calendarDays' })  // any unit: workingDays,
 *                                                // calendarDays, hours, workingHours
 *   calendar.elapsed(openedAt, closedAt, 'workingHours')           // its counterpart, for reports
 *
 * Build it once per process (module load) and reuse it: every answer comes from
 * precomputed per-year tables, with no I/O.
 */
import path from 'node:path';
import { BusinessCalendar } from './calendar.js';
import { chinaSpec } from './china.js';
import { buildCalendar, calendarFilesIn, readCalendarFiles } from './load.js';

export {
  BusinessCalendar,
  type CalendarSpec,
  type DayInfo,
  DEFAULT_OPEN_OF_BUSINESS,
  DURATION_UNITS,
  type Duration,
  type DurationUnit,
  describeDuration,
  type IsoWeekday,
  isIsoDate,
  localDayCounter,
  MAX_AMOUNT,
  parseInstant,
  secondsUntil,
  type WorkingHours,
  type YearData,
} from './calendar.js';
export { CHINA_TIME_ZONE, chinaOfficialYears, DEFAULT_CLOSE_OF_BUSINESS, NOTICES } from './china.js';
export {
  buildCalendar,
  CalendarConfigError,
  type CalendarSource,
  calendarFilesIn,
  readCalendarFiles,
} from './load.js';
export { projectedDaysOff, statutoryHolidays } from './projection.js';

/** `CONFIG_DIR`, or `<cwd>/config` (Lambda: /var/task/config). */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CONFIG_DIR ?? path.join(process.cwd(), 'config');
}

let builtIn: BusinessCalendar | undefined;

/** The built-in mainland China calendar (no operator files). */
export function defaultCalendar(): BusinessCalendar {
  builtIn ??= new BusinessCalendar(chinaSpec());
  return builtIn;
}

/**
 * The calendar configured in `<configDir>/calendar/*.json` (name order) on top of the
 * built-in data, then `extraFiles` (e.g. the `due` command's --calendar), which win.
 * Throws CalendarConfigError naming the file and entry when a file is malformed.
 */
export function loadCalendar(
  configDir: string = defaultConfigDir(),
  extraFiles: readonly string[] = [],
): BusinessCalendar {
  const files = [...calendarFilesIn(configDir), ...extraFiles];
  if (files.length === 0) return defaultCalendar();
  return buildCalendar(readCalendarFiles(files));
}

let configured: BusinessCalendar | undefined;

/** The calendar of CONFIG_DIR, loaded on first use and kept for the life of the process. */
export function configuredCalendar(): BusinessCalendar {
  configured ??= loadCalendar();
  return configured;
}

/** Replaces the process-wide calendar (tests, local stack); `undefined` reloads on next use. */
export function setCalendar(next: BusinessCalendar | undefined): void {
  configured = next;
}
