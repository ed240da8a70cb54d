import { localDayCounter, type WorkingHours } from './calendar/calendar.js';
import { DEFAULT_WARNING_FRACTION, type Policy, warningFraction, warningHours } from './policy.js';
import { type ReportRecord, receivedOf } from './reports-record.js';
import type { ComplaintStore } from './store.js';
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
 * - risk: steps open now, past their warning point (the policy's `warning`, as the step
 *   warnings job: by default 80% of the step's working time elapsed, or a number of working
 *   hours before the deadline) but not their deadline (`atRisk`), or past their deadline
 *   (`breached`).
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
  /**
   * the policy's `warning` (config/policy.json): a step is at risk from the instant its owner
   * is warned (default: 80% of its working time)
   */
  warning?: Policy['warning'];
}

/** The policy's default of `maxDeclinesOrReopens`. */
export const DEFAULT_REPEAT_ESCALATION_THRESHOLD = 2;
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

/**
 * A record reduced once to what every measure takes from it: the working-time arithmetic
 * (the costly part) runs once per record, not once per group the record falls in, and every
 * row has the same shape (records differ in their optional fields; rows do not), which keeps
 * the loop over 100,000 rows fast.
 */
class Row {
  /** bit i set: reached STAGES[i] */
  readonly reached: number;
  /** working hours of each finished stage pass: [stage index, hours, …]; empty without working hours */
  readonly passes: number[];
  /** hours from receipt to the first response; NaN when none */
  readonly responseHours: number;
  /** working days from receipt to the first response; NaN when none or without a calendar */
  readonly responseDays: number;
  readonly closed: boolean;
  readonly onTime: boolean;
  /** 1 answered or past the promised date (counts in timely handling's base), 0 not */
  readonly timelyBase: number;
  readonly timely: number;
  readonly outcome: number;
  constructor(
    readonly r: ReportRecord,
    nowSec: number,
    calendar: ReportInput['calendar'],
    hours: WorkingHours | undefined,
    threshold: number,
  ) {
    let reached = 1 << STAGES.indexOf(r.stage);
    const v = r.visits;
    const passes: number[] = [];
    for (let i = 0; i + 2 < v.length; i += 3) {
      const stage = v[i] as number;
      reached |= 1 << stage;
      if (hours) passes.push(stage, hours((v[i + 1] as number) * 1000, (v[i + 2] as number) * 1000));
    }
    this.reached = reached;
    this.passes = passes;
    const answered = r.firstResponse !== undefined;
    const received = receivedOf(r);
    this.responseHours = answered ? ((r.firstResponse as number) - received) / 3600 : Number.NaN;
    this.responseDays =
      answered && calendar
        ? calendar.workingDaysBetween(new Date(received * 1000), new Date((r.firstResponse as number) * 1000))
        : Number.NaN;
    this.closed = r.stage === 'closed';
    this.onTime = this.closed && deadlineEscalations(r, threshold) === 0;
    this.timelyBase = answered || r.replyDue < nowSec ? 1 : 0;
    this.timely = answered && (r.firstResponse as number) <= r.replyDue ? 1 : 0;
    this.outcome = this.closed && r.outcome ? OUTCOMES.indexOf(r.outcome) : -1;
  }
}

/** The running totals of one group of rows (the whole period, a category, a month, …). */
class Totals {
  rows = 0;
  closed = 0;
  outcomes: number[] = OUTCOMES.map(() => 0);
  levels = [0, 0, 0];
  returns = 0;
  declines = 0;
  reopens = 0;
  reached: number[] = STAGES.map(() => 0);
  passes: number[][] = STAGES.map(() => []);
  responseHours: number[] = [];
  responseDays: number[] = [];
  onTime = 0;
  timelyBase = 0;
  timely = 0;
  ratings = 0;
  ratingSum = 0;
  satisfied = 0;
  repeat = 0;
  resolved = 0;
  firstContact = 0;
  escalated = 0;
  investigated = 0;
  rejected = 0;

