import { type Attachment, customerMaySee } from './attachments.js';
import type {
  Actor,
  Assignee,
  AuditEvent,
  AuditEventType,
  Category,
  Channel,
  Complaint,
  Language,
  Outcome,
  PendingStep,
  RecordEntry,
  Severity,
  Stage,
  Step,
} from './model.js';
import { customerPlanVersion } from './model.js';
import { CATALOGUE, stepDefinition } from './steps/index.js';
import type { ComplaintSummary } from './store.js';

/**
 * What each audience may see of a complaint. Customers: status, dates, a timeline without
 * internal events, the proposal only once approved and awaiting their decision, the
 * result once implemented — never findings, internal notes, comments of staff, handler
 * identities or task tokens. Staff: the record and its history, without task tokens.
 * Analysts: no personal data at all.
 */

/** The customer-facing status: `open` until closed, then the outcome. */
export type CustomerStatus = 'open' | Outcome;

export function statusOf(complaint: Pick<Complaint, 'stage' | 'outcome'>): CustomerStatus {
  if (complaint.stage !== 'closed') return 'open';
  return complaint.outcome ?? 'resolved';
}

/** Timeline entries a customer sees, by audit event type (the rest are internal). */
const CUSTOMER_EVENTS: Partial<Record<AuditEventType, string>> = {
  registered: 'received',
  acknowledged: 'acknowledged',
  investigated: 'investigated',
  rejected: 'rejected',
  approved: 'proposal_ready',
  accepted: 'proposal_accepted',
  declined: 'proposal_declined',
  reminded: 'reminder_sent',
  implemented: 'implemented',
  result_notified: 'result_sent',
  surveyed: 'feedback_received',
  reopened: 'reopened',
  closed: 'closed',
  extended: 'extended',
};

export interface CustomerTimelineEntry {
  at: string;
  /** received, acknowledged, investigated, rejected, proposal_ready, proposal_accepted, … */
  event: string;
  stage: Stage;
}

export interface CustomerView {
  id: string;
  status: CustomerStatus;
  stage: Stage;
  outcome?: Outcome;
  channel: Channel;
  subject: string;
  createdAt: string;
  /** the promised reply date */
  replyDueBy: string;
  replyDueProvisional: boolean;
  firstResponseAt?: string;
  closedAt?: string;
  /** what the customer is asked to do now, with its deadline */
  awaiting?: { action: 'decision' | 'survey'; dueAt: string };
  /** the approved proposal, only while it awaits the customer's decision */
  proposal?: { plan: string; round: number; approvedAt: string };
  /** the implemented solution, as emailed to the customer */
  result?: { result: string; basis: string; suggestions?: string };
  /** the customer's own rating */
  rating?: number;
  /** the latest extension (延期): the new date and the reason the customer was told */
  extension?: { dueAt: string; reason: string; at: string };
  /** the complaint's language */
  language: Language;
  /** the customer's own words */
  description: string;
  /** the plan the customer accepted (the one being or been carried out) */
  acceptedPlan?: { plan: string; round: number; acceptedAt: string };
  /** the investigation's opinion, as emailed, when the complaint was found not valid */
  opinion?: string;
  /**
   * What the company told the customer and what they answered, in order: approved plans,
   * their decisions (with their reason), the rejection opinion, results, their surveys.
   * Never findings, unapproved plans, review comments or who handled it.
   */
  messages: CustomerMessage[];
  timeline: CustomerTimelineEntry[];
}

export type CustomerMessage = { at: string } & (
  | { from: 'company'; kind: 'opinion'; opinion: string }
  | { from: 'company'; kind: 'proposal'; plan: string }
  | { from: 'company'; kind: 'result'; result: string; basis: string; suggestions?: string }
  | { from: 'customer'; kind: 'decision'; accept: boolean; comment?: string }
  | { from: 'customer'; kind: 'survey'; rating: number; comment?: string }
);

