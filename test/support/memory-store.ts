import { callQueueSk, indexKeys, NOT_DUE, utc } from '../../functions/adapters/dynamodb/keys.js';
import {
  type Attachment,
  byCreation,
  occupiesSlot,
  TooManyAttachmentsError,
} from '../../functions/domain/attachments.js';
import { type CallTaskQueueItem, callQueueItem } from '../../functions/domain/call-tasks.js';
import { clock as sharedClock } from '../../functions/domain/clock.js';
import {
  ConflictError,
  IdempotencyMismatchError,
  NotFoundError,
  ValidationError,
  WrongStageError,
} from '../../functions/domain/errors.js';
import {
  type Actor,
  type AuditEvent,
  type Complaint,
  type PendingStep,
  receivedAtOf,
  type Step,
} from '../../functions/domain/model.js';
import { newReference } from '../../functions/domain/reference.js';
import { nextReportRecord, type ReportRecord } from '../../functions/domain/reports-record.js';
import type { ComplaintLink } from '../../functions/domain/search.js';
import {
  type AttachmentOutcome,
  attachmentEvent,
  type ComplaintChange,
  type ComplaintStore,
  type CreateComplaintInput,
  distinctCustomerKeys,
  type ListQuery,
  type PageQuery,
} from '../../functions/domain/store.js';

/**
 * An in-memory ComplaintStore for unit tests: the same behaviour as the DynamoDB adapter
 * (the same contract tests run against both), including queue order and cursors.
 * Every value handed out is a copy.
 */
export class MemoryComplaintStore implements ComplaintStore {
  private readonly complaints = new Map<string, Stored>();
  private readonly idempotency = new Map<
    string,
    { bodyHash: string; complaintId: string; expiresAt: number }
  >();
  private readonly customers = new Map<string, { createdAt: string; id: string }[]>();
  private readonly orders = new Map<string, { createdAt: string; id: string }[]>();
  /** how many times each method was called (tests assert which lookups a route makes) */
  readonly calls = new Map<string, number>();
  private readonly now: () => Date;
  private readonly claimLeaseMs: number;

  constructor(options: { clock?: () => Date; claimLeaseMs?: number } = {}) {
    this.now = options.clock ?? (() => sharedClock().now());
    this.claimLeaseMs = options.claimLeaseMs ?? 120_000;
  }

  async create(input: CreateComplaintInput): Promise<{ complaint: Complaint; created: boolean }> {
    await tick();
    const customerKeys = distinctCustomerKeys(input.customerKeys);
    if (input.idempotency) {
      const record = this.idempotency.get(input.idempotency.key);
      if (record && record.expiresAt > Date.now()) {
        if (record.bodyHash !== input.idempotency.bodyHash) throw new IdempotencyMismatchError();
        return { complaint: this.read(record.complaintId), created: false };
      }
    }
    const complaint: Complaint = { ...copy(input.complaint), version: 1 };
    // like the DynamoDB adapter: a fresh reference when the random one is taken
    while (this.complaints.has(complaint.id)) complaint.id = newReference(new Date(complaint.createdAt));
    const registered: AuditEvent = {
      complaintId: complaint.id,
      seq: 1,
      at: this.now().toISOString(),
      type: 'registered',
      stage: complaint.stage,
      actor: copy(input.actor),
      data: {
        channel: complaint.channel,
        ...(complaint.receivedAt ? { receivedAt: complaint.receivedAt } : {}),
      },
    };
    this.complaints.set(complaint.id, {
      complaint,
      tokenHashes: new Set([input.accessTokenHash]),
      events: [registered],
      record: nextReportRecord(undefined, complaint, registered, registered.at),
    });
    for (const key of customerKeys) {
      const links = this.customers.get(key) ?? [];
      links.push({ createdAt: utc(complaint.createdAt), id: complaint.id });
      this.customers.set(key, links);
    }
    if (input.orderKey) {
      const links = this.orders.get(input.orderKey) ?? [];
      links.push({ createdAt: utc(complaint.createdAt), id: complaint.id });
      this.orders.set(input.orderKey, links);
    }
    if (input.idempotency) {
      this.idempotency.set(input.idempotency.key, {
        bodyHash: input.idempotency.bodyHash,
        complaintId: complaint.id,
        expiresAt: Date.now() + 24 * 3600_000,
      });
    }
    return { complaint: copy(complaint), created: true };
  }

