/**
 * `npm run bench -- journey-cost`: what one complaint's journey costs on AWS, counted (not
 * timed) by running the real ASL on the local engine with the real task logic, the real API
 * handlers of the human actions, the real notifier (on an SES client that accepts every email)
 * and the DynamoDB store on DynamoDB Local.
 *
 * Counted:
 * - Step Functions state transitions: every state the execution enters (what Standard
 *   workflows bill), for the happy path and for an escalation + decline + reopen path.
 * - DynamoDB units: every store call asks for `ReturnConsumedCapacity: INDEXES` (a client
 *   middleware) and adds up what DynamoDB Local answers, table and each index apart. DynamoDB
 *   Local reports index units itself (a transaction's writes count double, index copies
 *   included; a changed index key costs a delete and a put), so nothing is estimated.
 * - Lambda: the journey tasks' invocations (each attempt) and the API's (create + one per
 *   action), GB-seconds from each handler's wall time here at the stack's 512 MB. The local
 *   timings include DynamoDB Local's latency: an upper bound of AWS's.
 * - Emails: what the notifier sent to SES.
 *
 * Cost model (us-east-1 list prices, stated in PRICES): per 1,000 happy-path complaints.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoComplaintStore } from '../functions/adapters/dynamodb/complaint-store.js';
import { createTable } from '../functions/adapters/dynamodb/table.js';
import { createNotifier } from '../functions/adapters/ses-notifier.js';
import { defaultCalendar } from '../functions/domain/calendar/index.js';
import { ManualClock, setClock } from '../functions/domain/clock.js';
import type { Actor } from '../functions/domain/model.js';
import { loadNotificationsConfig } from '../functions/domain/notifications-config.js';
import type { ApiAction } from '../functions/domain/steps/index.js';
import { createJourneyTasks } from '../functions/journey/tasks.js';
import { configuredJourneyPolicy } from '../functions/journey/wiring.js';
import { newAccessToken } from '../functions/runtime/access.js';
import { logger } from '../functions/runtime/powertools.js';
import { LocalStepFunctions, type TaskHandler } from '../local/stepfunctions/engine.js';
import { serveSfn } from '../local/stepfunctions/http.js';
import { newComplaint as fixtureComplaint } from '../test/functions/domain/store/fixtures.js';
import { apiEvent, invoke, staffClaims } from '../test/support/api-events.js';
import { localAwsConfig, startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { freePort } from '../test/support/free-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** us-east-1 list prices (checked 2026): what the cost model multiplies. */
export const PRICES = {
  /** Step Functions Standard: $0.025 per 1,000 state transitions */
  transition: 0.025 / 1000,
  /** Lambda (x86): $0.20 per million requests, $0.0000166667 per GB-second */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000166667,
  /** DynamoDB on-demand: $0.625 per million write request units, $0.125 per million read units */
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  /** SES outbound: $0.10 per 1,000 emails (no attachments) */
  email: 0.1 / 1000,
} as const;

const LAMBDA_GB = 0.5; // infra/constructs/lambda.ts: memorySize 512 by default

interface Units {
  table: number;
  indexes: Record<string, number>;
  requests: number;
}
const emptyUnits = (): Units => ({ table: 0, indexes: {}, requests: 0 });

interface Meter {
  writes: Units;
  reads: Units;
  lambda: { invocations: number; ms: number };
  emails: number;
}
const emptyMeter = (): Meter => ({
  writes: emptyUnits(),
  reads: emptyUnits(),
  lambda: { invocations: 0, ms: 0 },
  emails: 0,
});

const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

interface Consumed {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/**
 * DynamoDB's size of a value (docs: "Item sizes and formats"): strings by their UTF-8 bytes,
 * numbers ≈ 1 byte per two significant digits + 1, booleans and null 1, a list or map 3 bytes
 * plus 1 per element (and a map its keys' names), a set the sum of its members.
 */
export function attributeSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number')
    return Math.ceil(String(Math.abs(value)).replace(/[.-]|e.*$/g, '').length / 2) + 1;
  if (value instanceof Set) return [...value].reduce((a: number, v) => a + attributeSize(v), 0);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((a: number, v) => a + 1 + attributeSize(v), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .reduce((a, [k, v]) => a + 1 + Buffer.byteLength(k, 'utf8') + attributeSize(v), 0)
  );
}

/** An item's size: its attributes' names and values. */
export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item)
    .filter(([, v]) => v !== undefined)
    .reduce((a, [k, v]) => a + Buffer.byteLength(k, 'utf8') + attributeSize(v), 0);
}

