import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCalendar,
  CalendarConfigError,
  defaultCalendar,
  loadCalendar,
  readCalendarFiles,
} from '../../../../functions/domain/calendar/index.js';

const REPO_CONFIG = path.resolve(__dirname, '../../../../config');

function configDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
  mkdirSync(path.join(dir, 'calendar'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(
      path.join(dir, 'calendar', name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  }
  return dir;
}

const notice2027 = {
  year: 2027,
  source: 'test notice',
  daysOff: ['2027-01-01', '2027-02-05/2027-02-12', '2027-10-01/2027-10-07'],
  workdays: ['2027-02-14', '2027-10-09'],
};

const build =
  (content: unknown, name = 'config/calendar/x.json') =>
  () =>
    buildCalendar([{ name, content }]);

describe('a year file', () => {
  it('replaces the projection: exact, not provisional', () => {
    const cal = loadCalendar(configDir({ '2027.json': notice2027 }));
    expect(cal.day('2027-02-11')).toEqual({ date: '2027-02-11', working: false, provisional: false });
    expect(cal.day('2027-02-14')).toEqual({ date: '2027-02-14', working: true, provisional: false });
    expect(cal.addWorkingDays('2027-02-04T10:00:00+08:00', 1)).toEqual({
      dueAt: '2027-02-14T18:00:00+08:00',
      provisional: false,
    });
    // the built-in calendar still projects 2027
    expect(defaultCalendar().addWorkingDays('2027-02-04T10:00:00+08:00', 1)).toEqual({
      dueAt: '2027-02-11T18:00:00+08:00',
      provisional: true,
    });
  });

  it('overrides built-in official data for its year', () => {
    const cal = buildCalendar([
      { name: 'fix.json', content: { year: 2026, daysOff: ['2026-10-01/2026-10-08'] } },
    ]);
    expect(cal.isWorkingDay('2026-10-08')).toBe(false);
    expect(cal.isWorkingDay('2026-10-10')).toBe(false); // make-up day not in the file any more
    expect(cal.isWorkingDay('2026-02-16')).toBe(true); // everything of 2026 was replaced
    expect(cal.isWorkingDay('2025-10-08')).toBe(false); // other years untouched
  });

  it('lets the later file win for the same year', () => {
    const cal = buildCalendar([
      { name: 'a.json', content: { year: 2027, daysOff: ['2027-03-01'] } },
      { name: 'b.json', content: { year: 2027, daysOff: ['2027-03-02'] } },
    ]);
    expect([cal.isWorkingDay('2027-03-01'), cal.isWorkingDay('2027-03-02')]).toEqual([true, false]);
  });

  it.each([
    [
      { ...notice2027, daysOff: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-30'] },
      'daysOff[3] "2027-02-30" is not a date (YYYY-MM-DD)',
    ],
    [{ ...notice2027, daysOff: ['2027-1-1'] }, 'daysOff[0] "2027-1-1" is not a date'],
    [
      { ...notice2027, daysOff: ['2027-02-12/2027-02-05'] },
      'daysOff[0] "2027-02-12/2027-02-05" ends before it starts',
    ],
    [
      { ...notice2027, daysOff: ['2027-02-05/2027-02-31'] },
      'daysOff[0] "2027-02-05/2027-02-31": "2027-02-31" is not a date',
    ],
    [{ ...notice2027, daysOff: ['2026-12-31'] }, 'daysOff[0] "2026-12-31" is not in 2027'],
    [
      { ...notice2027, daysOff: ['2026-12-30/2027-01-02'] },
      'daysOff[0] "2026-12-30/2027-01-02" (2026-12-30) is not in 2027',
    ],
    [{ ...notice2027, workdays: ['2027-02-14', '2027-02-15'] }, 'workdays[1] "2027-02-15" is a weekday'],
    [{ ...notice2027, workdays: ['2027-02-06'] }, 'workdays[0] 2027-02-06 is also a day off in daysOff[1]'],
    [{ ...notice2027, daysOff: [20270101] }, 'daysOff[0] '],
    [{ ...notice2027, year: '2027' }, 'year '],
    [{ ...notice2027, holidays: [] }, 'Unrecognized key: "holidays"'],
    [{ year: 2027 }, 'daysOff '],
  ])('refuses %j, naming the entry', (content, message) => {
    expect(build(content, 'config/calendar/2027.json')).toThrow(CalendarConfigError);
    expect(build(content, 'config/calendar/2027.json')).toThrow(`config/calendar/2027.json: ${message}`);
  });
});

describe('the calendar file', () => {
  it('can be a whole custom calendar', () => {
    const cal = buildCalendar([
      {
        name: 'uk.json',
        content: {
          timeZone: 'Europe/London',
          closeOfBusiness: '17:00',
          holidays: ['2026-12-25', '2026-12-28'],
        },
      },
    ]);
    expect(cal.name).toBe('uk');
    expect(cal.addWorkingDays('2026-12-24T09:00:00Z', 1)).toEqual({
      dueAt: '2026-12-29T17:00:00+00:00',
      provisional: false,
    });
    expect(cal.isWorkingDay('2026-10-01')).toBe(true); // nothing of China left
    expect(cal.day('2031-05-01')).toEqual({ date: '2031-05-01', working: true, provisional: false });
  });

  it('can have another weekend', () => {
    const cal = buildCalendar([{ name: 'gulf.json', content: { timeZone: 'Asia/Riyadh', weekend: [5, 6] } }]);
    expect(cal.isWorkingDay('2026-11-27')).toBe(false); // Friday
    expect(cal.isWorkingDay('2026-11-29')).toBe(true); // Sunday
  });

  it('can adjust the built-in calendar: close time, company closures, extra working days', () => {
    const cal = buildCalendar([
      {
        name: 'company.json',
        content: {
          base: 'mainland-china',
          closeOfBusiness: '17:30',
          holidays: ['2026-10-08'],
          workdays: ['2026-10-11'],
        },
      },
    ]);
    expect(cal.timeZone).toBe('Asia/Shanghai');
    // Oct 8 closed, Oct 9 (1), Oct 10 make-up (2), Sunday Oct 11 extra working day (3)
    expect(cal.addWorkingDays('2026-09-30T10:00:00+08:00', 3)).toEqual({
      dueAt: '2026-10-11T17:30:00+08:00',
      provisional: false,
    });
    expect(cal.addWorkingDays('2027-02-04T10:00:00+08:00', 1).provisional).toBe(true); // still projects
  });

  it('takes year files on top of it, whatever the file order', () => {
    const cal = buildCalendar([
      { name: '2027.json', content: notice2027 },
      { name: 'company.json', content: { base: 'mainland-china', closeOfBusiness: '17:00' } },
    ]);
    expect(cal.addWorkingDays('2027-02-04T10:00:00+08:00', 1)).toEqual({
      dueAt: '2027-02-14T17:00:00+08:00',
      provisional: false,
    });
  });

  it.each([
    [{ closeOfBusiness: '18:00' }, 'timeZone is required for a custom calendar'],
    [{ timeZone: 'Asia/Shangai' }, 'timeZone is not an IANA time zone'],
    [{ timeZone: 'UTC', closeOfBusiness: '6pm' }, 'closeOfBusiness must be a time HH:mm'],
    [{ timeZone: 'UTC', closeOfBusiness: '24:00' }, 'closeOfBusiness must be a time HH:mm'],
    [{ timeZone: 'UTC', weekend: [0, 6] }, 'weekend[0] weekend days are 1 (Monday) … 7 (Sunday)'],
    [
      { timeZone: 'UTC', weekend: [1, 2, 3, 4, 5, 6, 7] },
      'weekend a calendar needs at least one working weekday',
    ],
    [{ timeZone: 'UTC', weekend: [6, 6] }, 'weekend lists a day twice'],
    [{ timeZone: 'UTC', holidays: ['2026-12-25', 'Christmas'] }, 'holidays[1] "Christmas" is not a date'],
    [
      { timeZone: 'UTC', holidays: ['2026-12-25'], workdays: ['2026-12-25'] },
      'workdays[0] 2026-12-25 is also a day off in holidays[0]',
    ],
    [{ timeZone: 'UTC', base: 'china' }, 'base '],
    [{ timeZone: 'UTC', weekends: [6, 7] }, 'Unrecognized key: "weekends"'],
  ])('refuses %j', (content, message) => {
    expect(build(content)).toThrow(`config/calendar/x.json: ${message}`);
  });

  it('refuses a second calendar file, naming both', () => {
    expect(() =>
      buildCalendar([
        { name: 'a.json', content: { timeZone: 'UTC' } },
        { name: 'b.json', content: { timeZone: 'UTC' } },
      ]),
    ).toThrow(/^b\.json: only one calendar file is allowed, and a\.json is one already/);
  });
});

describe('loading a config folder', () => {
  it('is the built-in calendar when there is no calendar folder or it is empty', () => {
    expect(loadCalendar(mkdtempSync(path.join(tmpdir(), 'no-calendar-')))).toBe(defaultCalendar());
    expect(loadCalendar(configDir({}))).toBe(defaultCalendar());
  });

  it('reads *.json in name order and ignores other files and sub-folders', () => {
    const dir = configDir({
      '2027-a.json': { year: 2027, daysOff: ['2027-03-01'] },
      '2027-b.json': { year: 2027, daysOff: ['2027-03-02'] },
      'README.md': '# not a calendar',
    });
    mkdirSync(path.join(dir, 'calendar', 'examples'));
    writeFileSync(path.join(dir, 'calendar', 'examples', 'broken.json'), '{');
    const cal = loadCalendar(dir);
    expect([cal.isWorkingDay('2027-03-01'), cal.isWorkingDay('2027-03-02')]).toEqual([true, false]);
  });

  it('applies extra files last', () => {
    const dir = configDir({ '2027.json': { year: 2027, daysOff: ['2027-03-01'] } });
    const extra = path.join(dir, 'extra.json');
    writeFileSync(extra, JSON.stringify({ year: 2027, daysOff: ['2027-03-03'] }));
    const cal = loadCalendar(dir, [extra]);
    expect([cal.isWorkingDay('2027-03-01'), cal.isWorkingDay('2027-03-03')]).toEqual([true, false]);
  });

  it('refuses a file that is not JSON, naming it', () => {
    const dir = configDir({ '2027.json': '{"year": 2027, "daysOff": [' });
    expect(() => loadCalendar(dir)).toThrow(/2027\.json: not valid JSON/);
  });

  it('refuses a missing extra file, naming it', () => {
    expect(() => readCalendarFiles(['/nonexistent/cal.json'])).toThrow(/cal\.json: cannot read \(ENOENT\)/);
  });

  it('accepts the repository configuration and every example', () => {
    expect(() => loadCalendar(REPO_CONFIG)).not.toThrow();
    for (const example of ['year-notice.json', 'company-closures.json', 'custom-calendar.json']) {
      const cal = buildCalendar(readCalendarFiles([path.join(REPO_CONFIG, 'calendar', 'examples', example)]));
      expect(cal.addWorkingDays('2026-12-01T10:00:00+08:00', 3).dueAt).toMatch(
        /^2026-12-0\dT1\d:\d\d:00[+-]\d\d:\d\d$/,
      );
    }
  });
});
