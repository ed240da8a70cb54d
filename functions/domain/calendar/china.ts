/**
 * The built-in mainland China calendar.
 *
 * Exact data comes from the `chinese-days` package (vsme/chinese-days, maintained, updated
 * when each year's State Council notice 国务院办公厅关于…年部分节假日安排的通知 is published):
 * its `holidays` are the days off, its `workdays` the make-up working days (调休). It has
 * 2004–2026 (2025: 国办发明电〔2024〕12号; 2026: 国办发明电〔2025〕7号); the tests check
 * 2025 and 2026 date by date against the notices' text. A newer `chinese-days` release adds
 * later years with no code change; until then operators add a year with a file (load.ts).
 *
 * Years after the data: statutory holidays projected from the 2024 rules (projection.ts),
 * deadlines marked provisional. Years before the data (before 2004): refused.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { CalendarSpec, IsoWeekday, YearData } from './calendar.js';
import { projectedDaysOff } from './projection.js';

export const CHINA_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_CLOSE_OF_BUSINESS = '18:00';
export const CHINA_WEEKEND: readonly IsoWeekday[] = [6, 7];

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** The State Council notices behind the years the tests check date by date. */
export const NOTICES: Record<number, string> = {
  2025: '国办发明电〔2024〕12号',
  2026: '国办发明电〔2025〕7号',
};

/** chinese-days' data grouped by year. Built once per process. */
function officialYears(): Map<number, YearData> {
  const data = chineseDays as ChineseDaysData;
  const years = new Map<number, { daysOff: Set<string>; workdays: Set<string>; source: string }>();
  const yearOf = (date: string) => {
    const y = Number(date.slice(0, 4));
    let entry = years.get(y);
    if (!entry) {
      entry = {
        daysOff: new Set(),
        workdays: new Set(),
        source: `${NOTICES[y] ?? `State Council notice for ${y}`} (chinese-days)`,
      };
      years.set(y, entry);
    }
    return entry;
  };
  for (const date of Object.keys(data.holidays)) yearOf(date).daysOff.add(date);
  for (const date of Object.keys(data.workdays)) yearOf(date).workdays.add(date);
  return years;
}

let cachedYears: Map<number, YearData> | undefined;

/** Years with an official notice in the built-in data, each with its days off and make-up days. */
export function chinaOfficialYears(): ReadonlyMap<number, YearData> {
  cachedYears ??= officialYears();
  return cachedYears;
}

const projectionCache = new Map<number, ReadonlySet<string>>();

/**
 * Projected days off for a year with no notice. A RangeError for years before the data
 * (and, through projection.ts, for any year before the 2024 rules took effect in 2025).
 */
export function projectChina(year: number): ReadonlySet<string> {
  let days = projectionCache.get(year);
  if (!days) {
    const known = chinaOfficialYears();
    const first = Math.min(...known.keys());
    if (year < first) {
      throw new RangeError(`the mainland China calendar has no data before ${first} (asked for ${year})`);
    }
    days = projectedDaysOff(year);
    projectionCache.set(year, days);
  }
  return days;
}

/** The spec of the built-in calendar; `years` may be extended by operator files. */
export function chinaSpec(overrides: Partial<CalendarSpec> = {}): CalendarSpec {
  return {
    name: 'mainland-china',
    timeZone: CHINA_TIME_ZONE,
    closeOfBusiness: DEFAULT_CLOSE_OF_BUSINESS,
    weekend: CHINA_WEEKEND,
    years: chinaOfficialYears(),
    project: projectChina,
    ...overrides,
  };
}
