import { localDayCounter, type WorkingHours } from './calendar/calendar.js';
import type { ReportRecord } from './reports-record.js';
import { OUTCOMES, type Outcome, STAGES, type Stage } from './vocabulary.js';

/**
 * The analysis of SPEC "Analysis" (seed 000 §4.1, seed 002 考核指标, seed 003 KPIs): a pure
 * function over the report records (reports-record.ts) of the complaints received in a
 * period, and of the steps open now. Figures only — no personal data; the risk list names
 * complaints by reference so that a manager can open them.
 *
 * Definitions (each rate carries its numerator and denominator, `rate` is null when the
 * denominator is 0):
 * - timelyHandling: first response at or before the promised reply date, among complaints
 *   answered, or unanswered with the promised date already past.
 * - onTimeCompletion: closed without any step deadline missed, among closed. A missed
 *   deadline is an escalation; the manager alerts for too many declines or reopens (beyond
 *   `repeatEscalationThreshold`) are escalations too, but no deadline was missed for them.
 * - satisfaction: rating 4–5 among every survey answered (a complaint reopened after a low
 *   rating and rated again counts both answers); meanRating over the same answers.
 * - repeat: complaints with an earlier complaint of the same customer within 90 days.
 * - firstContactResolution: resolved with the first plan the customer saw (no decline, no
 *   reopen), among resolved complaints. A supervisor's internal return of a plan does not
 *   count against it: the customer never saw the returned plan.
 * - timeToFirstResponse: from receipt to the first response, in hours (mean, p90 by
 *   nearest rank), and in working days when a calendar is given.
 * - escalation: complaints escalated at least once, among all; escalationsByLevel counts the
 *   escalation events by level (1, 2, 3 and above).
 * - rejected: closed as rejected (not valid), among complaints investigated (or rejected).
 * - loopBacks: supervisor returns (review → proposal), customer declines
 *   (customer decision → proposal) and reopens (follow-up → proposal), as events.
 * - reached: complaints that reached each stage (the funnel).
 * - timeInStage: each finished pass through a stage, in working hours (mean, p90).
 * - risk: steps open now, past their warning point (by default 80% of the step's working
 *   time elapsed) but not their deadline (`atRisk`), or past their deadline (`breached`).
 */

export interface Rate {
  count: number;
  of: number;
  rate: number | null;
}

export interface Distribution {
  n: number;
  mean: number | null;
  p90: number | null;
}

/** Stages a complaint spends time in (not `closed`). */
export const TIMED_STAGES = STAGES.filter((s) => s !== 'closed') as Exclude<Stage, 'closed'>[];

export interface Measures {
  complaints: number;
  open: number;
  closed: number;
  outcomes: Record<Outcome, number>;
  timelyHandling: Rate;
  onTimeCompletion: Rate;
  satisfaction: Rate & { meanRating: number | null };
  repeat: Rate;
  firstContactResolution: Rate;
  timeToFirstResponse: { hours: Distribution; workingDays?: Distribution };
  escalation: Rate;
  escalationsByLevel: { '1': number; '2': number; '3+': number };
  rejected: Rate;
  loopBacks: { returns: number; declines: number; reopens: number };
  reached: Record<Stage, number>;
  /** working hours per finished pass through a stage; absent without a working-hours function */
  timeInStage?: Record<Exclude<Stage, 'closed'>, Distribution>;
}

export interface RiskItem {
  id: string;
  step: string;
  stage: Stage;
  state: 'at_risk' | 'breached';
  department?: string;
  category?: string;
  severity?: string;
  since: string;
  dueAt: string;
  level: number;
  /** share of the step's working time elapsed (1 = due now) */
  elapsed: number | null;
}

export interface Risk {
  open: number;
  atRisk: number;
  breached: number;
  byStage: Record<string, { open: number; atRisk: number; breached: number }>;
  /** the at-risk and breached steps, most overdue first (at most `RISK_LIST_LIMIT`) */
  items: RiskItem[];
  truncated: boolean;
}

export interface SeriesPoint {
  /** first local date of the week (Monday) or month */
  start: string;
  measures: Measures;
}

