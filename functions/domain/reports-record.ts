import type { AuditEventType, Complaint } from './model.js';
import {
  type Category,
  type Channel,
  type Outcome,
  type Severity,
  STAGES,
  type Stage,
} from './vocabulary.js';

/**
 * The report record: the figures one complaint contributes to the analysis, and nothing
 * else — no name, contact, text or staff identity. The store keeps it next to the complaint
 * and rewrites it in the same atomic write as every change of the complaint (so it never
 * disagrees with the complaint), and the reports read only these records through the month
 * index, which projects only them (docs/ARCHITECTURE.md, "Reports").
 *
 * Instants are epoch seconds (compact, and no date parsing for 100,000 records).
 */
export interface ReportRecord {
  /** the reference (not personal data): the risk list links to the complaint */
  id: string;
  channel: Channel;
  category?: Category;
  severity?: Severity;
  department?: string;
  stage: Stage;
  outcome?: Outcome;
  /** when the complaint was registered */
  created: number;
  /**
   * when it was received, for a complaint registered late by an agent (`receivedAt`); absent
   * when that is `created`. The period, the series and the time to first response count from
   * the receipt (`receivedOf`), as the promised reply date does.
   */
  received?: number;
  replyDue: number;
  firstResponse?: number;
  closed?: number;
  repeat: boolean;
  /** investigated (valid or not) */
  investigated: boolean;
  /** supervisor returns of a plan (internal loop-backs) */
  returns: number;
  declines: number;
  reopens: number;
  escalations: number;
  /** escalation events by level: [level 1, level 2, level 3 and above] */
  levels: number[];
  /** every survey answer's rating, in order (a reopen keeps the earlier ones) */
  ratings: number[];
  /** when the last counted survey was answered (epoch seconds), so a rating counts once */
  ratedAt?: number;
  /** finished stage visits, flattened: stage index in STAGES, start, end; … */
  visits: number[];
  /** since when the complaint is in `stage` */
  stageSince: number;
  /** the open step, if any */
  /** `step` is a step name of the catalogue (functions/domain/steps/) */
  pending?: { step: string; since: number; due: number; level: number };
}

/** The attribute of the complaint item holding the record (and the only one the month index projects). */
export const REPORT_ATTRIBUTE = 'rp';

export const sec = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** The receipt instant of a record (epoch seconds): `received`, else `created`. */
export const receivedOf = (r: Pick<ReportRecord, 'created' | 'received'>): number => r.received ?? r.created;

/**
 * The record after a change: `next` is the complaint as written, `previous` the record
 * before it (undefined for a new complaint, or an item written before records existed),
 * `event` the change's audit event and `at` its instant.
 */
export function nextReportRecord(
  previous: ReportRecord | undefined,
  next: Complaint,
  event: { type: AuditEventType; data?: Record<string, unknown> },
  at: string,
): ReportRecord {
  const atSec = sec(at);
  const r: ReportRecord = {
    ...figures(next),
    returns: previous?.returns ?? 0,
    levels: previous ? [...previous.levels] : [0, 0, 0],
    ratings: previous ? [...previous.ratings] : [],
    ...(previous?.ratedAt !== undefined ? { ratedAt: previous.ratedAt } : {}),
    visits: previous ? [...previous.visits] : [],
    stageSince: previous?.stageSince ?? sec(next.createdAt),
  };
  if (!previous && next.survey) {
    r.ratings.push(next.survey.rating);
    r.ratedAt = sec(next.survey.answeredAt);
  }
  if (previous && next.stage !== previous.stage) {
    r.visits.push(STAGES.indexOf(previous.stage), previous.stageSince, atSec);
    r.stageSince = atSec;
  }
  if (previous && event.type === 'returned') r.returns += 1;
  if (event.type === 'escalated') {
    const level = Number(event.data?.level);
    if (Number.isInteger(level) && level >= 1) (r.levels[Math.min(level, 3) - 1] as number) += 1;
  }
  if (previous && next.survey && sec(next.survey.answeredAt) !== previous.ratedAt) {
    r.ratings.push(next.survey.rating);
    r.ratedAt = sec(next.survey.answeredAt);
  }
  return r;
}

/** The figures read straight off the complaint. */
function figures(
  c: Complaint,
): Omit<ReportRecord, 'returns' | 'levels' | 'ratings' | 'visits' | 'stageSince'> {
  const r: ReturnType<typeof figures> = {
    id: c.id,
    channel: c.channel,
    stage: c.stage,
    created: sec(c.createdAt),
    replyDue: sec(c.replyDueBy),
    repeat: c.repeat,
    investigated: c.investigation !== undefined || c.outcome === 'rejected',
    declines: c.declines,
    reopens: c.reopens,
    escalations: c.escalations,
  };
  if (c.receivedAt && sec(c.receivedAt) !== r.created) r.received = sec(c.receivedAt);
  if (c.category) r.category = c.category;
  if (c.severity) r.severity = c.severity;
  if (c.department) r.department = c.department;
  if (c.outcome) r.outcome = c.outcome;
  if (c.firstResponseAt) r.firstResponse = sec(c.firstResponseAt);
  if (c.closedAt) r.closed = sec(c.closedAt);
  if (c.pending) {
    r.pending = {
      step: c.pending.step,
      since: sec(c.pending.since),
      due: sec(c.pending.dueAt),
      level: c.pending.escalationLevel,
    };
  }
  return r;
}

/**
 * A record built from a complaint alone (no history): for complaints stored before records
 * existed, and for tests. Returns and the stage visits are unknown (0 and none); the
 * escalations count at the highest level reached.
 */
export function reportRecordOf(c: Complaint): ReportRecord {
  const levels = [0, 0, 0];
  if (c.escalations > 0 && c.maxEscalationLevel > 0)
    (levels[Math.min(c.maxEscalationLevel, 3) - 1] as number) += c.escalations;
  return {
    ...figures(c),
    returns: 0,
    levels,
    ratings: c.survey ? [c.survey.rating] : [],
    ...(c.survey ? { ratedAt: sec(c.survey.answeredAt) } : {}),
    visits: [],
    stageSince: sec(c.createdAt),
  };
}
