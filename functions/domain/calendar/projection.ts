/**
 * Mainland China statutory holidays for a year whose State Council notice is not out yet,
 * computed from 《全国年节及纪念日放假办法》 as revised in November 2024 (in force from 2025):
 *
 *   art. 2 — 元旦 1 day (Jan 1); 春节 4 days (除夕 to 正月初三); 清明节 1 day (the 清明 solar
 *   term); 劳动节 2 days (May 1–2); 端午节 1 day (五月初五); 中秋节 1 day (八月十五);
 *   国庆节 3 days (Oct 1–3).
 *   art. 6 — a holiday for all citizens that falls on a Saturday or Sunday is made up on a
 *   working day (补假).
 *
 * What cannot be projected: the notice's 调休 (weekday swaps with make-up Saturdays/Sundays).
 * The projection therefore gives the statutory days plus, for each statutory day that falls
 * on a weekend, the next weekday after that holiday that is not already off (the usual way
 * 补假 is given, e.g. 清明 on Sunday 2026-04-05 → Monday 2026-04-06 off). For 2025 and 2026
 * this yields the same number of working days per holiday period as the notices did; the
 * exact days may differ, which is why deadlines relying on it are marked provisional.
 */
import { dayNumber, isoDate } from './calendar.js';
import { loadLunar } from './lunar-loader.cjs';

/** The rules as revised in 2024 apply from this year on. */
export const PROJECTION_FIRST_YEAR = 2025;

export interface StatutoryHoliday {
  /** 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 */
  name: string;
  /** the statutory days, YYYY-MM-DD, in order */
  days: string[];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function ymd(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

function lunarToSolar(lunarYear: number, month: number, day: number): string {
  return loadLunar().Lunar.fromYmd(lunarYear, month, day).getSolar().toYmd();
}

function range(firstIso: string, count: number): string[] {
  const first = dayNumber(firstIso) as number;
  return Array.from({ length: count }, (_, i) => isoDate(first + i));
}

/** The statutory holidays of a Gregorian year (art. 2 of the 2024 rules), without 补假. */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  if (!Number.isInteger(year) || year < PROJECTION_FIRST_YEAR || year > 2199) {
    throw new RangeError(`no holiday rules for ${year}: projection covers ${PROJECTION_FIRST_YEAR}–2199`);
  }
  // 正月初一 of lunar year `year` always falls in Gregorian `year` (Jan 21 – Feb 20), so
  // 除夕 (the day before) does too.
  const newYear = dayNumber(lunarToSolar(year, 1, 1)) as number;
  const qingming = loadLunar().Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()['清明'];
  if (!qingming || qingming.getYear() !== year) throw new Error(`no 清明 solar term found for ${year}`);
  return [
    { name: '元旦', days: [ymd(year, 1, 1)] },
    { name: '春节', days: range(isoDate(newYear - 1), 4) },
    { name: '清明节', days: [qingming.toYmd()] },
    { name: '劳动节', days: range(ymd(year, 5, 1), 2) },
    { name: '端午节', days: [lunarToSolar(year, 5, 5)] },
    { name: '中秋节', days: [lunarToSolar(year, 8, 15)] },
    { name: '国庆节', days: range(ymd(year, 10, 1), 3) },
  ].sort((a, b) => (a.days[0] as string).localeCompare(b.days[0] as string));
}

function isWeekend(day: number): boolean {
  const wd = new Date(day * 86_400_000).getUTCDay();
  return wd === 0 || wd === 6;
}

/**
 * The projected days off of a year: statutory days plus one 补假 weekday for each statutory
 * day on a weekend (the first weekday after that holiday which is not already off).
 * When two holidays share a day (中秋 on Oct 1–3), the shared day is also made up, as the
 * State Council did in 2020 (中秋 on Oct 1: eight days off).
 */
export function projectedDaysOff(year: number): Set<string> {
  const holidays = statutoryHolidays(year);
  const off = new Set<number>();
  for (const h of holidays) for (const d of h.days) off.add(dayNumber(d) as number);
  const claimed = new Set<number>();
  for (const h of holidays) {
    const days = h.days.map((d) => dayNumber(d) as number);
    let owed = days.filter((d) => isWeekend(d) || claimed.has(d)).length;
    for (const d of days) claimed.add(d);
    let d = Math.max(...days);
    while (owed > 0) {
      d += 1;
      if (!isWeekend(d) && !off.has(d)) {
        off.add(d);
        owed -= 1;
      }
    }
  }
  return new Set([...off].sort((a, b) => a - b).map(isoDate));
}