  add(row: Row): void {
    const r = row.r;
    this.rows += 1;
    if (row.closed) {
      this.closed += 1;
      if (row.outcome >= 0) (this.outcomes[row.outcome] as number) += 1;
      if (row.onTime) this.onTime += 1;
    }
    this.timelyBase += row.timelyBase;
    this.timely += row.timely;
    if (!Number.isNaN(row.responseHours)) {
      this.responseHours.push(row.responseHours);
      if (!Number.isNaN(row.responseDays)) this.responseDays.push(row.responseDays);
    }
    for (const rating of r.ratings) {
      this.ratings += 1;
      this.ratingSum += rating;
      if (rating >= 4) this.satisfied += 1;
    }
    if (r.repeat) this.repeat += 1;
    if (r.outcome === 'resolved') {
      this.resolved += 1;
      if (r.declines === 0 && r.reopens === 0) this.firstContact += 1;
    }
    if (r.escalations > 0) this.escalated += 1;
    const levels = this.levels;
    (levels[0] as number) += r.levels[0] ?? 0;
    (levels[1] as number) += r.levels[1] ?? 0;
    (levels[2] as number) += r.levels[2] ?? 0;
    if (r.investigated) this.investigated += 1;
    if (r.outcome === 'rejected') this.rejected += 1;
    this.returns += r.returns;
    this.declines += r.declines;
    this.reopens += r.reopens;
    for (let bits = row.reached, s = 0; bits !== 0; bits >>>= 1, s++)
      if (bits & 1) (this.reached[s] as number) += 1;
    const passes = row.passes;
    for (let i = 0; i + 1 < passes.length; i += 2)
      this.passes[passes[i] as number]?.push(passes[i + 1] as number);
  }

  measures(withCalendar: boolean, timed: boolean): Measures {
    const timeToFirstResponse: Measures['timeToFirstResponse'] = { hours: distribution(this.responseHours) };
    if (withCalendar) timeToFirstResponse.workingDays = distribution(this.responseDays);
    const measures: Measures = {
      complaints: this.rows,
      open: this.rows - this.closed,
      closed: this.closed,
      outcomes: Object.fromEntries(OUTCOMES.map((o, i) => [o, this.outcomes[i]])) as Record<Outcome, number>,
      timelyHandling: rate(this.timely, this.timelyBase),
      onTimeCompletion: rate(this.onTime, this.closed),
      satisfaction: {
        ...rate(this.satisfied, this.ratings),
        meanRating: this.ratings === 0 ? null : round(this.ratingSum / this.ratings, 2),
      },
      repeat: rate(this.repeat, this.rows),
      firstContactResolution: rate(this.firstContact, this.resolved),
      timeToFirstResponse,
      escalation: rate(this.escalated, this.rows),
      escalationsByLevel: {
        '1': this.levels[0] as number,
        '2': this.levels[1] as number,
        '3+': this.levels[2] as number,
      },
      rejected: rate(this.rejected, this.investigated),
      loopBacks: { returns: this.returns, declines: this.declines, reopens: this.reopens },
      reached: Object.fromEntries(STAGES.map((s, i) => [s, this.reached[i]])) as Record<Stage, number>,
    };
    if (timed) {
      measures.timeInStage = Object.fromEntries(
        TIMED_STAGES.map((s) => [s, distribution(this.passes[STAGES.indexOf(s)] ?? [])]),
      ) as Record<Exclude<Stage, 'closed'>, Distribution>;
    }
    return measures;
  }
}

/** The measures of a set of records (see the definitions above). */
export function measure(
  records: readonly ReportRecord[],
  now: Date,
  options: Pick<ReportInput, 'calendar' | 'workingHours' | 'repeatEscalationThreshold'> = {},
): Measures {
  const threshold = options.repeatEscalationThreshold ?? DEFAULT_REPEAT_ESCALATION_THRESHOLD;
  const totals = new Totals();
  const nowSec = now.getTime() / 1000;
  for (const r of records) totals.add(new Row(r, nowSec, options.calendar, options.workingHours, threshold));
  return totals.measures(options.calendar !== undefined, options.workingHours !== undefined);
}

