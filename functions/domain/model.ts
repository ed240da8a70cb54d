/**
 * The complaint domain's vocabulary, shared by the API, the journey task handlers,
 * the local stack and the web pages. No AWS types here.
 */

/** The human steps and their stages: derived from the step catalogue (functions/domain/steps/). */
export { STAGE_OF_STEP, STEPS, type Step } from './steps/index.js';
export * from './vocabulary.js';

import type { CallTask } from './call-tasks.js';
import type { Step } from './steps/index.js';
import type { Category, Channel, Language, Outcome, Severity, StaffRole, Stage } from './vocabulary.js';

export type Actor =
  | { kind: 'customer' }
  | { kind: 'staff'; sub: string; role: StaffRole; department?: string; name?: string }
  | { kind: 'system' };

export interface Customer {
  name: string;
  email?: string;
  phone?: string;
  organization?: string;
  language: Language;
}

/** A deadline computed by the business calendar. */
export interface Deadline {
  /** ISO 8601 instant with offset, e.g. 2026-10-13T18:00:00+08:00 */
  dueAt: string;
  /** true when it relies on projected holidays of a year with no official notice yet */
  provisional: boolean;
}

/** The step a complaint waits on: written by the journey's await-step task. */
export interface PendingStep extends Deadline {
  step: Step;
  stage: Stage;
  /** Step Functions task token (up to 2048 characters). Never leaves the system. */
  taskToken: string;
  /** 0 until the first timeout; 1 = stage owner's supervisor, 2 = manager, 3+ = senior management */
  escalationLevel: number;
  /** when the step was opened (ISO instant) */
  since: string;
  /**
   * The step's own deadline, kept through its escalations (an escalation moves `dueAt` only;
   * an extension before any escalation moves both). "Overdue" means past this one. Absent on
   * steps opened before it existed: `dueAt` stands in.
   */
  firstDueAt?: string;
  /** set while an API call is resuming this step, so that two actions cannot both win */
  claimedBy?: string;
  /** when the owner is warned that the deadline is near (staff steps; policy `warning`) */
  warnAt?: string;
  /** when that warning went out (one per step and escalation level) */
  warnedAt?: string;
  /**
   * customer_decision: whether this is the wait after the one reminder (its timeout closes as
   * no response). Absent on steps opened before it was kept here: their last `step_opened`
   * event says (`data.reminder`).
   */
  reminder?: boolean;
}

export interface Investigation {
  valid: boolean;
  category: Category;
  severity: Severity;
  department?: string;
  /** internal: never shown to the customer */
  findings: string;
  /** the customer-facing opinion (the `rejected` email shows it); optional */
  opinion?: string;
}

export interface Proposal {
  plan: string;
  /** 1 for the first plan, +1 for each plan after a return, decline or reopen */
  round: number;
  proposedAt: string;
  approvedAt?: string;
  /** the supervisor's comment when it was returned */
  returnComment?: string;
  /** when the customer accepted this plan (the plan being carried out) */
  acceptedAt?: string;
  /** when the customer declined it */
  declinedAt?: string;
}

export interface Implementation {
  result: string;
  basis: string;
  suggestions?: string;
}

export interface Survey {
  rating: 1 | 2 | 3 | 4 | 5;
  comment?: string;
  answeredAt: string;
  /** 'customer' when the customer answered, 'staff' when recorded on their behalf */
  by: 'customer' | 'staff';
}

/**
 * One entry of what people said and decided on a complaint, in order, never overwritten: every
 * investigation, proposal version, review (with its comment), customer decision (with its
 * reason), implementation and survey. Staff see all of it; customers only their own words and
 * what the company told them (functions/domain/views.ts).
 */
export type RecordEntry = { at: string; actor: Actor } & (
  | {
      kind: 'investigation';
      valid: boolean;
      category: Category;
      severity: Severity;
      department?: string;
      /** internal */
      findings: string;
      /** told to the customer when not valid */
      opinion?: string;
    }
  | { kind: 'proposal'; round: number; plan: string }
  | { kind: 'review'; round: number; approved: boolean; comment?: string }
  | { kind: 'decision'; round: number; accept: boolean; comment?: string }
  | { kind: 'implementation'; result: string; basis: string; suggestions?: string }
  | { kind: 'survey'; step: Step; rating: Survey['rating']; by: Survey['by']; comment?: string }
  /** a follow-up call that found nobody (`attempt` in a row) */
  | { kind: 'unreachable'; step: Step; attempt: number; comment?: string }
);
export type RecordKind = RecordEntry['kind'];

/** When the complaint was received: `receivedAt` for backdated registrations, else `createdAt`. */
export function receivedAtOf(c: Pick<Complaint, 'receivedAt' | 'createdAt'>): string {
  return c.receivedAt ?? c.createdAt;
}

