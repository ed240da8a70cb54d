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
    const spec = {
      name: 'random',
      timeZone,
      closeOfBusiness: `${String(close.h).padStart(2, '0')}:${String(close.m).padStart(2, '0')}`,
      weekend: weekend as IsoWeekday[],
      years: new Map(),
      extraDaysOff: off,
      extraWorkdays: new Set(workdays.map(date).filter((d) => !off.has(d))),
    };
    return Object.assign(new BusinessCalendar(spec), {
      withOpening: (openOfBusiness: string) => new BusinessCalendar({ ...spec, openOfBusiness }),
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

// ------------------------------------------------------------------ the other units

const HOUR = 3_600_000;
const smallAmount = fc.integer({ min: 0, max: 60 });
const positiveAmount = fc.integer({ min: 1, max: 60 });
const hoursAmount = fc.integer({ min: 0, max: 400 });

describe('calendarDays on the mainland China calendar', () => {
  const due = (s: Date | string, n: number) => cn.due(s, { amount: n, unit: 'calendarDays' });

  it('is due at close of day n, or of the first working day after it when day n is off', () => {
    fc.assert(
      fc.property(instant, positiveAmount, (start, n) => {
        const { dueAt } = due(start, n);
        expect(dueAt.slice(11, 16)).toBe(cn.closeOfBusiness);
        expect(cn.isWorkingDay(dueAt.slice(0, 10))).toBe(true);
        const dayN = new Date(Date.parse(`${cn.localDate(start)}T00:00:00Z`) + n * 86_400_000)
          .toISOString()
          .slice(0, 10);
        if (cn.isWorkingDay(dayN)) expect(dueAt.slice(0, 10)).toBe(dayN);
        else expect(dueAt.slice(0, 10)).toBe(cn.nextWorkingDay(dayN));
      }),
      RUNS,
    );
  });

  it('is monotonic in n and in the start', () => {
    fc.assert(
      fc.property(instant, instant, smallAmount, smallAmount, (s1, s2, a, b) => {
        const [n, m] = a <= b ? [a, b] : [b, a];
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(ms(due(early, n).dueAt)).toBeLessThanOrEqual(ms(due(early, m).dueAt));
        expect(ms(due(early, n).dueAt)).toBeLessThanOrEqual(ms(due(late, n).dueAt));
        expect(ms(due(early, n).dueAt)).toBeGreaterThanOrEqual(early.getTime());
      }),
      RUNS,
    );
  });

  it('elapsed(start, due) ≥ n, and = n when day n is a working day; never before working days', () => {
    fc.assert(
      fc.property(instant, positiveAmount, (start, n) => {
        const { dueAt } = due(start, n);
        const elapsed = cn.elapsed(start, dueAt, 'calendarDays');
        expect(elapsed).toBeGreaterThanOrEqual(n);
        const dayNWorks = cn.isWorkingDay(new Date(ms(dueAt) - (elapsed - n) * 86_400_000));
        if (elapsed > n) expect(dayNWorks).toBe(false);
        // a calendar-day deadline never ends before the working-day one of the same n
        expect(ms(dueAt)).toBeLessThanOrEqual(ms(cn.addWorkingDays(start, n).dueAt));
      }),
      RUNS,
    );
  });

  it('is provisional exactly when it reaches a year without a notice', () => {
    fc.assert(
      fc.property(instant, smallAmount, (start, n) => {
        const { dueAt, provisional } = due(start, n);
        expect(provisional).toBe(Number(dueAt.slice(0, 4)) > 2026);
      }),
      RUNS,
    );
  });
});

describe('hours', () => {
  it('is n natural hours later (to the second), never provisional, and elapsed gives n back', () => {
    fc.assert(
      fc.property(instant, hoursAmount, (start, n) => {
        const { dueAt, provisional } = cn.due(start, { amount: n, unit: 'hours' });
        expect(provisional).toBe(false);
        const late = ms(dueAt) - (start.getTime() + n * HOUR);
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThan(1000);
        const elapsed = cn.elapsed(start, dueAt, 'hours');
        expect(elapsed).toBeGreaterThanOrEqual(n);
        expect(elapsed).toBeLessThan(n + 1 / 3600);
      }),
      RUNS,
    );
  });

  it('is monotonic in n and in the start', () => {
    fc.assert(
      fc.property(instant, instant, hoursAmount, hoursAmount, (s1, s2, a, b) => {
        const [n, m] = a <= b ? [a, b] : [b, a];
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const due = (s: Date, k: number) => ms(cn.due(s, { amount: k, unit: 'hours' }).dueAt);
        expect(due(early, n)).toBeLessThanOrEqual(due(early, m));
        expect(due(early, n)).toBeLessThanOrEqual(due(late, n));
      }),
      RUNS,
    );
  });
});

function checkWorkingHours(cal: BusinessCalendar, start: Date, n: number) {
  const { dueAt } = cal.due(start, { amount: n, unit: 'workingHours' });
  expect(cal.isBusinessInstant(dueAt)).toBe(true);
  expect(ms(dueAt)).toBeGreaterThanOrEqual(start.getTime());
  const elapsed = cal.elapsed(start, dueAt, 'workingHours');
  expect(elapsed).toBeGreaterThanOrEqual(n);
  expect(elapsed).toBeLessThan(n + 1 / 3600);
  return dueAt;
}

describe('workingHours on the mainland China calendar', () => {
  it('is due inside business hours of a working day, with exactly n working hours elapsed', () => {
    fc.assert(
      fc.property(instant, hoursAmount, (start, n) => {
        checkWorkingHours(cn, start, n);
      }),
      RUNS,
    );
  });

  it('is monotonic in n and in the start; elapsed before the due instant is under n', () => {
    fc.assert(
      fc.property(instant, instant, hoursAmount, hoursAmount, (s1, s2, a, b) => {
        const [n, m] = a <= b ? [a, b] : [b, a];
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const due = (s: Date, k: number) => ms(cn.due(s, { amount: k, unit: 'workingHours' }).dueAt);
        expect(due(early, n)).toBeLessThanOrEqual(due(early, m));
        expect(due(early, n)).toBeLessThanOrEqual(due(late, n));
        // an instant between start and due (a second short of it or more) is fewer than m hours in
        const t = late.getTime();
        if (m > 0 && t > early.getTime() && t < due(early, m) - 1000)
          expect(cn.elapsed(early, late, 'workingHours')).toBeLessThan(m);
        if (t > due(early, m) + 1000)
          expect(cn.elapsed(early, late, 'workingHours')).toBeGreaterThanOrEqual(m);
      }),
      RUNS,
    );
  });

  it('is provisional exactly when it reaches a year without a notice', () => {
    fc.assert(
      fc.property(instant, hoursAmount, (start, n) => {
        const { dueAt, provisional } = cn.due(start, { amount: n, unit: 'workingHours' });
        expect(provisional).toBe(Number(dueAt.slice(0, 4)) > 2026);
      }),
      RUNS,
    );
  });
});

describe('working hours and calendar days on random custom calendars', () => {
  // business hours opening 1 to 5 hours before the close (DST zones included)
  const withHours = fc.tuple(customCalendar, fc.integer({ min: 60, max: 5 * 60 })).map(([cal, before]) => {
    const [h, m] = cal.closeOfBusiness.split(':').map(Number) as [number, number];
    const open = Math.max(0, h * 60 + m - before);
    return cal.withOpening(
      `${String(Math.floor(open / 60)).padStart(2, '0')}:${String(open % 60).padStart(2, '0')}`,
    );
  });

  it('working hours: due inside business hours, elapsed = n, monotonic', () => {
    fc.assert(
      fc.property(
        withHours,
        customInstant,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        (cal, s, a, b) => {
          const [n, m] = a <= b ? [a, b] : [b, a];
          const dn = checkWorkingHours(cal, s, n);
          const dm = checkWorkingHours(cal, s, m);
          expect(ms(dn)).toBeLessThanOrEqual(ms(dm));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('calendar days: due at close of a working day, never before day n', () => {
    fc.assert(
      fc.property(customCalendar, customInstant, fc.integer({ min: 1, max: 30 }), (cal, s, n) => {
        const { dueAt, provisional } = cal.due(s, { amount: n, unit: 'calendarDays' });
        expect(provisional).toBe(false);
        expect(cal.isWorkingDay(dueAt.slice(0, 10))).toBe(true);
        expect(dueAt.slice(11, 16)).toBe(cal.closeOfBusiness);
        expect(cal.elapsed(s, dueAt, 'calendarDays')).toBeGreaterThanOrEqual(n);
      }),
      { numRuns: 150 },
    );
  });
});
