import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Attachment,
  byCreation,
  occupiesSlot,
  TooManyAttachmentsError,
} from '../../domain/attachments.js';
import { type CallTaskQueueItem, callQueueItem } from '../../domain/call-tasks.js';
import { clock as sharedClock } from '../../domain/clock.js';
import {
  ConflictError,
  IdempotencyMismatchError,
  NotFoundError,
  ValidationError,
  WrongStageError,
} from '../../domain/errors.js';
import type { Actor, AuditEvent, Complaint, PendingStep, RecordEntry, Step } from '../../domain/model.js';
import { newReference } from '../../domain/reference.js';
import { nextReportRecord, type ReportRecord, reportRecordOf } from '../../domain/reports-record.js';
import type { ComplaintLink } from '../../domain/search.js';
import {
  type AttachmentOutcome,
  attachmentEvent,
  type ComplaintChange,
  type ComplaintStore,
  type ComplaintSummary,
  type CreateComplaintInput,
  distinctCustomerKeys,
  type ListQuery,
  type PageQuery,
} from '../../domain/store.js';
import {
  ATTACHMENT_PREFIX,
  ATTACHMENTS_HEAD_SK,
  attachmentSk,
  callQueueSk,
  callTaskSk,
  complaintPk,
  customerPk,
  customerSk,
  departmentPk,
  EVENT_PREFIX,
  eventSk,
  IDEMPOTENCY_SK,
  idempotencyPk,
  indexKeys,
  META,
  monthSegments,
  NOT_DUE,
  OPEN_CALLS_PK,
  OPEN_STAGES,
  OPEN_STEPS_PK,
  orderPk,
  ownerPk,
  stagePk,
  utc,
  WARNINGS_DUE_PK,
  WORDS_PREFIX,
  wordSk,
} from './keys.js';
import { COMPLAINTS_TABLE, INDEX, REPORT_RECORD_ATTRIBUTE } from './table.js';
import {
  backoff,
  cancellationCodes,
  compare,
  eventsOf,
  queryAll,
  retryLostRaces,
  withoutAttributes,
} from './writes.js';

export interface DynamoComplaintStoreOptions {
  /** a Document client made with `marshallOptions: { removeUndefinedValues: true }` */
  client: DynamoDBDocumentClient;
  tableName: string;
  /** business time for `at` of audit events; defaults to the process clock (functions/domain/clock.ts) */
  clock?: () => Date;
  /** attempts of update() before a lost race becomes ConflictError (default 12) */
  maxAttempts?: number;
  /**
   * How long a claim on a pending step holds when its API call dies before sending the
   * task result (default 120 s, measured in real time, not the simulated clock).
   */
  claimLeaseMs?: number;
  /** how long an Idempotency-Key is remembered (default 24 h) */
  idempotencyTtlSeconds?: number;
  /**
   * `Limit` of each page of the report's Queries (the month and open-steps indexes) and of
   * `listWaiting`'s (the stage index); none by default: DynamoDB ends each page at 1 MB of
   * index items. DynamoDB Local reads every item
   * from the page's start to the end of the key range for each page it answers, so the local
   * stack and the benchmarks set one (`LOCAL_REPORT_QUERY_LIMIT` in local/dynamodb.ts).
   */
  reportQueryLimit?: number;
}

/**
 * `pending.claimedBy` is stored beside `pending`, as `claimedBy`: a claim (an API call resuming
 * the step, a few milliseconds) then rewrites no copy of `pending` in the queue indexes, which
 * project `pending` but not `claimedBy`; `get` puts it back into `pending` (a queue row shows
 * no claim). Items written before keep it inside `pending`, which is still read and honoured.
 */
const CLAIMED_BY = 'claimedBy';

/** Attributes of the complaint item that are not part of `Complaint`. */
const HIDDEN = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
  'gsi6pk',
  'gsi6sk',
  'rp',
  'accessTokenHashes',
  'claim',
  CLAIMED_BY,
  'log',
]);

/**
 * The items the complaint's last change committed (`[{sk, …}]`: its words, then its events),
 * kept on the complaint item by the one conditional write that commits the change, and written
 * as items right after it; readers add those not written yet, and the next change writes them
 * first (`flushLog`). A change with other items to change too (the call queue, an attachment)
 * is one transaction instead, which writes its items itself and empties the log.
 */
const LOG = 'log';

function logItems(item: Record<string, unknown>): Record<string, unknown>[] {
  const log = item[LOG];
  return Array.isArray(log) ? (log as Record<string, unknown>[]) : [];
}

type UpdateInput = {
  TableName: string;
  Key: Record<string, unknown>;
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
};

/** Kept next to `pending.claimedBy`: who claimed, and until when the claim holds. */
interface ClaimRecord {
  id: string;
  actor: Actor;
  /** epoch milliseconds */
  expiresAt: number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/**
 * The DynamoDB adapter of ComplaintStore: one table, see docs/ARCHITECTURE.md.
 * Reads of the complaint item are strongly consistent; queues and reports read the GSIs
 * (eventually consistent).
 */
export class DynamoComplaintStore implements ComplaintStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly claimLeaseMs: number;
  private readonly idempotencyTtlSeconds: number;
  private readonly reportQueryLimit: number | undefined;
  /**
   * The stored item each complaint this store answered was read from or written as, and
   * whether the items its log names are all written: `update(…, {current})` starts from it.
   * Weak: it lives as long as the caller keeps the complaint, never across pieces of work.
   */
  private readonly snapshots = new WeakMap<
    Complaint,
    { item: Record<string, unknown>; logWritten: boolean }
  >();

  constructor(options: DynamoComplaintStoreOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.now = options.clock ?? (() => sharedClock().now());
    this.maxAttempts = options.maxAttempts ?? 12;
    this.claimLeaseMs = options.claimLeaseMs ?? 120_000;
    this.idempotencyTtlSeconds = options.idempotencyTtlSeconds ?? 24 * 3600;
    this.reportQueryLimit = options.reportQueryLimit;
  }

