/**
 * The built-in data (chinese-days) checked date by date against the State Council notices.
 * The expected values below are transcribed from the notices' text (the weekday in brackets
 * as printed in the notice, so a transcription slip shows up as a failing weekday check).
 */
import { describe, expect, it } from 'vitest';
import { chinaOfficialYears, defaultCalendar } from '../../../../functions/domain/calendar/index.js';

interface Notice {
  number: string;
  /** [first, last, weekday of first as printed, weekday of last as printed] */
  daysOff: [string, string, string, string][];
  /** [date, weekday as printed] */
  workdays: [string, string][];
}

const NOTICES: Record<number, Notice> = {
  // 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号, 2024-11-12）
  2025: {
    number: '国办发明电〔2024〕12号',
    daysOff: [
      ['2025-01-01', '2025-01-01', '周三', '周三'], // 一、元旦：1月1日（周三）放假1天，不调休。
      ['2025-01-28', '2025-02-04', '周二', '周二'], // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
      ['2025-04-04', '2025-04-06', '周五', '周日'], // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
      ['2025-05-01', '2025-05-05', '周四', '周一'], // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。
      ['2025-05-31', '2025-06-02', '周六', '周一'], // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
      ['2025-10-01', '2025-10-08', '周三', '周三'], // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
    ],
    workdays: [
      ['2025-01-26', '周日'], // 1月26日（周日）、2月8日（周六）上班。
      ['2025-02-08', '周六'],
      ['2025-04-27', '周日'], // 4月27日（周日）上班。
      ['2025-09-28', '周日'], // 9月28日（周日）、10月11日（周六）上班。
      ['2025-10-11', '周六'],
    ],
  },
  // 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号, 2025-11-04）
  2026: {
    number: '国办发明电〔2025〕7号',
    daysOff: [
      ['2026-01-01', '2026-01-03', '周四', '周六'], // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。
      ['2026-02-15', '2026-02-23', '周日', '周一'], // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
      ['2026-04-04', '2026-04-06', '周六', '周一'], // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
      ['2026-05-01', '2026-05-05', '周五', '周二'], // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。
      ['2026-06-19', '2026-06-21', '周五', '周日'], // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
      ['2026-09-25', '2026-09-27', '周五', '周日'], // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
      ['2026-10-01', '2026-10-07', '周四', '周三'], // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。
    ],
    workdays: [
      ['2026-01-04', '周日'], // 1月4日（周日）上班。
      ['2026-02-14', '周六'], // 2月14日（周六）、2月28日（周六）上班。
      ['2026-02-28', '周六'],
      ['2026-05-09', '周六'], // 5月9日（周六）上班。
      ['2026-09-20', '周日'], // 9月20日（周日）、10月10日（周六）上班。
      ['2026-10-10', '周六'],
    ],
  },
};

const WEEKDAY = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const weekdayOf = (date: string) => WEEKDAY[new Date(`${date}T00:00:00Z`).getUTCDay()];
const DAY = 86_400_000;
function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

describe.each([2025, 2026])('the %i notice', (year) => {
  const notice = NOTICES[year] as Notice;
  const off = new Set(notice.daysOff.flatMap(([a, b]) => datesOf(a, b)));
  const work = new Set(notice.workdays.map(([d]) => d));

  it('is transcribed with the weekdays the notice prints', () => {
    for (const [a, b, wa, wb] of notice.daysOff) expect([weekdayOf(a), weekdayOf(b)]).toEqual([wa, wb]);
    for (const [d, w] of notice.workdays) expect(weekdayOf(d)).toBe(w);
  });

  it('is what the built-in data source holds, no more and no less', () => {
    const data = chinaOfficialYears().get(year);
    expect(data).toBeDefined();
    expect([...(data?.daysOff ?? [])].sort()).toEqual([...off].sort());
    expect([...(data?.workdays ?? [])].sort()).toEqual([...work].sort());
    expect(data?.source).toContain(notice.number);
  });

  it('decides every day of the year: off on notice days and weekends, on for make-up days', () => {
    const calendar = defaultCalendar();
    const wrong: string[] = [];
    for (const date of datesOf(`${year}-01-01`, `${year}-12-31`)) {
      const weekend = ['周六', '周日'].includes(weekdayOf(date) as string);
      const expected = work.has(date) || (!weekend && !off.has(date));
      const day = calendar.day(date);
      if (day.working !== expected) wrong.push(`${date} ${weekdayOf(date)}`);
      expect(day.provisional).toBe(false);
    }
    expect(wrong).toEqual([]);
  });
});

it('counts the working days of 2025 and 2026 as the notices imply', () => {
  const calendar = defaultCalendar();
  const count = (year: number) =>
    datesOf(`${year}-01-01`, `${year}-12-31`).filter((d) => calendar.isWorkingDay(d)).length;
  // 2025: 261 weekdays − 18 weekdays off + 5 make-up days; 2026: 261 − 19 + 6.
  // Both are 261 − 13, the 13 statutory days of the 2024 rules: 调休 moves days, never adds any.
  expect(count(2025)).toBe(248);
  expect(count(2026)).toBe(248);
});
