import { DateTime } from 'luxon';
import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { reportQuery } from '../domain/complaint-schemas.js';
import { ValidationError } from '../domain/errors.js';
import { analyse } from '../domain/reports.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, json, parseWith } from '../runtime/http.js';
import { productConfig } from '../runtime/product-config.js';

/**
 * GET /staff/reports?from=YYYY-MM-DD&to=YYYY-MM-DD (both inclusive, business time zone;
 * default: the current quarter) → the analysis of the complaints received in that period,
 * overall and by category, severity, channel and department. Analysts, supervisors and
 * managers. Aggregates only: no ids, no personal data.
 */

const { calendar, policy } = productConfig();

/** The longest period one request may analyse. */
export const MAX_PERIOD_DAYS = 400;

export const handler = apiHandler(async (event) => {
  requireStaff(event, 'reports');
  const q = parseWith(reportQuery, event.queryStringParameters ?? {});
  const now = clock().now();
  const zone = calendar.timeZone;
  const today = DateTime.fromJSDate(now, { zone });
  const given = (date: string | undefined) => (date ? DateTime.fromISO(date, { zone }) : undefined);
  const fromGiven = given(q.from);
  const toGiven = given(q.to);
  // a missing end: the quarter of the other end, or the current quarter
  const fromDay = fromGiven ?? (toGiven ?? today).startOf('quarter');
  const toDay = toGiven ?? (fromGiven ?? today).endOf('quarter').startOf('day');
  if (!fromDay.isValid || !toDay.isValid) {
    throw new ValidationError('Some fields are missing or invalid.', [
      { path: fromDay.isValid ? 'to' : 'from', message: 'Must be a calendar date like 2026-07-01.' },
    ]);
  }
  if (toDay < fromDay) {
    throw new ValidationError('Some fields are missing or invalid.', [
      { path: 'to', message: 'Must not be before `from`.' },
    ]);
  }
  const start = fromDay.startOf('day');
  const end = toDay.plus({ days: 1 }).startOf('day');
  if (end.diff(start, 'days').days > MAX_PERIOD_DAYS) {
    throw new ValidationError('Some fields are missing or invalid.', [
      { path: 'to', message: `The period may be at most ${MAX_PERIOD_DAYS} days.` },
    ]);
  }
  const from = start.toISO({ suppressMilliseconds: true }) as string;
  const to = end.toISO({ suppressMilliseconds: true }) as string;
  const complaints = await getStore().listCreatedBetween(from, to);
  const report = analyse({
    complaints,
    period: { from, to },
    now,
    calendar,
    repeatEscalationThreshold: policy.escalation.maxDeclinesOrReopens,
  });
  return json(200, {
    ...report,
    dates: { from: start.toISODate(), to: toDay.toISODate(), timeZone: zone },
  });
});
