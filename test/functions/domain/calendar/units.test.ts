/** Deadlines in calendar days, hours and working hours across the 2025–2026 holidays, 调休 and year ends. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BusinessCalendar,
  buildCalendar,
  CalendarConfigError,
  type DurationUnit,
  defaultCalendar,
  loadCalendar,
  localDayCounter,
} from '../../../../functions/domain/calendar/index.js';

const cn = defaultCalendar();
const due = (start: string, amount: number, unit: DurationUnit) => cn.due(start, { amount, unit });

describe('calendarDays (day 1 = the day after receipt; a day off at the end moves to the next working day)', () => {
  it.each<[string, number, string, boolean, string]>([
    [
      '2026-09-20T10:00:00+08:00',
      15,
      '2026-10-08T18:00:00+08:00',
      false,
      'the issue: day 15 Oct 5 is in National Day',
    ],
    ['2026-09-20T10:00:00+08:00', 10, '2026-09-30T18:00:00+08:00', false, 'day 10 is a working day'],
    [
      '2026-09-30T20:00:00+08:00',
      1,
      '2026-10-08T18:00:00+08:00',
      false,
      'received after hours: day 1 Oct 1 is off',
    ],
    ['2026-10-03T09:00:00+08:00', 1, '2026-10-08T18:00:00+08:00', false, 'received on a holiday'],
    ['2026-10-03T09:00:00+08:00', 7, '2026-10-10T18:00:00+08:00', false, 'day 7 is make-up Saturday Oct 10'],
    [
      '2026-02-04T10:00:00+08:00',
      10,
      '2026-02-14T18:00:00+08:00',
      false,
      'day 10 is make-up Saturday Feb 14',
    ],
    ['2026-02-04T10:00:00+08:00', 11, '2026-02-24T18:00:00+08:00', false, 'day 11 is in 春节 Feb 15–23'],
    ['2026-03-02T10:00:00+08:00', 5, '2026-03-09T18:00:00+08:00', false, 'day 5 is a Saturday'],
    ['2025-01-20T10:00:00+08:00', 10, '2025-02-05T18:00:00+08:00', false, '2025 春节 Jan 28–Feb 4'],
    ['2025-09-25T10:00:00+08:00', 3, '2025-09-28T18:00:00+08:00', false, 'day 3 is make-up Sunday Sep 28'],
    ['2025-09-28T10:00:00+08:00', 3, '2025-10-09T18:00:00+08:00', false, '2025 National Day + 中秋 Oct 1–8'],
    [
      '2025-12-22T10:00:00+08:00',
      10,
      '2026-01-04T18:00:00+08:00',
      false,
      'year end: Jan 1–3 off, Sunday Jan 4 worked',
    ],
    ['2026-12-21T10:00:00+08:00', 10, '2026-12-31T18:00:00+08:00', false, 'the last day of the data'],
    ['2026-12-21T10:00:00+08:00', 11, '2027-01-04T18:00:00+08:00', true, 'into 2027: projected 元旦'],
    ['2026-09-30T10:00:00+08:00', 0, '2026-09-30T18:00:00+08:00', false, '0: by close today'],
    [
      '2026-10-03T10:00:00+08:00',
      0,
      '2026-10-08T18:00:00+08:00',
      false,
      '0 on a holiday: the next working day',
    ],
  ])('%s + %i → %s (provisional %s): %s', (start, n, dueAt, provisional) => {
    expect(due(start, n, 'calendarDays')).toEqual({ dueAt, provisional });
  });

  it('counts elapsed calendar days by date', () => {
    expect(cn.elapsed('2026-09-20T10:00:00+08:00', '2026-10-08T18:00:00+08:00', 'calendarDays')).toBe(18);
    expect(cn.elapsed('2026-09-20T23:59:00+08:00', '2026-09-21T00:01:00+08:00', 'calendarDays')).toBe(1);
    expect(cn.elapsed('2026-09-21T10:00:00+08:00', '2026-09-20T10:00:00+08:00', 'calendarDays')).toBe(0);
  });
});

describe('hours (natural hours from the instant)', () => {
  it.each<[string, number, string]>([
    ['2026-09-30T19:30:00+08:00', 24, '2026-10-01T19:30:00+08:00'],
    ['2026-02-14T17:00:00+08:00', 48, '2026-02-16T17:00:00+08:00'],
    ['2026-12-31T20:00:00Z', 5, '2027-01-01T09:00:00+08:00'],
    ['2026-12-31T23:00:00+08:00', 2, '2027-01-01T01:00:00+08:00'],
    ['2026-03-02T10:00:00+08:00', 0, '2026-03-02T10:00:00+08:00'],
    // rounded up to the whole second
    ['2026-01-01T00:00:00.250+08:00', 1, '2026-01-01T01:00:01+08:00'],
  ])('%s + %i → %s, never provisional', (start, n, dueAt) => {
    expect(due(start, n, 'hours')).toEqual({ dueAt, provisional: false });
  });

  it('counts elapsed hours, fractions included', () => {
    expect(cn.elapsed('2026-09-30T19:30:00+08:00', '2026-10-01T19:30:00+08:00', 'hours')).toBe(24);
    expect(cn.elapsed('2026-09-30T19:30:00+08:00', '2026-09-30T20:00:00+08:00', 'hours')).toBe(0.5);
    expect(cn.elapsed('2026-09-30T19:30:00+08:00', '2026-09-30T19:00:00+08:00', 'hours')).toBe(0);
  });
});

describe('workingHours (inside 09:00–18:00 of working days)', () => {
  it.each<[string, number, string, boolean, string]>([
    [
      '2026-09-30T19:30:00+08:00',
      24,
      '2026-10-10T15:00:00+08:00',
      false,
      'Oct 8, Oct 9, then make-up Saturday Oct 10',
    ],
    ['2026-02-13T17:00:00+08:00', 2, '2026-02-14T10:00:00+08:00', false, 'make-up Saturday Feb 14 counts'],
    ['2026-02-14T17:00:00+08:00', 2, '2026-02-24T10:00:00+08:00', false, 'then 春节 Feb 15–23'],
    [
      '2025-12-31T16:00:00+08:00',
      4,
      '2026-01-04T11:00:00+08:00',
      false,
      'year end: Jan 1–3 off, Sunday Jan 4 worked',
    ],
    ['2025-09-30T17:00:00+08:00', 5, '2025-10-09T13:00:00+08:00', false, '2025 Oct 1–8 off'],
    ['2026-12-31T17:00:00+08:00', 2, '2027-01-04T10:00:00+08:00', true, 'into projected 2027'],
    ['2026-03-02T09:00:00+08:00', 9, '2026-03-02T18:00:00+08:00', false, 'a whole day ends at the close'],
    [
      '2026-03-02T09:00:00+08:00',
      10,
      '2026-03-03T10:00:00+08:00',
      false,
      'the next hour is the next morning',
    ],
    [
      '2026-03-02T07:00:00+08:00',
      1,
      '2026-03-02T10:00:00+08:00',
      false,
      'before opening: counted from 09:00',
    ],
    ['2026-03-07T11:00:00+08:00', 1, '2026-03-09T10:00:00+08:00', false, 'received on a Saturday'],
    ['2026-03-02T19:00:00+08:00', 0, '2026-03-03T09:00:00+08:00', false, '0: the next business instant'],
    ['2026-03-02T12:34:00+08:00', 0, '2026-03-02T12:34:00+08:00', false, '0 in business hours: now'],
  ])('%s + %i → %s (provisional %s): %s', (start, n, dueAt, provisional) => {
    expect(due(start, n, 'workingHours')).toEqual({ dueAt, provisional });
  });

  it('counts elapsed working hours (the time a complaint spent in a stage)', () => {
    // Feb 13 17–18 (1), make-up Saturday Feb 14 (9), Feb 24 09–10 (1)
    expect(cn.elapsed('2026-02-13T17:00:00+08:00', '2026-02-24T10:00:00+08:00', 'workingHours')).toBe(11);
    expect(cn.workingHoursBetween('2026-03-02T12:00:00+08:00', '2026-03-02T12:45:00+08:00')).toBe(0.75);
    expect(cn.workingHoursBetween('2026-03-02T19:00:00+08:00', '2026-03-03T08:00:00+08:00')).toBe(0);
    expect(cn.workingHoursBetween('2026-03-03T08:00:00+08:00', '2026-03-02T19:00:00+08:00')).toBe(0);
  });

  it('takes epoch milliseconds (the reports hot path) with the same figures, across a weekend and a holiday', () => {
    const ms = (iso: string) => Date.parse(iso);
    // Friday Nov 6 2026 17:00 → Monday Nov 9 10:00: 1 h Friday + 1 h Monday; the weekend and nights count nothing
    expect(cn.workingHoursBetween(ms('2026-11-06T17:00:00+08:00'), ms('2026-11-09T10:00:00+08:00'))).toBe(2);
    // Wed Sep 30 2026 17:00 → Thu Oct 8 10:00: National Day (Oct 1–7 off) counts nothing: 1 h + 1 h
    expect(cn.workingHoursBetween(ms('2026-09-30T17:00:00+08:00'), ms('2026-10-08T10:00:00+08:00'))).toBe(2);
    // Saturday Oct 10 2026 is a make-up working day (调休): a whole business day, 9 h
    expect(cn.workingHoursBetween(ms('2026-10-10T00:00:00+08:00'), ms('2026-10-11T00:00:00+08:00'))).toBe(9);
    // a whole week across a weekend: Mon Nov 2 09:00 → Mon Nov 9 09:00 = 5 × 9 h
    expect(cn.workingHoursBetween(ms('2026-11-02T09:00:00+08:00'), ms('2026-11-09T09:00:00+08:00'))).toBe(45);
    // the same instants given as strings, Dates and numbers agree
    const a = '2026-09-28T11:30:00+08:00';
    const b = '2026-10-12T16:15:00+08:00';
    // Sep 28 6.5 + Sep 29, 30 (18) + Oct 8, 9, 10 (27) + Oct 12 7.25 = 58.75
    expect(cn.workingHoursBetween(a, b)).toBe(58.75);
    expect(cn.workingHoursBetween(ms(a), ms(b))).toBe(58.75);
    expect(cn.workingHoursBetween(new Date(a), new Date(b))).toBe(58.75);
    expect(() => cn.workingHoursBetween(Number.NaN, ms(b))).toThrow(RangeError);
  });

  it('counts local days right across a daylight-saving change (offsets cached per UTC hour)', () => {
    const dayOf = localDayCounter('Europe/Berlin');
    // Sunday Mar 29 2026: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC)
    const day = (iso: string) => dayOf(Date.parse(iso));
    expect(day('2026-03-29T00:59:59Z')).toBe(day('2026-03-29T12:00:00+02:00'));
    expect(day('2026-03-28T22:59:59Z')).toBe(day('2026-03-28T12:00:00+01:00'));
    expect(day('2026-03-29T21:59:59Z') - day('2026-03-28T22:59:59Z')).toBe(1);
    expect(day('2026-03-29T22:00:00Z') - day('2026-03-29T21:59:59Z')).toBe(1);
    const berlin = new BusinessCalendar({
      name: 'berlin',
      timeZone: 'Europe/Berlin',
      closeOfBusiness: '18:00',
      weekend: [6, 7],
      years: new Map(),
    });
    // Friday Mar 27 17:00 CET → Monday Mar 30 10:00 CEST: 1 h + 1 h, the short Sunday counts nothing
    expect(
      berlin.workingHoursBetween(
        Date.parse('2026-03-27T17:00:00+01:00'),
        Date.parse('2026-03-30T10:00:00+02:00'),
      ),
    ).toBe(2);
  });

  it('knows business hours', () => {
    expect(cn.openOfBusiness).toBe('09:00');
    expect(cn.isBusinessInstant('2026-02-14T09:00:00+08:00')).toBe(true);
    expect(cn.isBusinessInstant('2026-02-15T10:00:00+08:00')).toBe(false);
    expect(cn.isBusinessInstant('2026-03-02T08:59:00+08:00')).toBe(false);
    expect(cn.isBusinessInstant('2026-03-02T18:00:00+08:00')).toBe(true);
  });

  it("follows a calendar's business hours", () => {
    const company = buildCalendar([
      {
        name: 'company.json',
        content: { base: 'mainland-china', openOfBusiness: '08:30', closeOfBusiness: '17:30' },
      },
    ]);
    expect(company.due('2026-09-30T19:30:00+08:00', { amount: 24, unit: 'workingHours' }).dueAt).toBe(
      '2026-10-10T14:30:00+08:00',
    );
    expect(company.due('2026-09-30T10:00:00+08:00', { amount: 5, unit: 'workingDays' }).dueAt).toBe(
      '2026-10-13T17:30:00+08:00',
    );
    // a file in CONFIG_DIR/calendar does the same
    const dir = mkdtempSync(path.join(tmpdir(), 'units-'));
    const file = path.join(dir, 'hours.json');
    writeFileSync(file, JSON.stringify({ base: 'mainland-china', openOfBusiness: '10:00' }));
    expect(
      loadCalendar(mkdtempSync(path.join(tmpdir(), 'units-config-')), [file]).due(
        '2026-03-02T09:00:00+08:00',
        {
          amount: 1,
          unit: 'workingHours',
        },
      ).dueAt,
    ).toBe('2026-03-02T11:00:00+08:00');
  });

  it('refuses business hours that do not open before they close, naming the file', () => {
    expect(() =>
      buildCalendar([{ name: 'late.json', content: { base: 'mainland-china', openOfBusiness: '18:00' } }]),
    ).toThrow(
      new CalendarConfigError('late.json: openOfBusiness "18:00" must be before closeOfBusiness "18:00"'),
    );
    expect(() =>
      buildCalendar([{ name: 'bad.json', content: { base: 'mainland-china', openOfBusiness: '9:00' } }]),
    ).toThrow(/bad\.json: openOfBusiness must be a time HH:mm/);
  });
});

describe('due() and elapsed()', () => {
  it('take every unit and refuse the rest', () => {
    expect(due('2026-09-30T10:00:00+08:00', 5, 'workingDays').dueAt).toBe('2026-10-13T18:00:00+08:00');
    expect(cn.elapsed('2026-09-30T10:00:00+08:00', '2026-10-13T18:00:00+08:00', 'workingDays')).toBe(5);
    expect(() => due('2026-09-30T10:00:00+08:00', 5, 'weeks' as DurationUnit)).toThrow(
      'unknown unit "weeks"',
    );
    expect(() =>
      cn.elapsed('2026-09-30T10:00:00+08:00', '2026-10-13T18:00:00+08:00', 'weeks' as DurationUnit),
    ).toThrow('unknown unit "weeks"');
  });

  it.each<[DurationUnit, number, string]>([
    ['calendarDays', -1, 'calendar days must be a whole number ≥ 0, got -1'],
    ['hours', 1.5, 'hours must be a whole number ≥ 0, got 1.5'],
    ['workingHours', 100_001, 'working hours must be at most 100000, got 100001'],
    ['calendarDays', 10_001, 'calendar days must be at most 10000'],
  ])('refuses %s %d', (unit, n, message) => {
    expect(() => due('2026-09-30T10:00:00+08:00', n, unit)).toThrow(message);
  });
});
