/**
 * Operator calendar files (config/calendar/*.json, loaded in name order; see
 * config/calendar/README.md). Two kinds:
 *
 * - A year's notice, overriding the built-in data or projection for that year:
 *     { "year": 2027, "daysOff": ["2027-02-05/2027-02-12", …], "workdays": ["2027-02-14"], "source"?: "…" }
 * - The calendar itself (at most one such file):
 *     { "base"?: "none" | "mainland-china", "name"?, "timeZone", "openOfBusiness"?: "09:00", "closeOfBusiness"?: "18:00",
 *       "weekend"?: [6, 7], "holidays"?: [...], "workdays"?: [...] }
 *   With base "none" (the default) this is a whole custom calendar: its weekend, its holidays,
 *   nothing projected. With base "mainland-china" it adjusts the built-in calendar (another
 *   close time or business hours, a company's own closures in `holidays`, extra working days in `workdays`).
 *
 * Date entries are "YYYY-MM-DD" or an inclusive range "YYYY-MM-DD/YYYY-MM-DD".
 * Every problem is reported with the file and the entry, e.g.
 *   config/calendar/2027.json: daysOff[3] "2027-02-30" is not a date
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import * as z from 'zod';
import {
  BusinessCalendar,
  type CalendarSpec,
  dayNumber,
  type IsoWeekday,
  isoDate,
  weekdayOf,
  type YearData,
} from './calendar.js';
import { CHINA_TIME_ZONE, chinaSpec, DEFAULT_CLOSE_OF_BUSINESS } from './china.js';

/** A calendar file that cannot be used. The message names the file and the bad entry. */
export class CalendarConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarConfigError';
  }
}

const MAX_RANGE_DAYS = 366;