export interface Report {
  /** the instants [from, to) the complaints were received in */
  period: { from: string; to: string };
  generatedAt: string;
  overall: Measures;
  byCategory: Record<string, Measures>;
  bySeverity: Record<string, Measures>;
  byChannel: Record<string, Measures>;
  byDepartment: Record<string, Measures>;
  interval?: 'week' | 'month';
  series?: SeriesPoint[];
  risk?: Risk;
}

export interface ReportInput {
  records: readonly ReportRecord[];
  period: { from: string; to: string };
  now: Date;
  /** for working-day measures; hours only without it */
  calendar?: { workingDaysBetween(from: Date, to: Date): number; timeZone: string };
  /** working hours between two instants: time in stage and the risk's warning point */
  workingHours?: WorkingHours;
  /** the policy's `maxDeclinesOrReopens` (default 2) */
  repeatEscalationThreshold?: number;
  interval?: 'week' | 'month';
  /** the report records of the steps open now (the risk section) */
  open?: readonly ReportRecord[];
  /** share of a step's working time after which it is at risk (default 0.8) */
  warningFraction?: number;
}

/** The policy's default of `maxDeclinesOrReopens`. */
export const DEFAULT_REPEAT_ESCALATION_THRESHOLD = 2;
export const DEFAULT_WARNING_FRACTION = 0.8;
export const RISK_LIST_LIMIT = 500;

/** Escalations for missed deadlines: all escalations less the repeat (declines / reopens) alerts. */
export function deadlineEscalations(
  c: Pick<ReportRecord, 'escalations' | 'declines' | 'reopens'>,
  repeatEscalationThreshold: number = DEFAULT_REPEAT_ESCALATION_THRESHOLD,
): number {
  const repeats =
    Math.max(0, c.declines - repeatEscalationThreshold) + Math.max(0, c.reopens - repeatEscalationThreshold);
  return Math.max(0, c.escalations - repeats);
}

/** Group names for complaints that have no value yet. */
export const UNSET = { category: 'uncategorized', severity: 'unassessed', department: 'unassigned' } as const;

function rate(count: number, of: number): Rate {
  return { count, of, rate: of === 0 ? null : round(count / of, 4) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** n, mean and nearest-rank 90th percentile. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { n: 0, mean: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)] as number;
  return { n: sorted.length, mean: round(sum / sorted.length, 2), p90: round(p90, 2) };
}

/** A record with what the analysis derives from it once (working hours are the costly part). */
interface Row {
  r: ReportRecord;
  /** working hours of each finished stage pass: [stage index, hours, …] */
  passes?: number[];
  /** stage indexes reached */
  reached: Set<number>;
}

function rowOf(r: ReportRecord, hours?: WorkingHours): Row {
  const reached = new Set<number>([STAGES.indexOf(r.stage)]);
  const v = r.visits;
  let passes: number[] | undefined;
  if (hours) passes = [];
  for (let i = 0; i + 2 < v.length; i += 3) {
    const stage = v[i] as number;
    reached.add(stage);
    if (passes) passes.push(stage, hours?.((v[i + 1] as number) * 1000, (v[i + 2] as number) * 1000) ?? 0);
  }
  return { r, reached, ...(passes ? { passes } : {}) };
}

