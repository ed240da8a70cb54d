import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { DynamoComplaintStore } from '../../../functions/adapters/dynamodb/complaint-store.js';
import { createTable } from '../../../functions/adapters/dynamodb/table.js';
import { setStore } from '../../../functions/adapters/store.js';
import { handler as createComplaint } from '../../../functions/api/create-complaint.js';
import { handler as customerAction } from '../../../functions/api/customer-action.js';
import { handler as reports } from '../../../functions/api/reports.js';
import { handler as staffAction } from '../../../functions/api/staff-action.js';
import { handler as staffList } from '../../../functions/api/staff-list.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { localAwsConfig } from '../../support/dynamodb-local.js';
import {
  type captureOutput,
  customerBody,
  givenComplaint,
  openStep,
  STATE_MACHINE_ARN,
  useApiTestWorld,
} from './helpers.js';

/**
 * The handlers against DynamoDB Local (one table for this file), with Step Functions
 * mocked the way it behaves: one execution per name, one success per task token.
 */

const client = new DynamoDBClient({ ...localAwsConfig, endpoint: inject('dynamoEndpoint') });
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const tableName = `api-${randomUUID()}`;
const store = new DynamoComplaintStore({ client: doc, tableName });
let output: ReturnType<typeof captureOutput>;
const sfnMock = useApiTestWorld({
  store: () => store,
  each: (world) => {
    output = world.output;
  },
});

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

/** Step Functions as it behaves: a name starts one execution; a token succeeds once. */
function behaveLikeStepFunctions() {
  const executions = new Set<string>();
  const usedTokens = new Set<string>();
  sfnMock.on(StartExecutionCommand).callsFake(async (input: { name: string }) => {
    if (executions.has(input.name))
      throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
    executions.add(input.name);
    return { executionArn: `arn:exec:${input.name}`, startDate: new Date() };
  });
  sfnMock.on(SendTaskSuccessCommand).callsFake(async (input: { taskToken: string }) => {
    if (usedTokens.has(input.taskToken))
      throw new TaskDoesNotExist({ message: 'Task does not exist', $metadata: {} });
    usedTokens.add(input.taskToken);
    return {};
  });
  return { executions };
}

async function itemCount(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

beforeAll(async () => {
  await createTable(client, tableName);
});

afterAll(() => {
  client.destroy();
});

describe('idempotency under concurrent requests', () => {
  it('8 parallel POSTs with one key: one complaint, one execution name, every token works', async () => {
    const { executions } = behaveLikeStepFunctions();
    const key = randomUUID();
    const body = { ...customerBody, subject: `parallel ${key}` };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        invoke(
          createComplaint,
          apiEvent({ method: 'POST', route: '/complaints', body, headers: { 'Idempotency-Key': key } }),
        ),
      ),
    );

    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    expect(executions).toEqual(new Set([id]));
    const names = new Set(sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name));
    expect(names).toEqual(new Set([id]));
    const day = 24 * 3600 * 1000;
    const around = (offset: number) => new Date(Date.now() + offset).toISOString();
    const stored = (await store.listCreatedBetween(around(-day), around(day))).filter(
      (c) => c.subject === body.subject,
    );
    expect(stored.map((c) => c.id)).toEqual([id]);
    for (const a of answers) expect(await store.hasAccessToken(id, sha256(a.body.accessToken))).toBe(true);
    expect((await store.events(id)).filter((e) => e.type === 'registered')).toHaveLength(1);
  });

  it('the same key with another body is refused and stores nothing', async () => {
    behaveLikeStepFunctions();
    const key = randomUUID();
    const first = await invoke(
      createComplaint,
      apiEvent({
        method: 'POST',
        route: '/complaints',
        body: customerBody,
        headers: { 'idempotency-key': key },
      }),
    );
    expect(first.statusCode).toBe(201);
    const before = await itemCount();
    const second = await invoke(
      createComplaint,
      apiEvent({
        method: 'POST',
        route: '/complaints',
        body: { ...customerBody, subject: 'changed' },
        headers: { 'idempotency-key': key },
      }),
    );
    expect(second.statusCode).toBe(409);
    expect(second.body.error.code).toBe('idempotency_key_reused');
    expect(await itemCount()).toBe(before);
  });
});

