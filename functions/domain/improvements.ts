import type { WorkingHours } from './calendar/calendar.js';
import { ConflictError, WrongStageError } from './errors.js';
import type { Actor, Category } from './model.js';
import { newReference } from './reference.js';

/**
 * Improvement actions (seed 002 改进措施, seed 000 §4.2; SPEC "Analysis"): a manager or
 * analyst opens one from the analysis or from complaints; the responsible department works
 * on it and records progress; a manager reviews its effect (effective → verified; not
 * effective → back to work with a fresh deadline).
 *
 * Deadlines follow the journey's rules for a step: due in working days (the business
 * calendar), a warning to the department once the warning point passes (by default 80% of
 * the working time), and at the deadline an escalation chain — level 1 the department's
 * supervisor, level 2 the complaints manager, 3 and above senior management — each level
 * with a new deadline (1 working day). There is no timer per action: each action carries
 * `nextCheckAt`, the instant its next warning or escalation is due, and a scheduled check
 * (functions/scheduled/improvement-deadlines.ts) queries the due-date index for the actions
 * whose `nextCheckAt` has passed.
 *
 * Everything here is pure: the store port below persists it (one atomic write of the
 * action and its audit event, like complaints).
 */

export const IMPROVEMENT_STATUSES = ['open', 'in_progress', 'done', 'verified'] as const;
export type ImprovementStatus = (typeof IMPROVEMENT_STATUSES)[number];

/** Statuses in which the department is at work and the deadline runs. */
export const RUNNING: readonly ImprovementStatus[] = ['open', 'in_progress'];

export interface ProgressNote {
  at: string;
  by: Actor;
  status: 'in_progress' | 'done';
  note: string;
}

export interface EffectReview {
  at: string;
  by: Actor;
  effective: boolean;
  note: string;
}

export interface Improvement {
  /** e.g. I2611-7K4Q-9XW2 */
  id: string;
  title: string;
  description: string;
  department: string;
  category?: Category;
  complaintIds: string[];
  status: ImprovementStatus;
  createdAt: string;
  openedBy: Actor;
  dueInWorkingDays: number;
  /** the department's deadline (renewed when a review sends it back to work) */
  dueAt: string;
  provisional: boolean;
  /** the warning point before `dueAt` */
  warnAt: string;
  warned: boolean;
  /** 0 until the deadline is missed; then the level of the escalation chain reached */
  escalationLevel: number;
  /** the deadline of the current escalation level */
  escalationDueAt?: string;
  /** when the scheduled check next has something to do; absent unless the status is running */
  nextCheckAt?: string;
  progress: ProgressNote[];
  reviews: EffectReview[];
  verifiedAt?: string;
  version: number;
}

export const IMPROVEMENT_EVENT_TYPES = [
  'opened',
  'progress',
  'done',
  'verified',
  'back_to_work',
  'reminded',
  'escalated',
  /** an email about the action went out, or did not (functions/adapters/improvement-notifier.ts) */
  'notification_sent',
  'notification_failed',
] as const;
export type ImprovementEventType = (typeof IMPROVEMENT_EVENT_TYPES)[number];

export interface ImprovementEvent {
  improvementId: string;
  seq: number;
  at: string;
  type: ImprovementEventType;
  actor: Actor;
  /** short machine-readable details; no personal data */
  data?: Record<string, unknown>;
}

export interface ImprovementChange {
  set: Partial<Omit<Improvement, 'id' | 'version'>>;
  /** attributes to remove */
  remove?: (keyof Improvement)[];
  event: { type: ImprovementEventType; actor: Actor; data?: Record<string, unknown> };
}

export interface ImprovementQuery {
  status?: ImprovementStatus;
  department?: string;
}