function measureRows(
  rows: readonly Row[],
  now: Date,
  calendar: ReportInput['calendar'],
  threshold: number,
  timed: boolean,
): Measures {
  const nowSec = now.getTime() / 1000;
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const levels = { '1': 0, '2': 0, '3+': 0 };
  const loopBacks = { returns: 0, declines: 0, reopens: 0 };
  const reached = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  const passes: number[][] = STAGES.map(() => []);
  const responseHours: number[] = [];
  const responseDays: number[] = [];
  let closed = 0;
  let onTime = 0;
  let timelyBase = 0;
  let timely = 0;
  let ratings = 0;
  let ratingSum = 0;
  let satisfied = 0;
  let repeat = 0;
  let resolved = 0;
  let firstContact = 0;
  let escalated = 0;
  let investigated = 0;
  let rejected = 0;
  for (const row of rows) {
    const r = row.r;
    if (r.stage === 'closed') {
      closed += 1;
      if (r.outcome) outcomes[r.outcome] += 1;
      if (deadlineEscalations(r, threshold) === 0) onTime += 1;
    }
    if (r.firstResponse !== undefined || r.replyDue < nowSec) {
      timelyBase += 1;
      if (r.firstResponse !== undefined && r.firstResponse <= r.replyDue) timely += 1;
    }
    if (r.firstResponse !== undefined) {
      responseHours.push((r.firstResponse - r.created) / 3600);
      if (calendar)
        responseDays.push(
          calendar.workingDaysBetween(new Date(r.created * 1000), new Date(r.firstResponse * 1000)),
        );
    }
    for (const rating of r.ratings) {
      ratings += 1;
      ratingSum += rating;
      if (rating >= 4) satisfied += 1;
    }
    if (r.repeat) repeat += 1;
    if (r.outcome === 'resolved') {
      resolved += 1;
      if (r.declines === 0 && r.reopens === 0) firstContact += 1;
    }
    if (r.escalations > 0) escalated += 1;
    levels['1'] += r.levels[0] ?? 0;
    levels['2'] += r.levels[1] ?? 0;
    levels['3+'] += r.levels[2] ?? 0;
    if (r.investigated) investigated += 1;
    if (r.outcome === 'rejected') rejected += 1;
    loopBacks.returns += r.returns;
    loopBacks.declines += r.declines;
    loopBacks.reopens += r.reopens;
    for (const s of row.reached) reached[STAGES[s] as Stage] += 1;
    if (row.passes) {
      for (let i = 0; i + 1 < row.passes.length; i += 2)
        passes[row.passes[i] as number]?.push(row.passes[i + 1] as number);
    }
  }
  const timeToFirstResponse: Measures['timeToFirstResponse'] = { hours: distribution(responseHours) };
  if (calendar) timeToFirstResponse.workingDays = distribution(responseDays);
  const measures: Measures = {
    complaints: rows.length,
    open: rows.length - closed,
    closed,
    outcomes,
    timelyHandling: rate(timely, timelyBase),
    onTimeCompletion: rate(onTime, closed),
    satisfaction: {
      ...rate(satisfied, ratings),
      meanRating: ratings === 0 ? null : round(ratingSum / ratings, 2),
    },
    repeat: rate(repeat, rows.length),
    firstContactResolution: rate(firstContact, resolved),
    timeToFirstResponse,
    escalation: rate(escalated, rows.length),
    escalationsByLevel: levels,
    rejected: rate(rejected, investigated),
    loopBacks,
    reached,
  };
  if (timed) {
    measures.timeInStage = Object.fromEntries(
      TIMED_STAGES.map((s) => [s, distribution(passes[STAGES.indexOf(s)] ?? [])]),
    ) as Record<Exclude<Stage, 'closed'>, Distribution>;
  }
  return measures;
}

/** The measures of a set of records (see the definitions above). */
export function measure(
  records: readonly ReportRecord[],
  now: Date,
  options: Pick<ReportInput, 'calendar' | 'workingHours' | 'repeatEscalationThreshold'> = {},
): Measures {
  return measureRows(
    records.map((r) => rowOf(r, options.workingHours)),
    now,
    options.calendar,
    options.repeatEscalationThreshold ?? DEFAULT_REPEAT_ESCALATION_THRESHOLD,
    options.workingHours !== undefined,
  );
}

function groupBy(
  rows: readonly Row[],
  key: (r: ReportRecord) => string,
  measureOf: (rows: Row[]) => Measures,
): Record<string, Measures> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const k = key(row.r);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, measureOf(groups.get(k) as Row[])]));
}

/** Local date (YYYY-MM-DD) of a local day number. */
const dateOfDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The bucket (first local date of the week or month) of each instant, in `timeZone`. */
export function bucketer(interval: 'week' | 'month', timeZone: string): (sec: number) => string {
  const dayOf = localDayCounter(timeZone);
  return (sec) => {
    const day = dayOf(sec * 1000);
    if (interval === 'month') return `${dateOfDay(day).slice(0, 7)}-01`;
    // 1970-01-01 was a Thursday: ISO weekday (Mon = 0 here) of day d is (d + 3) mod 7
    return dateOfDay(day - ((day + 3) % 7));
  };
}

