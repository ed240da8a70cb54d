import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import * as z from 'zod';
import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { ValidationError } from '../domain/errors.js';
import { analyseStored } from '../domain/reports.js';
import { CODE_ZH, reportCsv } from '../domain/reports-csv.js';
import { requireStaff } from '../runtime/auth.js';
import { configDir } from '../runtime/env.js';
import { apiHandler, json, parseWith } from '../runtime/http.js';
import { deadlineConfig } from '../runtime/product-config.js';

/**
 * GET /staff/reports?from=YYYY-MM-DD&to=YYYY-MM-DD (both inclusive, in the business
 * calendar's time zone; default: the current quarter there) [&interval=week|month]
 * [&format=json|csv] [&lang=zh-CN|en] → the analysis of the complaints received in that
 * period, overall and by category, severity, channel and department; with `interval` a
 * series; and the steps open now at risk or breached. Analysts, supervisors and managers.
 * Figures only: the risk list names complaints by reference for supervisors and managers;
 * analysts get its counts (they do not open complaints). CSV: UTF-8 with a BOM.
 *
 * Reads the report records through the month index (key ranges of a few days, records only,
 * each page added to the running totals as it arrives) and the open steps' records through
 * the timers index: never a scan (docs/ARCHITECTURE.md).
 */

/** The longest period one request may analyse. */
export const MAX_PERIOD_DAYS = 400;

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Built on its first parse (z.lazy), not at import. */
const query = z.lazy(() =>
  z.object({
    from: optional(z.iso.date({ error: 'Must be a date like 2026-07-01.' })),
    to: optional(z.iso.date({ error: 'Must be a date like 2026-09-30.' })),
    interval: optional(z.enum(['week', 'month'], { error: 'Must be week or month.' })),
    format: optional(z.enum(['json', 'csv'], { error: 'Must be json or csv.' })),
    lang: optional(z.enum(['zh-CN', 'en'], { error: 'Must be zh-CN or en.' })),
  }),
);

/** Targets of the managers' view (`<config>/targets.json`, optional): `{measure: {min?, max?}}`. */
function loadTargets(): Record<string, { min?: number; max?: number }> {
  const file = path.join(configDir(), 'targets.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file} is not valid JSON`);
  }
  const targets: Record<string, { min?: number; max?: number }> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key.startsWith('$') || typeof value !== 'object' || value === null) continue;
    const { min, max } = value as { min?: unknown; max?: unknown };
    targets[key] = {
      ...(typeof min === 'number' ? { min } : {}),
      ...(typeof max === 'number' ? { max } : {}),
    };
  }
  return targets;
}

const targets = loadTargets();

/** Department names by id, from `<config>/departments.json` (read once at load). */
const departmentNames = new Map(
  (
    JSON.parse(readFileSync(path.join(configDir(), 'departments.json'), 'utf8')) as {
      departments?: { id: string; name?: Record<string, string> }[];
    }
  ).departments?.map((d) => [d.id, d.name ?? {}]) ?? [],
);

export const handler = apiHandler(async (event) => {
  const actor = requireStaff(event, 'reports');
  // the deadline policy and calendar: read once per container, on the first request (not at import)
  const { calendar, policy } = deadlineConfig();
  const workingHours = (a: number, b: number) => calendar.workingHoursBetween(a, b);
  const q = parseWith(query, event.queryStringParameters ?? {});
  const now = clock().now();
  const zone = calendar.timeZone;
  const today = DateTime.fromJSDate(now, { zone });
  const given = (date: string | undefined) => (date ? DateTime.fromISO(date, { zone }) : undefined);
  const fromGiven = given(q.from);
  const toGiven = given(q.to);
  // a missing end: the quarter of the other end, or the current quarter (in the calendar's zone)
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
  const report = await analyseStored(getStore(), {
    period: { from, to },
    now,
    calendar,
    workingHours,
    repeatEscalationThreshold: policy.escalation.maxDeclinesOrReopens,
    warning: policy.warning,
    ...(q.interval ? { interval: q.interval } : {}),
  });
  const dates = { from: start.toISODate() as string, to: toDay.toISODate() as string, timeZone: zone };
  if (q.format === 'csv') {
    const lang = q.lang ?? 'en';
    const label = (section: string, key: string) =>
      section === 'department'
        ? (departmentNames.get(key)?.[lang] ?? (lang === 'zh-CN' ? (CODE_ZH[key] ?? key) : key))
        : lang === 'zh-CN'
          ? (CODE_ZH[key] ?? key)
          : key;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="complaints-report-${dates.from}-${dates.to}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: reportCsv(report, lang, label),
    };
  }
  if (report.risk && actor.role === 'analyst') report.risk = { ...report.risk, items: [] };
  return json(200, { ...report, dates, targets });
});
