/**
 * `npm run bench` parts `intake` and `staff-list`: the local stack against a bare server on
 * the same DynamoDB Local, measured in one run, alternated round by round so both see the
 * same machine load (issue 15's rows; the ratios hold across machines, the absolute
 * figures do not).
 *
 *   intake      POST /complaints through the gateway (handler, store, and the journey the
 *               complaint starts: the investigation planned, opened, the acknowledgement
 *               email) at concurrency 8, against a bare node:http server that parses the
 *               body and makes the same create write (store.create: one TransactWrite of the
 *               complaint, its idempotency key and customer keys, followed by the same
 *               commit barrier read the stack's client makes, so both are equally durable)
 *               and nothing else.
 *               Throughput ratio (goal ≥ 0.5×) and p99 ratio (goal ≤ 3×), and the CPU each
 *               side costs per complaint in DynamoDB Local's JVM and in this node process
 *               (/proc, Linux), and the DynamoDB requests each side's client sends per
 *               complaint (by operation), which show where the stack's extra time goes. After each of the
 *               stack's rounds the bench waits until every journey it started waits on its
 *               first step, so their work never runs during the bare server's round.
 *   staff-list  GET /staff/complaints?limit=50 with 5,000 open complaints stored, against a
 *               bare server making the same queries: one Query per open stage on the stage
 *               index, Limit 51 (the adapter's page + 1), merged by sort key, 50 returned as
 *               stored. p99 ratio, goal ≤ 1.5×.
 *
 *   BENCH_INTAKE_ROUNDS (3), BENCH_INTAKE_PER_CLIENT (10), BENCH_LIST_N (5000),
 *   BENCH_LIST_REQUESTS (150 per side)
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DynamoDBClient,
  QueryCommand as RawQuery,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoComplaintStore } from '../functions/adapters/dynamodb/complaint-store.js';
import { complaintPk, OPEN_STAGES, stagePk } from '../functions/adapters/dynamodb/keys.js';
import { INDEX } from '../functions/adapters/dynamodb/table.js';
import { STAGE_OF_STEP, type Step } from '../functions/domain/model.js';
import { newReference } from '../functions/domain/reference.js';
import { awaitLocalCommits, LOCAL_AWS, startDynamoDb } from '../local/dynamodb.js';
import { type LocalStack, ROOT_DIR, startLocalStack } from '../local/stack.js';
import { createInput, newComplaint } from '../test/functions/domain/store/fixtures.js';
import { freePort } from '../test/support/free-port.js';
import { processCpuMs } from './reports.js';

const TABLE = 'complaints-local';

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

interface Side {
  samples: number[];
  requests: number;
  wallMs: number;
  /** CPU ms of DynamoDB Local's JVM and of this node process (stack or bare server, and the clients) */
  dynamoCpuMs: number;
  nodeCpuMs: number;
  /** DynamoDB requests the side's own client sent, by operation */
  dynamoCalls: Map<string, number>;
}
const side = (): Side => ({
  samples: [],
  requests: 0,
  wallMs: 0,
  dynamoCpuMs: 0,
  nodeCpuMs: 0,
  dynamoCalls: new Map(),
});

/**
 * Counts the requests `client` sends into `side()`'s map while `side()` answers one (the
 * document clients built on it share its middleware stack).
 */
function countCalls(client: DynamoDBClient, side: () => Side | undefined): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const into = side();
      if (into) {
        const name = String(context.commandName ?? '?').replace(/Command$/, '');
        into.dynamoCalls.set(name, (into.dynamoCalls.get(name) ?? 0) + 1);
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchCountCalls' },
  );
}

/** `12.0 (Query 3.0, PutItem 3.0, …)` per complaint */
function callsPerComplaint(s: Side): string {
  const total = [...s.dynamoCalls.values()].reduce((a, b) => a + b, 0);
  const parts = [...s.dynamoCalls]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${(n / s.requests).toFixed(1)}`);
  return `${(total / s.requests).toFixed(1)} (${parts.join(', ')})`;
}

/** Adds the CPU that DynamoDB Local (`pid`) and this process spend during `work` to `into`. */
async function metered(into: Side, pid: number | undefined, work: () => Promise<void>): Promise<void> {
  const jvm0 = processCpuMs(pid);
  const node0 = process.cpuUsage();
  await work();
  into.dynamoCpuMs += processCpuMs(pid) - jvm0;
  const node = process.cpuUsage(node0);
  into.nodeCpuMs += (node.user + node.system) / 1000;
}
const p = (s: Side, q: number) =>
  percentile(
    [...s.samples].sort((a, b) => a - b),
    q,
  );
const throughput = (s: Side) => (s.requests / s.wallMs) * 1000;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(server: Server): Promise<string> {
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return `http://127.0.0.1:${port}`;
}