  async create(input: CreateComplaintInput): Promise<{ complaint: Complaint; created: boolean }> {
    const customerKeys = distinctCustomerKeys(input.customerKeys);
    // A fresh id on the (very rare) collision of two random references.
    let complaint: Complaint = { ...input.complaint, version: 1 };
    for (let attempt = 1; ; attempt++) {
      const items = this.createItems(input, customerKeys, complaint);
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return { complaint, created: true };
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons) throw error;
        // the complaint is the first item; the idempotency record, when there is one, the last
        const complaintReason = reasons[0];
        const idemReason = input.idempotency ? reasons[items.length - 1] : undefined;
        if (idemReason === 'ConditionalCheckFailed' && input.idempotency) {
          const replay = await this.replay(input.idempotency);
          if (replay) return { complaint: replay, created: false };
          // the key's record expired in between: try again as new
        } else if (complaintReason === 'ConditionalCheckFailed') {
          complaint = { ...complaint, id: newReference(new Date(complaint.createdAt)) };
        } else if (!reasons.includes('TransactionConflict')) {
          throw error;
        }
        if (attempt >= this.maxAttempts) throw new ConflictError('Could not store the complaint; try again.');
        await backoff(attempt);
      }
    }
  }

  /**
   * complaint, event 1, one customer link per key, the order link (if any), then the
   * idempotency record (if any)
   */
  private createItems(input: CreateComplaintInput, customerKeys: readonly string[], complaint: Complaint) {
    const pk = complaintPk(complaint.id);
    const at = this.now().toISOString();
    const event: AuditEvent = {
      complaintId: complaint.id,
      seq: 1,
      at,
      type: 'registered',
      stage: complaint.stage,
      actor: input.actor,
      data: {
        channel: complaint.channel,
        ...(complaint.receivedAt ? { receivedAt: complaint.receivedAt } : {}),
      },
    };
    const { record: words, ...stored } = complaint;
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...stored,
            pk,
            sk: META,
            ...indexKeys(complaint),
            [REPORT_RECORD_ATTRIBUTE]: nextReportRecord(undefined, complaint, event, at),
            accessTokenHashes: new Set([storedHash(input.accessTokenHash)]),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { ...event, pk, sk: eventSk(1) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.wordItems(complaint.id, 0, words ?? []),
      ...customerKeys.map((customerKey) => ({
        Put: {
          TableName: this.table,
          Item: {
            pk: customerPk(customerKey),
            sk: customerSk(complaint.createdAt, complaint.id),
            complaintId: complaint.id,
            createdAt: complaint.createdAt,
          },
        },
      })),
      ...(input.orderKey
        ? [
            {
              Put: {
                TableName: this.table,
                Item: {
                  pk: orderPk(input.orderKey),
                  sk: customerSk(complaint.createdAt, complaint.id),
                  complaintId: complaint.id,
                  createdAt: complaint.createdAt,
                },
              },
            },
          ]
        : []),
    ];
    if (input.idempotency) {
      const nowSeconds = Math.floor(Date.now() / 1000);
      items.push({
        Put: {
          TableName: this.table,
          Item: {
            pk: idempotencyPk(input.idempotency.key),
            sk: IDEMPOTENCY_SK,
            bodyHash: input.idempotency.bodyHash,
            complaintId: complaint.id,
            [COMPLAINTS_TABLE.timeToLiveAttribute]: nowSeconds + this.idempotencyTtlSeconds,
          },
          // TTL deletes lazily: an expired record no longer counts
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': COMPLAINTS_TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: { ':now': nowSeconds },
        },
      });
    }
    return items;
  }

  /** The complaint stored under this idempotency key, or undefined when the record is gone. */
  private async replay(idempotency: { key: string; bodyHash: string }): Promise<Complaint | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: idempotencyPk(idempotency.key), sk: IDEMPOTENCY_SK },
        ConsistentRead: true,
      }),
    );
    const record = out.Item;
    if (!record) return undefined;
    if (record.bodyHash !== idempotency.bodyHash) throw new IdempotencyMismatchError();
    const complaint = await this.get(record.complaintId as string);
    if (!complaint) throw new Error('idempotency record points to a missing complaint');
    return complaint;
  }

  async get(id: string): Promise<Complaint | undefined> {
    return (await this.read(id))?.complaint;
  }

  /**
   * The complaint item and the complaint with its words: one consistent Query of the item
   * (`META`) and the word items after it (`META#W#…`). Items written before the words had
   * their own items keep them inline (`record`); later words follow in word items.
   */
  private async read(
    id: string,
  ): Promise<{ item: Record<string, unknown>; complaint: Complaint } | undefined> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :meta)',
      ExpressionAttributeValues: { ':pk': complaintPk(id), ':meta': META },
      ConsistentRead: true,
    });
    const item = items.find((i) => i.sk === META);
    if (!item) return undefined;
    const complaint = toComplaint(item);
    const inline = Array.isArray(item.record) ? (item.record as RecordEntry[]) : [];
    const written = items.filter((i) => i.sk !== META);
    const have = new Set(written.map((i) => i.sk));
    // words the last change committed in its log and did not write yet
    const logged = logItems(item).filter(
      (i) => typeof i.sk === 'string' && i.sk.startsWith(WORDS_PREFIX) && !have.has(i.sk),
    );
    const words = [...written, ...logged].sort((a, b) => compare(String(a.sk), String(b.sk))).map(toWord);
    if (inline.length || words.length) complaint.record = [...inline, ...words];
    this.snapshots.set(complaint, { item, logWritten: logItems(item).length === 0 });
    return { item, complaint };
  }

  /** Word items for `entries`, the first at index `from` of the record; each written once. */
  private wordItems(id: string, from: number, entries: readonly RecordEntry[]) {
    const pk = complaintPk(id);
    return entries.map((entry, i) => ({
      Put: {
        TableName: this.table,
        Item: { ...entry, pk, sk: wordSk(from + i) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
  }

  async hasAccessToken(id: string, tokenHash: string): Promise<boolean> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: complaintPk(id), sk: META },
        ProjectionExpression: 'accessTokenHashes',
        ConsistentRead: true,
      }),
    );
    const hashes = out.Item?.accessTokenHashes as Set<string> | undefined;
    return hashes instanceof Set && (hashes.has(storedHash(tokenHash)) || hashes.has(tokenHash));
  }

  async addAccessToken(id: string, tokenHash: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: complaintPk(id), sk: META },
          UpdateExpression: 'ADD accessTokenHashes :h',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':h': new Set([storedHash(tokenHash)]) },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFoundError();
      throw error;
    }
  }

  update(
    id: string,
    change: (current: Complaint) => ComplaintChange | undefined,
    options: { current?: Complaint } = {},
  ): Promise<Complaint> {
    return this.updateItem(id, (current) => change(current), options.current);
  }

  /**
   * update(), with the stored item's hidden attributes at hand (the claim record). `known`: a
   * complaint this store answered, whose stored item serves the first attempt instead of a
   * read (its version condition fails if the complaint changed since; the retry reads).
   */
  private async updateItem(
    id: string,
    change: (current: Complaint, item: Record<string, unknown>) => ComplaintChange | undefined,
    known?: Complaint,
  ): Promise<Complaint> {
    // the caller's complaint serves the first attempt only
    let start = known?.id === id ? this.startFrom(known) : undefined;
    return retryLostRaces(
      this.maxAttempts,
      'The complaint changed at the same time; try again.',
      async () => {
        const from = start;
        start = undefined;
        const read = from ?? (await this.read(id));
        if (!read) throw new NotFoundError();
        const { item, complaint: current } = read;
        const delta = change(current, item);
        if (!delta) return current;
        if (!from?.logWritten) await this.flushLog(id, item);
        const { next, update, puts, extra, stored } = this.updateItems(current, delta, item);
        if (extra.length) {
          // with other items to change (the call queue): one transaction
          await this.client.send(
            new TransactWriteCommand({ TransactItems: this.asTransaction(update, puts, extra) }),
          );
          this.snapshots.set(next, { item: stored, logWritten: true });
          return next;
        }
        // one conditional write of the complaint, carrying its new items (the commit), then the items
        await this.client.send(new UpdateCommand(update));
        let logWritten = true;
        try {
          await this.putAll(puts);
        } catch {
          // committed all the same: readers take what is missing from the log, the next change writes it
          logWritten = false;
        }
        this.snapshots.set(next, { item: stored, logWritten });
        return next;
      },
    );
  }

  /**
   * The seq of the complaint's last audit event item (0 when none): one consistent Query of one
   * key, newest first. An update reads it with the complaint to know whether the items the last
   * change committed in `log` are all written (its events are written last, in order).
   */
  private async lastEventSeq(id: string): Promise<number> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': complaintPk(id), ':e': EVENT_PREFIX },
        ProjectionExpression: 'sk',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const sk = out.Items?.[0]?.sk;
    return typeof sk === 'string' ? Number(sk.slice(EVENT_PREFIX.length)) : 0;
  }

  /** `known` with the stored item it was answered from, when this store answered it. */
  private startFrom(known: Complaint) {
    const snapshot = this.snapshots.get(known);
    return snapshot ? { ...snapshot, complaint: known } : undefined;
  }

  /**
   * Writes the items a change committed in the complaint's `log` (its words, then its events)
   * that its writer did not get to write (it stopped in between): before the next change
   * replaces the log. Each Put writes the same item again, so a repeat is harmless. Only a
   * non-empty log costs a read (the last event's seq).
   */
  private async flushLog(id: string, item: Record<string, unknown>): Promise<void> {
    const log = item[LOG];
    if (!Array.isArray(log) || log.length === 0) return;
    if ((await this.lastEventSeq(id)) >= Number(item.version)) return;
    await this.putAll(log.map((entry) => ({ ...(entry as Record<string, unknown>), pk: complaintPk(id) })));
  }

  /** Puts the items: all but the last together, then the last (an event: see lastEventSeq). */
  private async putAll(items: readonly Record<string, unknown>[]): Promise<void> {
    const put = (Item: Record<string, unknown>) =>
      this.client.send(new PutCommand({ TableName: this.table, Item }));
    await Promise.all(items.slice(0, -1).map(put));
    const last = items.at(-1);
    if (last) await put(last);
  }

  /** The change as one transaction: the complaint (its log emptied), its new items (each once) and `extra`. */
  private asTransaction(
    update: UpdateInput,
    puts: readonly Record<string, unknown>[],
    extra: readonly Record<string, unknown>[],
  ) {
    return [
      { Update: update },
      ...puts.map((Item) => ({
        Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      ...extra,
    ];
  }

  /** `transaction`: the caller writes the change in a transaction of its own (an attachment's). */
  private updateItems(
    current: Complaint,
    delta: ComplaintChange,
    item: Record<string, unknown>,
    transaction = false,
  ) {
    const removed = new Set<string>((delta.remove ?? []).map(String));
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(delta.set)) {
      if (key === 'id' || key === 'version' || key === 'record') continue;
      if (value === undefined) removed.add(key);
      else if (!removed.has(key)) set[key] = value;
    }
    removed.delete('id');
    removed.delete('version');
    // the record only grows: its new entries go to their own items, the complaint item keeps none
    const had = current.record ?? [];
    const entries = delta.set.record ?? had;
    if (removed.has('record') || entries.length < had.length) throw new Error('the record only grows');
    removed.delete('record');
    const words = entries.slice(had.length);
    const changes = [delta.event, ...(delta.also ?? [])];
    const version = current.version + changes.length;
    const next = { ...current, ...set, version } as Complaint;
    for (const key of removed) delete (next as unknown as Record<string, unknown>)[key];
    if (entries.length) next.record = [...had, ...words];

    const keys = indexKeys(next, item);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const setParts: string[] = [];
    const removeParts: string[] = [];
    let n = 0;
    // the item as the write leaves it (for update's `current`)
    const stored: Record<string, unknown> = { ...item };
    const assign = (attr: string, value: unknown) => {
      const i = n++;
      names[`#a${i}`] = attr;
      values[`:v${i}`] = value;
      setParts.push(`#a${i} = :v${i}`);
      stored[attr] = value;
    };
    const drop = (attr: string) => {
      const i = n++;
      names[`#a${i}`] = attr;
      removeParts.push(`#a${i}`);
      delete stored[attr];
    };
    for (const [key, value] of Object.entries(set)) {
      if (key !== 'pending') assign(key, value);
      else {
        const { claimedBy: _claimedBy, ...pending } = value as PendingStep;
        assign(key, pending);
      }
    }
    for (const key of removed) drop(key);
    // the claim beside `pending`, written only when it changes; its record goes with it
    const claimedBy = next.pending?.claimedBy;
    if (claimedBy !== item[CLAIMED_BY]) {
      if (claimedBy) assign(CLAIMED_BY, claimedBy);
      else if (item[CLAIMED_BY] !== undefined) drop(CLAIMED_BY);
    }
    if (item.claim !== undefined && !claimedBy) drop('claim');
    assign('version', version);
    assign('gsi1pk', keys.gsi1pk);
    assign('gsi1sk', keys.gsi1sk);
    // the sparse indexes: an item leaves an index when its keys are gone
    for (const gsi of ['gsi2', 'gsi4', 'gsi5', 'gsi6'] as const) {
      const pk = keys[`${gsi}pk`];
      const sk = keys[`${gsi}sk`];
      if (pk && sk) {
        assign(`${gsi}pk`, pk);
        assign(`${gsi}sk`, sk);
      } else {
        drop(`${gsi}pk`);
        drop(`${gsi}sk`);
      }
    }
    // conditioned on the version read, and on the claim as read (a claim does not bump version)
    names['#version'] = 'version';
    names['#claimedBy'] = 'claimedBy';
    values[':expected'] = current.version;
    let condition = '#version = :expected';
    const legacyClaim = (item.pending as PendingStep | undefined)?.claimedBy;
    if (current.pending?.claimedBy) {
      values[':claimedBy'] = current.pending.claimedBy;
      if (legacyClaim === current.pending.claimedBy) {
        names['#pending'] = 'pending';
        condition += ' AND #pending.#claimedBy = :claimedBy';
      } else condition += ' AND #claimedBy = :claimedBy';
    } else {
      names['#pending'] = 'pending';
      condition += ' AND attribute_not_exists(#claimedBy) AND attribute_not_exists(#pending.#claimedBy)';
    }

    const pk = complaintPk(current.id);
    const at = this.now().toISOString();
    const events: AuditEvent[] = changes.map((change, i) => ({
      complaintId: current.id,
      seq: current.version + 1 + i,
      at,
      type: change.type,
      stage: change.stage ?? next.stage,
      actor: change.actor,
      ...(change.data ? { data: change.data } : {}),
    }));
    // the report record changes in the same write (functions/domain/reports-record.ts)
    let record = item[REPORT_RECORD_ATTRIBUTE] as ReportRecord | undefined;
    for (const event of events) record = nextReportRecord(record, next, event, at);
    assign(REPORT_RECORD_ATTRIBUTE, record);
    let addClause = '';
    if (delta.addAccessTokens?.length) {
      names['#tokens'] = 'accessTokenHashes';
      values[':tokens'] = new Set(delta.addAccessTokens.map(storedHash));
      addClause = ' ADD #tokens :tokens';
      const had = stored.accessTokenHashes instanceof Set ? [...stored.accessTokenHashes] : [];
      stored.accessTokenHashes = new Set([...had, ...(values[':tokens'] as Set<string>)]);
    }
    // the new items in the order they are written: words, then events by seq
    const puts: Record<string, unknown>[] = [
      ...words.map((entry, i) => ({ ...entry, pk, sk: wordSk(had.length + i) })),
      ...events.map((event) => ({ ...event, pk, sk: eventSk(event.seq) })),
    ];
    const extra = this.callQueueItems(current, next, delta);
    // alone, the complaint's write commits the change and carries its new items in the log;
    // with other items to change, one transaction writes them itself and empties the log
    if (extra.length === 0 && !transaction)
      assign(
        LOG,
        puts.map(({ pk: _pk, ...rest }) => rest),
      );
    else if (item[LOG] !== undefined) drop(LOG);
    const update: UpdateInput = {
      TableName: this.table,
      Key: { pk, sk: META },
      UpdateExpression: `SET ${setParts.join(', ')}${removeParts.length ? ` REMOVE ${removeParts.join(', ')}` : ''}${addClause}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    return { next, update, puts, extra, stored };
  }

  /**
   * The agents' call queue follows the complaint's call tasks in the same write: a queue item
   * (GSI1 `CALLS#open`, oldest first) for each open task that is new or has a new text, and
   * the same item without its index attributes (so it leaves the sparse queue: a Put, never a
   * Delete, which the grants do not allow) for each task no longer open.
   */
  private callQueueItems(current: Complaint, next: Complaint, delta: ComplaintChange) {
    if (!('callTasks' in delta.set)) return [];
    const before = new Map((current.callTasks ?? []).map((t) => [t.id, t]));
    const pk = complaintPk(current.id);
    const items: { Put: { TableName: string; Item: Record<string, unknown> } }[] = [];
    for (const task of next.callTasks ?? []) {
      const was = before.get(task.id);
      if (task.status === 'open') {
        if (was?.status === 'open' && was.updatedAt === task.updatedAt && was.text === task.text) continue;
        items.push({
          Put: {
            TableName: this.table,
            Item: {
              pk,
              sk: callTaskSk(task.id),
              gsi1pk: OPEN_CALLS_PK,
              gsi1sk: callQueueSk(task.createdAt, current.id, task.id),
              ...callQueueItem(next, task),
            },
          },
        });
      } else if (was?.status === 'open') {
        items.push({
          Put: {
            TableName: this.table,
            Item: {
              pk,
              sk: callTaskSk(task.id),
              complaintId: current.id,
              taskId: task.id,
              status: task.status,
            },
          },
        });
      }
    }
    return items;
  }

  /** The agents' call queue: open call tasks, oldest first (one Query of GSI1 `CALLS#open`). */
  async openCallTasks(query: PageQuery = {}): Promise<{ items: CallTaskQueueItem[]; nextCursor?: string }> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
    const after = query.cursor === undefined ? undefined : decodeCallCursor(query.cursor);
    const rows = await this.queryRange({
      index: INDEX.byStage,
      pkName: 'gsi1pk',
      skName: 'gsi1sk',
      pk: OPEN_CALLS_PK,
      after,
      forward: true,
      want: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(({ item }) => {
        const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _s1, ...row } = item;
        return row as unknown as CallTaskQueueItem;
      }),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.sortKey) } : {}),
    };
  }

  async claimStep(id: string, steps: readonly Step[], claimId: string, actor: Actor): Promise<PendingStep> {
    if (steps.length === 0) throw new WrongStageError('No step given to claim.');
    const stepValues: Record<string, string> = {};
    steps.forEach((step, i) => {
      stepValues[`:s${i}`] = step;
    });
    const nowMs = Date.now();
    const claim: ClaimRecord = { id: claimId, actor, expiresAt: nowMs + this.claimLeaseMs };
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: complaintPk(id), sk: META },
          UpdateExpression: 'SET #claimedBy = :claimId, #claim = :claim REMOVE #pending.#claimedBy',
          ConditionExpression:
            `attribute_exists(#pending) AND #pending.#step IN (${Object.keys(stepValues).join(', ')})` +
            ' AND ((attribute_not_exists(#claimedBy) AND attribute_not_exists(#pending.#claimedBy))' +
            ' OR #claim.#expiresAt <= :nowMs)',
          ExpressionAttributeNames: {
            '#pending': 'pending',
            '#claimedBy': 'claimedBy',
            '#step': 'step',
            '#claim': 'claim',
            '#expiresAt': 'expiresAt',
          },
          ExpressionAttributeValues: { ...stepValues, ':claimId': claimId, ':claim': claim, ':nowMs': nowMs },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toComplaint(out.Attributes ?? {}).pending as PendingStep;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const current = await this.get(id);
    if (!current) throw new NotFoundError();
    const pending = current.pending;
    if (!pending || !steps.includes(pending.step)) {
      throw new WrongStageError(
        pending
          ? `This complaint is waiting for ${pending.step}, not ${steps.join(' or ')}.`
          : 'This complaint is not waiting for any action.',
      );
    }
    throw new ConflictError('Somebody else is already acting on this step; reload.', 'step_taken');
  }

  async releaseClaim(id: string, claimId: string, reason: string): Promise<void> {
    await this.updateItem(id, (current, item) => {
      const ours = current.pending?.claimedBy === claimId;
      const claim = ours ? (item.claim as ClaimRecord | undefined) : undefined;
      const pending = current.pending;
      return {
        set: ours && pending ? { pending: { ...pending, claimedBy: undefined } } : {},
        event: {
          type: 'action_refused',
          actor: claim?.actor ?? { kind: 'system' },
          data: { reason, ...(pending ? { step: pending.step } : {}) },
        },
      };
    });
  }

  async events(id: string): Promise<AuditEvent[]> {
    const [written, meta] = await Promise.all([
      eventsOf(this.client, this.table, complaintPk(id)),
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: complaintPk(id), sk: META },
          ProjectionExpression: '#log',
          ExpressionAttributeNames: { '#log': LOG },
          ConsistentRead: true,
        }),
      ),
    ]);
    const events = written as unknown as AuditEvent[];
    // events the last change committed in its log and did not write yet
    const have = new Set(events.map((e) => e.seq));
    const logged = logItems(meta.Item ?? {})
      .filter((i) => typeof i.sk === 'string' && i.sk.startsWith(EVENT_PREFIX))
      .map(({ sk: _sk, ...event }) => event as unknown as AuditEvent)
      .filter((e) => !have.has(e.seq));
    return logged.length ? [...events, ...logged].sort((a, b) => a.seq - b.seq) : events;
  }

  /**
   * Staff queues. Index and partitions by filter: department → GSI2 (stage as a filter);
   * stage → GSI1; neither → GSI1 over every open stage, merged (or `STAGE#closed` for
   * status 'closed'). Without `stage`, `status` defaults to 'open'. Open complaints come
   * earliest due first (no pending step last); closed ones most recently closed first.
   * `overdueAt` keeps open complaints whose step was due before that instant.
   * The cursor is the sort key of the last item returned.
   */
  async list(query: ListQuery): Promise<{ items: ComplaintSummary[]; nextCursor?: string }> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
    const status = query.status ?? (query.stage === 'closed' ? 'closed' : 'open');
    if (query.stage && (query.stage === 'closed') !== (status === 'closed')) return { items: [] };
    const closed = status === 'closed';
    if (closed && query.overdueAt) return { items: [] };
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const before = query.overdueAt ? utc(query.overdueAt) : undefined;

    let partitions: { index: string; pkName: string; skName: string; pk: string }[];
    let filterStage: string | undefined;
    if (query.assignee) {
      if (closed) return { items: [] };
      partitions = [
        { index: INDEX.byOwner, pkName: 'gsi5pk', skName: 'gsi5sk', pk: ownerPk(query.assignee) },
      ];
      filterStage = query.stage;
    } else if (query.department) {
      partitions = [
        {
          index: INDEX.byDepartment,
          pkName: 'gsi2pk',
          skName: 'gsi2sk',
          pk: departmentPk(query.department, closed),
        },
      ];
      filterStage = query.stage;
    } else {
      const stages = query.stage ? [query.stage] : closed ? (['closed'] as const) : OPEN_STAGES;
      partitions = stages.map((stage) => ({
        index: INDEX.byStage,
        pkName: 'gsi1pk',
        skName: 'gsi1sk',
        pk: stagePk(stage),
      }));
    }
    const forward = !closed;
    const pages = await Promise.all(
      partitions.map((p) => this.queryRange({ ...p, after, before, forward, filterStage, want: limit + 1 })),
    );
    const merged = pages.flat().sort((a, b) => compare(a.sortKey, b.sortKey) * (forward ? 1 : -1));
    const page = merged.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => toComplaint(r.item)),
      ...(merged.length > limit && last ? { nextCursor: encodeCursor(last.sortKey) } : {}),
    };
  }

  /** Up to `want` items of one index partition, strictly after the cursor and before `before`. */
  private async queryRange(p: {
    index: string;
    pkName: string;
    skName: string;
    pk: string;
    after?: string;
    before?: string;
    forward: boolean;
    filterStage?: string;
    want: number;
  }): Promise<{ sortKey: string; item: Record<string, unknown> }[]> {
    const names: Record<string, string> = { '#pk': p.pkName };
    const values: Record<string, unknown> = { ':pk': p.pk };
    let keyCondition = '#pk = :pk';
    // lower/upper bounds in sort-key order
    let lower: string | undefined;
    let upper: string | undefined;
    if (p.forward) {
      lower = p.after;
      upper = p.before;
    } else {
      upper = p.after;
    }
    if (lower !== undefined || upper !== undefined) names['#sk'] = p.skName;
    if (lower !== undefined && upper !== undefined) {
      // BETWEEN is inclusive: '!' sorts below every character of a sort key's id part, so
      // `lower + '!'` is the smallest key above `lower`; no key equals `upper` (keys end in #<id>).
      keyCondition += ' AND #sk BETWEEN :lower AND :upper';
      values[':lower'] = `${lower}!`;
      values[':upper'] = upper;
    } else if (lower !== undefined) {
      keyCondition += ' AND #sk > :lower';
      values[':lower'] = lower;
    } else if (upper !== undefined) {
      keyCondition += ' AND #sk < :upper';
      values[':upper'] = upper;
    }
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: p.index,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: p.forward,
      Limit: p.filterStage || upper !== undefined ? Math.max(p.want, 100) : p.want,
    };
    const filters: string[] = [];
    if (p.filterStage) {
      filters.push('#stage = :stage');
      names['#stage'] = 'stage';
      values[':stage'] = p.filterStage;
    }
    if (p.forward && upper !== undefined) {
      // overdue: a step just done keeps its row's place until the next step opens (keys.ts)
      filters.push('attribute_exists(#pending)');
      names['#pending'] = 'pending';
    }
    if (filters.length) input.FilterExpression = filters.join(' AND ');
    const out: { sortKey: string; item: Record<string, unknown> }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) out.push({ sortKey: item[p.skName] as string, item });
      start = res.LastEvaluatedKey;
    } while (start && out.length < p.want);
    return out.slice(0, p.want);
  }

  /**
   * Whole complaints received in [from, to): the month index gives the keys (it projects no
   * complaint), then one consistent read each. For tools and tests; the reports read records.
   */
  async listCreatedBetween(from: string, to: string): Promise<Complaint[]> {
    const items = await this.monthItems(from, to);
    const out: Complaint[] = [];
    for (let i = 0; i < items.length; i += 25) {
      const batch = await Promise.all(
        items.slice(i, i + 25).map((item) => this.get(String(item.pk).slice(2))),
      );
      for (const c of batch) if (c) out.push(c);
    }
    return out;
  }

  /**
   * The report records of complaints received in [from, to) (the receipt: `receivedAt`, else
   * `createdAt`): one Query per month partition of GSI3, which projects only the keys and the
   * record (no complaint, no personal data).
   * Items written before records existed get one built from the complaint.
   */
  async reportRecords(from: string, to: string): Promise<ReportRecord[]> {
    const items = await this.monthItems(from, to);
    return Promise.all(items.map((item) => this.recordOf(item)));
  }

  /**
   * `reportRecords`, each record passed to `visit` as its page arrives and then let go (the
   * month index's key ranges all read in parallel, as `reportRecords` reads them).
   */
  async forEachReportRecord(from: string, to: string, visit: (record: ReportRecord) => void): Promise<void> {
    await Promise.all(
      this.monthQueries(from, to).map((input) =>
        this.forEachPage(input, async (items) => {
          for (const item of items) {
            const record = item[REPORT_RECORD_ATTRIBUTE] as ReportRecord | undefined;
            visit(record ?? (await this.recordOf(item)));
          }
        }),
      ),
    );
  }

  /**
   * Ids of the complaints whose open step's warning time is in [from, to]: one keyed Query of
   * the sparse warnings index (GSI6, keys only), never a scan.
   */
  async dueWarnings(from: string, to: string): Promise<string[]> {
    const lower = utc(from);
    const upper = utc(to);
    if (lower > upper) return [];
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: INDEX.warnings,
      // keys are `<warnAt UTC>#<id>`: `~` sorts after every id character
      KeyConditionExpression: 'gsi6pk = :pk AND gsi6sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': WARNINGS_DUE_PK, ':from': lower, ':to': `${upper}#~` },
    });
    return items.map((item) => String(item.pk).slice(2));
  }

  /** The report records of every complaint with an open step (GSI4's sparse OPEN partition). */
  async openReportRecords(): Promise<ReportRecord[]> {
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: INDEX.timers,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': OPEN_STEPS_PK },
      ...(this.reportQueryLimit ? { Limit: this.reportQueryLimit } : {}),
    });
    return Promise.all(items.map((item) => this.recordOf(item)));
  }

  private async recordOf(item: Record<string, unknown>): Promise<ReportRecord> {
    const record = item[REPORT_RECORD_ATTRIBUTE] as ReportRecord | undefined;
    if (record) return record;
    const complaint = await this.get(String(item.pk).slice(2));
    if (!complaint) throw new Error('an index item points to a missing complaint');
    return reportRecordOf(complaint);
  }

  /** The month index's Queries of [from, to): each month partition in key ranges of a few days. */
  private monthQueries(from: string, to: string): QueryCommandInput[] {
    return monthSegments(from, to).map((range) => ({
      TableName: this.table,
      IndexName: INDEX.byMonth,
      // keys are `<receipt UTC>#<id>`: `from` itself sorts before `from#…`, `to#…` after `to`
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
      ...(this.reportQueryLimit ? { Limit: this.reportQueryLimit } : {}),
    }));
  }

  private async monthItems(from: string, to: string): Promise<Record<string, unknown>[]> {
    // all the key ranges in parallel
    const perRange = await Promise.all(this.monthQueries(from, to).map((input) => this.queryAll(input)));
    return perRange.flat();
  }

  /** Every page of a Query, each handed to `onPage` (awaited) before the next is asked for. */
  private async forEachPage(
    input: QueryCommandInput,
    onPage: (items: Record<string, unknown>[]) => Promise<void>,
  ): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      await onPage(out.Items ?? []);
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async listWaiting(): Promise<ComplaintSummary[]> {
    const perStage = await Promise.all(
      OPEN_STAGES.map((stage) =>
        this.queryAll({
          TableName: this.table,
          IndexName: INDEX.byStage,
          // complaints with a pending step sort by its due instant, the others under NOT_DUE
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :notDue',
          ExpressionAttributeValues: { ':pk': stagePk(stage), ':notDue': NOT_DUE },
          ...(this.reportQueryLimit ? { Limit: this.reportQueryLimit } : {}),
        }),
      ),
    );
    return perStage
      .flat()
      .map(toComplaint)
      .filter((c) => c.pending !== undefined);
  }

  async hasEarlierByCustomer(
    customerKeys: readonly string[],
    since: string,
    before: string,
  ): Promise<boolean> {
    const lower = utc(since);
    const upper = utc(before);
    if (lower >= upper) return false;
    // one query per contact (at most email and phone), each reading at most one link
    const found = await Promise.all(
      [...new Set(customerKeys)].map(async (customerKey) => {
        const out = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            // sk is `<createdAt>#<id>`: `before#…` sorts after `before`, so `before` itself is out
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :before',
            ExpressionAttributeValues: { ':pk': customerPk(customerKey), ':since': lower, ':before': upper },
            ProjectionExpression: 'pk',
            Limit: 1,
          }),
        );
        return (out.Count ?? 0) > 0;
      }),
    );
    return found.includes(true);
  }

  async linkedComplaints(links: readonly ComplaintLink[], limit: number): Promise<Complaint[]> {
    if (limit < 1 || links.length === 0) return [];
    const distinct = [...new Map(links.map((l) => [`${l.kind}:${l.key}`, l])).values()];
    // one query per link partition (newest first), reading only the ids
    const perLink = await Promise.all(
      distinct.map((link) =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: {
              ':pk': link.kind === 'order' ? orderPk(link.key) : customerPk(link.key),
            },
            ProjectionExpression: 'sk, complaintId',
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    const newest = new Map<string, string>();
    for (const out of perLink) {
      for (const item of out.Items ?? []) newest.set(String(item.complaintId), String(item.sk));
    }
    const ids = [...newest.entries()]
      .sort((a, b) => compare(b[1], a[1]))
      .slice(0, limit)
      .map(([id]) => id);
    const complaints = await Promise.all(ids.map((id) => this.get(id)));
    return complaints.filter((c): c is Complaint => c !== undefined);
  }

  /**
   * Attachments live in the complaint's partition: `A#<attachmentId>` items and one head item
   * `A#` whose `rev` every reservation bumps, so that concurrent reservations are serialized
   * (each counts the slots it read, conditioned on the head's `rev` as read).
   */
  async addAttachment(attachment: Attachment, maxFiles: number, nowMs: number): Promise<void> {
    const pk = complaintPk(attachment.complaintId);
    // complaints are never deleted: one read suffices (a ConditionCheck would need another IAM action)
    const exists = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk, sk: META },
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    if (!exists.Item) throw new NotFoundError();
    for (let attempt = 1; ; attempt++) {
      const items = await this.attachmentItems(attachment.complaintId);
      const head = items.find((i) => i.sk === ATTACHMENTS_HEAD_SK);
      const rev = typeof head?.rev === 'number' ? head.rev : 0;
      const taken = items.filter((i) => i.sk !== ATTACHMENTS_HEAD_SK).map(toAttachment);
      if (taken.filter((a) => occupiesSlot(a, nowMs)).length >= maxFiles) {
        throw new TooManyAttachmentsError(maxFiles);
      }
      // pending items expire (TTL) a week after their upload URL; settling as uploaded removes it
      const ttl = Math.floor(Date.parse(attachment.uploadExpiresAt) / 1000) + 7 * 24 * 3600;
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: { pk, sk: ATTACHMENTS_HEAD_SK, rev: rev + 1 },
                  ConditionExpression: head ? '#rev = :rev' : 'attribute_not_exists(pk)',
                  ...(head ? { ExpressionAttributeNames: { '#rev': 'rev' } } : {}),
                  ...(head ? { ExpressionAttributeValues: { ':rev': rev } } : {}),
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...attachment,
                    pk,
                    sk: attachmentSk(attachment.attachmentId),
                    [COMPLAINTS_TABLE.timeToLiveAttribute]: ttl,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return;
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons) throw error;
        if (reasons[1] === 'ConditionalCheckFailed') throw new ConflictError('This attachment id is taken.');
        if (attempt >= this.maxAttempts) throw new ConflictError('Too many files at once; try again.');
        await backoff(attempt);
      }
    }
  }

  async attachments(complaintId: string): Promise<Attachment[]> {
    const items = await this.attachmentItems(complaintId);
    return items
      .filter((i) => i.sk !== ATTACHMENTS_HEAD_SK)
      .map(toAttachment)
      .sort(byCreation);
  }

  async getAttachment(complaintId: string, attachmentId: string): Promise<Attachment | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: complaintPk(complaintId), sk: attachmentSk(attachmentId) },
        ConsistentRead: true,
      }),
    );
    return out.Item ? toAttachment(out.Item) : undefined;
  }

  async settleAttachment(
    complaintId: string,
    attachmentId: string,
    outcome: AttachmentOutcome,
  ): Promise<Attachment> {
    const pk = complaintPk(complaintId);
    return retryLostRaces(
      this.maxAttempts,
      'The complaint changed at the same time; try again.',
      async () => {
        const a = await this.getAttachment(complaintId, attachmentId);
        if (!a) throw new NotFoundError('No attachment with this id was found.');
        if (a.status === outcome.status) return a;
        if (a.status !== 'pending') throw new ConflictError(`This attachment is already ${a.status}.`);
        const read = await this.read(complaintId);
        if (!read) throw new NotFoundError();
        await this.flushLog(complaintId, read.item);
        const { update, puts } = this.updateItems(
          read.complaint,
          { set: {}, event: attachmentEvent(a, outcome) },
          read.item,
          true,
        );
        const transactItems = this.asTransaction(update, puts, []);
        const settled: Attachment =
          outcome.status === 'uploaded'
            ? { ...a, status: 'uploaded', uploadedAt: outcome.at }
            : { ...a, status: 'rejected', rejectedReason: outcome.reason };
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              ...transactItems,
              {
                Update: {
                  TableName: this.table,
                  Key: { pk, sk: attachmentSk(attachmentId) },
                  UpdateExpression:
                    outcome.status === 'uploaded'
                      ? 'SET #status = :status, #detail = :detail REMOVE #ttl'
                      : 'SET #status = :status, #detail = :detail',
                  ConditionExpression: '#status = :pending',
                  ExpressionAttributeNames: {
                    '#status': 'status',
                    '#detail': outcome.status === 'uploaded' ? 'uploadedAt' : 'rejectedReason',
                    ...(outcome.status === 'uploaded'
                      ? { '#ttl': COMPLAINTS_TABLE.timeToLiveAttribute }
                      : {}),
                  },
                  ExpressionAttributeValues: {
                    ':status': outcome.status,
                    ':detail': outcome.status === 'uploaded' ? outcome.at : outcome.reason,
                    ':pending': 'pending',
                  },
                },
              },
            ],
          }),
        );
        return settled;
      },
    );
  }

  private attachmentItems(complaintId: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': complaintPk(complaintId), ':a': ATTACHMENT_PREFIX },
      ConsistentRead: true,
    });
  }

  private queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, input);
  }
}

