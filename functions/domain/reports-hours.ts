import { IANAZone } from 'luxon';
import type { BusinessCalendar } from './calendar/index.js';

/**
 * Working hours between two instants for the reports (time in stage): the time inside
 * business hours (default 09:00 to the calendar's close of business) of the calendar's
 * working days. Built for volume: a quarterly report measures hundreds of thousands of
 * stage visits, so zone offsets are cached per UTC hour and each day's opening and
 * closing instants per local day.
 *
 * A stand-in until the business calendar has its own working-hours arithmetic (the
 * `workingHours` deadline unit); the reports only need `(fromMs, toMs) => hours`.
 */
export type WorkingHours = (fromMs: number, toMs: number) => number;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function workingHoursCounter(
  calendar: Pick<BusinessCalendar, 'timeZone' | 'closeOfBusiness' | 'isWorkingDay'>,
  options: { open?: string; close?: string } = {},
): WorkingHours {
  const open = minutesOf(options.open ?? '09:00');
  const close = minutesOf(options.close ?? calendar.closeOfBusiness);
  if (close <= open) throw new RangeError('business hours must close after they open');
  const zone = IANAZone.create(calendar.timeZone);
  const offsets = new Map<number, number>();
  /** the zone's offset (ms) at an instant, cached per UTC hour */
  const offsetAt = (ms: number): number => {
    const hour = Math.floor(ms / HOUR_MS);
    let o = offsets.get(hour);
    if (o === undefined) {
      o = zone.offset(hour * HOUR_MS) * 60_000;
      offsets.set(hour, o);
    }
    return o;
  };
  /** local day number (days since 1970-01-01 in the zone) of an instant */
  const dayOf = (ms: number) => Math.floor((ms + offsetAt(ms)) / DAY_MS);
  const days = new Map<number, { open: number; close: number } | null>();
  const hoursOf = (day: number): { open: number; close: number } | null => {
    let h = days.get(day);
    if (h === undefined) {
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      if (calendar.isWorkingDay(date)) {
        const localOpen = day * DAY_MS + open * 60_000;
        const localClose = day * DAY_MS + close * 60_000;
        h = { open: localOpen - offsetAt(localOpen), close: localClose - offsetAt(localClose) };
      } else {
        h = null;
      }
      days.set(day, h);
    }
    return h;
  };
  return (fromMs, toMs) => {
    if (!(toMs > fromMs)) return 0;
    let total = 0;
    const last = dayOf(toMs);
    for (let d = dayOf(fromMs); d <= last; d++) {
      const h = hoursOf(d);
      if (!h) continue;
      const a = Math.max(fromMs, h.open);
      const b = Math.min(toMs, h.close);
      if (b > a) total += b - a;
    }
    return total / HOUR_MS;
  };
}

function minutesOf(hhmm: string): number {
  const m = TIME_RE.exec(hhmm);
  if (!m) throw new RangeError(`"${hhmm}" is not a time HH:mm`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The local day number (days since 1970-01-01 in `timeZone`) of an instant; offsets cached per UTC hour. */
export function localDayCounter(timeZone: string): (ms: number) => number {
  const zone = IANAZone.create(timeZone);
  const offsets = new Map<number, number>();
  return (ms) => {
    const hour = Math.floor(ms / HOUR_MS);
    let o = offsets.get(hour);
    if (o === undefined) {
      o = zone.offset(hour * HOUR_MS) * 60_000;
      offsets.set(hour, o);
    }
    return Math.floor((ms + o) / DAY_MS);
  };
}
