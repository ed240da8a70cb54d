import { describe, expect, it } from 'vitest';
import {
  BusinessCalendar,
  defaultCalendar,
  parseInstant,
  secondsUntil,
} from '../../../../functions/domain/calendar/index.js';

const cn = defaultCalendar();
const due = (start: string, n: number) => cn.addWorkingDays(start, n);

describe('addWorkingDays on the mainland China calendar', () => {
  it.each<[string, number, string, boolean, string]>([
    // [start, N, dueAt, provisional, why]
    [
      '2026-09-30T10:00:00+08:00',
      5,
      '2026-10-13T18:00:00+08:00',
      false,
      'the issue example: Oct 1–7 off, Sat Oct 10 worked',
    ],
    [
      '2026-09-30T10:00:00+08:00',
      1,
      '2026-10-08T18:00:00+08:00',
      false,
      'day 1 is the first working day after the holiday',
    ],
    [
      '2026-09-30T20:30:00+08:00',
      1,
      '2026-10-08T18:00:00+08:00',
      false,
      'after hours: still only the receipt date is skipped',
    ],
    [
      '2026-10-03T09:00:00+08:00',
      3,
      '2026-10-10T18:00:00+08:00',
      false,
      'received on a holiday Saturday; make-up Saturday Oct 10 is day 3',
    ],
    [
      '2026-09-19T11:00:00+08:00',
      1,
      '2026-09-20T18:00:00+08:00',
      false,
      'Sunday Sep 20 is a make-up working day',
    ],
    ['2026-09-18T17:00:00+08:00', 5, '2026-09-24T18:00:00+08:00', false, 'Sep 20 (Sun) worked, Sep 19 not'],
    ['2026-09-23T10:00:00+08:00', 3, '2026-09-29T18:00:00+08:00', false, '中秋 Sep 25–27 off'],
    [
      '2026-02-13T09:00:00+08:00',
      1,
      '2026-02-14T18:00:00+08:00',
      false,
      'Saturday Feb 14 is worked (春节 调休)',
    ],
    ['2026-02-13T09:00:00+08:00', 2, '2026-02-24T18:00:00+08:00', false, 'then 春节 Feb 15–23 off'],
    ['2026-02-27T09:00:00+08:00', 1, '2026-02-28T18:00:00+08:00', false, 'Saturday Feb 28 is worked'],
    [
      '2025-12-31T16:00:00+08:00',
      5,
      '2026-01-08T18:00:00+08:00',
      false,
      '元旦 Jan 1–3 2026 off, Sunday Jan 4 worked',
    ],
    [
      '2025-09-30T10:00:00+08:00',
      3,
      '2025-10-11T18:00:00+08:00',
      false,
      '2025: Oct 1–8 off, Saturday Oct 11 worked',
    ],
    ['2025-04-25T10:00:00+08:00', 1, '2025-04-27T18:00:00+08:00', false, '2025: Sunday Apr 27 worked'],
    ['2025-05-30T10:00:00+08:00', 1, '2025-06-03T18:00:00+08:00', false, '2025: 端午 May 31–Jun 2 off'],
    [
      '2026-09-29T16:00:00Z',
      1,
      '2026-10-08T18:00:00+08:00',
      false,
      'a UTC instant that is Sep 30 00:00 in Shanghai',
    ],
    [
      '2026-09-29T15:59:59Z',
      1,
      '2026-09-30T18:00:00+08:00',
      false,
      'a UTC instant still on Sep 29 in Shanghai',
    ],
    [
      '2026-12-30T10:00:00+08:00',
      3,
      '2027-01-05T18:00:00+08:00',
      true,
      'into 2027: 元旦 projected, so provisional',
    ],
    [
      '2027-02-04T10:00:00+08:00',
      1,
      '2027-02-11T18:00:00+08:00',
      true,
      '2027 春节 projected: 除夕 Feb 5 – 初三 Feb 8 + 补假 Feb 9–10',
    ],
    ['2027-06-08T10:00:00+08:00', 1, '2027-06-10T18:00:00+08:00', true, '2027 端午 (Jun 9) projected'],
    [
      '2027-03-10T10:00:00+08:00',
      2,
      '2027-03-12T18:00:00+08:00',
      true,
      'a year with no notice is provisional even with no holiday in range',
    ],
  ])('%s + %i → %s (%s: %s)', (start, n, dueAt, provisional) => {
    expect(due(start, n)).toEqual({ dueAt, provisional });
  });

  it('marks a deadline provisional only when its range touches a year without a notice', () => {
    expect(due('2026-12-24T10:00:00+08:00', 5).provisional).toBe(false); // Dec 25 … Dec 31
    expect(due('2026-12-24T10:00:00+08:00', 6)).toEqual({
      dueAt: '2027-01-04T18:00:00+08:00',
      provisional: true,
    });
  });

  describe('N = 0 means "by close of business today"', () => {
    it('is today at close on a working day before close', () => {
      expect(due('2026-09-30T10:00:00+08:00', 0)).toEqual({
        dueAt: '2026-09-30T18:00:00+08:00',
        provisional: false,
      });
      expect(due('2026-09-30T18:00:00+08:00', 0).dueAt).toBe('2026-09-30T18:00:00+08:00');
    });
    it('is the next working day after close or on a day off', () => {
      expect(due('2026-09-30T18:00:01+08:00', 0).dueAt).toBe('2026-10-08T18:00:00+08:00');
      expect(due('2026-10-01T09:00:00+08:00', 0).dueAt).toBe('2026-10-08T18:00:00+08:00');
    });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 10_001])('refuses N = %s', (n) => {
    expect(() => due('2026-09-30T10:00:00+08:00', n)).toThrow(RangeError);
  });

  it('refuses a start without offset and a non-instant', () => {
    expect(() => due('2026-09-30T10:00:00', 1)).toThrow(/not an instant with a UTC offset/);
    expect(() => due('2026-09-31T10:00:00+08:00', 1)).toThrow(/not an ISO 8601 instant/);
    expect(() => due('2026-09-30', 1)).toThrow(/not an instant with a UTC offset/);
    expect(() => due('2026-09-30T10:00', 1)).toThrow(/not an instant with a UTC offset/);
    expect(parseInstant('2026-09-30T10:00+08:00').toISOString()).toBe('2026-09-30T02:00:00.000Z');
    expect(parseInstant('2026-09-30T10:00:00.250+0800').toISOString()).toBe('2026-09-30T02:00:00.250Z');
    expect(() => cn.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('takes Date objects as well as strings', () => {
    expect(cn.addWorkingDays(new Date('2026-09-30T02:00:00Z'), 5).dueAt).toBe('2026-10-13T18:00:00+08:00');
  });

  it('knows nothing before its data starts', () => {
    expect(() => due('2003-06-02T10:00:00+08:00', 1)).toThrow(/no data before 2004/);
  });
});

describe('isWorkingDay and day', () => {
  it('answers for local dates and for instants in the calendar zone', () => {
    expect(cn.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休
    expect(cn.isWorkingDay('2026-02-16')).toBe(false); // Monday, 春节
    expect(cn.isWorkingDay('2026-11-23')).toBe(true);
    expect(cn.isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(cn.isWorkingDay(new Date('2026-09-30T16:30:00Z'))).toBe(false); // Oct 1 in Shanghai
    expect(cn.day('2027-10-01')).toEqual({ date: '2027-10-01', working: false, provisional: true });
    expect(() => cn.isWorkingDay('2026-02-30')).toThrow(/not a date/);
  });

  it('finds the next working day', () => {
    expect(cn.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
    expect(cn.nextWorkingDay('2026-10-09')).toBe('2026-10-10');
  });

  it('gives the local date of an instant', () => {
    expect(cn.localDate('2026-09-30T16:00:00Z')).toBe('2026-10-01');
  });
});

describe('workingDaysBetween', () => {
  it('counts working dates after the first date up to and including the second', () => {
    expect(cn.workingDaysBetween('2026-09-30T10:00:00+08:00', '2026-10-13T18:00:00+08:00')).toBe(5);
    expect(cn.workingDaysBetween('2026-09-30T10:00:00+08:00', '2026-10-13T08:00:00+08:00')).toBe(5);
    expect(cn.workingDaysBetween('2026-09-30T10:00:00+08:00', '2026-10-12T23:59:59+08:00')).toBe(4);
    expect(cn.workingDaysBetween('2026-09-30T10:00:00+08:00', '2026-10-07T12:00:00+08:00')).toBe(0);
    expect(cn.workingDaysBetween('2026-09-30T10:00:00+08:00', '2026-09-30T17:00:00+08:00')).toBe(0);
  });
  it('is 0 when the second instant is earlier', () => {
    expect(cn.workingDaysBetween('2026-10-13T18:00:00+08:00', '2026-09-30T10:00:00+08:00')).toBe(0);
  });
});

describe('secondsUntil (Step Functions timeoutSeconds)', () => {
  const now = new Date('2026-10-13T09:00:00Z'); // 17:00 in Shanghai
  it('rounds up to whole seconds', () => {
    expect(secondsUntil('2026-10-13T18:00:00+08:00', now)).toBe(3600);
    expect(secondsUntil('2026-10-13T18:00:00+08:00', new Date(now.getTime() + 3_599_500))).toBe(1);
    expect(secondsUntil('2026-10-13T18:00:00+08:00', new Date(now.getTime() + 1_000))).toBe(3599);
  });
  it('is at least 1 for a deadline already past', () => {
    expect(secondsUntil('2026-10-13T18:00:00+08:00', new Date('2026-10-14T00:00:00Z'))).toBe(1);
  });
});

describe('a calendar with another zone, weekend and close time', () => {
  const gulf = new BusinessCalendar({
    name: 'gulf',
    timeZone: 'Asia/Dubai',
    closeOfBusiness: '17:30',
    weekend: [6, 7],
    years: new Map(),
    extraDaysOff: new Set(['2026-12-02']),
  });
  it('formats the due instant with the zone offset and its own close time', () => {
    expect(gulf.addWorkingDays('2026-12-01T08:00:00+04:00', 1)).toEqual({
      dueAt: '2026-12-03T17:30:00+04:00',
      provisional: false,
    });
  });
  it('prints +00:00 for a UTC calendar', () => {
    const utc = new BusinessCalendar({
      name: 'utc',
      timeZone: 'UTC',
      closeOfBusiness: '18:00',
      weekend: [6, 7],
      years: new Map(),
    });
    expect(utc.addWorkingDays('2026-12-04T12:00:00Z', 1).dueAt).toBe('2026-12-07T18:00:00+00:00');
  });
  it('crosses a daylight-saving change at local close of business', () => {
    const ny = new BusinessCalendar({
      name: 'ny',
      timeZone: 'America/New_York',
      closeOfBusiness: '18:00',
      weekend: [6, 7],
      years: new Map(),
    });
    expect(ny.addWorkingDays('2026-10-30T12:00:00-04:00', 1).dueAt).toBe('2026-11-02T18:00:00-05:00');
  });
  it('refuses a calendar with no working weekday or a bad zone', () => {
    const base = { name: 'x', closeOfBusiness: '18:00', years: new Map() };
    expect(() => new BusinessCalendar({ ...base, timeZone: 'UTC', weekend: [1, 2, 3, 4, 5, 6, 7] })).toThrow(
      /at least one working weekday/,
    );
    expect(() => new BusinessCalendar({ ...base, timeZone: 'Mars/Olympus', weekend: [6, 7] })).toThrow(
      /unknown time zone/,
    );
  });
  it('stops instead of looping forever when everything is a holiday', () => {
    const closed = new BusinessCalendar({
      name: 'closed',
      timeZone: 'UTC',
      closeOfBusiness: '18:00',
      weekend: [6, 7],
      years: new Map(),
      project: (year) =>
        new Set(
          Array.from({ length: 12 }, (_, m) => m).flatMap((m) =>
            Array.from(
              { length: 31 },
              (_, d) => `${year}-${String(m + 1).padStart(2, '0')}-${String(d + 1).padStart(2, '0')}`,
            ),
          ),
        ),
    });
    expect(() => closed.addWorkingDays('2026-01-01T00:00:00Z', 1)).toThrow(/no working day for 400 days/);
  });
});

it('parseInstant keeps the instant', () => {
  expect(parseInstant('2026-09-30T10:00:00+08:00').toISOString()).toBe('2026-09-30T02:00:00.000Z');
  expect(parseInstant('2026-09-30T02:00:00Z').toISOString()).toBe('2026-09-30T02:00:00.000Z');
});
