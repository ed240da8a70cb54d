import { createHash } from 'node:crypto';
import { type Complaint, type PendingStep, receivedAtOf, type Stage } from '../../domain/model.js';

/**
 * Key and index attribute values of the complaints table. Every key holds ids, stages,
 * department names, instants or hashes only: never personal data.
 */

export const META = 'META';
export const complaintPk = (id: string) => `C#${id}`;
export const eventSk = (seq: number) => `E#${String(seq).padStart(8, '0')}`;
export const EVENT_PREFIX = 'E#';
/**
 * the record's words (`complaint.record`), one append-only item per entry beside the complaint:
 * `META#W#<index, 8 digits>`, so that one Query `begins_with(sk, 'META')` reads the complaint
 * and its words together
 */
export const WORDS_PREFIX = 'META#W#';
export const wordSk = (index: number) => `${WORDS_PREFIX}${String(index).padStart(8, '0')}`;
/** the Idempotency-Key is client input: it is hashed so that keys stay short and opaque */
export const idempotencyPk = (key: string) => `IDEM#${sha256(key)}`;
export const IDEMPOTENCY_SK = 'IDEM';
/** attachments: `A#<attachmentId>` in the complaint's partition, and their head item `A#` */
export const ATTACHMENT_PREFIX = 'A#';
export const ATTACHMENTS_HEAD_SK = 'A#';
export const attachmentSk = (attachmentId: string) => `${ATTACHMENT_PREFIX}${attachmentId}`;
/** call tasks: one queue item per open task, `T#<taskId>` in the complaint's partition, on GSI1 */
export const callTaskSk = (taskId: string) => `T#${taskId}`;
/** GSI1 partition of the agents' call queue (open call tasks), oldest first */
export const OPEN_CALLS_PK = 'CALLS#open';
export const callQueueSk = (createdAt: string, id: string, taskId: string) =>
  `${utc(createdAt)}#${id}#${taskId}`;
export const customerPk = (customerKey: string) => `CUST#${customerKey}`;
export const customerSk = (createdAt: string, id: string) => `${utc(createdAt)}#${id}`;
/** an order reference's link (search by order): `ORDER#<hash>`, sk like a customer link's */
export const orderPk = (orderKey: string) => `ORDER#${orderKey}`;

export const stagePk = (stage: Stage) => `STAGE#${stage}`;
export const departmentPk = (department: string, closed: boolean) =>
  `DEPT#${department}${closed ? '#closed' : ''}`;
/** the named owner's open complaints (sparse: no attribute while unassigned or closed) */
export const ownerPk = (sub: string) => `OWNER#${sub}`;
/** the month index (reports): the UTC month of the complaint's receipt (`receivedAtOf`) */
export const monthPk = (receivedAt: string) => `MONTH#${utc(receivedAt).slice(0, 7)}`;

/** Sort value of complaints with no pending step: after every instant. */
export const NOT_DUE = '9999';

export { OPEN_STAGES } from '../../domain/vocabulary.js';