/** The customer's part of the record: what they said and what the company told them. */
export function customerMessages(record: readonly RecordEntry[] | undefined): CustomerMessage[] {
  const entries = record ?? [];
  const messages: CustomerMessage[] = [];
  entries.forEach((e, i) => {
    switch (e.kind) {
      case 'investigation':
        if (!e.valid && e.opinion)
          messages.push({ at: e.at, from: 'company', kind: 'opinion', opinion: e.opinion });
        return;
      case 'review': {
        if (!e.approved) return;
        // the plan this review approved: the latest proposal before it
        const plan = entries
          .slice(0, i)
          .findLast((p): p is Extract<RecordEntry, { kind: 'proposal' }> => p.kind === 'proposal');
        if (plan) messages.push({ at: e.at, from: 'company', kind: 'proposal', plan: plan.plan });
        return;
      }
      case 'decision':
        messages.push({
          at: e.at,
          from: 'customer',
          kind: 'decision',
          accept: e.accept,
          ...(e.comment ? { comment: e.comment } : {}),
        });
        return;
      case 'implementation':
        messages.push({
          at: e.at,
          from: 'company',
          kind: 'result',
          result: e.result,
          basis: e.basis,
          ...(e.suggestions ? { suggestions: e.suggestions } : {}),
        });
        return;
      case 'survey':
        messages.push({
          at: e.at,
          from: 'customer',
          kind: 'survey',
          rating: e.rating,
          ...(e.comment ? { comment: e.comment } : {}),
        });
        return;
      default:
        return; // proposals before approval: internal
    }
  });
  return messages;
}

export function customerView(complaint: Complaint, events: readonly AuditEvent[]): CustomerView {
  const pending = complaint.pending;
  const view: CustomerView = {
    id: complaint.id,
    status: statusOf(complaint),
    stage: complaint.stage,
    channel: complaint.channel,
    subject: complaint.subject,
    createdAt: complaint.createdAt,
    replyDueBy: complaint.replyDueBy,
    replyDueProvisional: complaint.replyDueProvisional,
    language: complaint.customer.language,
    description: complaint.description,
    messages: customerMessages(complaint.record),
    timeline: customerTimeline(events),
  };
  const proposal = complaint.proposal;
  if (proposal?.acceptedAt)
    view.acceptedPlan = {
      plan: proposal.plan,
      round: customerPlanVersion(complaint),
      acceptedAt: proposal.acceptedAt,
    };
  if (complaint.investigation && !complaint.investigation.valid && complaint.investigation.opinion)
    view.opinion = complaint.investigation.opinion;
  if (complaint.outcome) view.outcome = complaint.outcome;
  if (complaint.firstResponseAt) view.firstResponseAt = complaint.firstResponseAt;
  if (complaint.closedAt) view.closedAt = complaint.closedAt;
  const extension = complaint.extensions?.at(-1);
  if (extension)
    view.extension = {
      dueAt: extension.replyDueBy ?? extension.stepDueAt ?? complaint.replyDueBy,
      reason: extension.reason,
      at: extension.at,
    };
  // what each step lets the customer see (the step catalogue's `customerView`)
  if (pending)
    Object.assign(view, stepDefinition(pending.step)?.customerView?.whilePending?.(complaint, pending));
  for (const step of CATALOGUE) Object.assign(view, step.customerView?.recorded?.(complaint));
  return view;
}

export function customerTimeline(events: readonly AuditEvent[]): CustomerTimelineEntry[] {
  const entries: CustomerTimelineEntry[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const event = CUSTOMER_EVENTS[e.type];
    if (event) entries.push({ at: e.at, event, stage: e.stage });
  }
  return entries;
}

/** The pending step as staff see it: never the task token. */
export interface StaffPendingView {
  step: Step;
  stage: Stage;
  /** the current deadline (an escalation's, once escalated) */
  dueAt: string;
  provisional: boolean;
  /** the step's own deadline, kept through its escalations */
  firstDueAt: string;
  escalationLevel: number;
  since: string;
  /** somebody is resuming it right now */
  claimed: boolean;
  /** past the step's first deadline, escalated or not */
  overdue: boolean;
  /** the owner is (or is due to be) warned: past the warning time, not yet past the deadline */
  atRisk: boolean;
  /** the pre-breach warning time (staff steps) */
  warnAt?: string;
}