  async get(id: string): Promise<Complaint | undefined> {
    await tick();
    const stored = this.complaints.get(id);
    return stored ? copy(stored.complaint) : undefined;
  }

  async hasAccessToken(id: string, tokenHash: string): Promise<boolean> {
    await tick();
    return this.complaints.get(id)?.tokenHashes.has(tokenHash) ?? false;
  }

  async addAccessToken(id: string, tokenHash: string): Promise<void> {
    await tick();
    const stored = this.complaints.get(id);
    if (!stored) throw new NotFoundError();
    stored.tokenHashes.add(tokenHash);
  }

  async update(id: string, change: (current: Complaint) => ComplaintChange | undefined): Promise<Complaint> {
    await tick();
    const stored = this.complaints.get(id);
    if (!stored) throw new NotFoundError();
    const delta = change(copy(stored.complaint));
    if (!delta) return copy(stored.complaint);
    this.apply(stored, delta);
    return copy(stored.complaint);
  }

  private apply(stored: Stored, delta: ComplaintChange): void {
    const next: Record<string, unknown> = { ...stored.complaint };
    for (const [key, value] of Object.entries(copy(delta.set))) {
      if (key === 'id' || key === 'version') continue;
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    for (const key of delta.remove ?? []) if (key !== 'id' && key !== 'version') delete next[key];
    // undefined inside nested values is dropped, as DynamoDB's removeUndefinedValues does
    const complaint = JSON.parse(JSON.stringify(next)) as Complaint;
    const changes = [delta.event, ...(delta.also ?? [])];
    const first = stored.complaint.version + 1;
    complaint.version = stored.complaint.version + changes.length;
    stored.complaint = complaint;
    for (const hash of delta.addAccessTokens ?? []) stored.tokenHashes.add(hash);
    const at = this.now().toISOString();
    changes.forEach((change, i) => {
      const event: AuditEvent = {
        complaintId: complaint.id,
        seq: first + i,
        at,
        type: change.type,
        stage: change.stage ?? complaint.stage,
        actor: copy(change.actor),
        ...(change.data ? { data: copy(change.data) } : {}),
      };
      stored.events.push(event);
      stored.record = nextReportRecord(stored.record, complaint, event, event.at);
    });
  }

  async claimStep(id: string, steps: readonly Step[], claimId: string, actor: Actor): Promise<PendingStep> {
    await tick();
    const stored = this.complaints.get(id);
    if (!stored) throw new NotFoundError();
    const pending = stored.complaint.pending;
    if (!pending || !steps.includes(pending.step)) {
      throw new WrongStageError(
        pending
          ? `This complaint is waiting for ${pending.step}, not ${steps.join(' or ')}.`
          : 'This complaint is not waiting for any action.',
      );
    }
    if (pending.claimedBy && stored.claim && stored.claim.expiresAt > Date.now()) {
      throw new ConflictError('Somebody else is already acting on this step; reload.', 'step_taken');
    }
    pending.claimedBy = claimId;
    stored.claim = { id: claimId, actor: copy(actor), expiresAt: Date.now() + this.claimLeaseMs };
    return copy(pending);
  }

  async releaseClaim(id: string, claimId: string, reason: string): Promise<void> {
    await tick();
    const stored = this.complaints.get(id);
    if (!stored) throw new NotFoundError();
    const pending = stored.complaint.pending;
    const ours = pending?.claimedBy === claimId;
    const actor = ours && stored.claim?.id === claimId ? stored.claim.actor : ({ kind: 'system' } as const);
    this.apply(stored, {
      set: ours && pending ? { pending: { ...pending, claimedBy: undefined } } : {},
      event: { type: 'action_refused', actor, data: { reason, ...(pending ? { step: pending.step } : {}) } },
    });
  }

  async events(id: string): Promise<AuditEvent[]> {
    await tick();
    return copy(this.complaints.get(id)?.events ?? []);
  }

  /** Same selection, order and cursor semantics as DynamoComplaintStore.list. */
  async list(query: ListQuery): Promise<{ items: Complaint[]; nextCursor?: string }> {
    await tick();
    this.count('list');
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
    const status = query.status ?? (query.stage === 'closed' ? 'closed' : 'open');
    const closed = status === 'closed';
    if (query.stage && (query.stage === 'closed') !== closed) return { items: [] };
    if (closed && query.overdueAt) return { items: [] };
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const before = query.overdueAt ? utc(query.overdueAt) : undefined;
    const rows = [...this.complaints.values()]
      .map((s) => s.complaint)
      .filter((c) => (c.stage === 'closed') === closed)
      .filter((c) => !query.stage || c.stage === query.stage)
      .filter((c) => !query.department || c.department === query.department)
      .filter((c) => !query.assignee || (!closed && c.assignee?.sub === query.assignee))
      .map((c) => ({ c, key: indexKeys(c).gsi1sk }))
      .filter((r) => !before || r.key < before)
      .filter((r) => !after || (closed ? r.key < after : r.key > after))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (closed ? -1 : 1));
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => copy(r.c)),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.key) } : {}),
    };
  }

  /** Same order and cursor semantics as DynamoComplaintStore.openCallTasks. */
  async openCallTasks(query: PageQuery = {}): Promise<{ items: CallTaskQueueItem[]; nextCursor?: string }> {
    await tick();
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
    let after: string | undefined;
    if (query.cursor !== undefined) {
      try {
        after = (JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as { after?: string })
          .after;
      } catch {
        after = undefined;
      }
      if (typeof after !== 'string' || !/^[0-9A-Za-z:.-]+#[0-9A-Z-]+#T[0-9A-Za-z]{10}$/.test(after))
        throw new ValidationError('Invalid cursor.', [
          { path: 'cursor', message: 'not a cursor this API issued' },
        ]);
    }
    const rows = [...this.complaints.values()]
      .flatMap((s) =>
        (s.complaint.callTasks ?? [])
          .filter((t) => t.status === 'open')
          .map((t) => ({
            item: callQueueItem(s.complaint, t),
            key: callQueueSk(t.createdAt, s.complaint.id, t.id),
          })),
      )
      .filter((r) => !after || r.key > after)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => copy(r.item)),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.key) } : {}),
    };
  }

  async listCreatedBetween(from: string, to: string): Promise<Complaint[]> {
    await tick();
    this.count('listCreatedBetween');
    const lower = utc(from);
    const upper = utc(to);
    return [...this.complaints.values()]
      .map((s) => s.complaint)
      .filter((c) => utc(receivedAtOf(c)) >= lower && utc(receivedAtOf(c)) < upper)
      .map(copy);
  }

  async reportRecords(from: string, to: string): Promise<ReportRecord[]> {
    await tick();
    const lower = utc(from);
    const upper = utc(to);
    return [...this.complaints.values()]
      .filter((s) => utc(receivedAtOf(s.complaint)) >= lower && utc(receivedAtOf(s.complaint)) < upper)
      .map((s) => copy(s.record));
  }

  async forEachReportRecord(from: string, to: string, visit: (record: ReportRecord) => void): Promise<void> {
    for (const record of await this.reportRecords(from, to)) visit(record);
  }

  async dueWarnings(from: string, to: string): Promise<string[]> {
    await tick();
    const lower = new Date(from).getTime();
    const upper = new Date(to).getTime();
    return [...this.complaints.values()]
      .map((s) => ({ id: s.complaint.id, key: indexKeys(s.complaint).gsi6sk }))
      .filter((k): k is { id: string; key: string } => k.key !== undefined)
      .filter((k) => {
        const t = Date.parse(k.key.split('#')[0] ?? '');
        return t >= lower && t <= upper;
      })
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((k) => k.id);
  }

  async openReportRecords(): Promise<ReportRecord[]> {
    await tick();
    return [...this.complaints.values()]
      .filter((s) => indexKeys(s.complaint).gsi4pk !== undefined)
      .map((s) => copy(s.record));
  }

  async listWaiting(): Promise<Complaint[]> {
    await tick();
    return [...this.complaints.values()]
      .map((s) => s.complaint)
      .filter(
        (c) => c.stage !== 'closed' && c.pending !== undefined && !indexKeys(c).gsi1sk.startsWith(NOT_DUE),
      )
      .map(copy);
  }

  async hasEarlierByCustomer(
    customerKeys: readonly string[],
    since: string,
    before: string,
  ): Promise<boolean> {
    await tick();
    const lower = utc(since);
    const upper = utc(before);
    return customerKeys.some((key) =>
      (this.customers.get(key) ?? []).some((l) => l.createdAt >= lower && l.createdAt < upper),
    );
  }

  async linkedComplaints(links: readonly ComplaintLink[], limit: number): Promise<Complaint[]> {
    await tick();
    this.count('linkedComplaints');
    const newest = new Map<string, string>();
    for (const link of links) {
      const rows = (link.kind === 'order' ? this.orders : this.customers).get(link.key) ?? [];
      for (const row of rows) newest.set(row.id, `${row.createdAt}#${row.id}`);
    }
    return [...newest.entries()]
      .sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0))
      .slice(0, Math.max(0, limit))
      .map(([id]) => this.read(id));
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  async addAttachment(attachment: Attachment, maxFiles: number, nowMs: number): Promise<void> {
    await tick();
    const stored = this.complaints.get(attachment.complaintId);
    if (!stored) throw new NotFoundError();
    stored.attachments ??= [];
    const attachments = stored.attachments;
    if (attachments.filter((a) => occupiesSlot(a, nowMs)).length >= maxFiles) {
      throw new TooManyAttachmentsError(maxFiles);
    }
    if (attachments.some((a) => a.attachmentId === attachment.attachmentId)) {
      throw new ConflictError('This attachment id is taken.');
    }
    attachments.push(copy(attachment));
  }

  async attachments(complaintId: string): Promise<Attachment[]> {
    await tick();
    return copy([...(this.complaints.get(complaintId)?.attachments ?? [])].sort(byCreation));
  }

  async getAttachment(complaintId: string, attachmentId: string): Promise<Attachment | undefined> {
    await tick();
    const found = this.complaints.get(complaintId)?.attachments?.find((a) => a.attachmentId === attachmentId);
    return found ? copy(found) : undefined;
  }

  async settleAttachment(
    complaintId: string,
    attachmentId: string,
    outcome: AttachmentOutcome,
  ): Promise<Attachment> {
    await tick();
    const stored = this.complaints.get(complaintId);
    const a = stored?.attachments?.find((x) => x.attachmentId === attachmentId);
    if (!stored || !a) throw new NotFoundError('No attachment with this id was found.');
    if (a.status === outcome.status) return copy(a);
    if (a.status !== 'pending') throw new ConflictError(`This attachment is already ${a.status}.`);
    if (outcome.status === 'uploaded') a.uploadedAt = outcome.at;
    else a.rejectedReason = outcome.reason;
    a.status = outcome.status;
    this.apply(stored, { set: {}, event: attachmentEvent(a, outcome) });
    return copy(a);
  }

  private read(id: string): Complaint {
    const stored = this.complaints.get(id);
    if (!stored) throw new NotFoundError();
    return copy(stored.complaint);
  }
}

interface Stored {
  complaint: Complaint;
  tokenHashes: Set<string>;
  events: AuditEvent[];
  record: ReportRecord;
  claim?: { id: string; actor: Actor; expiresAt: number };
  attachments?: Attachment[];
}

/** Yields once, so callers see the asynchrony of a real store. */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

function encodeCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ after: sortKey }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through
  }
  throw new ValidationError('Invalid cursor.', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
}