/** Totals by group name, in one pass; `measuresOf` gives them sorted by name. */
class Groups {
  readonly byName = new Map<string, Totals>();
  add(name: string, row: Row): void {
    let totals = this.byName.get(name);
    if (!totals) {
      totals = new Totals();
      this.byName.set(name, totals);
    }
    totals.add(row);
  }
  measuresOf(measuresOf: (t: Totals) => Measures): Record<string, Measures> {
    return Object.fromEntries(
      [...this.byName.keys()].sort().map((k) => [k, measuresOf(this.byName.get(k) as Totals)]),
    );
  }
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
  warning: Policy['warning'] = { fraction: DEFAULT_WARNING_FRACTION },
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
    const elapsedHours = total > 0 ? measureOf(since, nowMs) : 0;
    const elapsed =
      total > 0 ? elapsedHours / total : due > since ? (nowMs - since) / (due - since) : nowMs >= due ? 1 : 0;
    // at risk from the warning instant of the step warnings job (policy.ts `warningInstant`)
    const warned =
      total > 0 ? elapsedHours >= warningHours(warning, total) : elapsed >= warningFraction(warning);
    let state: RiskItem['state'] | undefined;
    if (nowMs > due) state = 'breached';
    else if (warned) state = 'at_risk';
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

/** What the analysis takes besides the records: the period, the clock, the calendar, the policy. */
export type AnalysisOptions = Omit<ReportInput, 'records' | 'open'>;

/**
 * The analysis, fed one record at a time (`add`), in any order: each record is reduced to a
 * row and added to the running totals of every group it is in, then let go. So a report need
 * not hold the period's records (`report` gives the same figures as `analyse` over them: the
 * totals are counts, and each distribution is sorted before its mean and p90 are taken).
 */
export class Analysis {
  private readonly threshold: number;
  private readonly nowSec: number;
  private readonly bucket: ((sec: number) => string) | undefined;
  private readonly overall = new Totals();
  private readonly byCategory = new Groups();
  private readonly bySeverity = new Groups();
  private readonly byChannel = new Groups();
  private readonly byDepartment = new Groups();
  private readonly byBucket = new Groups();

  constructor(private readonly options: AnalysisOptions) {
    this.threshold = options.repeatEscalationThreshold ?? DEFAULT_REPEAT_ESCALATION_THRESHOLD;
    this.nowSec = options.now.getTime() / 1000;
    this.bucket = options.interval
      ? bucketer(options.interval, options.calendar?.timeZone ?? 'UTC')
      : undefined;
  }

  /** Adds one complaint received in the period. */
  add(r: ReportRecord): void {
    const row = new Row(r, this.nowSec, this.options.calendar, this.options.workingHours, this.threshold);
    this.overall.add(row);
    this.byCategory.add(r.category ?? UNSET.category, row);
    this.bySeverity.add(r.severity ?? UNSET.severity, row);
    this.byChannel.add(r.channel, row);
    this.byDepartment.add(r.department ?? UNSET.department, row);
    if (this.bucket) this.byBucket.add(this.bucket(receivedOf(r)), row);
  }

  /** The report of the records added so far (and of the steps open now, given `open`). */
  report(open?: readonly ReportRecord[]): Report {
    const { now, calendar, workingHours, interval, period } = this.options;
    const measuresOf = (t: Totals) => t.measures(calendar !== undefined, workingHours !== undefined);
    const report: Report = {
      period,
      generatedAt: now.toISOString(),
      overall: measuresOf(this.overall),
      byCategory: this.byCategory.measuresOf(measuresOf),
      bySeverity: this.bySeverity.measuresOf(measuresOf),
      byChannel: this.byChannel.measuresOf(measuresOf),
      byDepartment: this.byDepartment.measuresOf(measuresOf),
    };
    if (interval && this.bucket) {
      report.interval = interval;
      report.series = bucketsOf(period, this.bucket).map((start) => {
        const totals = this.byBucket.byName.get(start);
        return { start, measures: measuresOf(totals ?? new Totals()) };
      });
    }
    if (open) report.risk = risk(open, now, workingHours, this.options.warning);
    return report;
  }
}

/** The analysis of the complaints received in `period` (and of the steps open now, given `open`). */
export function analyse(input: ReportInput): Report {
  const { records, open, ...options } = input;
  const analysis = new Analysis(options);
  for (const r of records) analysis.add(r);
  return analysis.report(open);
}

/**
 * The analysis of the complaints `store` keeps as received in `options.period`, and of the
 * steps open now: the records are added as each page of them arrives (none kept), while the
 * open steps' records are read in parallel.
 */
export async function analyseStored(
  store: Pick<ComplaintStore, 'forEachReportRecord' | 'openReportRecords'>,
  options: AnalysisOptions,
): Promise<Report> {
  const analysis = new Analysis(options);
  const [, open] = await Promise.all([
    store.forEachReportRecord(options.period.from, options.period.to, (r) => analysis.add(r)),
    store.openReportRecords(),
  ]);
  return analysis.report(open);
}