/** `record` with one more entry (the record only grows). */
export function withEntry(c: Pick<Complaint, 'record'>, entry: RecordEntry): RecordEntry[] {
  return [...(c.record ?? []), entry];
}

/**
 * The version of the plan the customer sees: 1 for the first plan shown to them, + 1 for each
 * plan approved after it (which only follows their decline or reopen). Internal rounds (a
 * supervisor's return) never show. Complaints without a record: 1 + declines + reopens.
 */
export function customerPlanVersion(c: Pick<Complaint, 'record' | 'declines' | 'reopens'>): number {
  if (!c.record) return 1 + c.declines + c.reopens;
  const approved = c.record.filter((e) => e.kind === 'review' && e.approved).length;
  return Math.max(1, approved);
}

export interface Complaint {
  /** Reference number and id in one: readable on the phone, e.g. "C2611-7K4Q-9XW2". */
  id: string;
  channel: Channel;
  customer: Customer;
  subject: string;
  description: string;
  category?: Category;
  severity?: Severity;
  department?: string;
  orderRef?: string;
  occurredAt?: string;
  stage: Stage;
  outcome?: Outcome;
  createdAt: string;
  /**
   * when a letter or referral registered by staff actually arrived (UTC ISO); absent: at
   * `createdAt`. The promised reply date and the first step's deadline count from it.
   */
  receivedAt?: string;
  /** the promised reply date (the profile's promisedReply after receipt, moved by extensions) */
  replyDueBy: string;
  replyDueProvisional: boolean;
  firstResponseAt?: string;
  closedAt?: string;
  investigation?: Investigation;
  proposal?: Proposal;
  implementation?: Implementation;
  survey?: Survey;
  /** what people said and decided, in order (absent on complaints from before it existed) */
  record?: RecordEntry[];
  pending?: PendingStep;
  declines: number;
  reopens: number;
  proposalRounds: number;
  escalations: number;
  /** the highest escalation level reached so far */
  maxEscalationLevel: number;
  /** an earlier complaint of the same customer within 90 days */
  repeat: boolean;
  /** set when a journey task failed past its retries */
  needsAttention?: boolean;
  /** optimistic-locking counter; every change and its audit event share it */
  version: number;
  registeredBy?: Actor;
  /** the named owner (a staff member) besides the department; set by POST /staff/complaints/{id}/assign */
  assignee?: Assignee;
  /** the deadline profile of config/policy.json chosen at registration (absent: "default") */
  profile?: string;
  /** the extensions (延期) granted so far, oldest first */
  extensions?: Extension[];
  /** notices to tell a customer without email by phone (functions/domain/call-tasks.ts), oldest first */
  callTasks?: CallTask[];
  /** follow-up calls in a row that found nobody (reset by an answer); at the policy's limit it closes */
  unreachableAttempts?: number;
}

/** A complaint's named owner: the staff member's id (Cognito `sub`) and display name when known. */
export interface Assignee {
  sub: string;
  name?: string;
  /**
   * their work address (the token's `email` claim, stored when they take the complaint
   * themselves): arrival notices and warnings go to them. Never shown in views.
   */
  email?: string;
}

/** One extension (延期) of the open step's deadline or of the promised reply date. */
export interface Extension {
  /** what was asked to move; a step capped at the reply date moves with it, and the other way round */
  target: 'step' | 'reply';
  /** the step open when it was granted */
  step?: Step;
  amount: number;
  unit: 'workingDays' | 'calendarDays' | 'hours' | 'workingHours';
  /** shown to the customer */
  reason: string;
  at: string;
  /** the staff member who granted it */
  actor: Actor;
  /** the open step's deadline before and after (when the step moved) */
  stepDueFrom?: string;
  stepDueAt?: string;
  /** the promised reply date before and after (when it moved) */
  replyDueFrom?: string;
  replyDueBy?: string;
}

/** One entry in a complaint's history. Internal fields never reach customers. */
export interface AuditEvent {
  complaintId: string;
  /** monotonic per complaint: equals the complaint version the change produced */
  seq: number;
  at: string;
  type: AuditEventType;
  stage: Stage;
  actor: Actor;
  /**
   * short machine-readable details; no personal data, except a `note_added` event's `text`
   * (the staff note itself, staff-only like the rest of the history)
   */
  data?: Record<string, unknown>;
}

export const AUDIT_EVENT_TYPES = [
  'registered',
  'acknowledged',
  'step_opened',
  'investigated',
  'rejected',
  'proposed',
  'approved',
  'returned',
  'accepted',
  'declined',
  'reminded',
  'implemented',
  'result_notified',
  'surveyed',
  'reopened',
  'escalated',
  'warned',
  'extended',
  'notification_sent',
  'notification_failed',
  'closed',
  'archived',
  'needs_attention',
  'action_refused',
  'attachment_added',
  'attachment_refused',
  'note_added',
  'assigned',
  'call_task_opened',
  'unreachable',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