export function staffPendingView(pending: PendingStep, now: Date): StaffPendingView {
  const firstDueAt = pending.firstDueAt ?? pending.dueAt;
  return {
    step: pending.step,
    stage: pending.stage,
    dueAt: pending.dueAt,
    provisional: pending.provisional,
    firstDueAt,
    escalationLevel: pending.escalationLevel,
    since: pending.since,
    claimed: pending.claimedBy !== undefined,
    overdue: Date.parse(firstDueAt) < now.getTime(),
    atRisk:
      pending.warnAt !== undefined &&
      Date.parse(pending.warnAt) <= now.getTime() &&
      Date.parse(pending.dueAt) >= now.getTime(),
    ...(pending.warnAt ? { warnAt: pending.warnAt } : {}),
  };
}

/**
 * One escalation of the complaint, as its audit event recorded it: a missed deadline
 * (`timeout`: the step, the deadline missed and the new one) or repeated declines / reopens
 * (`count` of them; the manager is told, level 2).
 */
export interface StaffEscalation {
  at: string;
  level: number;
  reason: 'timeout' | 'declines' | 'reopens';
  step?: Step;
  count?: number;
  missedDueAt?: string;
  dueAt?: string;
}

/** Every escalation of the complaint in order, past and current, from its audit events. */
export function staffEscalations(events: readonly AuditEvent[]): StaffEscalation[] {
  return [...events]
    .sort((a, b) => a.seq - b.seq)
    .filter((e) => e.type === 'escalated')
    .map((e) => {
      const d = e.data ?? {};
      const reason = d.reason === 'declines' || d.reason === 'reopens' ? d.reason : 'timeout';
      return {
        at: e.at,
        level: Number.isInteger(d.level) ? (d.level as number) : 1,
        reason,
        ...(typeof d.step === 'string' ? { step: d.step as Step } : {}),
        ...(typeof d.count === 'number' ? { count: d.count } : {}),
        ...(typeof d.missedDueAt === 'string' ? { missedDueAt: d.missedDueAt } : {}),
        ...(typeof d.dueAt === 'string' ? { dueAt: d.dueAt } : {}),
      };
    });
}

export type StaffView = Omit<Complaint, 'pending'> & {
  status: CustomerStatus;
  pending?: StaffPendingView;
  /** the highest escalation level the complaint ever reached (0: never escalated) */
  maxEscalationLevel: number;
  /** with the history: each escalation, including repeated declines / reopens and past ones */
  escalationHistory?: StaffEscalation[];
  history?: AuditEvent[];
};

/** The full record for staff (agent, department, supervisor, manager), with its history. */
export function staffView(complaint: Complaint, now: Date, events?: readonly AuditEvent[]): StaffView {
  const { pending, assignee, ...rest } = complaint;
  const escalations = events ? staffEscalations(events) : undefined;
  return {
    ...rest,
    ...(assignee ? { assignee: publicAssignee(assignee) } : {}),
    status: statusOf(complaint),
    ...(pending ? { pending: staffPendingView(pending, now) } : {}),
    maxEscalationLevel: Math.max(
      complaint.maxEscalationLevel ?? 0,
      pending?.escalationLevel ?? 0,
      ...(escalations ?? []).map((e) => e.level),
    ),
    ...(escalations ? { escalationHistory: escalations } : {}),
    ...(events ? { history: [...events].sort((a, b) => a.seq - b.seq) } : {}),
  };
}

/** Another complaint of the same customer, as the staff view links it. */
export interface RelatedComplaint {
  id: string;
  /** the reference number (the id, as staff read it out) */
  reference: string;
  stage: Stage;
  outcome?: Outcome;
  createdAt: string;
}

export function relatedComplaint(c: Complaint): RelatedComplaint {
  return {
    id: c.id,
    reference: c.id,
    stage: c.stage,
    ...(c.outcome ? { outcome: c.outcome } : {}),
    createdAt: c.createdAt,
  };
}

/** One row of a staff queue. */
export interface StaffListItem {
  id: string;
  status: CustomerStatus;
  stage: Stage;
  outcome?: Outcome;
  channel: Channel;
  subject: string;
  customerName: string;
  category?: Category;
  severity?: Severity;
  department?: string;
  createdAt: string;
  replyDueBy: string;
  repeat: boolean;
  escalations: number;
  needsAttention: boolean;
  pending?: StaffPendingView;
  assignee?: Assignee;
}