/** The port through which improvement actions are stored (DynamoDB adapter: ../adapters/dynamodb). */
export interface ImprovementStore {
  /** Stores a new action (version 1) with its `opened` event. */
  create(improvement: Omit<Improvement, 'version'>): Promise<Improvement>;
  get(id: string): Promise<Improvement | undefined>;
  /** Like ComplaintStore.update: optimistic, one event per change; NotFoundError for an unknown id. */
  update(id: string, change: (current: Improvement) => ImprovementChange | undefined): Promise<Improvement>;
  /** By status (all when absent), earliest due first; department filter. */
  list(query: ImprovementQuery): Promise<Improvement[]>;
  /** Ids of the actions whose `nextCheckAt` is at or before `at` (the due-date index). */
  dueForCheck(at: string): Promise<string[]>;
  events(id: string): Promise<ImprovementEvent[]>;
}

/** Calendar arithmetic the actions need (the business calendar and a working-hours counter). */
export interface ImprovementClock {
  addWorkingDays(from: Date | string, n: number): { dueAt: string; provisional: boolean };
  workingHours: WorkingHours;
  /** share of the working time after which the department is warned (default 0.8) */
  warningFraction?: number;
  /** working days each escalation level gets (default 1) */
  escalationWorkingDays?: number;
}

export interface OpenInput {
  title: string;
  description: string;
  department: string;
  dueInWorkingDays: number;
  complaintIds?: string[];
  category?: Category;
}

const IMPROVEMENT_ID = /^I\d{2}(0[1-9]|1[0-2])-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function isImprovementId(value: string): boolean {
  return IMPROVEMENT_ID.test(value);
}

/**
 * The instant at which `fraction` of the working time between `from` and `to` has passed
 * (bisection over the working-hours counter; to the second). Natural time when the span has
 * no working time in it.
 */
export function warningPoint(from: string, to: string, fraction: number, hours: WorkingHours): string {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (!(b > a)) return new Date(b).toISOString();
  const total = hours(a, b);
  if (total <= 0) return new Date(a + (b - a) * fraction).toISOString();
  const target = total * fraction;
  // the first whole second at which the target is reached
  let lo = Math.floor(a / 1000);
  let hi = Math.ceil(b / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (hours(a, mid * 1000) >= target) hi = mid;
    else lo = mid;
  }
  return new Date(hi * 1000).toISOString();
}

function deadlines(from: Date, days: number, clock: ImprovementClock) {
  const due = clock.addWorkingDays(from, days);
  return {
    dueAt: due.dueAt,
    provisional: due.provisional,
    warnAt: warningPoint(from.toISOString(), due.dueAt, clock.warningFraction ?? 0.8, clock.workingHours),
  };
}

/** A new action, opened by `actor` at `now`. */
export function openImprovement(
  input: OpenInput,
  actor: Actor,
  now: Date,
  clock: ImprovementClock,
  id: string = `I${newReference(now).slice(1)}`,
): Omit<Improvement, 'version'> {
  const d = deadlines(now, input.dueInWorkingDays, clock);
  return {
    id,
    title: input.title,
    description: input.description,
    department: input.department,
    ...(input.category ? { category: input.category } : {}),
    complaintIds: [...new Set(input.complaintIds ?? [])],
    status: 'open',
    createdAt: now.toISOString(),
    openedBy: actor,
    dueInWorkingDays: input.dueInWorkingDays,
    ...d,
    warned: false,
    escalationLevel: 0,
    nextCheckAt: d.warnAt,
    progress: [],
    reviews: [],
  };
}

/** What the scheduled check waits for next while the department is at work. */
function nextCheck(
  i: Pick<Improvement, 'warned' | 'escalationLevel' | 'warnAt' | 'dueAt' | 'escalationDueAt'>,
) {
  if (i.escalationLevel > 0 && i.escalationDueAt) return i.escalationDueAt;
  return i.warned ? i.dueAt : i.warnAt;
}

