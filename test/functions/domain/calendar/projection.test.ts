import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  chinaOfficialYears,
  defaultCalendar,
  projectedDaysOff,
  statutoryHolidays,
} from '../../../../functions/domain/calendar/index.js';

describe('statutory holidays (2024 rules)', () => {
  it('gives the 13 statutory days of 2026 with their lunar dates', () => {
    expect(Object.fromEntries(statutoryHolidays(2026).map((h) => [h.name, h.days]))).toEqual({
      元旦: ['2026-01-01'],
      春节: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'], // 除夕 Feb 16 … 初三 Feb 19
      清明节: ['2026-04-05'],
      劳动节: ['2026-05-01', '2026-05-02'],
      端午节: ['2026-06-19'],
      中秋节: ['2026-09-25'],
      国庆节: ['2026-10-01', '2026-10-02', '2026-10-03'],
    });
  });

  it('finds the lunar festivals of later years', () => {
    const byName = (year: number) => Object.fromEntries(statutoryHolidays(year).map((h) => [h.name, h.days]));
    // 2027: 春节 (初一) Feb 6, 端午 Jun 9, 中秋 Sep 15, 清明 Apr 5
    expect(byName(2027)).toMatchObject({
      春节: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'],
      清明节: ['2027-04-05'],
      端午节: ['2027-06-09'],
      中秋节: ['2027-09-15'],
    });
    // 2028: 春节 (初一) Jan 26, 清明 Apr 4, 端午 May 28, 中秋 Oct 3
    expect(byName(2028)).toMatchObject({
      春节: ['2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28'],
      清明节: ['2028-04-04'],
      端午节: ['2028-05-28'],
      中秋节: ['2028-10-03'],
    });
  });

  it('agrees with a second, independent lunar implementation (chinese-days) for 2027–2060', () => {
    for (let year = 2027; year <= 2060; year++) {
      const days = Object.fromEntries(statutoryHolidays(year).map((h) => [h.name, h.days]));
      const lunar = (md: string) => chineseDays.getSolarDateFromLunar(`${year}-${md}`).date;
      expect(days.春节?.[1], `${year} 春节`).toBe(lunar('01-01'));
      expect(days.端午节?.[0], `${year} 端午`).toBe(lunar('05-05'));
      expect(days.中秋节?.[0], `${year} 中秋`).toBe(lunar('08-15'));
      expect(days.清明节?.[0], `${year} 清明`).toBe(chineseDays.getSolarTermDate(year, 4, 'pure_brightness'));
    }
  });

  it.each([2025, 2026])('puts every statutory day of %i on a day off of its notice', (year) => {
    const official = chinaOfficialYears().get(year);
    for (const h of statutoryHolidays(year))
      for (const d of h.days) expect(official?.daysOff.has(d), `${h.name} ${d}`).toBe(true);
  });

  it('refuses years before the 2024 rules', () => {
    expect(() => statutoryHolidays(2024)).toThrow(RangeError);
  });
});

describe('projected days off (statutory + 补假)', () => {
  it('makes up statutory days that fall on a weekend on the next free weekday', () => {
    const p = projectedDaysOff(2026);
    expect(p.has('2026-04-06')).toBe(true); // 清明 on Sunday Apr 5 → Monday
    expect(p.has('2026-05-04')).toBe(true); // 劳动节 Saturday May 2 → Monday
    expect(p.has('2026-10-05')).toBe(true); // 国庆 Saturday Oct 3 → Monday
    expect(p.size).toBe(16);
  });

  it('makes up a day shared by 中秋 and 国庆 (2028: 中秋 on Oct 3)', () => {
    const p = [...projectedDaysOff(2028)].filter((d) => d >= '2028-09-25' && d <= '2028-10-10');
    // Oct 1 is a Sunday (+1) and Oct 3 is both holidays (+1): Oct 4 and Oct 5
    expect(p).toEqual(['2028-10-01', '2028-10-02', '2028-10-03', '2028-10-04', '2028-10-05']);
  });

  it.each([2025, 2026])('matches the notice of %i in working days per year', (year) => {
    const official = chinaOfficialYears().get(year);
    const projected = projectedDaysOff(year);
    let weekdays = 0;
    let officialWorking = 0;
    let projectedWorking = 0;
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const weekend = [0, 6].includes(new Date(t).getUTCDay());
      if (!weekend) weekdays++;
      if (official?.workdays.has(date) || (!weekend && !official?.daysOff.has(date))) officialWorking++;
      if (!weekend && !projected.has(date)) projectedWorking++;
    }
    expect(projectedWorking).toBe(officialWorking);
    expect(projectedWorking).toBe(weekdays - 13);
  });

  it('is what the default calendar uses for years without a notice, marked provisional', () => {
    const cn = defaultCalendar();
    expect(cn.day('2027-02-09')).toEqual({ date: '2027-02-09', working: false, provisional: true });
    expect(cn.day('2027-02-11')).toEqual({ date: '2027-02-11', working: true, provisional: true });
    expect(cn.day('2027-02-13')).toEqual({ date: '2027-02-13', working: false, provisional: true }); // no 调休 projected
  });
});