/** Every bucket start from the period's first to its last (empty ones included). */
function bucketsOf(period: { from: string; to: string }, bucket: (sec: number) => string): string[] {
  const starts: string[] = [];
  const from = Date.parse(period.from) / 1000;
  const to = Date.parse(period.to) / 1000;
  for (let t = from; t < to; t += 86_400) {
    const b = bucket(t);
    if (starts.at(-1) !== b) starts.push(b);
  }
  return starts;
}

/** The risk section: steps open now, past the warning point or the deadline. */
export function risk(
  open: readonly ReportRecord[],
  now: Date,
  workingHours?: WorkingHours,
  warningFraction: number = DEFAULT_WARNING_FRACTION,
): Risk {
  const nowMs = now.getTime();
  const byStage: Risk['byStage'] = {};
  const items: RiskItem[] = [];
  let count = 0;
  for (const r of open) {
    const p = r.pending;
    if (!p || r.stage === 'closed') continue;
    count += 1;
    const stage = byStage[r.stage] ?? { open: 0, atRisk: 0, breached: 0 };
    byStage[r.stage] = stage;
    stage.open += 1;
    const since = p.since * 1000;
    const due = p.due * 1000;
    const measureOf = workingHours ?? ((a: number, b: number) => Math.max(0, b - a) / 3_600_000);
    const total = measureOf(since, due);
    // a step with no working time in it (opened after hours, due the same evening): natural time
    const elapsed =
      total > 0
        ? measureOf(since, nowMs) / total
        : due > since
          ? (nowMs - since) / (due - since)
          : nowMs >= due
            ? 1
            : 0;
    let state: RiskItem['state'] | undefined;
    if (nowMs > due) state = 'breached';
    else if (elapsed >= warningFraction) state = 'at_risk';
    if (!state) continue;
    if (state === 'breached') stage.breached += 1;
    else stage.atRisk += 1;
    items.push({
      id: r.id,
      step: p.step,
      stage: r.stage,
      state,
      ...(r.department ? { department: r.department } : {}),
      ...(r.category ? { category: r.category } : {}),
      ...(r.severity ? { severity: r.severity } : {}),
      since: new Date(since).toISOString(),
      dueAt: new Date(due).toISOString(),
      level: p.level,
      elapsed: Number.isFinite(elapsed) ? round(elapsed, 3) : null,
    });
  }
  items.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : 1));
  const breached = items.filter((i) => i.state === 'breached').length;
  return {
    open: count,
    atRisk: items.length - breached,
    breached,
    byStage,
    items: items.slice(0, RISK_LIST_LIMIT),
    truncated: items.length > RISK_LIST_LIMIT,
  };
}

/** The analysis of the complaints received in `period` (and of the steps open now, given `open`). */
export function analyse(input: ReportInput): Report {
  const { now, calendar } = input;
  const threshold = input.repeatEscalationThreshold ?? DEFAULT_REPEAT_ESCALATION_THRESHOLD;
  const rows = input.records.map((r) => rowOf(r, input.workingHours));
  const measureOf = (group: readonly Row[]) =>
    measureRows(group, now, calendar, threshold, input.workingHours !== undefined);
  const report: Report = {
    period: input.period,
    generatedAt: now.toISOString(),
    overall: measureOf(rows),
    byCategory: groupBy(rows, (r) => r.category ?? UNSET.category, measureOf),
    bySeverity: groupBy(rows, (r) => r.severity ?? UNSET.severity, measureOf),
    byChannel: groupBy(rows, (r) => r.channel, measureOf),
    byDepartment: groupBy(rows, (r) => r.department ?? UNSET.department, measureOf),
  };
  if (input.interval) {
    const bucket = bucketer(input.interval, calendar?.timeZone ?? 'UTC');
    const groups = groupBy(rows, (r) => bucket(r.created), measureOf);
    report.interval = input.interval;
    report.series = bucketsOf(input.period, bucket).map((start) => ({
      start,
      measures: groups[start] ?? measureOf([]),
    }));
  }
  if (input.open) report.risk = risk(input.open, now, input.workingHours, input.warningFraction);
  return report;
}
