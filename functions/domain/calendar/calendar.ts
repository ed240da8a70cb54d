/**
 * The working-day calendar engine. No AWS, no I/O: a calendar is built once (from the
 * built-in mainland China data and/or operator files, see load.ts) and then answers
 * every request from precomputed per-year tables.
 *
 * Counting rule (SPEC "Working days", Civil Code arts. 201 and 203):
 * - The day of receipt is never counted, whatever the hour and whatever kind of day it is.
 *   "Day of receipt" is the calendar date of the receipt instant in the calendar's time
 *   zone. So a complaint received on Monday at 20:00 (after close of business), on a
 *   Saturday, or on a holiday has, as day 1, the first working day strictly after that
 *   date — receipt after hours does not also skip the next working day.
 * - Day N is the Nth working day after the receipt date; "within N working days" ends at
 *   close of business (default 18:00) of day N, in the calendar's time zone.
 * - N = 0 means "by close of business today": the first close of business at or after
 *   the receipt instant on a working day (the same day when received on a working day
 *   before close, otherwise the next working day's close).
 * - `workingDaysBetween(a, b)` counts the working days d with date(a) < d <= date(b), so
 *   that for N >= 1, `workingDaysBetween(t, addWorkingDays(t, N).dueAt) === N`: b is "on
 *   working day k" of a period that started at a.
 */
import { DateTime, IANAZone } from 'luxon';
import type { Deadline } from '../model.js';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The exact days off and make-up working days of one year (an official notice, or an operator file). */
export interface YearData {
  /** YYYY-MM-DD dates that are off (holidays, including the weekend days inside a holiday block) */
  daysOff: ReadonlySet<string>;
  /** YYYY-MM-DD weekend dates that are working days (调休 make-up days) */
  workdays: ReadonlySet<string>;
  /** where the data came from, for messages: e.g. "国办发明电〔2025〕7号 (chinese-days)" or a file name */
  source: string;
}

