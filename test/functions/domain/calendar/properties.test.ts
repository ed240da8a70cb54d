/** Properties of the engine, on the built-in calendar and on random custom calendars. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BusinessCalendar,
  defaultCalendar,
  type IsoWeekday,
} from '../../../../functions/domain/calendar/index.js';

const RUNS = { numRuns: 300 };
const cn = defaultCalendar();
const ms = (iso: string) => Date.parse(iso);

/** instants from 2025 to 2031: official years and projected ones */
const instant = fc.date({
  min: new Date('2024-12-31T16:00:00Z'),
  max: new Date('2031-12-31T15:59:59Z'),
  noInvalidDate: true,
});
const days = fc.integer({ min: 0, max: 60 });
const positiveDays = fc.integer({ min: 1, max: 60 });

/** a random calendar: some weekend, some holidays in 2026–2027, a zone and close time */
const customCalendar = fc
  .record({
    weekend: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { maxLength: 4 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 120 }),
    workdays: fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 20 }),
    timeZone: fc.constantFrom(
      'UTC',
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Asia/Kolkata',
      'Pacific/Auckland',
    ),
    // close times away from the small hours, where a DST gap would move it
    close: fc.record({ h: fc.integer({ min: 6, max: 22 }), m: fc.integer({ min: 0, max: 59 }) }),
  })
  .map(({ weekend, holidays, workdays, timeZone, close }) => {
    const date = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
    const off = new Set(holidays.map(date));
    return new BusinessCalendar({
      name: 'random',
      timeZone,
      closeOfBusiness: `${String(close.h).padStart(2, '0')}:${String(close.m).padStart(2, '0')}`,
      weekend: weekend as IsoWeekday[],
      years: new Map(),
      extraDaysOff: off,
      extraWorkdays: new Set(workdays.map(date).filter((d) => !off.has(d))),
    });
  });
const customInstant = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-12-31T00:00:00Z'),
  noInvalidDate: true,
});

function checkDueIsWorkingDayAtClose(cal: BusinessCalendar, start: Date, n: number) {
  const { dueAt } = cal.addWorkingDays(start, n);
  expect(dueAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
  expect(cal.isWorkingDay(new Date(dueAt))).toBe(true);
  // the printed local date and time are the calendar's: the date is a working day, the time its close
  expect(cal.isWorkingDay(dueAt.slice(0, 10))).toBe(true);
  expect(dueAt.slice(11, 16)).toBe(cal.closeOfBusiness);
  expect(cal.localDate(dueAt)).toBe(dueAt.slice(0, 10));
}

describe('on the mainland China calendar', () => {
  it('the due instant is a working day at close of business', () => {
    fc.assert(
      fc.property(instant, days, (start, n) => checkDueIsWorkingDayAtClose(cn, start, n)),
      RUNS,
    );
  });

  it('more days never give an earlier deadline, a later start never an earlier one', () => {
    fc.assert(
      fc.property(instant, instant, days, days, (s1, s2, a, b) => {
        const [n, m] = a <= b ? [a, b] : [b, a];
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(ms(cn.addWorkingDays(early, n).dueAt)).toBeLessThanOrEqual(
          ms(cn.addWorkingDays(early, m).dueAt),
        );
        expect(ms(cn.addWorkingDays(early, n).dueAt)).toBeLessThanOrEqual(
          ms(cn.addWorkingDays(late, n).dueAt),
        );
      }),
      RUNS,
    );
  });

  it('one more day is the next working day; the deadline is after the start', () => {
    fc.assert(
      fc.property(instant, positiveDays, (start, n) => {
        const a = cn.addWorkingDays(start, n).dueAt;
        const b = cn.addWorkingDays(start, n + 1).dueAt;
        expect(cn.nextWorkingDay(a.slice(0, 10))).toBe(b.slice(0, 10));
        expect(ms(a)).toBeGreaterThan(start.getTime());
        expect(ms(cn.addWorkingDays(start, 0).dueAt)).toBeGreaterThanOrEqual(start.getTime());
      }),
      RUNS,
    );
  });

  it('workingDaysBetween(start, due(start, n)) = n', () => {
    fc.assert(
      fc.property(instant, positiveDays, (start, n) => {
        expect(cn.workingDaysBetween(start, cn.addWorkingDays(start, n).dueAt)).toBe(n);
      }),
      RUNS,
    );
  });

  it('an instant at or before the deadline is at most n working days in, one after it is later', () => {
    fc.assert(
      fc.property(instant, positiveDays, instant, (start, n, t) => {
        const due = cn.addWorkingDays(start, n).dueAt;
        if (t.getTime() > start.getTime() && t.getTime() <= ms(due))
          expect(cn.workingDaysBetween(start, t)).toBeLessThanOrEqual(n);
        if (t.getTime() > ms(due) && cn.isWorkingDay(t) && t.getTime() > ms(due) + 86_400_000) {
          expect(cn.workingDaysBetween(start, t)).toBeGreaterThan(n);
        }
      }),
      RUNS,
    );
  });

  it('is provisional exactly when the deadline reaches a year without a notice', () => {
    fc.assert(
      fc.property(instant, days, (start, n) => {
        const { dueAt, provisional } = cn.addWorkingDays(start, n);
        expect(provisional).toBe(Number(dueAt.slice(0, 4)) > 2026);
      }),
      RUNS,
    );
  });
});

describe('on random custom calendars', () => {
  it('the due instant is a working day at close, and elapsed days match', () => {
    fc.assert(
      fc.property(customCalendar, customInstant, fc.integer({ min: 0, max: 30 }), (cal, start, n) => {
        checkDueIsWorkingDayAtClose(cal, start, n);
        const { dueAt, provisional } = cal.addWorkingDays(start, n);
        expect(provisional).toBe(false);
        if (n > 0) expect(cal.workingDaysBetween(start, dueAt)).toBe(n);
        else expect(ms(dueAt)).toBeGreaterThanOrEqual(start.getTime());
      }),
      { numRuns: 150 },
    );
  });

  it('more days never give an earlier deadline', () => {
    fc.assert(
      fc.property(
        customCalendar,
        customInstant,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (cal, s, a, b) => {
          const [n, m] = a <= b ? [a, b] : [b, a];
          expect(ms(cal.addWorkingDays(s, n).dueAt)).toBeLessThanOrEqual(ms(cal.addWorkingDays(s, m).dueAt));
        },
      ),
      { numRuns: 150 },
    );
  });
});