/**
 * How a token hash is kept in `accessTokenHashes`: a SHA-256 in hex (64 characters) as
 * base64url (43), since the set is rewritten with every write of the complaint; hashes stored
 * before in hex are still found (hasAccessToken looks for both).
 */
function storedHash(hash: string): string {
  return /^[0-9a-f]{64}$/.test(hash) ? Buffer.from(hash, 'hex').toString('base64url') : hash;
}

function toComplaint(item: Record<string, unknown>): Complaint {
  const complaint = withoutAttributes(item, HIDDEN) as unknown as Complaint;
  const claimedBy = item[CLAIMED_BY];
  if (typeof claimedBy === 'string' && complaint.pending) {
    complaint.pending = { ...complaint.pending, claimedBy };
  }
  return complaint;
}

function toWord(item: Record<string, unknown>): RecordEntry {
  const { pk: _pk, sk: _sk, ...entry } = item;
  return entry as unknown as RecordEntry;
}

function toAttachment(item: Record<string, unknown>): Attachment {
  const { pk: _pk, sk: _sk, [COMPLAINTS_TABLE.timeToLiveAttribute]: _ttl, ...rest } = item;
  return rest as unknown as Attachment;
}

function encodeCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ after: sortKey }), 'utf8').toString('base64url');
}

function decodeCallCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (
      typeof parsed.after === 'string' &&
      /^[0-9A-Za-z:.-]+#[0-9A-Z-]+#T[0-9A-Za-z]{10}$/.test(parsed.after)
    )
      return parsed.after;
  } catch {
    // falls through
  }
  throw new ValidationError('Invalid cursor.', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' && /^[0-9A-Za-z:.-]+#[0-9A-Z-]+$/.test(parsed.after))
      return parsed.after;
  } catch {
    // falls through
  }
  throw new ValidationError('Invalid cursor.', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
}
