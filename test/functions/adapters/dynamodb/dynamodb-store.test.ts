import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoComplaintStore } from '../../../../functions/adapters/dynamodb/complaint-store.js';
import { DynamoImprovementStore } from '../../../../functions/adapters/dynamodb/improvement-store.js';
import {
  CALL_TASK_ATTRIBUTES,
  COMPLAINTS_TABLE,
  createTable,
  LIST_ATTRIBUTES,
} from '../../../../functions/adapters/dynamodb/table.js';
import { ConflictError } from '../../../../functions/domain/errors.js';
import type { Complaint } from '../../../../functions/domain/model.js';
import {
  customerKeys as customerKeysOf,
  orderKey as orderKeyOf,
} from '../../../../functions/domain/search.js';
import { localAwsConfig } from '../../../support/dynamodb-local.js';
import { improvementStoreContract } from '../../domain/improvements/contract.js';
import { complaintStoreContract } from '../../domain/store/contract.js';
import { agent, createInput, newComplaint, pendingStep, system } from '../../domain/store/fixtures.js';

const client = new DynamoDBClient({ ...localAwsConfig, endpoint: inject('dynamoEndpoint') });
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

afterAll(() => {
  client.destroy();
});

/** update()'s commit: the complaint's conditional write (or its transaction, with other items) */
const isCommit = (command: unknown) =>
  command instanceof TransactWriteCommand || command instanceof UpdateCommand;

async function freshTable(): Promise<string> {
  const tableName = `t-${randomUUID()}`;
  await createTable(client, tableName);
  return tableName;
}

async function freshStore(options: { claimLeaseMs?: number } = {}) {
  const tableName = await freshTable();
  return { tableName, store: new DynamoComplaintStore({ client: doc, tableName, ...options }) };
}

complaintStoreContract('DynamoComplaintStore', async () => (await freshStore()).store);

improvementStoreContract(
  'DynamoImprovementStore',
  async () => new DynamoImprovementStore({ client: doc, tableName: await freshTable() }),
);