/** The stack on its own data folder, with a DynamoDB Local this bench started (its JVM may take minutes on a loaded machine). */
async function withStack<T>(
  work: (stack: LocalStack, dynamoEndpoint: string, dynamoPid: number | undefined) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-baselines-'));
  const dynamo = await startDynamoDb({
    port: await freePort(),
    host: '127.0.0.1',
    dataDir: resolve(dataDir, 'dynamodb'),
    startTimeoutMs: 300_000,
  });
  try {
    const stack = await startLocalStack({
      port: await freePort(),
      mailboxPort: await freePort(),
      dynamodbPort: await freePort(),
      sfnPort: await freePort(),
      dynamodbEndpoint: dynamo.endpoint,
      dataDir,
      log: () => undefined,
    });
    try {
      return await work(stack, dynamo.endpoint, dynamo.pid);
    } finally {
      await stack.stop();
    }
  } finally {
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The bare side's clients. Its transactional write is made as durable as the stack's: the
 * same commit barrier after each TransactWriteItems (local/dynamodb.ts `awaitLocalCommits`,
 * one consistent GetItem), as the stack's handler client has.
 */
function clients(endpoint: string) {
  const raw = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  awaitLocalCommits(raw, TABLE);
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { raw, doc, store: new DynamoComplaintStore({ client: doc, tableName: TABLE }) };
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

// ---------------------------------------------------------------------------------------- intake

const complaintBody = (i: number) =>
  JSON.stringify({
    customer: { name: 'Bench', email: `bench${i}@example.com` },
    subject: 'Late delivery',
    description: 'The parcel arrived two weeks late.',
  });

/** The bare server: parse, then the same create write as the handler's (store.create). */
function bareIntakeServer(store: DynamoComplaintStore): Server {
  return createServer(async (req, res) => {
    try {
      const body = JSON.parse(await readBody(req)) as {
        customer: { name: string; email: string };
        subject: string;
        description: string;
      };
      const { complaint } = await store.create(
        createInput({
          complaint: newComplaint({
            createdAt: new Date().toISOString(),
            customer: { ...body.customer, language: 'zh-CN' },
            subject: body.subject,
            description: body.description,
          }),
          customerKeys: [`email#${body.customer.email}`],
          idempotency: { key: String(req.headers['idempotency-key']), bodyHash: 'bench' },
        }),
      );
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: complaint.id }));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
}

async function post(url: string, i: number): Promise<string> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: complaintBody(i),
  });
  if (r.status !== 201) throw new Error(`POST ${url} answered ${r.status}: ${await r.text()}`);
  return ((await r.json()) as { id: string }).id;
}

/** 8 clients, `perClient` requests each; samples and wall time added to `into`. */
async function concurrentRound(url: string, perClient: number, into: Side, ids: string[]): Promise<void> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let i = 0; i < perClient; i++) {
        const s = performance.now();
        ids.push(await post(url, worker * 1000 + i));
        into.samples.push(performance.now() - s);
      }
    }),
  );
  into.wallMs += performance.now() - t0;
  into.requests += 8 * perClient;
}

/** Until each complaint waits on its first step (its journey's first tasks are done). */
async function journeysSettled(store: DynamoComplaintStore, ids: readonly string[]): Promise<void> {
  const deadline = Date.now() + 300_000;
  let left = [...ids];
  while (left.length > 0) {
    if (Date.now() > deadline) throw new Error(`${left.length} journeys did not reach their first step`);
    const still: string[] = [];
    await eachLimited(left, 8, async (id) => {
      const c = await store.get(id);
      if (!c?.pending) still.push(id);
    });
    left = still;
    if (left.length > 0) await new Promise((r) => setTimeout(r, 200));
  }
}