/** What kind of item a key names (the breakdown's rows). */
function itemKind(key: { pk?: unknown; sk?: unknown }): string {
  const pk = String(key.pk ?? '');
  const sk = String(key.sk ?? '');
  if (pk.startsWith('IDEM#')) return 'idempotency';
  if (pk.startsWith('CUST#') || pk.startsWith('ORDER#')) return 'customer/order link';
  if (sk === 'META') return 'complaint META';
  if (sk.startsWith('META#W#')) return 'words';
  if (sk.startsWith('E#')) return 'audit event';
  if (sk.startsWith('T#')) return 'call task';
  return 'other';
}

/** Where the write units went: per caller (task or API action) and per item kind. */
export interface Breakdown {
  /** caller → {table, per index, calls} */
  byCaller: Map<string, { table: number; indexes: Record<string, number>; calls: number }>;
  /** item kind → {units, writes, bytes (the items' sizes after each write)} */
  byItem: Map<string, { units: number; writes: number; bytes: number }>;
  /** the complaint META's size after each write of it (bytes) */
  metaSizes: number[];
  /** the closed complaint's attributes by size (bytes, name included), largest first */
  metaAttributes: [string, number][];
}
export const emptyBreakdown = (): Breakdown => ({
  byCaller: new Map(),
  byItem: new Map(),
  metaSizes: [],
  metaAttributes: [],
});

type WriteRequest = {
  Put?: { Item?: Record<string, unknown> };
  Update?: { Key?: Record<string, unknown> };
  ConditionCheck?: unknown;
  Delete?: unknown;
};

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/**
 * Adds ReturnConsumedCapacity INDEXES to every data call of `client` and adds up the answers;
 * write calls are also split by caller (`caller()`) and item kind into `breakdown()`.
 *
 * A transaction's TABLE units are computed here as DynamoDB bills them, 2 × each item's size
 * in KB (an update: the larger of the item before and after, read unmetered with `sizeOf`),
 * because DynamoDB Local's one figure for a transaction undercounts: it counts the items of
 * one partition once (a transaction of 3 puts of 200 B answers 2, not 6). Its index units,
 * and every figure of a single-item write, are DynamoDB Local's own.
 */
function meterClient(
  client: DynamoDBClient,
  meter: () => Meter,
  breakdown: () => Breakdown,
  caller: () => string,
  sizeOf: (key: Record<string, unknown>) => Promise<number | undefined>,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'INDEXES';
      const command = String(context.commandName);
      const isRead = READS.has(command);
      const isTx = command === 'TransactWriteItemsCommand';
      const requests: WriteRequest[] = isRead
        ? []
        : isTx
          ? (input.TransactItems as WriteRequest[])
          : command === 'PutItemCommand'
            ? [{ Put: { Item: input.Item as Record<string, unknown> } }]
            : [{ Update: { Key: input.Key as Record<string, unknown> } }];
      const keyOf = (r: WriteRequest) =>
        r.Put?.Item ? { pk: r.Put.Item.pk, sk: r.Put.Item.sk } : (r.Update?.Key ?? {});
      const before = await Promise.all(requests.map((r) => (r.Update ? sizeOf(keyOf(r)) : undefined)));
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
      const units = isRead ? meter().reads : meter().writes;
      units.requests += 1;
      let table = 0;
      const perIndex: Record<string, number> = {};
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        const indexes = { ...(c.GlobalSecondaryIndexes ?? {}), ...(c.LocalSecondaryIndexes ?? {}) };
        const indexTotal = Object.values(indexes).reduce((a, i) => a + (i.CapacityUnits ?? 0), 0);
        table += c.Table?.CapacityUnits ?? (c.CapacityUnits ?? 0) - indexTotal;
        for (const [name, i] of Object.entries(indexes)) {
          units.indexes[name] = (units.indexes[name] ?? 0) + (i.CapacityUnits ?? 0);
          perIndex[name] = (perIndex[name] ?? 0) + (i.CapacityUnits ?? 0);
        }
      }
      if (isRead) {
        units.table += table;
        return out;
      }
      // per item: kind, units, size after the write
      const items: { kind: string; units: number; size?: number }[] = [];
      for (const [i, r] of requests.entries()) {
        const kind = itemKind(keyOf(r));
        const after = r.Put?.Item ? itemSize(r.Put.Item) : await sizeOf(keyOf(r));
        const size = Math.max(after ?? 0, before[i] ?? 0);
        items.push({ kind, units: isTx ? 2 * kb(size) : 0, ...(after !== undefined ? { size: after } : {}) });
      }
      if (isTx) table = items.reduce((a, it) => a + it.units, 0);
      else if (items[0]) items[0].units = table;
      units.table += table;

      const b = breakdown();
      const who = b.byCaller.get(caller()) ?? { table: 0, indexes: {}, calls: 0 };
      who.table += table;
      who.calls += 1;
      for (const [k, v] of Object.entries(perIndex)) who.indexes[k] = (who.indexes[k] ?? 0) + v;
      b.byCaller.set(caller(), who);
      const add = (kind: string, u: number, bytes: number) => {
        const row = b.byItem.get(kind) ?? { units: 0, writes: 0, bytes: 0 };
        row.units += u;
        row.writes += 1;
        row.bytes += bytes;
        b.byItem.set(kind, row);
      };
      for (const it of items) {
        add(it.kind, it.units, it.size ?? 0);
        if (it.kind === 'complaint META' && it.size !== undefined) b.metaSizes.push(it.size);
      }
      // the index copies are the complaint's (and a call task's, few): counted apart
      const indexUnits = Object.values(perIndex).reduce((a, v) => a + v, 0);
      if (indexUnits > 0) add('index copies', indexUnits, 0);
      if (process.env.BENCH_WRITES) {
        console.log(
          `write ${caller()} ${command} table ${table} ${JSON.stringify(perIndex)}: ${items
            .map((it) => `${it.kind} ${it.size ?? '?'} B ${it.units}`)
            .join(', ')}`,
        );
      }
      return out;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
}

