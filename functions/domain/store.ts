import type { Attachment, RejectReason } from './attachments.js';
import type { CallTaskQueueItem } from './call-tasks.js';
import type { Actor, AuditEvent, AuditEventType, Complaint, PendingStep, Stage, Step } from './model.js';
import type { ReportRecord } from './reports-record.js';
import type { ComplaintLink } from './search.js';

/**
 * The port through which the API and the journey read and change complaints.
 * The DynamoDB adapter (./dynamodb/) is the one implementation; tests may fake it.
 *
 * Every change of a complaint goes with its audit event (or events, `also`) in the same
 * atomic write, and bumps `version` once per event; the last event's `seq` is the new
 * version, so events are ordered.
 */
export interface ComplaintStore {
  /**
   * Stores a new complaint (version 1) with its `registered` audit event. With an
   * idempotency key: one complaint per key, even under concurrent calls; the same key with
   * another body hash throws IdempotencyMismatchError; a replay returns the stored complaint
   * with `created: false`.
   */
  create(input: CreateComplaintInput): Promise<{ complaint: Complaint; created: boolean }>;

  get(id: string): Promise<Complaint | undefined>;

  /** true when `tokenHash` is one of the complaint's customer access token hashes */
  hasAccessToken(id: string, tokenHash: string): Promise<boolean>;

  /** Adds another valid access token hash (an idempotent replay issues a fresh token). */
  addAccessToken(id: string, tokenHash: string): Promise<void>;

  /**
   * Reads a complaint, lets `change` compute what to set and which event to record, and
   * writes both atomically, conditioned on the version read; retries on a lost race.
   * `change` returning undefined writes nothing. Throws NotFoundError for an unknown id.
   *
   * `options.current`: a complaint this store has just answered (by `get` or `update`) in the
   * same piece of work; its first attempt then starts from it without reading again (the
   * version condition still holds: a complaint changed since is read afresh and the change
   * computed again). A store may ignore it.
   */
  update(
    id: string,
    change: (current: Complaint) => ComplaintChange | undefined,
    options?: { current?: Complaint },
  ): Promise<Complaint>;

  /**
   * Marks the pending step as being resumed by `claimId`, when it is one of `steps` and
   * nobody else claimed it. Returns the pending step (with its token). Throws
   * WrongStageError when no such step is pending, ConflictError when it is already claimed.
   */
  claimStep(id: string, steps: readonly Step[], claimId: string, actor: Actor): Promise<PendingStep>;

  /** Undoes claimStep (the token turned out stale); records an `action_refused` event. */
  releaseClaim(id: string, claimId: string, reason: string): Promise<void>;

  /** Audit events in order. */
  events(id: string): Promise<AuditEvent[]>;

  /** Staff queues, served by indexes: earliest due first (so overdue first). */
  list(query: ListQuery): Promise<{ items: ComplaintSummary[]; nextCursor?: string }>;

  /**
   * The agents' call queue: the open call tasks (functions/domain/call-tasks.ts) of every
   * complaint, oldest first, served by an index (the store keeps one queue item per open task
   * in the same write as the complaint's `callTasks`).
   */
  openCallTasks(query?: PageQuery): Promise<{ items: CallTaskQueueItem[]; nextCursor?: string }>;

  /**
   * Complaints received in [from, to) (`receivedAt`, else `createdAt`: the month index's key;
   * tools and tests; the reports read `reportRecords`).
   */
  listCreatedBetween(from: string, to: string): Promise<Complaint[]>;

  /**
   * The report records (figures only, see reports-record.ts) of the complaints received in
   * [from, to). Every create and update keeps a complaint's record in the same write.
   */
  reportRecords(from: string, to: string): Promise<ReportRecord[]>;

  /**
   * The same records as `reportRecords`, each passed to `visit` as its page of the index
   * arrives, none kept (a report over 100,000 complaints holds its totals, not the records).
   */
  forEachReportRecord(from: string, to: string, visit: (record: ReportRecord) => void): Promise<void>;

  /** The report records of every complaint with an open step, whenever it was created. */
  openReportRecords(): Promise<ReportRecord[]>;

  /**
   * Ids of the complaints whose open step's pre-breach warning is still to send and falls in
   * [from, to] (the sparse warnings index; functions/scheduled/step-warnings.ts).
   */
  dueWarnings(from: string, to: string): Promise<string[]>;

  /** Complaints that are not closed, with a pending step (the local stack resumes them). */
  listWaiting(): Promise<ComplaintSummary[]>;

  /**
   * true when a complaint created in [since, before) shares at least one of `customerKeys`
   * with these (the same customer, known by email or by phone).
   */
  hasEarlierByCustomer(customerKeys: readonly string[], since: string, before: string): Promise<boolean>;

  /**
   * The complaints linked to any of `links` (a customer's contact keys, an order reference's
   * key; see functions/domain/search.ts), each once, newest first, at most `limit`. Keyed
   * lookups only: one query per link partition, then one read per complaint; never a scan.
   */
  linkedComplaints(links: readonly ComplaintLink[], limit: number): Promise<Complaint[]>;