async function benchIntakeHere(): Promise<void> {
  const rounds = Number(process.env.BENCH_INTAKE_ROUNDS ?? 3);
  const perClient = Number(process.env.BENCH_INTAKE_PER_CLIENT ?? 10);
  await withStack(async (stack, endpoint, dynamoPid) => {
    const { raw, store } = clients(endpoint);
    // the requests each side makes: the stack's handlers and tasks share one client
    let counting: { stack?: Side; bare?: Side } = {};
    countCalls((await import('../functions/adapters/clients.js')).dynamoDbClient, () => counting.stack);
    countCalls(raw, () => counting.bare);
    const bare = bareIntakeServer(store);
    const bareUrl = `${await listen(bare)}/complaints`;
    const stackUrl = `${stack.urls.api}/complaints`;
    try {
      // warm up both (module loads, connections, the journey's first run)
      const warm: string[] = [];
      for (let i = 0; i < 8; i++) warm.push(await post(stackUrl, -i), await post(bareUrl, -i));
      await journeysSettled(
        store,
        warm.filter((_, i) => i % 2 === 0),
      );
      const real = side();
      const base = side();
      for (let r = 0; r < rounds; r++) {
        const ids: string[] = [];
        // the stack's CPU counts its journeys' first tasks too, finished or not when the round ends
        counting = { stack: real };
        await metered(real, dynamoPid, async () => {
          await concurrentRound(stackUrl, perClient, real, ids);
          await journeysSettled(store, ids);
        });
        counting = { bare: base };
        await metered(base, dynamoPid, () => concurrentRound(bareUrl, perClient, base, []));
        counting = {};
      }
      const tp = throughput(real) / throughput(base);
      const p99 = p(real, 99) / p(base, 99);
      console.log(
        `\nintake c=8, ${real.requests} per side in ${rounds} alternated rounds (stack: gateway → handler → store → journey; bare: the same create write)`,
      );
      for (const [label, s] of [
        ['local stack', real],
        ['bare server', base],
      ] as const) {
        console.log(
          `  ${label.padEnd(12)} ${throughput(s).toFixed(1).padStart(6)} complaints/s  p50 ${p(s, 50).toFixed(1)} ms  p99 ${p(s, 99).toFixed(1)} ms`,
        );
      }
      const perComplaint = (ms: number, s: Side) => (ms / s.requests).toFixed(1);
      console.log(
        `  CPU per complaint (stack incl. its journeys' first tasks; bare: the create): DynamoDB Local ${perComplaint(real.dynamoCpuMs, real)} vs ${perComplaint(base.dynamoCpuMs, base)} ms, node ${perComplaint(real.nodeCpuMs, real)} vs ${perComplaint(base.nodeCpuMs, base)} ms (bench clients included)`,
      );
      console.log(`  DynamoDB requests per complaint: stack ${callsPerComplaint(real)}`);
      console.log(`                                   bare  ${callsPerComplaint(base)}`);
      console.log(
        `intake ratio: throughput ${tp.toFixed(2)}× (goal ≥ 0.5×), p99 ${p99.toFixed(2)}× (goal ≤ 3×)`,
      );
    } finally {
      await new Promise((r) => bare.close(r));
      raw.destroy();
    }
  });
}

// ------------------------------------------------------------------------------------ staff list

/**
 * `n` open complaints spread over the open stages: one template per step created through the
 * store (then its step opened), its items copied under new ids with BatchWriteItem.
 */
async function seedOpen(raw: DynamoDBClient, store: DynamoComplaintStore, n: number): Promise<void> {
  const steps: Step[] = [
    'investigation',
    'proposal',
    'review',
    'implementation',
    'customer_decision',
    'follow_up',
  ];
  const now = Date.now();
  const templates: { id: string; items: Record<string, AttributeValue>[] }[] = [];
  for (const [i, step] of steps.entries()) {
    const { complaint } = await store.create(
      createInput({ complaint: newComplaint({ createdAt: new Date(now - 3_600_000).toISOString() }) }),
    );
    const dueAt = new Date(now + (i + 1) * 24 * 3_600_000).toISOString();
    const pending = {
      step,
      stage: STAGE_OF_STEP[step],
      taskToken: `LSFN1.${randomBytes(48).toString('base64url')}`,
      dueAt,
      provisional: false,
      escalationLevel: 0,
      since: new Date(now).toISOString(),
    };
    await store.update(complaint.id, () => ({
      set: { stage: pending.stage, pending },
      event: { type: 'step_opened', actor: { kind: 'system' }, stage: pending.stage, data: { step, dueAt } },
    }));
    const out = await raw.send(
      new RawQuery({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: complaintPk(complaint.id) } },
      }),
    );
    templates.push({ id: complaint.id, items: out.Items ?? [] });
  }
  const writes: Record<string, AttributeValue>[] = [];
  const seen = new Set<string>();
  for (let i = templates.length; i < n; i++) {
    const template = templates[i % templates.length] as (typeof templates)[number];
    let id = newReference(new Date(now));
    while (seen.has(id)) id = newReference(new Date(now));
    seen.add(id);
    for (const item of template.items)
      writes.push(JSON.parse(JSON.stringify(item).split(template.id).join(id)));
  }
  const batches: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < writes.length; i += 25) batches.push(writes.slice(i, i + 25));
  await eachLimited(batches, 8, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const out = await raw.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
      requests = (out.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
    }
  });
}