const AGENT: Actor = { kind: 'staff', sub: 'agent-1', role: 'agent' };
const DEPARTMENT: Actor = { kind: 'staff', sub: 'dept-1', role: 'department', department: 'after-sales' };
const SUPERVISOR: Actor = { kind: 'staff', sub: 'sup-1', role: 'supervisor' };
const CUSTOMER: Actor = { kind: 'customer' };

async function journeyWorld(endpoint: string) {
  let meter = emptyMeter();
  let breakdown = emptyBreakdown();
  let caller = 'API create';
  // reads the complaint back after each write of it, to size it (not metered)
  const unmetered = new DynamoDBClient({ ...localAwsConfig, endpoint });
  const plainDoc = DynamoDBDocumentClient.from(unmetered);
  const raw = new DynamoDBClient({ ...localAwsConfig, endpoint });
  const tableName = `cost-${randomBytes(4).toString('hex')}`;
  await createTable(raw, tableName);
  meterClient(
    raw,
    () => meter,
    () => breakdown,
    () => caller,
    async (key) => {
      const got = await plainDoc.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      return got.Item ? itemSize(got.Item) : undefined;
    },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const clock = new ManualClock('2026-11-23T02:00:00.000Z');
  setClock(clock);
  const calendar = defaultCalendar();
  const store = new DynamoComplaintStore({ client: doc, tableName, clock: () => clock.now() });
  const ses = {
    send: async () => {
      meter.emails += 1;
      return { MessageId: randomUUID() };
    },
  } as unknown as SESClient;
  const notifier = createNotifier({
    store,
    ses,
    config: loadNotificationsConfig({ configDir: path.join(root, 'config'), env: {} }),
    clock: () => clock,
    metrics: { add: () => undefined },
    logger: { info: () => undefined, warn: () => undefined },
  });
  const tasks = createJourneyTasks({
    store,
    notify: (complaint, template, ctx) => notifier.notify(complaint, template, ctx),
    policy: configuredJourneyPolicy(calendar),
    metrics: { add: () => undefined },
    clock: () => clock,
  });
  const timedCall =
    // biome-ignore lint/suspicious/noExplicitAny: wraps task and API handlers alike
    <F extends (...args: any[]) => unknown>(name: string | ((...args: Parameters<F>) => string), fn: F): F =>
      (async (...args: Parameters<F>) => {
        const t0 = performance.now();
        caller = typeof name === 'string' ? name : name(...args);
        try {
          return await fn(...args);
        } finally {
          meter.lambda.invocations += 1;
          meter.lambda.ms += Math.ceil(performance.now() - t0);
        }
      }) as F;
  const handlers: Record<string, TaskHandler> = {};
  for (const [key, fn] of Object.entries(tasks)) {
    handlers[key] = timedCall((event: { step?: { step?: string } | string; template?: string }) => {
      const step = typeof event?.step === 'string' ? event.step : event?.step?.step;
      return `${key}${step ? ` ${step}` : ''}${event?.template ? ` ${event.template}` : ''}`;
    }, fn as TaskHandler);
  }
  const engine = new LocalStepFunctions({
    definition: readFileSync(path.join(root, 'statemachines/complaint-journey.asl.json'), 'utf8'),
    handlers,
    clock,
    retryDelayMs: 0,
  });
  const sfn = await serveSfn(engine);
  process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
  process.env.AWS_REGION = localAwsConfig.region;
  process.env.AWS_ACCESS_KEY_ID = localAwsConfig.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = localAwsConfig.credentials.secretAccessKey;
  process.env.STATE_MACHINE_ARN = engine.stateMachineArn;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  (await import('../functions/adapters/store.js')).setStore(store);
  const journey = await import('../functions/adapters/sfn-journey.js');
  const actionName = (event: { routeKey?: string }) => `API ${String(event.routeKey).split('/').at(-1)}`;
  const staffAction = timedCall(actionName, (await import('../functions/api/staff-action.js')).handler);
  const customerAction = timedCall(actionName, (await import('../functions/api/customer-action.js')).handler);
  const tokens = new Map<string, string>();

  /** POST /complaints as the API does it: the store's create, then StartExecution (one invocation). */
  async function start(): Promise<string> {
    const t0 = performance.now();
    caller = 'API create';
    const access = newAccessToken();
    const reply = calendar.addWorkingDays(clock.now(), 5);
    const { complaint } = await store.create({
      complaint: fixtureComplaint({
        createdAt: clock.now().toISOString(),
        channel: 'web',
        customer: { name: 'Bench Customer', email: 'customer@example.com', language: 'en' },
        subject: 'Late delivery',
        description: 'The parcel came two weeks late.',
        replyDueBy: reply.dueAt,
        replyDueProvisional: reply.provisional,
      }),
      accessTokenHash: access.hash,
      customerKeys: [randomBytes(8).toString('hex')],
      idempotency: { key: randomUUID(), bodyHash: 'bench' },
      actor: CUSTOMER,
    });
    tokens.set(complaint.id, access.token);
    await journey.startJourney(complaint.id);
    meter.lambda.invocations += 1;
    meter.lambda.ms += Math.ceil(performance.now() - t0);
    return complaint.id;
  }

  async function act(id: string, state: string, action: ApiAction, body: unknown, actor: Actor) {
    await engine.waitForTask(id, state, { timeoutMs: 60_000 });
    const event =
      actor.kind === 'customer'
        ? apiEvent({
            method: 'POST',
            route: `/complaints/{id}/${action}`,
            pathParameters: { id },
            headers: { authorization: `Bearer ${tokens.get(id)}` },
            body,
          })
        : apiEvent({
            method: 'POST',
            route: `/staff/complaints/{id}/${action}`,
            pathParameters: { id },
            body,
            claims: staffClaims(actor.kind === 'staff' ? actor.role : 'agent', {
              sub: actor.kind === 'staff' ? actor.sub : 'x',
              ...(actor.kind === 'staff' && actor.department ? { department: actor.department } : {}),
            }),
          });
    const res = await invoke(actor.kind === 'customer' ? customerAction : staffAction, event);
    if (res.statusCode !== 202) throw new Error(`${action} answered ${res.statusCode}`);
  }

  async function miss(id: string, state: string) {
    const task = await engine.waitForTask(id, state, { timeoutMs: 60_000 });
    if (!task.deadline) throw new Error(`${state} has no deadline`);
    clock.set(task.deadline);
    if (engine.fireDueTimeouts() !== 1) throw new Error('expected one timeout');
    await engine.waitForTask(id, state, { notToken: task.token, timeoutMs: 60_000 });
  }

  const investigate = (id: string) =>
    act(
      id,
      'AwaitInvestigation',
      'investigation',
      {
        valid: true,
        category: 'delivery',
        severity: 'general',
        department: 'after-sales',
        findings: 'Carrier delay confirmed.',
      },
      AGENT,
    );
  const proposeAndReview = async (id: string) => {
    await act(id, 'AwaitProposal', 'proposal', { plan: 'Refund the shipping fee.' }, DEPARTMENT);
    await act(id, 'AwaitReview', 'review', { approved: true }, SUPERVISOR);
  };
  const decide = (id: string, accept: boolean) =>
    act(
      id,
      'AwaitCustomerDecision',
      'decision',
      accept ? { accept } : { accept, comment: 'Not enough.' },
      CUSTOMER,
    );
  const implement = (id: string) =>
    act(id, 'AwaitImplementation', 'implementation', { result: 'Refunded.', basis: 'Terms §4.' }, DEPARTMENT);
  const survey = (id: string, rating: number) => act(id, 'AwaitFollowUp', 'survey', { rating }, CUSTOMER);

  async function finish(id: string) {
    const execution = await engine.waitForCompletion(id, 60_000);
    if (execution.status !== 'SUCCEEDED') throw new Error(`journey ${execution.status}`);
    const complaint = await store.get(id);
    if (complaint?.stage !== 'closed') throw new Error('not closed');
    const meta = await plainDoc.send(
      new GetCommand({ TableName: tableName, Key: { pk: `C#${id}`, sk: 'META' }, ConsistentRead: true }),
    );
    breakdown.metaAttributes = Object.entries(meta.Item ?? {})
      .map(([k, v]): [string, number] => [k, Buffer.byteLength(k) + attributeSize(v)])
      .sort((a, z) => z[1] - a[1]);
    return execution.statesVisited.map((s) => s.name);
  }

  return {
    /** one happy path: the states it entered and what it consumed */
    async happy(): Promise<{ states: string[]; meter: Meter }> {
      meter = emptyMeter();
      const id = await start();
      await investigate(id);
      await proposeAndReview(id);
      await decide(id, true);
      await implement(id);
      await survey(id, 5);
      const states = await finish(id);
      return { states, meter };
    },
    /** investigation missed once (escalated), one decline, one reopen (rating 2), then resolved */
    async escalated(): Promise<{ states: string[]; meter: Meter }> {
      meter = emptyMeter();
      const id = await start();
      await miss(id, 'AwaitInvestigation');
      await investigate(id);
      await proposeAndReview(id);
      await decide(id, false);
      await proposeAndReview(id);
      await decide(id, true);
      await implement(id);
      await survey(id, 2);
      await proposeAndReview(id);
      await decide(id, true);
      await implement(id);
      await survey(id, 5);
      const states = await finish(id);
      return { states, meter };
    },
    /** where the write units went since the last call (and starts counting again) */
    takeBreakdown(): Breakdown {
      const b = breakdown;
      breakdown = emptyBreakdown();
      return b;
    },
    async close() {
      engine.close();
      await sfn.close();
      raw.destroy();
      unmetered.destroy();
    },
  };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

export async function benchJourneyCost(): Promise<void> {
  // the API handlers log every request (and their middleware resets the log level on each one)
  const { info, warn } = logger;
  logger.info = () => undefined;
  logger.warn = () => undefined;
  const dynamo = await startDynamoDbLocal(await freePort());
  const world = await journeyWorld(dynamo.endpoint);
  try {
    await world.happy(); // warm up (module loads, first connections)
    world.takeBreakdown();
    const runs = 5;
    let happy: { states: string[]; meter: Meter } | undefined;
    const totals = emptyMeter();
    for (let i = 0; i < runs; i++) {
      happy = await world.happy();
      const m = happy.meter;
      totals.writes.table += m.writes.table;
      totals.reads.table += m.reads.table;
      totals.writes.requests += m.writes.requests;
      totals.reads.requests += m.reads.requests;
      for (const [k, v] of Object.entries(m.writes.indexes))
        totals.writes.indexes[k] = (totals.writes.indexes[k] ?? 0) + v;
      for (const [k, v] of Object.entries(m.reads.indexes))
        totals.reads.indexes[k] = (totals.reads.indexes[k] ?? 0) + v;
      totals.lambda.invocations += m.lambda.invocations;
      totals.lambda.ms += m.lambda.ms;
      totals.emails += m.emails;
    }
    const happyBreakdown = world.takeBreakdown();
    const escalated = await world.escalated();
    if (!happy) throw new Error('no run');
    const per = (n: number) => n / runs;
    const writeIndex = per(sum(totals.writes.indexes));
    const writeUnits = per(totals.writes.table) + writeIndex;
    const readUnits = per(totals.reads.table) + per(sum(totals.reads.indexes));
    const transitions = happy.states.length;
    const invocations = per(totals.lambda.invocations);
    const gbSeconds = (per(totals.lambda.ms) / 1000) * LAMBDA_GB;
    const emails = per(totals.emails);
    const cost = {
      'Step Functions': transitions * PRICES.transition,
      SES: emails * PRICES.email,
      DynamoDB: writeUnits * PRICES.writeUnit + readUnits * PRICES.readUnit,
      Lambda: invocations * PRICES.lambdaRequest + gbSeconds * PRICES.lambdaGbSecond,
    };
    const total = sum(cost);
    const indexText = (o: Record<string, number>) =>
      Object.entries(o)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} ${per(v).toFixed(1)}`)
        .join(', ');
    const goal = (ok: boolean) => (ok ? 'goal met' : 'goal NOT met');
    console.log(
      `journey transitions, happy path      ${transitions} (goal ≤ 20: ${goal(transitions <= 20)})  ${happy.states.join(' > ')}`,
    );
    console.log(
      `journey transitions, escalation+decline+reopen  ${escalated.states.length} (goal ≤ 45: ${goal(escalated.states.length <= 45)})`,
    );
    console.log(
      `journey DynamoDB write units/complaint  ${writeUnits.toFixed(1)} (goal ≤ 200: ${goal(writeUnits <= 200)}): table ${per(totals.writes.table).toFixed(1)}, indexes ${writeIndex.toFixed(1)} (${((writeIndex / writeUnits) * 100).toFixed(0)}%: ${indexText(totals.writes.indexes)}); ${per(totals.writes.requests).toFixed(1)} write calls`,
    );
    console.log(
      `journey DynamoDB read units/complaint   ${readUnits.toFixed(1)}: table ${per(totals.reads.table).toFixed(1)}, indexes ${per(sum(totals.reads.indexes)).toFixed(1)}; ${per(totals.reads.requests).toFixed(1)} read calls`,
    );
    console.log(
      `journey Lambda/complaint               ${invocations.toFixed(1)} invocations (journey tasks + API create and actions), ${gbSeconds.toFixed(3)} GB-s at 512 MB (local wall time: an upper bound)`,
    );
    console.log(`journey emails/complaint               ${emails.toFixed(1)}`);
    console.log(
      `journey cost per 1,000 happy-path complaints  $${(total * 1000).toFixed(2)} (goal ≤ $1.20: ${goal(total * 1000 <= 1.2)}): ${Object.entries(
        cost,
      )
        .map(([k, v]) => `${k} $${(v * 1000).toFixed(3)} (${((v / total) * 100).toFixed(0)}%)`)
        .join(', ')}`,
    );
    printBreakdown(happyBreakdown, runs);
    console.log(
      '  prices (us-east-1 list): Step Functions Standard $0.025/1,000 transitions; Lambda $0.20/M requests + $0.0000166667/GB-s; DynamoDB on-demand $0.625/M write units, $0.125/M read units; SES $0.10/1,000 emails',
    );
  } finally {
    logger.info = info;
    logger.warn = warn;
    await world.close();
    await dynamo.stop();
  }
}

/** The write units of one happy path by caller (task / API action) and by item kind. */
function printBreakdown(b: Breakdown, runs: number): void {
  const f = (n: number) => (n / runs).toFixed(1);
  const indexNames = [...new Set([...b.byCaller.values()].flatMap((c) => Object.keys(c.indexes)))].sort();
  console.log(`  write units by caller, per complaint (table + ${indexNames.join(' + ')} = total; calls):`);
  const rows = [...b.byCaller.entries()].sort(
    (a, z) => sum(z[1].indexes) + z[1].table - (sum(a[1].indexes) + a[1].table),
  );
  for (const [who, c] of rows) {
    console.log(
      `    ${who.padEnd(36)} ${f(c.table).padStart(6)} + ${indexNames.map((i) => f(c.indexes[i] ?? 0)).join(' + ')} = ${f(c.table + sum(c.indexes)).padStart(6)}; ${f(c.calls)}`,
    );
  }
  console.log('  write units by item kind, per complaint (units; writes; mean size after the write):');
  for (const [kind, r] of [...b.byItem.entries()].sort((a, z) => z[1].units - a[1].units)) {
    console.log(
      `    ${kind.padEnd(22)} ${f(r.units).padStart(6)}; ${f(r.writes)}${r.bytes ? `; ${Math.round(r.bytes / r.writes)} B` : ''}`,
    );
  }
  const sizes = b.metaSizes;
  if (sizes.length) {
    const mean = sizes.reduce((a, v) => a + v, 0) / sizes.length;
    console.log(
      `  complaint META size after each write: mean ${Math.round(mean)} B, max ${Math.max(...sizes)} B (${sizes.filter((v) => v > 1024).length}/${sizes.length} writes over 1 KB); closed: ${b.metaAttributes
        .slice(0, 12)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
}