  /**
   * Stores a pending attachment (an upload was asked for) in the complaint's partition.
   * Throws TooManyAttachmentsError when `maxFiles` attachments already occupy a slot at
   * `nowMs` (functions/domain/attachments.ts `occupiesSlot`), even under concurrent calls;
   * NotFoundError for an unknown complaint. Records no audit event (nothing is attached yet).
   */
  addAttachment(attachment: Attachment, maxFiles: number, nowMs: number): Promise<void>;

  /** Every attachment of the complaint (pending, uploaded, rejected), oldest first. */
  attachments(complaintId: string): Promise<Attachment[]>;

  getAttachment(complaintId: string, attachmentId: string): Promise<Attachment | undefined>;

  /**
   * Settles a pending attachment, with its audit event in the same write: `uploaded`
   * (`attachment_added`) or `rejected` (`attachment_refused`, with the reason). Idempotent:
   * settling again the same way returns the stored attachment; settling an attachment the
   * other way throws ConflictError. NotFoundError for an unknown attachment.
   */
  settleAttachment(
    complaintId: string,
    attachmentId: string,
    outcome: AttachmentOutcome,
  ): Promise<Attachment>;
}

export type AttachmentOutcome =
  | { status: 'uploaded'; at: string; actor: Actor }
  | { status: 'rejected'; reason: RejectReason; actor: Actor };

/** The audit event of a settled attachment: ids, type and size only, never the file name. */
export function attachmentEvent(a: Attachment, outcome: AttachmentOutcome): ComplaintChange['event'] {
  if (outcome.status === 'uploaded') {
    return {
      type: 'attachment_added',
      actor: outcome.actor,
      data: {
        attachmentId: a.attachmentId,
        contentType: a.contentType,
        size: a.size,
        visibleToCustomer: a.visibleToCustomer,
        by: a.by.kind,
      },
    };
  }
  return {
    type: 'attachment_refused',
    actor: outcome.actor,
    data: { attachmentId: a.attachmentId, reason: outcome.reason },
  };
}

/** Contacts that identify a customer: email and phone. */
export const MAX_CUSTOMER_KEYS = 2;

/** The distinct customer keys of a new complaint; RangeError beyond MAX_CUSTOMER_KEYS. */
export function distinctCustomerKeys(keys: readonly string[]): string[] {
  const distinct = [...new Set(keys)];
  if (distinct.length > MAX_CUSTOMER_KEYS) {
    throw new RangeError(`at most ${MAX_CUSTOMER_KEYS} customer keys, got ${distinct.length}`);
  }
  return distinct;
}

export interface CreateComplaintInput {
  complaint: Omit<Complaint, 'version'>;
  accessTokenHash: string;
  /**
   * One hash per contact given (normalized email, phone digits), for repeat-complaint
   * detection; at most MAX_CUSTOMER_KEYS distinct ones (duplicates count once).
   */
  customerKeys: readonly string[];
  /** the hash of the normalized order reference, when one was given (search by order) */
  orderKey?: string;
  actor: Actor;
  idempotency?: { key: string; bodyHash: string };
}

/** An audit event a change records (the store adds `complaintId`, `seq` and `at`). */
export interface ChangeEvent {
  type: AuditEventType;
  actor: Actor;
  stage?: Stage;
  data?: Record<string, unknown>;
}

export interface ComplaintChange {
  set: Partial<Omit<Complaint, 'id' | 'version'>>;
  /** attributes to remove, e.g. ['pending'] */
  remove?: (keyof Complaint)[];
  event: ChangeEvent;
  /**
   * further audit events of the same write, in order after `event` (an email's
   * `notification_sent` and the event it belongs to: one write, not two); each takes the
   * next seq, and `version` moves by the number of events
   */
  also?: ChangeEvent[];
  /** customer access token hashes made valid by the same write (the link of an email just sent) */
  addAccessTokens?: string[];
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/**
 * A complaint as the queues hold it (the DynamoDB queue indexes project only these
 * attributes): what a staff list row and the queue readers need, no complaint text beyond
 * the subject, no record of the steps.
 */
export type ComplaintSummary = Pick<
  Complaint,
  | 'id'
  | 'stage'
  | 'outcome'
  | 'channel'
  | 'subject'
  | 'customer'
  | 'category'
  | 'severity'
  | 'department'
  | 'createdAt'
  | 'replyDueBy'
  | 'repeat'
  | 'escalations'
  | 'needsAttention'
  | 'pending'
  | 'assignee'
>;

export interface ListQuery {
  stage?: Stage;
  department?: string;
  /** only complaints whose pending step's FIRST deadline (escalated or not) was before this instant */
  overdueAt?: string;
  /** only open complaints whose named owner is this staff id (the "mine" queue) */
  assignee?: string;
  /** 'open' (not closed) or 'closed' */
  status?: 'open' | 'closed';
  limit?: number;
  cursor?: string;
}