/** The bare list: the adapter's queries (one per open stage, Limit 51), merged, 50 returned. */
function bareListServer(doc: DynamoDBDocumentClient): Server {
  return createServer(async (_req, res) => {
    try {
      const pages = await Promise.all(
        OPEN_STAGES.map((stage) =>
          doc.send(
            new QueryCommand({
              TableName: TABLE,
              IndexName: INDEX.byStage,
              KeyConditionExpression: '#pk = :pk',
              ExpressionAttributeNames: { '#pk': 'gsi1pk' },
              ExpressionAttributeValues: { ':pk': stagePk(stage) },
              Limit: 51,
            }),
          ),
        ),
      );
      const items = pages
        .flatMap((page) => page.Items ?? [])
        .sort((a, b) => String(a.gsi1sk).localeCompare(String(b.gsi1sk)))
        .slice(0, 50);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
}

async function benchStaffListHere(): Promise<void> {
  const n = Number(process.env.BENCH_LIST_N ?? 5000);
  const requests = Number(process.env.BENCH_LIST_REQUESTS ?? 150);
  await withStack(async (stack, endpoint) => {
    const { raw, doc, store } = clients(endpoint);
    const t0 = performance.now();
    await seedOpen(raw, store, n);
    const seededS = (performance.now() - t0) / 1000;
    const bare = bareListServer(doc);
    const bareUrl = await listen(bare);
    try {
      const signIn = await fetch(`${stack.urls.app}/local/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'agent' }),
      });
      const { token } = (await signIn.json()) as { token: string };
      const get = async (url: string, headers: Record<string, string>, into?: Side) => {
        const s = performance.now();
        const r = await fetch(url, { headers });
        if (r.status !== 200) throw new Error(`GET ${url} answered ${r.status}`);
        const body = (await r.json()) as { items: unknown[] };
        if (body.items.length !== 50) throw new Error(`GET ${url} gave ${body.items.length} items, not 50`);
        if (into) {
          into.samples.push(performance.now() - s);
          into.requests++;
        }
      };
      const stackGet = (into?: Side) =>
        get(`${stack.urls.api}/staff/complaints?limit=50`, { authorization: `Bearer ${token}` }, into);
      const bareGet = (into?: Side) => get(bareUrl, {}, into);
      for (let i = 0; i < 10; i++) await Promise.all([stackGet(), bareGet()]);
      const real = side();
      const base = side();
      for (let i = 0; i < requests; i++) {
        await stackGet(real);
        await bareGet(base);
      }
      const ratio = p(real, 99) / p(base, 99);
      console.log(
        `\nstaff list of 50 with ${n} open complaints stored (seeded in ${seededS.toFixed(1)} s), ${requests} sequential requests per side, alternated`,
      );
      for (const [label, s] of [
        ['local stack', real],
        ['bare server', base],
      ] as const) {
        console.log(`  ${label.padEnd(12)} p50 ${p(s, 50).toFixed(1)} ms  p99 ${p(s, 99).toFixed(1)} ms`);
      }
      console.log(`staff list ratio: p99 ${ratio.toFixed(2)}× (goal ≤ 1.5×)`);
    } finally {
      await new Promise((r) => bare.close(r));
      raw.destroy();
    }
  });
}

const PARTS = { intake: benchIntakeHere, 'staff-list': benchStaffListHere } as const;

/**
 * One part in a child process: a process runs one local stack (its SDK endpoints are
 * process-wide), and bench/run.ts's `http` part runs another.
 */
async function inChild(part: keyof typeof PARTS): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, part], {
    cwd: ROOT_DIR,
    env: { ...process.env, LOG_LEVEL: 'ERROR', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`bench part ${part} exited with ${code}`);
}

export const benchIntake = () => inChild('intake');
export const benchStaffList = () => inChild('staff-list');

if (import.meta.url === `file://${process.argv[1]}`) {
  const parts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(PARTS);
  for (const part of parts) {
    const run = PARTS[part as keyof typeof PARTS];
    if (!run) throw new Error(`no bench part ${part}: ${Object.keys(PARTS).join(', ')}`);
    await run();
  }
}