describe('conflicting staff actions', () => {
  it('two parallel actions on the same step: one 202, one 409; one SendTaskSuccess', async () => {
    behaveLikeStepFunctions();
    const { id } = await givenComplaint(store, { department: 'logistics' });
    const pending = await openStep(store, id, 'review');
    const review = (body: unknown, claims: Record<string, unknown>) =>
      invoke(
        staffAction,
        apiEvent({
          method: 'POST',
          route: '/staff/complaints/{id}/review',
          pathParameters: { id },
          body,
          claims,
        }),
      );

    const [a, b] = await Promise.all([
      review({ approved: true }, staffClaims('supervisor')),
      review({ approved: false, comment: 'Add a voucher.' }, staffClaims('manager')),
    ]);

    expect([a.statusCode, b.statusCode].sort()).toEqual([202, 409]);
    expect((a.statusCode === 409 ? a : b).body.error.message).toEqual(expect.any(String));
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: pending.taskToken });
  });

  it('a staff action and the customer deciding at once: one wins', async () => {
    behaveLikeStepFunctions();
    const { id, token } = await givenComplaint(store, {
      proposal: {
        plan: 'Refund',
        round: 1,
        proposedAt: '2026-11-23T10:00:00+08:00',
        approvedAt: '2026-11-23T11:00:00+08:00',
      },
    });
    await openStep(store, id, 'customer_decision');
    const [customer, agent] = await Promise.all([
      invoke(
        customerAction,
        apiEvent({
          method: 'POST',
          route: '/complaints/{id}/decision',
          pathParameters: { id },
          body: { accept: true },
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
      invoke(
        staffAction,
        apiEvent({
          method: 'POST',
          route: '/staff/complaints/{id}/decision',
          pathParameters: { id },
          body: { accept: true },
          claims: staffClaims('agent'),
        }),
      ),
    ]);
    expect([customer.statusCode, agent.statusCode].sort()).toEqual([202, 409]);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('a timed-out token answers 409 and leaves the step claimable again', async () => {
    sfnMock
      .on(SendTaskSuccessCommand)
      .rejectsOnce(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }))
      .resolves({});
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    const investigate = () =>
      invoke(
        staffAction,
        apiEvent({
          method: 'POST',
          route: '/staff/complaints/{id}/investigation',
          pathParameters: { id },
          body: { valid: false, category: 'other', severity: 'minor', findings: 'Not our product.' },
          claims: staffClaims('agent'),
        }),
      );
    const stale = await investigate();
    expect(stale.statusCode).toBe(409);
    expect(stale.body.error.code).toBe('step_stale');
    const after = await store.get(id);
    expect(after?.pending?.claimedBy).toBeUndefined();
    expect((await store.events(id)).at(-1)).toMatchObject({
      type: 'action_refused',
      data: { reason: 'stale_token:TaskTimedOut' },
    });
    expect((await investigate()).statusCode).toBe(202);
  });
});

describe('refused input stores nothing', () => {
  it('leaves the table as it was for every kind of refusal', async () => {
    behaveLikeStepFunctions();
    const before = await itemCount();
    const post = (
      body: unknown,
      headers: Record<string, string> = {},
      route = '/complaints',
      claims?: Record<string, unknown>,
    ) =>
      invoke(
        createComplaint,
        apiEvent({ method: 'POST', route, body, headers, ...(claims ? { claims } : {}) }),
      );
    const refusals = await Promise.all([
      post({ ...customerBody, customer: { name: 'No contact' } }),
      post({ ...customerBody, subject: '' }),
      post('{"broken": ', { 'content-type': 'application/json' }),
      post('name=x', { 'content-type': 'text/plain' }),
      post({ ...customerBody, description: 'x'.repeat(70_000) }),
      post({ ...customerBody, channel: 'phone' }, {}, '/staff/complaints', staffClaims('analyst')),
      post({ ...customerBody }, {}, '/staff/complaints', staffClaims('agent')),
      post(customerBody, { 'idempotency-key': 'bad key with spaces' }),
    ]);
    expect(refusals.map((r) => r.statusCode)).toEqual([400, 400, 400, 415, 413, 403, 400, 400]);
    expect(await itemCount()).toBe(before);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });
});

describe('staff queues and reports on the real indexes', () => {
  it('serves a department its own queue, overdue first, and the overdue filter', async () => {
    const department = `dl-${randomUUID().slice(0, 8)}`;
    const other = `dl-${randomUUID().slice(0, 8)}`;
    const overdue = await givenComplaint(store, { department });
    const later = await givenComplaint(store, { department });
    const foreign = await givenComplaint(store, { department: other });
    await openStep(store, overdue.id, 'proposal', { dueAt: '2020-01-02T18:00:00+08:00' });
    await openStep(store, later.id, 'proposal', { dueAt: '2099-01-02T18:00:00+08:00' });
    await openStep(store, foreign.id, 'proposal', { dueAt: '2020-01-01T18:00:00+08:00' });
    const claims = staffClaims('department', { department });
    const list = (query: Record<string, string>) =>
      invoke(staffList, apiEvent({ method: 'GET', route: '/staff/complaints', query, claims }));

    const all = await list({ department: other });
    expect(all.statusCode).toBe(200);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([overdue.id, later.id]);
    expect(all.body.items[0].pending.overdue).toBe(true);
    const onlyOverdue = await list({ overdue: 'true' });
    expect(onlyOverdue.body.items.map((i: { id: string }) => i.id)).toEqual([overdue.id]);
  });

  it('reports the current quarter from the month index', async () => {
    behaveLikeStepFunctions();
    const created = await invoke(
      createComplaint,
      apiEvent({ method: 'POST', route: '/complaints', body: { ...customerBody, category: 'price' } }),
    );
    expect(created.statusCode).toBe(201);
    const res = await invoke(
      reports,
      apiEvent({ method: 'GET', route: '/staff/reports', claims: staffClaims('analyst') }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.overall.complaints).toBeGreaterThanOrEqual(1);
    expect(res.body.byCategory.price.complaints).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(res.body)).not.toContain(created.body.id);
  });
});
