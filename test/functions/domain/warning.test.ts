import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../../functions/domain/calendar/index.js';
import { DEFAULT_POLICY, parsePolicy, warningInstant } from '../../../functions/domain/policy.js';

/**
 * The pre-breach warning time (policy `warning`): checked against the calendar's own working
 * hours, so a wrong bisection, a fraction applied to calendar time or a warning after the
 * deadline fails here.
 */
const calendar = defaultCalendar();
const hoursBetween = (from: string, to: string) => calendar.workingHoursBetween(new Date(from), new Date(to));

describe('the pre-breach warning', () => {
  // opened Friday 2026-11-20 16:00 Shanghai, due Wednesday 2026-11-25 18:00: across a weekend
  const since = new Date('2026-11-20T08:00:00Z');
  const due = '2026-11-25T18:00:00+08:00';

  it('comes at 80% of the working time by default, not of the calendar time', () => {
    expect(DEFAULT_POLICY.warning).toEqual({ fraction: 0.8 });
    const warnAt = warningInstant(calendar, DEFAULT_POLICY.warning, since, due) as string;
    const total = hoursBetween(since.toISOString(), due);
    expect(total).toBeGreaterThan(10);
    // within a minute of 80% of the step's working hours
    expect(Math.abs(hoursBetween(since.toISOString(), warnAt) - 0.8 * total)).toBeLessThanOrEqual(1 / 60);
    // 80% of the calendar time would fall elsewhere
    const calendarShare = new Date(since.getTime() + 0.8 * (Date.parse(due) - since.getTime()));
    expect(Math.abs(Date.parse(warnAt) - calendarShare.getTime())).toBeGreaterThan(3600_000);
    expect(Date.parse(warnAt)).toBeLessThan(Date.parse(due));
  });

  it('comes the configured working hours before the deadline', () => {
    const warnAt = warningInstant(calendar, { workingHoursBefore: 4 }, since, due) as string;
    expect(Math.abs(hoursBetween(warnAt, due) - 4)).toBeLessThanOrEqual(1 / 60);
  });

  it('falls back to the default fraction when the step is not longer than the lead time', () => {
    const shortDue = '2026-11-23T11:00:00+08:00'; // Monday 11:00: a few working hours after
    const warnAt = warningInstant(calendar, { workingHoursBefore: 100 }, since, shortDue) as string;
    const total = hoursBetween(since.toISOString(), shortDue);
    expect(total).toBeLessThan(100);
    expect(Math.abs(hoursBetween(since.toISOString(), warnAt) - 0.8 * total)).toBeLessThanOrEqual(1 / 60);
  });

  it('is not given for a deadline already past', () => {
    expect(warningInstant(calendar, { fraction: 0.8 }, since, '2026-11-19T00:00:00Z')).toBeUndefined();
  });

  it.each([
    ['a fraction of 1', { fraction: 1 }],
    ['a fraction of 0', { fraction: 0 }],
    ['negative hours', { workingHoursBefore: -2 }],
    ['both at once', { fraction: 0.5, workingHoursBefore: 2 }],
    ['a percentage string', { fraction: '80%' }],
  ])('refuses %s in config/policy.json, naming the field', (_what, warning) => {
    expect(() => parsePolicy({ ...structuredClone(DEFAULT_POLICY), warning }, 'policy.json')).toThrow(
      /warning/,
    );
  });
});