const dateEntry = z.lazy(() =>
  z.string().superRefine((value, ctx) => {
    const parts = value.split('/');
    if (parts.length > 2) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD/YYYY-MM-DD)`,
      });
      return;
    }
    const days = parts.map((p) => dayNumber(p));
    const badIndex = days.indexOf(undefined);
    if (badIndex >= 0) {
      ctx.addIssue({
        code: 'custom',
        message:
          parts.length === 1
            ? `"${value}" is not a date (YYYY-MM-DD)`
            : `"${value}": "${parts[badIndex]}" is not a date (YYYY-MM-DD)`,
      });
      return;
    }
    if (days.length === 2) {
      const [a, b] = days as [number, number];
      if (b < a) ctx.addIssue({ code: 'custom', message: `"${value}" ends before it starts` });
      else if (b - a >= MAX_RANGE_DAYS)
        ctx.addIssue({ code: 'custom', message: `"${value}" is longer than a year` });
    }
  }),
);

const note = z.lazy(() => z.string().optional());

const yearFile = z.lazy(() =>
  z.strictObject({
    year: z.int().min(2000, 'year must be 2000 or later').max(2199, 'year must be 2199 or earlier'),
    daysOff: z.array(dateEntry),
    workdays: z.array(dateEntry).default([]),
    source: note,
    note,
  }),
);

const timeZone = z.lazy(() =>
  z
    .string()
    .refine((tz) => IANAZone.isValidZone(tz), { message: 'is not an IANA time zone (e.g. Asia/Shanghai)' }),
);
const closeTime = z.lazy(() =>
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm, e.g. 18:00'),
);

const calendarFile = z.lazy(() =>
  z.strictObject({
    base: z.enum(['none', 'mainland-china']).default('none'),
    name: z.string().min(1).optional(),
    timeZone: timeZone.optional(),
    openOfBusiness: closeTime.optional(),
    closeOfBusiness: closeTime.default(DEFAULT_CLOSE_OF_BUSINESS),
    weekend: z
      .array(
        z
          .int()
          .min(1, 'weekend days are 1 (Monday) … 7 (Sunday)')
          .max(7, 'weekend days are 1 (Monday) … 7 (Sunday)'),
      )
      .max(6, 'a calendar needs at least one working weekday')
      .refine((days) => new Set(days).size === days.length, { message: 'lists a day twice' })
      .default([6, 7]),
    holidays: z.array(dateEntry).default([]),
    workdays: z.array(dateEntry).default([]),
    source: note,
    note,
  }),
);

type YearFile = z.infer<typeof yearFile>;
type CalendarFile = z.infer<typeof calendarFile>;

/** One file's parsed JSON, named as it should appear in messages. */
export interface CalendarSource {
  name: string;
  content: unknown;
}

function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out;
}

function fail(file: string, entry: string, message: string): never {
  throw new CalendarConfigError(`${file}: ${entry ? `${entry} ` : ''}${message}`);
}

/** Expands date entries (single dates and ranges) to the dates, checking each is allowed. */
function expand(
  file: string,
  field: string,
  entries: readonly string[],
  check?: (date: string, day: number) => string | undefined,
): Map<string, string> {
  const out = new Map<string, string>(); // date → the entry that listed it, for messages
  entries.forEach((entry, i) => {
    const where = `${field}[${i}]`;
    const [a, b = a] = entry.split('/').map((p) => dayNumber(p) as number) as [number, number?];
    for (let d = a; d <= (b as number); d++) {
      const date = isoDate(d);
      const problem = check?.(date, d);
      if (problem)
        fail(file, entry.includes('/') ? `${where} "${entry}" (${date})` : `${where} "${entry}"`, problem);
      if (!out.has(date)) out.set(date, where);
    }
  });
  return out;
}

function checkOverlap(file: string, off: Map<string, string>, work: Map<string, string>): void {
  for (const [date, where] of work) {
    const other = off.get(date);
    if (other) fail(file, where, `${date} is also a day off in ${other}`);
  }
}

function parseWith<T>(schema: z.ZodType<T>, file: string, content: unknown): T {
  const result = schema.safeParse(content);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const where = formatPath(issue.path);
    return `${where ? `${where} ` : ''}${issue.message}`;
  });
  throw new CalendarConfigError(`${file}: ${lines.join('; ')}`);
}

function toYearData(file: string, data: YearFile, weekend: ReadonlySet<number>): YearData {
  const inYear = (date: string) => (date.startsWith(`${data.year}-`) ? undefined : `is not in ${data.year}`);
  const daysOff = expand(file, 'daysOff', data.daysOff, inYear);
  const workdays = expand(
    file,
    'workdays',
    data.workdays,
    (date, day) =>
      inYear(date) ??
      (weekend.has(weekdayOf(day))
        ? undefined
        : 'is a weekday: only weekend days can be make-up working days'),
  );
  checkOverlap(file, daysOff, workdays);
  return {
    daysOff: new Set(daysOff.keys()),
    workdays: new Set(workdays.keys()),
    source: data.source ? `${data.source} (${file})` : file,
  };
}

/**
 * Builds the calendar from the built-in data and the given files, in order. Later files
 * win: a year file replaces everything known about its year; the calendar file (at most
 * one) sets the base, zone, close time, weekend and the all-years lists.
 */
export function buildCalendar(sources: readonly CalendarSource[]): BusinessCalendar {
  const kinds = sources.map((s) => {
    const isYear = typeof s.content === 'object' && s.content !== null && 'year' in s.content;
    return isYear
      ? { kind: 'year' as const, name: s.name, data: parseWith(yearFile, s.name, s.content) }
      : { kind: 'calendar' as const, name: s.name, data: parseWith(calendarFile, s.name, s.content) };
  });
  const calendarFiles = kinds.filter((k) => k.kind === 'calendar');
  if (calendarFiles.length > 1) {
    throw new CalendarConfigError(
      `${calendarFiles[1]?.name}: only one calendar file is allowed, and ${calendarFiles[0]?.name} is one already (a year's notice has "year", "daysOff", "workdays")`,
    );
  }
  const custom = calendarFiles[0] as { name: string; data: CalendarFile } | undefined;
  let spec: CalendarSpec;
  if (!custom) {
    spec = chinaSpec();
  } else {
    const c = custom.data;
    if (c.base === 'none' && !c.timeZone)
      fail(custom.name, 'timeZone', 'is required for a custom calendar (base "none")');
    const holidays = expand(custom.name, 'holidays', c.holidays);
    const workdays = expand(custom.name, 'workdays', c.workdays);
    checkOverlap(custom.name, holidays, workdays);
    const common = {
      name: c.name ?? (c.base === 'none' ? path.basename(custom.name, '.json') : 'mainland-china'),
      timeZone: c.timeZone ?? CHINA_TIME_ZONE,
      closeOfBusiness: c.closeOfBusiness,
      openOfBusiness: c.openOfBusiness,
      weekend: c.weekend as IsoWeekday[],
      extraDaysOff: new Set(holidays.keys()),
      extraWorkdays: new Set(workdays.keys()),
    };
    spec = c.base === 'mainland-china' ? chinaSpec(common) : { ...common, years: new Map() };
  }
  const weekend = new Set<number>(spec.weekend);
  const years = new Map(spec.years);
  for (const k of kinds) if (k.kind === 'year') years.set(k.data.year, toYearData(k.name, k.data, weekend));
  try {
    return new BusinessCalendar({ ...spec, years });
  } catch (e) {
    throw new CalendarConfigError(`${custom?.name ?? 'calendar'}: ${(e as Error).message}`);
  }
}

/** Reads and parses calendar files (JSON). A file that is not JSON is refused, naming it. */
export function readCalendarFiles(files: readonly string[], displayBase = process.cwd()): CalendarSource[] {
  return files.map((file) => {
    const name = path.relative(displayBase, file) || file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CalendarConfigError(
        `${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    try {
      return { name, content: JSON.parse(text) as unknown };
    } catch (e) {
      throw new CalendarConfigError(`${name}: not valid JSON (${(e as Error).message})`);
    }
  });
}

/** `<configDir>/calendar/*.json` in name order (no sub-folders); none when the folder is missing. */
export function calendarFilesIn(configDir: string): string[] {
  const dir = path.join(configDir, 'calendar');
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.sort().map((n) => path.join(dir, n));
}