describe('DynamoComplaintStore specifics', () => {
  it('reads every report record and every waiting complaint page by page with a reportQueryLimit (DynamoDB Local), the same as without', async () => {
    const { tableName, store } = await freshStore();
    const limited = new DynamoComplaintStore({ client: doc, tableName, reportQueryLimit: 2 });
    // seven complaints in the first 8-day key range of October, four with an open step
    for (let day = 1; day <= 7; day++) {
      const { complaint } = await store.create(
        createInput({ complaint: newComplaint({ createdAt: `2026-10-0${day}T10:00:00+08:00` }) }),
      );
      if (day % 2 === 1) {
        await store.update(complaint.id, () => ({
          set: { stage: 'investigation', pending: pendingStep('investigation', '2026-10-20T18:00:00+08:00') },
          event: { type: 'step_opened', actor: system },
        }));
      }
    }
    const from = '2026-10-01T00:00:00+08:00';
    const to = '2027-01-01T00:00:00+08:00';
    const ids = (records: { id: string }[]) => records.map((r) => r.id).sort();
    const all = ids(await store.reportRecords(from, to));
    expect(all).toHaveLength(7);
    expect(ids(await limited.reportRecords(from, to))).toEqual(all);
    const visited: { id: string }[] = [];
    await limited.forEachReportRecord(from, to, (r) => visited.push(r));
    expect(ids(visited)).toEqual(all);
    const open = ids(await store.openReportRecords());
    expect(open).toHaveLength(4);
    expect(ids(await limited.openReportRecords())).toEqual(open);
    // the local restart's cross-check pages the same way
    const waiting = ids(await store.listWaiting());
    expect(waiting).toEqual(open);
    const limits: unknown[] = [];
    const recording = {
      send: (command: { input: { Limit?: number } }) => {
        if (command instanceof QueryCommand) limits.push(command.input.Limit);
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const paged = new DynamoComplaintStore({ client: recording, tableName, reportQueryLimit: 2 });
    expect(ids(await paged.listWaiting())).toEqual(waiting);
    expect(limits.length).toBeGreaterThan(0);
    expect(new Set(limits)).toEqual(new Set([2]));
  });

  it('creates the table as defined: keys, the queue indexes projecting the list attributes, GSI3–4 only the report record, GSI6 keys only, TTL on expiresAt', async () => {
    const tableName = await freshTable();
    await createTable(client, tableName); // a second call is harmless
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const gsis = (Table?.GlobalSecondaryIndexes ?? []).map((g) => [
      g.IndexName,
      g.KeySchema?.map((k) => k.AttributeName).join('/'),
      g.Projection?.ProjectionType,
      g.Projection?.NonKeyAttributes?.join(','),
    ]);
    expect(gsis.sort()).toEqual([
      ['GSI1', 'gsi1pk/gsi1sk', 'INCLUDE', [...LIST_ATTRIBUTES, ...CALL_TASK_ATTRIBUTES].join(',')],
      ['GSI2', 'gsi2pk/gsi2sk', 'INCLUDE', LIST_ATTRIBUTES.join(',')],
      ['GSI3', 'gsi3pk/gsi3sk', 'INCLUDE', 'rp'],
      ['GSI4', 'gsi4pk/gsi4sk', 'INCLUDE', 'rp'],
      ['GSI5', 'gsi5pk/gsi5sk', 'INCLUDE', LIST_ATTRIBUTES.join(',')],
      ['GSI6', 'gsi6pk/gsi6sk', 'KEYS_ONLY', undefined],
    ]);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(COMPLAINTS_TABLE.timeToLiveAttribute);
  });

  it('keeps personal data out of every key and index attribute', async () => {
    const { tableName, store } = await freshStore();
    const input = createInput({
      customerKeys: ['a'.repeat(64), 'b'.repeat(64)],
      idempotency: { key: 'client-key-with-zhang@example.com', bodyHash: 'b' },
    });
    await store.create(input);
    await store.update(input.complaint.id, () => ({
      set: {
        stage: 'investigation',
        department: 'logistics',
        pending: pendingStep('investigation', '2026-11-24T18:00:00+08:00'),
      },
      event: { type: 'step_opened', actor: system },
    }));
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: { pk: `C#${input.complaint.id}`, sk: 'META' } }),
    );
    const keyValues = [
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
    ].map((k) => String(Item?.[k]));
    expect(keyValues).toEqual([
      `C#${input.complaint.id}`,
      'META',
      'STAGE#investigation',
      `2026-11-24T10:00:00.000Z#${input.complaint.id}`,
      'DEPT#logistics',
      `2026-11-24T10:00:00.000Z#${input.complaint.id}`,
      'MONTH#2026-11',
      `2026-11-23T06:30:00.000Z#${input.complaint.id}`,
      'OPEN',
      `2026-11-24T10:00:00.000Z#${input.complaint.id}`,
    ]);
    // the report record, the only attribute the month and timers indexes project
    for (const v of [...keyValues, JSON.stringify(Item?.rp)]) {
      expect(v).not.toMatch(/zhang|张三|example\.com|快递|订单/);
    }
    expect(Item?.rp).toMatchObject({
      id: input.complaint.id,
      stage: 'investigation',
      department: 'logistics',
    });
    // the idempotency key is stored hashed
    const idem = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: 'IDEM#client-key-with-zhang@example.com', sk: 'IDEM' },
      }),
    );
    expect(idem.Item).toBeUndefined();
  });

  it('retries an update whose read was overtaken by a claim, and keeps the claim', async () => {
    const { tableName, store } = await freshStore();
    const { complaint } = await store.create(createInput());
    await store.update(complaint.id, () => ({
      set: { stage: 'investigation', pending: pendingStep('investigation', '2026-11-24T18:00:00+08:00') },
      event: { type: 'step_opened', actor: system },
    }));
    // a client that lets a claim land between update()'s read and its write
    let raced = false;
    const racing = {
      send: async (command: unknown) => {
        if (isCommit(command) && !raced) {
          raced = true;
          await store.claimStep(complaint.id, ['investigation'], 'req-x', agent);
        }
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const racer = new DynamoComplaintStore({ client: racing, tableName });
    const seen: (string | undefined)[] = [];
    const updated = await racer.update(complaint.id, (c) => {
      seen.push(c.pending?.claimedBy);
      return { set: { escalations: c.escalations + 1 }, event: { type: 'escalated', actor: system } };
    });
    expect(raced).toBe(true);
    expect(seen).toEqual([undefined, 'req-x']);
    expect(updated.pending?.claimedBy).toBe('req-x');
    expect((await store.get(complaint.id))?.pending?.claimedBy).toBe('req-x');
  });

  it('lets a claim whose lease ran out be taken over', async () => {
    const { tableName, store } = await freshStore();
    const expiring = new DynamoComplaintStore({ client: doc, tableName, claimLeaseMs: 0 });
    const { complaint } = await store.create(createInput());
    await store.update(complaint.id, () => ({
      set: { stage: 'review', pending: pendingStep('review', '2026-11-24T18:00:00+08:00') },
      event: { type: 'step_opened', actor: system },
    }));
    await expiring.claimStep(complaint.id, ['review'], 'crashed', agent);
    // a normal lease holds against a second claim…
    await store.claimStep(complaint.id, ['review'], 'req-2', agent);
    await expect(store.claimStep(complaint.id, ['review'], 'req-3', agent)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await store.get(complaint.id))?.pending?.claimedBy).toBe('req-2');
  });

  it('gives up with ConflictError after maxAttempts lost races', async () => {
    const { tableName, store } = await freshStore();
    const { complaint } = await store.create(createInput());
    // every write loses: another writer bumps the version behind its back before each write
    let n = 0;
    const losing = {
      send: async (command: unknown) => {
        if (isCommit(command)) {
          n++;
          await store.update(complaint.id, (c) => ({
            set: { escalations: c.escalations + 1 },
            event: { type: 'escalated', actor: system },
          }));
        }
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const loser = new DynamoComplaintStore({ client: losing, tableName, maxAttempts: 3 });
    await expect(
      loser.update(complaint.id, () => ({
        set: { subject: 'never' },
        event: { type: 'reminded', actor: system },
      })),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(n).toBe(3);
    const final = (await store.get(complaint.id)) as Complaint;
    expect(final.subject).toBe(complaint.subject);
    expect(final.escalations).toBe(3);
  });

  it('finds linked complaints with keyed queries on the link partitions and reads by key: no Scan, no index', async () => {
    const { tableName, store } = await freshStore();
    const orderKey = orderKeyOf('SO-2026-10-0001') as string;
    const [email] = customerKeysOf({ email: 'zhang@example.com' });
    const input = createInput({ customerKeys: [email as string], orderKey });
    await store.create(input);
    // the order link is written with the complaint, keyed by a hash (no order reference in a key)
    const link = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ORDER#${orderKey}` },
      }),
    );
    expect(link.Items).toEqual([
      {
        pk: `ORDER#${orderKey}`,
        sk: `2026-11-23T06:30:00.000Z#${input.complaint.id}`,
        complaintId: input.complaint.id,
        createdAt: input.complaint.createdAt,
      },
    ]);
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const spying = {
      send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const spied = new DynamoComplaintStore({ client: spying, tableName });
    const found = await spied.linkedComplaints(
      [
        { kind: 'order', key: orderKey },
        { kind: 'customer', key: email as string },
      ],
      50,
    );
    expect(found.map((c) => c.id)).toEqual([input.complaint.id]);
    // two link partitions, then the complaint (its item and its words: one keyed Query)
    expect(sent.map((c) => c.name)).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
    for (const c of sent) expect(c.input.IndexName).toBeUndefined();
    expect(sent.slice(0, 2).map((c) => c.input.KeyConditionExpression)).toEqual(['pk = :pk', 'pk = :pk']);
    expect(sent[2]?.input.KeyConditionExpression).toBe('pk = :pk AND begins_with(sk, :meta)');
    expect(
      sent
        .map((c) => c.input.ExpressionAttributeValues?.[':pk' as never])
        .filter(Boolean)
        .sort(),
    ).toEqual([`CUST#${email}`, `ORDER#${orderKey}`, `C#${input.complaint.id}`].sort());
  });

  it('keeps the words in their own append-only items, read with the complaint; older inline words still read first', async () => {
    const { tableName, store } = await freshStore();
    const input = createInput();
    const { complaint } = await store.create(input);
    const pk = `C#${complaint.id}`;
    const entry = (plan: string) => ({
      kind: 'proposal' as const,
      round: 1,
      plan,
      at: '2026-11-23T08:00:00.000Z',
      actor: agent,
    });
    await store.update(complaint.id, (c) => ({
      set: { record: [...(c.record ?? []), entry('first')] },
      event: { type: 'proposed', actor: agent },
    }));
    await store.update(complaint.id, (c) => ({
      set: { record: [...(c.record ?? []), entry('second')] },
      event: { type: 'proposed', actor: agent },
    }));
    expect(
      (await store.get(complaint.id))?.record?.map((e) => (e.kind === 'proposal' ? e.plan : '')),
    ).toEqual(['first', 'second']);
    // the complaint item holds none of them; each word item was written once
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'META' } }));
    expect(Item?.record).toBeUndefined();
    const words = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
        ExpressionAttributeValues: { ':pk': pk, ':w': 'META#W#' },
      }),
    );
    expect(words.Items?.map((i) => [i.sk, i.plan])).toEqual([
      ['META#W#00000000', 'first'],
      ['META#W#00000001', 'second'],
    ]);
    // the record only grows
    await expect(
      store.update(complaint.id, () => ({ set: { record: [] }, event: { type: 'proposed', actor: agent } })),
    ).rejects.toThrow(/only grows/);

    // an item written before: its words inline; new words follow in word items
    const legacy = newComplaint({ id: 'C2611-LEGA-CY01', createdAt: '2026-11-23T06:30:00.000Z' });
    const { record: _none, ...legacyItem } = legacy;
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...legacyItem,
                version: 1,
                pk: `C#${legacy.id}`,
                sk: 'META',
                record: [entry('inline')],
              },
            },
          },
        ],
      }),
    );
    await store.update(legacy.id, (c) => ({
      set: { record: [...(c.record ?? []), entry('after')] },
      event: { type: 'proposed', actor: agent },
    }));
    expect((await store.get(legacy.id))?.record?.map((e) => (e.kind === 'proposal' ? e.plan : ''))).toEqual([
      'inline',
      'after',
    ]);
    const legacyMeta = await doc.send(
      new GetCommand({ TableName: tableName, Key: { pk: `C#${legacy.id}`, sk: 'META' } }),
    );
    expect(legacyMeta.Item?.record).toHaveLength(1);
  });

  it('keeps the queue keys of a done step until the next step opens; the row shows no step to act on and is not overdue', async () => {
    const { tableName, store } = await freshStore();
    const { complaint } = await store.create(createInput());
    const id = complaint.id;
    const key = { pk: `C#${id}`, sk: 'META' };
    const due = '2026-11-24T18:00:00+08:00';
    await store.update(id, () => ({
      set: { stage: 'investigation', department: 'logistics', pending: pendingStep('investigation', due) },
      event: { type: 'step_opened', actor: system },
    }));
    const opened = (await doc.send(new GetCommand({ TableName: tableName, Key: key }))).Item;
    const later = '2026-11-30T00:00:00.000Z';
    const overdue = async () =>
      (await store.list({ stage: 'investigation', overdueAt: later })).items.map((c) => c.id);
    expect(await overdue()).toEqual([id]);
    // the step is done (Record): pending leaves, the stage stays
    await store.update(id, () => ({
      set: {},
      remove: ['pending'],
      event: { type: 'investigated', actor: agent },
    }));
    const done = (await doc.send(new GetCommand({ TableName: tableName, Key: key }))).Item;
    for (const k of ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']) expect(done?.[k]).toBe(opened?.[k]);
    expect(done?.gsi4pk).toBeUndefined();
    // the staff list at once: the row offers no step, and it is not overdue
    const rows = await store.list({ stage: 'investigation' });
    expect(rows.items.map((c) => [c.id, c.pending])).toEqual([[id, undefined]]);
    expect((await store.list({ department: 'logistics' })).items.map((c) => c.pending)).toEqual([undefined]);
    expect(await overdue()).toEqual([]);
    expect((await store.listWaiting()).map((c) => c.id)).not.toContain(id);
    // the next step opens: the row moves once, to the new step's deadline
    await store.update(id, () => ({
      set: { stage: 'proposal', pending: pendingStep('proposal', '2026-11-26T18:00:00+08:00') },
      event: { type: 'step_opened', actor: system },
    }));
    const next = (await doc.send(new GetCommand({ TableName: tableName, Key: key }))).Item;
    expect([next?.gsi1pk, next?.gsi1sk]).toEqual(['STAGE#proposal', `2026-11-26T10:00:00.000Z#${id}`]);
    expect((await store.list({ stage: 'proposal' })).items.map((c) => c.pending?.step)).toEqual(['proposal']);
  });

  it('commits a change with one conditional write; a writer stopped before writing its items loses none of them', async () => {
    const { tableName, store } = await freshStore();
    const { complaint } = await store.create(createInput());
    const pk = `C#${complaint.id}`;
    const entry = {
      kind: 'proposal' as const,
      round: 1,
      plan: 'Refund the fee.',
      at: '2026-11-23T08:00:00.000Z',
      actor: agent,
    };
    // a writer whose item writes all fail after its commit (or whose process stops there)
    const sent: string[] = [];
    const stopping = {
      send: async (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        if (command instanceof PutCommand) throw new Error('stopped');
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const stopped = new DynamoComplaintStore({ client: stopping, tableName });
    // committed: the change is done, whatever became of its item writes
    const done = await stopped.update(complaint.id, (c) => ({
      set: { record: [...(c.record ?? []), entry], proposalRounds: 1 },
      event: { type: 'proposed', actor: agent, data: { round: 1 } },
    }));
    expect(done.version).toBe(2);
    // no transaction: the complaint's one conditional write, then the first item
    expect(sent.filter((n) => n !== 'QueryCommand')).toEqual(['UpdateCommand', 'PutCommand']);
    const eventItems = async () =>
      (
        await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
            ExpressionAttributeValues: { ':pk': pk, ':e': 'E#' },
            ConsistentRead: true,
          }),
        )
      ).Items?.map((i) => i.type);
    expect(await eventItems()).toEqual(['registered']);
    // the change is committed: every reader sees it, its words and its event
    const read = await store.get(complaint.id);
    expect(read?.version).toBe(2);
    expect(read?.proposalRounds).toBe(1);
    expect(read?.record).toEqual([entry]);
    expect((await store.events(complaint.id)).map((e) => [e.seq, e.type])).toEqual([
      [1, 'registered'],
      [2, 'proposed'],
    ]);
    // the next change writes them first, then its own
    await store.update(complaint.id, () => ({ set: {}, event: { type: 'reminded', actor: system } }));
    expect(await eventItems()).toEqual(['registered', 'proposed', 'reminded']);
    const words = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
        ExpressionAttributeValues: { ':pk': pk, ':w': 'META#W#' },
      }),
    );
    expect(words.Items?.map((i) => i.plan)).toEqual(['Refund the fee.']);
    expect((await store.events(complaint.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await store.get(complaint.id))?.record).toEqual([entry]);
  });

  it('starts an update from the complaint it has just answered without reading again; one changed since is read again', async () => {
    const { tableName, store } = await freshStore();
    const { complaint } = await store.create(createInput());
    const sent: string[] = [];
    let stop = false;
    const counting = {
      send: async (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        if (stop && command instanceof PutCommand) throw new Error('stopped');
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const task = new DynamoComplaintStore({ client: counting, tableName });
    const read = (await task.get(complaint.id)) as Complaint;
    expect(sent).toEqual(['QueryCommand']);
    // from what get answered: no read (its log is empty: nothing to check), one write and its event
    sent.length = 0;
    const first = await task.update(
      complaint.id,
      () => ({ set: { escalations: 1 }, event: { type: 'escalated', actor: system } }),
      { current: read },
    );
    expect(sent).toEqual(['UpdateCommand', 'PutCommand']);
    // from what update answered (its items all written): again no read
    sent.length = 0;
    const second = await task.update(
      complaint.id,
      (c) => ({ set: { escalations: c.escalations + 1 }, event: { type: 'reminded', actor: system } }),
      { current: first },
    );
    expect(sent).toEqual(['UpdateCommand', 'PutCommand']);
    expect(second.version).toBe(3);
    // changed by someone else since: the version condition fails, the change is computed again
    await store.update(complaint.id, (c) => ({
      set: { escalations: c.escalations + 10 },
      event: { type: 'escalated', actor: system },
    }));
    sent.length = 0;
    const seen: number[] = [];
    const third = await task.update(
      complaint.id,
      (c) => {
        seen.push(c.escalations);
        return { set: { escalations: c.escalations + 1 }, event: { type: 'reminded', actor: system } };
      },
      { current: second },
    );
    expect(seen).toEqual([2, 12]);
    expect(third.escalations).toBe(13);
    expect(sent.slice(0, 2)).toEqual(['UpdateCommand', 'QueryCommand']);
    // a writer stopped before its items: the next change from its answer writes them first
    stop = true;
    const stopped = await task.update(
      complaint.id,
      () => ({ set: {}, event: { type: 'reminded', actor: system } }),
      { current: third },
    );
    stop = false;
    await task.update(
      complaint.id,
      () => ({ set: { escalations: 0 }, event: { type: 'escalated', actor: system } }),
      { current: stopped },
    );
    const stored = (await store.get(complaint.id)) as Complaint;
    expect(stored.version).toBe(7);
    expect(stored.escalations).toBe(0);
    const items = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': `C#${complaint.id}`, ':e': 'E#' },
        ConsistentRead: true,
      }),
    );
    expect(items.Items?.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // a complaint the store did not answer (a copy) serves nothing: the update reads
    sent.length = 0;
    await task.update(complaint.id, () => ({ set: {}, event: { type: 'reminded', actor: system } }), {
      current: { ...stored },
    });
    expect(sent[0]).toBe('QueryCommand');
  });

  it('finds the warnings due with one keyed query of the warnings index (no Scan), each until it is sent', async () => {
    const { tableName, store } = await freshStore();
    const { complaint } = await store.create(createInput());
    const warnAt = '2026-11-24T06:00:00.000Z';
    await store.update(complaint.id, () => ({
      set: { pending: pendingStep('investigation', '2026-11-24T10:00:00+08:00', { warnAt }) },
      event: { type: 'step_opened', actor: system },
    }));
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const spying = {
      send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const spied = new DynamoComplaintStore({ client: spying, tableName });
    // a window ending a minute before the warning time finds nothing; one reaching it finds it
    expect(await spied.dueWarnings('2026-11-22T06:00:00Z', '2026-11-24T05:59:00Z')).toEqual([]);
    expect(await spied.dueWarnings('2026-11-22T06:00:00Z', '2026-11-24T06:00:00Z')).toEqual([complaint.id]);
    expect(sent.map((c) => c.name)).toEqual(['QueryCommand', 'QueryCommand']);
    for (const c of sent) {
      expect(c.input.IndexName).toBe('GSI6');
      expect(c.input.KeyConditionExpression).toBe('gsi6pk = :pk AND gsi6sk BETWEEN :from AND :to');
    }
    // once sent, the complaint leaves the index
    await store.update(complaint.id, (c) => ({
      set: { pending: { ...(c.pending as NonNullable<Complaint['pending']>), warnedAt: warnAt } },
      event: { type: 'warned', actor: system },
    }));
    expect(await store.dueWarnings('2026-11-22T06:00:00Z', '2026-11-24T06:00:00Z')).toEqual([]);
  });

  it('issues a fresh reference when the random one is already taken', async () => {
    const { store } = await freshStore();
    const first = createInput();
    await store.create(first);
    const clash = createInput({ complaint: newComplaint({ id: first.complaint.id, subject: 'second' }) });
    const { complaint, created } = await store.create(clash);
    expect(created).toBe(true);
    expect(complaint.id).not.toBe(first.complaint.id);
    expect(complaint.id).toMatch(/^C2611-/);
    expect((await store.get(complaint.id))?.subject).toBe('second');
    expect((await store.get(first.complaint.id))?.subject).toBe(first.complaint.subject);
  });
});
