import type { BusinessCalendar } from './calendar/index.js';
import { type Complaint, OUTCOMES, type Outcome } from './model.js';

/**
 * The analysis of SPEC "Analysis" (seed 000 §4.1, seed 002 考核指标, seed 003 KPIs): a pure
 * function over the complaints received in a period. Aggregates only — no ids, no personal
 * data — so analysts may read it.
 *
 * Definitions (each rate carries its numerator and denominator, `rate` is null when the
 * denominator is 0):
 * - timelyHandling: first response at or before the promised reply date, among complaints
 *   answered, or unanswered with the promised date already past.
 * - onTimeCompletion: closed without any step deadline missed, among closed. A missed
 *   deadline is an escalation; the manager alerts for too many declines or reopens (beyond
 *   `repeatEscalationThreshold`) are escalations too, but no deadline was missed for them.
 * - satisfaction: rating 4–5 among answered surveys; meanRating over the same surveys.
 * - repeat: complaints with an earlier complaint of the same customer within 90 days.
 * - firstContactResolution: resolved with the first proposal (one round, no decline, no
 *   reopen), among resolved complaints.
 * - timeToFirstResponse: from receipt to the first response, in hours (mean, p90 by
 *   nearest rank), and in working days when a calendar is given.
 * - escalation: complaints escalated at least once, among all.
 * - rejected: closed as rejected (not valid), among complaints investigated (or rejected).
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
  rejected: Rate;
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
}

export interface ReportInput {
  complaints: readonly Complaint[];
  period: { from: string; to: string };
  now: Date;
  /** for working-day measures; hours only without it */
  calendar?: Pick<BusinessCalendar, 'workingDaysBetween'>;
  /**
   * the policy's `maxDeclinesOrReopens`: each decline / reopen beyond it escalated to the
   * manager without a missed deadline (default 2, the policy's default)
   */
  repeatEscalationThreshold?: number;
}

/** The policy's default of `maxDeclinesOrReopens`. */
export const DEFAULT_REPEAT_ESCALATION_THRESHOLD = 2;

/** Escalations for missed deadlines: all escalations less the repeat (declines / reopens) alerts. */
export function deadlineEscalations(
  c: Pick<Complaint, 'escalations' | 'declines' | 'reopens'>,
  repeatEscalationThreshold: number = DEFAULT_REPEAT_ESCALATION_THRESHOLD,
): number {
  const repeats =
    Math.max(0, c.declines - repeatEscalationThreshold) + Math.max(0, c.reopens - repeatEscalationThreshold);
  return Math.max(0, c.escalations - repeats);
}

/** Group names for complaints that have no value yet. */
export const UNSET = { category: 'uncategorized', severity: 'unassessed', department: 'unassigned' } as const;

const HOUR_MS = 3600 * 1000;

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
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)] as number;
  return { n: sorted.length, mean: round(mean, 2), p90: round(p90, 2) };
}

export function measure(
  complaints: readonly Complaint[],
  now: Date,
  calendar?: Pick<BusinessCalendar, 'workingDaysBetween'>,
  repeatEscalationThreshold: number = DEFAULT_REPEAT_ESCALATION_THRESHOLD,
): Measures {
  const nowMs = now.getTime();
  const closed = complaints.filter((c) => c.stage === 'closed');
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const c of closed) if (c.outcome) outcomes[c.outcome] += 1;

  const answered = complaints.filter((c) => c.firstResponseAt !== undefined);
  const timelyBase = complaints.filter(
    (c) => c.firstResponseAt !== undefined || Date.parse(c.replyDueBy) < nowMs,
  );
  const timely = timelyBase.filter(
    (c) => c.firstResponseAt !== undefined && Date.parse(c.firstResponseAt) <= Date.parse(c.replyDueBy),
  );

  const surveyed = complaints.filter((c) => c.survey !== undefined);
  const ratings = surveyed.map((c) => c.survey?.rating as number);
  const satisfied = ratings.filter((r) => r >= 4).length;

  const resolved = closed.filter((c) => c.outcome === 'resolved');
  const firstContact = resolved.filter((c) => c.proposalRounds <= 1 && c.reopens === 0 && c.declines === 0);

  const investigated = complaints.filter((c) => c.investigation !== undefined || c.outcome === 'rejected');
  const rejected = complaints.filter((c) => c.outcome === 'rejected');

  const hours = answered.map(
    (c) => (Date.parse(c.firstResponseAt as string) - Date.parse(c.createdAt)) / HOUR_MS,
  );
  const timeToFirstResponse: Measures['timeToFirstResponse'] = { hours: distribution(hours) };
  if (calendar) {
    timeToFirstResponse.workingDays = distribution(
      answered.map((c) => calendar.workingDaysBetween(c.createdAt, c.firstResponseAt as string)),
    );
  }

  return {
    complaints: complaints.length,
    open: complaints.length - closed.length,
    closed: closed.length,
    outcomes,
    timelyHandling: rate(timely.length, timelyBase.length),
    onTimeCompletion: rate(
      closed.filter((c) => deadlineEscalations(c, repeatEscalationThreshold) === 0).length,
      closed.length,
    ),
    satisfaction: {
      ...rate(satisfied, ratings.length),
      meanRating: ratings.length === 0 ? null : round(ratings.reduce((s, r) => s + r, 0) / ratings.length, 2),
    },
    repeat: rate(complaints.filter((c) => c.repeat).length, complaints.length),
    firstContactResolution: rate(firstContact.length, resolved.length),
    timeToFirstResponse,
    escalation: rate(complaints.filter((c) => c.escalations > 0).length, complaints.length),
    rejected: rate(rejected.length, investigated.length),
  };
}

function groupBy(
  complaints: readonly Complaint[],
  key: (c: Complaint) => string,
  now: Date,
  calendar?: ReportInput['calendar'],
  repeatEscalationThreshold?: number,
): Record<string, Measures> {
  const groups = new Map<string, Complaint[]>();
  for (const c of complaints) {
    const k = key(c);
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  return Object.fromEntries(
    [...groups.keys()]
      .sort()
      .map((k) => [k, measure(groups.get(k) as Complaint[], now, calendar, repeatEscalationThreshold)]),
  );
}

/** The analysis of the complaints received in `period`. */
export function analyse(input: ReportInput): Report {
  const { complaints, now, calendar } = input;
  const t = input.repeatEscalationThreshold;
  return {
    period: input.period,
    generatedAt: now.toISOString(),
    overall: measure(complaints, now, calendar, t),
    byCategory: groupBy(complaints, (c) => c.category ?? UNSET.category, now, calendar, t),
    bySeverity: groupBy(complaints, (c) => c.severity ?? UNSET.severity, now, calendar, t),
    byChannel: groupBy(complaints, (c) => c.channel, now, calendar, t),
    byDepartment: groupBy(complaints, (c) => c.department ?? UNSET.department, now, calendar, t),
  };
}