export function staffListItem(c: ComplaintSummary, now: Date): StaffListItem {
  return {
    id: c.id,
    status: statusOf(c),
    stage: c.stage,
    ...(c.outcome ? { outcome: c.outcome } : {}),
    channel: c.channel,
    subject: c.subject,
    customerName: c.customer.name,
    ...(c.category ? { category: c.category } : {}),
    ...(c.severity ? { severity: c.severity } : {}),
    ...(c.department ? { department: c.department } : {}),
    createdAt: c.createdAt,
    replyDueBy: c.replyDueBy,
    repeat: c.repeat,
    escalations: c.escalations,
    needsAttention: c.needsAttention === true,
    ...(c.pending ? { pending: staffPendingView(c.pending, now) } : {}),
    ...(c.assignee ? { assignee: publicAssignee(c.assignee) } : {}),
  };
}

/** The named owner as views show it: id and name, never their address. */
export function publicAssignee(a: Assignee | undefined): Assignee | undefined {
  return a ? { sub: a.sub, ...(a.name ? { name: a.name } : {}) } : undefined;
}

/** An actor without names (for views that must carry no personal data). */
function anonymousActor(actor: Actor): Actor {
  if (actor.kind !== 'staff') return actor;
  return {
    kind: 'staff',
    sub: actor.sub,
    role: actor.role,
    ...(actor.department ? { department: actor.department } : {}),
  };
}

/**
 * A complaint with no personal data (analysts): no customer, no complaint text, no free
 * text written about it (findings, plans, results, comments), no staff names.
 */
export interface AnonymousView {
  id: string;
  status: CustomerStatus;
  stage: Stage;
  outcome?: Outcome;
  channel: Channel;
  category?: Category;
  severity?: Severity;
  department?: string;
  createdAt: string;
  replyDueBy: string;
  firstResponseAt?: string;
  closedAt?: string;
  valid?: boolean;
  proposalRounds: number;
  declines: number;
  reopens: number;
  escalations: number;
  maxEscalationLevel: number;
  repeat: boolean;
  rating?: number;
  registeredBy?: Actor;
}

export function anonymousView(c: Complaint): AnonymousView {
  return {
    id: c.id,
    status: statusOf(c),
    stage: c.stage,
    ...(c.outcome ? { outcome: c.outcome } : {}),
    channel: c.channel,
    ...(c.category ? { category: c.category } : {}),
    ...(c.severity ? { severity: c.severity } : {}),
    ...(c.department ? { department: c.department } : {}),
    createdAt: c.createdAt,
    replyDueBy: c.replyDueBy,
    ...(c.firstResponseAt ? { firstResponseAt: c.firstResponseAt } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.investigation ? { valid: c.investigation.valid } : {}),
    proposalRounds: c.proposalRounds,
    declines: c.declines,
    reopens: c.reopens,
    escalations: c.escalations,
    maxEscalationLevel: c.maxEscalationLevel,
    repeat: c.repeat,
    ...(c.survey ? { rating: c.survey.rating } : {}),
    ...(c.registeredBy ? { registeredBy: anonymousActor(c.registeredBy) } : {}),
  };
}

/** A listed attachment as the customer sees it: never who on the staff uploaded it. */
export interface AttachmentView {
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  by: 'customer' | 'staff';
}

/** A listed attachment as staff see it: also whether the customer sees it, and who uploaded it. */
export interface StaffAttachmentView extends AttachmentView {
  visibleToCustomer: boolean;
  actor: Actor;
}

function attachmentView(a: Attachment): AttachmentView {
  return {
    attachmentId: a.attachmentId,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    uploadedAt: a.uploadedAt ?? a.createdAt,
    by: a.by.kind === 'customer' ? 'customer' : 'staff',
  };
}

/** The uploaded files the customer may see: their own, and staff files marked visible. */
export function customerAttachments(attachments: readonly Attachment[]): AttachmentView[] {
  return attachments.filter((a) => a.status === 'uploaded' && customerMaySee(a)).map(attachmentView);
}

/** Every uploaded file, for staff (pending and refused uploads are in the history only). */
export function staffAttachments(attachments: readonly Attachment[]): StaffAttachmentView[] {
  return attachments
    .filter((a) => a.status === 'uploaded')
    .map((a) => ({ ...attachmentView(a), visibleToCustomer: customerMaySee(a), actor: a.by }));
}