/** An ISO instant (any offset) as a sortable UTC string, `2026-10-13T10:00:00.000Z`. */
export function utc(instant: string): string {
  const t = new Date(instant);
  if (!Number.isFinite(t.getTime())) throw new RangeError(`not an ISO instant: ${JSON.stringify(instant)}`);
  return t.toISOString();
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface IndexKeys {
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk?: string;
  gsi2sk?: string;
  gsi3pk: string;
  gsi3sk: string;
  /** only while a step is open (the sparse timers index) */
  gsi4pk?: string;
  gsi4sk?: string;
  /** only while a named owner has it open (the "mine" queue) */
  gsi5pk?: string;
  gsi5sk?: string;
  /** only while the open step's pre-breach warning is still to send (the warnings index) */
  gsi6pk?: string;
  gsi6sk?: string;
}

/** Partition of the warnings index (GSI6): open steps whose warning is still to send, by warning time. */
export const WARNINGS_DUE_PK = 'WARN';

/** Partition of the timers index (GSI4) holding every complaint with an open step. */
export const OPEN_STEPS_PK = 'OPEN';
/** Partition of the timers index holding the improvement actions still at work, by next check. */
export const IMPROVEMENT_DUE_PK = 'IMPROVEMENT_DUE';

/** The open step's own (first) deadline: `firstDueAt`, or `dueAt` on steps opened before it existed. */
export function firstDueAt(pending: Pick<PendingStep, 'dueAt' | 'firstDueAt'>): string {
  return pending.firstDueAt ?? pending.dueAt;
}

/**
 * The index attributes a complaint must carry. Open complaints sort in the queues (GSI1, GSI2,
 * GSI5) by the pending step's FIRST deadline (escalations do not move it, so `overdue` — sort key
 * below now — holds escalated steps too; none: last); the timers index (GSI4) sorts by the
 * current deadline. Closed ones move to their own partitions and sort by closing time.
 */
export function indexKeys(
  c: Pick<
    Complaint,
    'id' | 'stage' | 'department' | 'pending' | 'createdAt' | 'receivedAt' | 'closedAt' | 'assignee'
  >,
  stored?: { gsi1pk?: unknown; gsi1sk?: unknown },
): IndexKeys {
  const received = receivedAtOf(c);
  const closed = c.stage === 'closed';
  const sort = closed
    ? `${utc(c.closedAt ?? c.createdAt)}#${c.id}`
    : c.pending?.dueAt
      ? `${utc(firstDueAt(c.pending))}#${c.id}`
      : queueSortKept(c, stored);
  const keys: IndexKeys = {
    gsi1pk: stagePk(c.stage),
    gsi1sk: sort,
    // by receipt: a complaint registered late by an agent counts in the period it came in
    gsi3pk: monthPk(received),
    gsi3sk: `${utc(received)}#${c.id}`,
  };
  if (c.department) {
    keys.gsi2pk = departmentPk(c.department, closed);
    keys.gsi2sk = sort;
  }
  if (!closed && c.pending?.dueAt) {
    keys.gsi4pk = OPEN_STEPS_PK;
    keys.gsi4sk = `${utc(c.pending.dueAt)}#${c.id}`;
  }
  if (c.assignee && !closed) {
    keys.gsi5pk = ownerPk(c.assignee.sub);
    keys.gsi5sk = sort;
  }
  if (!closed && c.pending?.warnAt && !c.pending.warnedAt) {
    keys.gsi6pk = WARNINGS_DUE_PK;
    keys.gsi6sk = `${utc(c.pending.warnAt)}#${c.id}`;
  }
  return keys;
}

/**
 * The queue place of an open complaint with no pending step: where it already is in its stage's
 * queue (`stored`, the item as read), else last (`NOT_DUE`). A step just done (Record) thus
 * keeps its row's keys until the next step opens and moves it once: the row shows no pending
 * step in between, and the `overdue` list leaves rows without one out.
 */
function queueSortKept(
  c: Pick<Complaint, 'id' | 'stage'>,
  stored?: { gsi1pk?: unknown; gsi1sk?: unknown },
): string {
  const sk = stored?.gsi1sk;
  if (stored?.gsi1pk === stagePk(c.stage) && typeof sk === 'string' && sk.endsWith(`#${c.id}`)) return sk;
  return `${NOT_DUE}#${c.id}`;
}

/** Months (yyyy-mm, UTC) that [from, to) touches. */
export function monthsBetween(from: string, to: string): string[] {
  const start = new Date(utc(from));
  const end = new Date(utc(to));
  const months: string[] = [];
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth();
  for (;;) {
    const first = Date.UTC(y, m, 1);
    if (first >= end.getTime()) break;
    months.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  return months;
}

/** Days per key range of the month index's parallel reads (`monthSegments`). */
export const MONTH_SEGMENT_DAYS = 8;

/**
 * The key ranges of the month index (GSI3) covering [from, to): each month partition the
 * period touches, cut into ranges of at most `days` days (a quarter: 12), so that one report
 * reads them in parallel rather than page after page through three partitions. Consecutive
 * ranges share their bound: `BETWEEN from AND to` on keys `<instant>#<id>` takes an instant
 * equal to `from` and leaves one equal to `to` to the next range.
 */
export function monthSegments(
  from: string,
  to: string,
  days: number = MONTH_SEGMENT_DAYS,
): { pk: string; from: string; to: string }[] {
  const lower = Date.parse(utc(from));
  const upper = Date.parse(utc(to));
  const step = days * 86_400_000;
  const segments: { pk: string; from: string; to: string }[] = [];
  if (lower >= upper) return segments;
  for (const month of monthsBetween(utc(from), utc(to))) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const end = Math.min(upper, Date.UTC(y, m, 1));
    for (let a = Math.max(lower, Date.UTC(y, m - 1, 1)); a < end; a += step) {
      const b = Math.min(end, a + step);
      segments.push({ pk: `MONTH#${month}`, from: new Date(a).toISOString(), to: new Date(b).toISOString() });
    }
  }
  return segments;
}