/** Everything a calendar is made of. Build it with the helpers in china.ts / load.ts. */
export interface CalendarSpec {
  name: string;
  /** IANA zone, e.g. Asia/Shanghai */
  timeZone: string;
  /** HH:mm, local time in `timeZone` */
  closeOfBusiness: string;
  /**
   * HH:mm, local time in `timeZone`, before `closeOfBusiness`: business hours start
   * (`workingHours`). Default 09:00 (00:00 when the close is at or before 09:00).
   */
  openOfBusiness?: string;
  weekend: readonly IsoWeekday[];
  /** Years whose days off are exactly known. */
  years: ReadonlyMap<number, YearData>;
  /**
   * For a year not in `years`: the projected days off (statutory holidays computed from the
   * rules). Deadlines that touch such a year are provisional. Absent: such years have only
   * weekends off and are not provisional (a custom calendar lists its holidays itself).
   * May throw a RangeError for years the calendar cannot know (e.g. before its data starts).
   */
  project?: (year: number) => ReadonlySet<string>;
  /** Days off in any year (a company's own closures; a custom calendar's holidays). Beats year data. */
  extraDaysOff?: ReadonlySet<string>;
  /** Working days in any year. Beats year data and weekends. */
  extraWorkdays?: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** business hours open at this time unless the calendar says otherwise */
export const DEFAULT_OPEN_OF_BUSINESS = '09:00';

/**
 * The units a deadline can be written in (SPEC "Working days"):
 * - `workingDays`: day N is the Nth working day after the date of receipt; due at close of business.
 * - `calendarDays`: day 1 is the day after receipt; day N is due at close of business, and a
 *   day N that is a day off moves to the next working day (民法典 第二百零三条).
 * - `hours`: natural hours from the instant; no holiday adjustment.
 * - `workingHours`: hours inside business hours (openOfBusiness–closeOfBusiness) of working days.
 */
export const DURATION_UNITS = ['workingDays', 'calendarDays', 'hours', 'workingHours'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** Working hours between two instants in epoch ms: `(a, b) => calendar.workingHoursBetween(a, b)`. */
export type WorkingHours = (fromMs: number, toMs: number) => number;

/** A length of time as the rules write it: `{ amount: 15, unit: 'calendarDays' }`. */
export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** Words for messages: `5 working days`, `1 calendar day`, `24 hours`. */
export function describeDuration({ amount, unit }: Duration): string {
  const words: Record<DurationUnit, [string, string]> = {
    workingDays: ['working day', 'working days'],
    calendarDays: ['calendar day', 'calendar days'],
    hours: ['hour', 'hours'],
    workingHours: ['working hour', 'working hours'],
  };
  return `${amount} ${words[unit][amount === 1 ? 0 : 1]}`;
}

/** The largest amount each unit accepts (a bound on loops; no rule is anywhere near). */
export const MAX_AMOUNT: Readonly<Record<DurationUnit, number>> = {
  workingDays: 10_000,
  calendarDays: 10_000,
  hours: 100_000,
  workingHours: 100_000,
};
/** a deadline search gives up after this many days (a calendar with almost no business time) */
const MAX_SEARCH_DAYS = 40_000;
/** flags in the per-year tables */
const WORKING = 1;
const PROVISIONAL = 2;
const MAX_DAYS_OFF_IN_A_ROW = 400;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Day number (days since 1970-01-01) of a valid YYYY-MM-DD, or undefined if it is not a real date. */
export function dayNumber(date: string): number | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return t / DAY_MS;
}

/** true for a real calendar date written YYYY-MM-DD */
export function isIsoDate(date: string): boolean {
  return dayNumber(date) !== undefined;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** ISO weekday of a day number (days since 1970-01-01). */
export function weekdayOf(day: number): IsoWeekday {
  // 1970-01-01 was a Thursday (4)
  return (((((day + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/**
 * Parses an ISO 8601 instant: a date, a time and an offset (`Z` or ±hh:mm). A bare date or
 * local time is refused: it would silently depend on the server's zone.
 */
export function parseInstant(value: string): Date {
  if (!/T\d{2}(:?\d{2}(:?\d{2}([.,]\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value.trim())) {
    throw new RangeError(
      `"${value}" is not an instant with a UTC offset: write e.g. 2026-09-30T10:00:00+08:00 or …Z`,
    );
  }
  const dt = DateTime.fromISO(value.trim(), { setZone: true });
  if (!dt.isValid)
    throw new RangeError(
      `"${value}" is not an ISO 8601 instant (${dt.invalidExplanation ?? dt.invalidReason})`,
    );
  return dt.toJSDate();
}

/** A whole number from 0 to the unit's maximum, or a RangeError saying which. */
function checkAmount(n: number, unit: DurationUnit): void {
  const words = describeDuration({ amount: 2, unit }).slice(2);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${words} must be a whole number ≥ 0, got ${n}`);
  if (n > MAX_AMOUNT[unit]) throw new RangeError(`${words} must be at most ${MAX_AMOUNT[unit]}, got ${n}`);
}

function checkedMillis(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError('invalid instant (epoch milliseconds)');
  return ms;
}

/**
 * The local day number (days since 1970-01-01 in `timeZone`) of an instant in epoch ms. Zone
 * offsets are cached per UTC hour when the offset is the same at both ends of the hour (an
 * hour with a transition in it is computed exactly), so counting days over a quarter's
 * records costs a map look-up each.
 */
export function localDayCounter(timeZone: string): (ms: number) => number {
  const zone = IANAZone.create(timeZone);
  const offsets = new Map<number, number | null>();
  return (ms) => {
    const hour = Math.floor(ms / HOUR_MS);
    let o = offsets.get(hour);
    if (o === undefined) {
      const start = zone.offset(hour * HOUR_MS);
      o = zone.offset((hour + 1) * HOUR_MS - 1) === start ? start * 60_000 : null;
      if (offsets.size >= 200_000) offsets.clear();
      offsets.set(hour, o);
    }
    const offset = o ?? zone.offset(ms) * 60_000;
    return Math.floor((ms + offset) / DAY_MS);
  };
}

function toDate(value: Date | string): Date {
  if (value instanceof Date) {
    if (!Number.isFinite(value.getTime())) throw new RangeError('invalid Date');
    return value;
  }
  return parseInstant(value);
}

/**
 * Whole seconds from `now` until `dueAt`, at least 1: the `timeoutSeconds` of a Step
 * Functions callback task (which must be a positive integer).
 */
export function secondsUntil(dueAt: string | Date, now: Date): number {
  return Math.max(1, Math.ceil((toDate(dueAt).getTime() - now.getTime()) / 1000));
}

/** What a calendar says about one local date. */
export interface DayInfo {
  date: string;
  working: boolean;
  /** the year of this date has no exact data; its holidays are projected */
  provisional: boolean;
}

export class BusinessCalendar {
  readonly name: string;
  readonly timeZone: string;
  readonly closeOfBusiness: string;
  readonly openOfBusiness: string;
  readonly weekend: readonly IsoWeekday[];
  private readonly closeHour: number;
  private readonly closeMinute: number;
  private readonly openHour: number;
  private readonly openMinute: number;
  private readonly weekendMask: boolean[];
  private readonly tables = new Map<number, { first: number; flags: Uint8Array }>();
  private readonly hoursCache = new Map<number, readonly [number, number]>();
  private readonly localDayOf: (ms: number) => number;

  constructor(private readonly spec: CalendarSpec) {
    if (!IANAZone.isValidZone(spec.timeZone)) throw new RangeError(`unknown time zone "${spec.timeZone}"`);
    const t = TIME_RE.exec(spec.closeOfBusiness);
    if (!t) throw new RangeError(`closeOfBusiness "${spec.closeOfBusiness}" is not a time HH:mm`);
    // default 09:00, or midnight for a calendar that closes at or before 09:00
    const openOfBusiness =
      spec.openOfBusiness ??
      (spec.closeOfBusiness > DEFAULT_OPEN_OF_BUSINESS ? DEFAULT_OPEN_OF_BUSINESS : '00:00');
    const o = TIME_RE.exec(openOfBusiness);
    if (!o) throw new RangeError(`openOfBusiness "${openOfBusiness}" is not a time HH:mm`);
    if (openOfBusiness >= spec.closeOfBusiness)
      throw new RangeError(
        `openOfBusiness "${openOfBusiness}" must be before closeOfBusiness "${spec.closeOfBusiness}"`,
      );
    const weekend = new Set(spec.weekend);
    if ([...weekend].some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      throw new RangeError('weekend days are ISO weekdays 1 (Monday) … 7 (Sunday)');
    }
    if (weekend.size >= 7) throw new RangeError('a calendar needs at least one working weekday');
    this.name = spec.name;
    this.timeZone = spec.timeZone;
    this.closeOfBusiness = spec.closeOfBusiness;
    this.weekend = [...weekend].sort();
    this.closeHour = Number(t[1]);
    this.closeMinute = Number(t[2]);
    this.openOfBusiness = openOfBusiness;
    this.openHour = Number(o[1]);
    this.openMinute = Number(o[2]);
    this.weekendMask = Array.from({ length: 8 }, (_, d) => weekend.has(d as IsoWeekday));
    this.localDayOf = localDayCounter(spec.timeZone);
  }

  /** The years with exact data (official notices and operator files). */
  get knownYears(): number[] {
    return [...this.spec.years.keys()].sort((a, b) => a - b);
  }

  /** The local date (YYYY-MM-DD, calendar zone) of an instant. */
  localDate(instant: Date | string): string {
    return isoDate(this.dayOfInstant(toDate(instant)));
  }

  /** Is this a working day? A string is a local date (YYYY-MM-DD); a Date is that instant's date in the calendar zone. */
  isWorkingDay(date: string | Date): boolean {
    return this.day(date).working;
  }

  /** Working or not, and whether that relies on projected holidays. */
  day(date: string | Date): DayInfo {
    const n = typeof date === 'string' ? this.parseDate(date) : this.dayOfInstant(toDate(date));
    const f = this.flags(n);
    return { date: isoDate(n), working: (f & WORKING) !== 0, provisional: (f & PROVISIONAL) !== 0 };
  }

  /**
   * The deadline "within `n` working days" of `from` (see the counting rule at the top of
   * this file). `provisional` is true when any date from the receipt date through the due
   * date lies in a year whose holidays are projected rather than known.
   */
  addWorkingDays(from: Date | string, n: number): Deadline {
    checkAmount(n, 'workingDays');
    const start = toDate(from);
    const local = DateTime.fromJSDate(start, { zone: this.timeZone });
    let day = Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
    let flags = this.flags(day);
    let provisional = (flags & PROVISIONAL) !== 0;
    let remaining = n;
    if (n === 0) {
      // "today's close": today if it is a working day and its close is not past yet
      if ((flags & WORKING) !== 0 && start.getTime() <= this.closeInstant(day).toMillis()) {
        return { dueAt: this.format(this.closeInstant(day)), provisional };
      }
      remaining = 1;
    }
    let offInARow = 0;
    while (remaining > 0) {
      day += 1;
      flags = this.flags(day);
      if ((flags & PROVISIONAL) !== 0) provisional = true;
      if ((flags & WORKING) !== 0) {
        remaining -= 1;
        offInARow = 0;
      } else if (++offInARow > MAX_DAYS_OFF_IN_A_ROW) {
        throw new RangeError(
          `calendar "${this.name}" has no working day for ${MAX_DAYS_OFF_IN_A_ROW} days after ${isoDate(day - offInARow)}`,
        );
      }
    }
    return { dueAt: this.format(this.closeInstant(day)), provisional };
  }

  /**
   * Working days elapsed from `from` to `to`: the working dates d with
   * date(from) < d <= date(to) in the calendar zone (0 when `to` is on or before `from`'s date).
   * `to` on working day k after receipt gives k, whatever its hour, so a reply at or before
   * `addWorkingDays(from, n).dueAt` has `workingDaysBetween(from, reply) <= n`.
   */
  workingDaysBetween(from: Date | string, to: Date | string): number {
    const a = this.dayOfInstant(toDate(from));
    const b = this.dayOfInstant(toDate(to));
    let count = 0;
    for (let d = a + 1; d <= b; d++) if ((this.flags(d) & WORKING) !== 0) count++;
    return count;
  }

  /**
   * The deadline "within `duration`" of `from`, in any unit (see DURATION_UNITS):
   *
   *   calendar.due('2026-09-20T10:00:00+08:00', { amount: 15, unit: 'calendarDays' })
   *   // { dueAt: '2026-10-08T18:00:00+08:00', provisional: false }
   *
   * `provisional` is true when the answer relies on projected holidays (never for `hours`).
   */
  due(from: Date | string, duration: Duration): Deadline {
    switch (duration.unit) {
      case 'workingDays':
        return this.addWorkingDays(from, duration.amount);
      case 'calendarDays':
        return this.addCalendarDays(from, duration.amount);
      case 'hours':
        return this.addHours(from, duration.amount);
      case 'workingHours':
        return this.addWorkingHours(from, duration.amount);
      default:
        throw new RangeError(`unknown unit "${String((duration as Duration).unit)}"`);
    }
  }

  /**
   * How much of a period that started at `from` has run by `to`, in `unit`: the counterpart
   * of `due`, so that for n ≥ 1 an instant t with from < t ≤ due(from, n).dueAt has
   * elapsed(from, t) ≤ n (for `calendarDays`, when day n is a working day; a period moved
   * past days off by art. 203 ends later than n days), and elapsed(from, due) = n for
   * `workingDays`, `hours` and `workingHours`. Days are whole numbers, hours may be fractions.
   * 0 when `to` is not after `from`.
   */
  elapsed(from: Date | string, to: Date | string, unit: DurationUnit): number {
    switch (unit) {
      case 'workingDays':
        return this.workingDaysBetween(from, to);
      case 'calendarDays':
        return this.calendarDaysBetween(from, to);
      case 'hours':
        return this.hoursBetween(from, to);
      case 'workingHours':
        return this.workingHoursBetween(from, to);
      default:
        throw new RangeError(`unknown unit "${String(unit)}"`);
    }
  }

  /**
   * "Within `n` calendar days" (n 日) of `from`: day 1 is the date after the date of receipt;
   * the period ends at close of business of day n, or — when day n is a day off — of the
   * next working day (民法典 第二百零一条、第二百零三条). n = 0 is "by close of business
   * today", as for working days. Provisional when a day it had to judge (day n up to the
   * due date) lies in a year whose holidays are projected.
   */
  addCalendarDays(from: Date | string, n: number): Deadline {
    checkAmount(n, 'calendarDays');
    if (n === 0) return this.addWorkingDays(from, 0);
    let day = this.dayOfInstant(toDate(from)) + n;
    let provisional = false;
    for (let off = 0; ; off++) {
      const flags = this.flags(day);
      if ((flags & PROVISIONAL) !== 0) provisional = true;
      if ((flags & WORKING) !== 0) break;
      if (off >= MAX_DAYS_OFF_IN_A_ROW) this.noWorkingDay(day - off);
      day += 1;
    }
    return { dueAt: this.format(this.closeInstant(day)), provisional };
  }

  /** Calendar days from the date of `from` to the date of `to` (calendar zone); 0 when `to` is not later. */
  calendarDaysBetween(from: Date | string, to: Date | string): number {
    return Math.max(0, this.dayOfInstant(toDate(to)) - this.dayOfInstant(toDate(from)));
  }

  /**
   * "Within `n` hours" of `from`: natural hours, whatever the day (seed 000's 24-hour initial
   * investigation). Printed in the calendar's zone, rounded up to the whole second; never provisional.
   */
  addHours(from: Date | string, n: number): Deadline {
    checkAmount(n, 'hours');
    return { dueAt: this.formatMillis(toDate(from).getTime() + n * HOUR_MS), provisional: false };
  }

  /** Hours (fractional) from `from` to `to`; 0 when `to` is not later. */
  hoursBetween(from: Date | string, to: Date | string): number {
    return Math.max(0, toDate(to).getTime() - toDate(from).getTime()) / HOUR_MS;
  }

  /**
   * "Within `n` working hours" of `from`: hours counted only inside business hours
   * (openOfBusiness–closeOfBusiness, default 09:00–18:00) of working days (make-up days
   * included). Received outside business hours, the count starts at the next opening. The
   * due instant is inside business hours, at the close when the hours run out exactly then;
   * n = 0 gives the first business instant at or after `from`. Provisional when a day it
   * crossed lies in a year whose holidays are projected.
   */
  addWorkingHours(from: Date | string, n: number): Deadline {
    checkAmount(n, 'workingHours');
    const start = toDate(from).getTime();
    let remaining = n * HOUR_MS;
    let day = this.dayOfInstant(new Date(start));
    let provisional = false;
    for (let searched = 0; searched <= MAX_SEARCH_DAYS; searched++, day++) {
      const flags = this.flags(day);
      if ((flags & PROVISIONAL) !== 0) provisional = true;
      if ((flags & WORKING) === 0) continue;
      const [open, close] = this.businessHours(day);
      const s = Math.max(start, open);
      if (s > close) continue;
      if (s + remaining <= close) return { dueAt: this.formatMillis(s + remaining), provisional };
      remaining -= close - s;
    }
    throw new RangeError(
      `calendar "${this.name}" has fewer than ${n} working hours in the ${MAX_SEARCH_DAYS} days after ${this.localDate(new Date(start))}`,
    );
  }

  /**
   * Working hours (fractional) between `from` and `to`: the part of [from, to] inside
   * business hours of working days. For reports, e.g. the working hours a complaint spent in
   * a stage. 0 when `to` is not later. Instants may be epoch milliseconds (the reports measure
   * hundreds of thousands of stage visits: no Date or string on that path; days and business
   * hours are cached).
   */
  workingHoursBetween(from: Date | string | number, to: Date | string | number): number {
    const a = typeof from === 'number' ? checkedMillis(from) : toDate(from).getTime();
    const b = typeof to === 'number' ? checkedMillis(to) : toDate(to).getTime();
    if (b <= a) return 0;
    let total = 0;
    const last = this.localDayOf(b);
    for (let day = this.localDayOf(a); day <= last; day++) {
      if ((this.flags(day) & WORKING) === 0) continue;
      const [open, close] = this.businessHours(day);
      const s = Math.max(a, open);
      const e = Math.min(b, close);
      if (e > s) total += e - s;
    }
    return total / HOUR_MS;
  }

  /** Is the instant inside business hours (open ≤ t ≤ close) of a working day? */
  isBusinessInstant(instant: Date | string): boolean {
    const t = toDate(instant).getTime();
    const day = this.dayOfInstant(new Date(t));
    const [open, close] = this.businessHours(day);
    return (this.flags(day) & WORKING) !== 0 && t >= open && t <= close;
  }

  /** The first working date strictly after a local date. */
  nextWorkingDay(date: string): string {
    let d = this.parseDate(date);
    for (let i = 0; i <= MAX_DAYS_OFF_IN_A_ROW; i++) {
      d += 1;
      if ((this.flags(d) & WORKING) !== 0) return isoDate(d);
    }
    throw new RangeError(
      `calendar "${this.name}" has no working day for ${MAX_DAYS_OFF_IN_A_ROW} days after ${date}`,
    );
  }

  private parseDate(date: string): number {
    const n = dayNumber(date);
    if (n === undefined) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
    return n;
  }

  private dayOfInstant(instant: Date): number {
    return this.localDayOf(instant.getTime());
  }

  private closeInstant(day: number): DateTime {
    return this.localInstant(day, this.closeHour, this.closeMinute);
  }

  private openInstant(day: number): DateTime {
    return this.localInstant(day, this.openHour, this.openMinute);
  }

  /** [open, close] of a day in epoch ms, cached: working-hour sums over long periods stay cheap. */
  private businessHours(day: number): readonly [number, number] {
    let hours = this.hoursCache.get(day);
    if (!hours) {
      hours = [this.openInstant(day).toMillis(), this.closeInstant(day).toMillis()];
      if (this.hoursCache.size >= 100_000) this.hoursCache.clear();
      this.hoursCache.set(day, hours);
    }
    return hours;
  }

  private localInstant(day: number, hour: number, minute: number): DateTime {
    const d = new Date(day * DAY_MS);
    return DateTime.fromObject(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute },
      { zone: this.timeZone },
    );
  }

  private noWorkingDay(after: number): never {
    throw new RangeError(
      `calendar "${this.name}" has no working day for ${MAX_DAYS_OFF_IN_A_ROW} days after ${isoDate(after)}`,
    );
  }

  /** An instant in ms, rounded up to the whole second, in the calendar zone with its offset. */
  private formatMillis(ms: number): string {
    return this.format(DateTime.fromMillis(Math.ceil(ms / 1000) * 1000, { zone: this.timeZone }));
  }

  private format(dt: DateTime): string {
    // e.g. 2026-10-13T18:00:00+08:00 (UTC calendars print +00:00 rather than Z: always an offset)
    return dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  }

  private flags(day: number): number {
    const year = yearOf(day);
    let table = this.tables.get(year);
    if (!table) {
      table = this.buildYear(year);
      this.tables.set(year, table);
    }
    return table.flags[day - table.first] ?? 0;
  }

  /** One pass per year: working/provisional flags for every date of `year`. */
  private buildYear(year: number): { first: number; flags: Uint8Array } {
    const first = Date.UTC(year, 0, 1) / DAY_MS;
    const next = Date.UTC(year + 1, 0, 1) / DAY_MS;
    const flags = new Uint8Array(next - first);
    const known = this.spec.years.get(year);
    const projected = known ? undefined : this.spec.project?.(year);
    const daysOff = known?.daysOff ?? projected ?? new Set<string>();
    const workdays = known?.workdays ?? new Set<string>();
    const provisional = !known && projected !== undefined ? PROVISIONAL : 0;
    const extraOff = this.spec.extraDaysOff;
    const extraWork = this.spec.extraWorkdays;
    for (let d = first; d < next; d++) {
      const iso = isoDate(d);
      let working: boolean;
      if (extraWork?.has(iso)) working = true;
      else if (extraOff?.has(iso)) working = false;
      else if (workdays.has(iso)) working = true;
      else working = !this.weekendMask[weekdayOf(d)] && !daysOff.has(iso);
      flags[d - first] = (working ? WORKING : 0) | provisional;
    }
    return { first, flags };
  }
}