/** The department records progress (`in_progress`) or that the action is done (`done`). */
export function recordProgress(
  current: Improvement,
  input: { status: 'in_progress' | 'done'; note: string },
  actor: Actor,
  now: Date,
): ImprovementChange {
  if (current.status === 'verified') {
    throw new WrongStageError('This improvement action is verified and closed; open a new one.');
  }
  const note: ProgressNote = { at: now.toISOString(), by: actor, status: input.status, note: input.note };
  const progress = [...current.progress, note];
  if (input.status === 'done') {
    return {
      set: { status: 'done', progress },
      remove: ['nextCheckAt'],
      event: { type: 'done', actor, data: { from: current.status } },
    };
  }
  return {
    set: { status: 'in_progress', progress, nextCheckAt: nextCheck(current) },
    event: { type: 'progress', actor, data: { from: current.status } },
  };
}

/** A manager reviews the effect of a done action. */
export function reviewEffect(
  current: Improvement,
  input: { effective: boolean; note: string },
  actor: Actor,
  now: Date,
  clock: ImprovementClock,
): ImprovementChange {
  if (current.status !== 'done') {
    throw new ConflictError(
      `Only a done action can be reviewed; this one is ${current.status.replace('_', ' ')}.`,
      'wrong_status',
    );
  }
  const at = now.toISOString();
  const reviews = [...current.reviews, { at, by: actor, effective: input.effective, note: input.note }];
  if (input.effective) {
    return {
      set: { status: 'verified', reviews, verifiedAt: at },
      remove: ['nextCheckAt'],
      event: { type: 'verified', actor },
    };
  }
  // back to work, with as many working days as it was first given
  const d = deadlines(now, current.dueInWorkingDays, clock);
  return {
    set: { status: 'in_progress', reviews, ...d, warned: false, escalationLevel: 0, nextCheckAt: d.warnAt },
    remove: ['escalationDueAt'],
    event: { type: 'back_to_work', actor, data: { dueAt: d.dueAt } },
  };
}

/** Who an escalation level goes to. */
export function escalationTarget(level: number): 'supervisor' | 'manager' | 'senior_management' {
  return level <= 1 ? 'supervisor' : level === 2 ? 'manager' : 'senior_management';
}

const SYSTEM: Actor = { kind: 'system' };

/**
 * The scheduled check of one action at `now`: a warning once its warning point passed, an
 * escalation to the next level once its (escalation) deadline passed; undefined when
 * nothing is due (not running, or checked already: idempotent under retries).
 */
export function checkDeadline(
  current: Improvement,
  now: Date,
  clock: ImprovementClock,
): ImprovementChange | undefined {
  if (!RUNNING.includes(current.status) || !current.nextCheckAt) return undefined;
  const nowMs = now.getTime();
  if (Date.parse(current.nextCheckAt) > nowMs) return undefined;
  const deadline = current.escalationLevel > 0 ? current.escalationDueAt : current.dueAt;
  if (deadline && Date.parse(deadline) <= nowMs) {
    const level = current.escalationLevel + 1;
    const next = clock.addWorkingDays(now, clock.escalationWorkingDays ?? 1);
    return {
      set: { escalationLevel: level, escalationDueAt: next.dueAt, warned: true, nextCheckAt: next.dueAt },
      event: {
        type: 'escalated',
        actor: SYSTEM,
        data: { level, to: escalationTarget(level), missedDueAt: deadline, dueAt: next.dueAt },
      },
    };
  }
  if (!current.warned) {
    return {
      set: { warned: true, nextCheckAt: current.dueAt },
      event: { type: 'reminded', actor: SYSTEM, data: { dueAt: current.dueAt, to: 'department' } },
    };
  }
  return undefined;
}

/** True when the department's deadline has passed and it is still at work. */
export function isOverdue(i: Pick<Improvement, 'status' | 'dueAt'>, now: Date): boolean {
  return RUNNING.includes(i.status) && Date.parse(i.dueAt) < now.getTime();
}
