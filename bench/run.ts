/**
 * Benchmarks: `npm run bench`. Prints figures; asserts nothing (timed tests don't belong
 * in `npm test`). Runs on loopback only, with bounded loops.
 *
 *   calendar   addWorkingDays / workingDaysBetween throughput and heap use
 *   store      DynamoDB Local round trips of the store: create, get, update (p50/p95/p99)
 *   http       the whole local stack over HTTP (gateway → handler → DynamoDB Local → local
 *              Step Functions → journey tasks → local SES): POST /complaints, GET /complaints/{id},
 *              GET /staff/complaints, sequential and 8 concurrent clients
 *   reports    a quarter's report over 10,000 and 100,000 complaints (BENCH_REPORTS_N) seeded
 *              into DynamoDB Local, against a bare Query of the same key ranges (bench/reports.ts;
 *              why DynamoDB Local needs a Limit there: bench/reports-paging.ts, run alone)
 *   reports-cpu  the same report at 100,000 against an instant in-memory DynamoDB: the Lambda's
 *              own time and heap (SDK parsing, store, analysis) against bare Queries (./reports-cpu.ts)
 *   intake     POST /complaints on the local stack at concurrency 8 against a bare server making
 *              the same create write on the same DynamoDB Local, with the CPU and the DynamoDB
 *              requests each side costs per complaint (./baselines.ts)
 *   staff-list GET /staff/complaints?limit=50 with 5,000 stored against a bare server making the
 *              same queries (./baselines.ts)
 *   bundles    each Lambda bundle's size and the CPU time of its cold import (as deployed: source
 *              map, --enable-source-maps) against a bare bundle creating the same SDK clients (./bundles.ts)
 *   journey-cost  Step Functions transitions, DynamoDB units, Lambda, emails and the AWS cost per
 *              1,000 complaints of the journey, counted on the local engine (./journey-cost.ts)
 *   local-restart  `npm start` on a data folder with 10,000 journeys waiting on a step
 *              (BENCH_RESTART_N): time to ready, RSS, audit events added (./local-restart.ts)
 *
 * `npm run bench -- <part>…` runs only those parts (e.g. `npm run bench -- bundles reports`).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoComplaintStore } from '../functions/adapters/dynamodb/complaint-store.js';
import { createTable } from '../functions/adapters/dynamodb/table.js';
import { defaultCalendar } from '../functions/domain/calendar/index.js';
import { startLocalStack } from '../local/stack.js';
import { createInput, newComplaint } from '../test/functions/domain/store/fixtures.js';
import { localAwsConfig, startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { freePort } from '../test/support/free-port.js';
import { benchIntake, benchStaffList } from './baselines.js';
import { benchBundles } from './bundles.js';
import { benchJourneyCost } from './journey-cost.js';
import { benchLocalRestart } from './local-restart.js';
import { benchReports } from './reports.js';
import { benchReportsCpu } from './reports-cpu.js';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function summarize(label: string, samplesMs: number[]): void {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  console.log(
    `${label.padEnd(34)} n=${String(sorted.length).padStart(5)}  mean ${mean.toFixed(2)} ms  p50 ${percentile(sorted, 50).toFixed(2)}  p95 ${percentile(sorted, 95).toFixed(2)}  p99 ${percentile(sorted, 99).toFixed(2)} ms`,
  );
}

function benchCalendar(): void {
  const calendar = defaultCalendar();
  const start = Date.parse('2025-01-01T00:00:00+08:00');
  const spanMs = 3 * 365 * 24 * 3600 * 1000; // 2025 … 2027, provisional years included
  const iterations = 50_000;
  const starts = Array.from({ length: iterations }, (_, i) => new Date(start + ((i * 7_919_993) % spanMs)));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < iterations; i++) {
    const d = calendar.addWorkingDays(starts[i] as Date, 1 + (i % 10));
    sink += d.dueAt.length;
  }
  const addMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    sink += calendar.workingDaysBetween(starts[i] as Date, starts[(i + 1) % iterations] as Date);
  }
  const betweenMs = performance.now() - t0;
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(
    `calendar addWorkingDays            ${iterations} calls  ${((iterations / addMs) * 1000).toFixed(0)} ops/s  (${((addMs * 1000) / iterations).toFixed(1)} µs/call)`,
  );
  console.log(
    `calendar workingDaysBetween        ${iterations} calls  ${((iterations / betweenMs) * 1000).toFixed(0)} ops/s  (${((betweenMs * 1000) / iterations).toFixed(1)} µs/call)`,
  );
  console.log(
    `calendar heap growth over the run  ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB (rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB)  [sink ${sink % 10}]`,
  );
}

async function benchStore(): Promise<void> {
  const dynamo = await startDynamoDbLocal(await freePort());
  const raw = new DynamoDBClient({ ...localAwsConfig, endpoint: dynamo.endpoint });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = `bench-${randomUUID()}`;
  try {
    await createTable(raw, tableName);
    const store = new DynamoComplaintStore({ client, tableName });
    const n = 300;
    const created: string[] = [];
    const createMs: number[] = [];
    for (let i = 0; i < n; i++) {
      const createdAt = new Date(Date.parse('2026-11-23T02:00:00Z') + i * 60_000).toISOString();
      const t0 = performance.now();
      const { complaint } = await store.create(
        createInput({
          complaint: newComplaint({
            createdAt,
            customer: { name: 'Bench', email: `bench${i}@example.com`, language: 'en' },
          }),
          customerKeys: [`bench-${i}`],
          idempotency: { key: randomUUID(), bodyHash: 'x' },
        }),
      );
      createMs.push(performance.now() - t0);
      created.push(complaint.id);
    }
    const getMs: number[] = [];
    for (const id of created) {
      const t0 = performance.now();
      await store.get(id);
      getMs.push(performance.now() - t0);
    }
    const updateMs: number[] = [];
    for (const id of created) {
      const t0 = performance.now();
      await store.update(id, () => ({
        set: { stage: 'investigation' },
        event: { type: 'acknowledged', actor: { kind: 'system' } },
      }));
      updateMs.push(performance.now() - t0);
    }
    const listMs: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await store.list({ stage: 'investigation', limit: 50 });
      listMs.push(performance.now() - t0);
    }
    summarize('store.create (transaction, 4 items)', createMs);
    summarize('store.get', getMs);
    summarize('store.update (transaction + event)', updateMs);
    summarize('store.list (stage queue, 50 items)', listMs);
  } finally {
    raw.destroy();
    await dynamo.stop();
  }
}

async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await call();
  samples.push(performance.now() - t0);
  return out;
}

async function benchHttp(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'complaints-bench-'));
  const stack = await startLocalStack({
    port: await freePort(),
    mailboxPort: await freePort(),
    dynamodbPort: await freePort(),
    sfnPort: await freePort(),
    dataDir,
  });
  const api = stack.urls.api;
  try {
    const body = (i: number) =>
      JSON.stringify({
        customer: { name: 'Bench', email: `bench${i}@example.com` },
        subject: 'Late delivery',
        description: 'The parcel arrived two weeks late.',
      });
    const post = (i: number) =>
      fetch(`${api}/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: body(i),
      }).then(async (r) => {
        if (r.status !== 201) throw new Error(`POST /complaints answered ${r.status}`);
        return (await r.json()) as { id: string; accessToken: string };
      });
    // warm up the handlers (module load, first connections)
    await post(-1);
    const createMs: number[] = [];
    const created: { id: string; accessToken: string }[] = [];
    for (let i = 0; i < 100; i++) created.push(await timed(createMs, () => post(i)));
    const getMs: number[] = [];
    for (const c of created) {
      await timed(getMs, async () => {
        const r = await fetch(`${api}/complaints/${c.id}`, {
          headers: { authorization: `Bearer ${c.accessToken}` },
        });
        if (r.status !== 200) throw new Error(`GET answered ${r.status}`);
        await r.arrayBuffer();
      });
    }
    const signIn = await fetch(`${stack.urls.app}/local/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'agent' }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const listMs: number[] = [];
    for (let i = 0; i < 50; i++) {
      await timed(listMs, async () => {
        const r = await fetch(`${api}/staff/complaints?limit=50`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (r.status !== 200) throw new Error(`list answered ${r.status}`);
        await r.arrayBuffer();
      });
    }
    const concurrentMs: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 25; i++) await timed(concurrentMs, () => post(1000 + worker * 100 + i));
      }),
    );
    const wallS = (performance.now() - t0) / 1000;
    summarize('http POST /complaints (sequential)', createMs);
    summarize('http GET /complaints/{id}', getMs);
    summarize('http GET /staff/complaints (50)', listMs);
    summarize('http POST /complaints (8 clients)', concurrentMs);
    console.log(
      `http POST /complaints throughput   ${(concurrentMs.length / wallS).toFixed(1)} complaints/s with 8 clients`,
    );
    console.log(
      `local stack rss                    ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB (this process: gateway, handlers, engine)`,
    );
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const PARTS = [
  'calendar',
  'store',
  'http',
  'intake',
  'staff-list',
  'bundles',
  'reports',
  'reports-cpu',
  'journey-cost',
  'local-restart',
];

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  // `npm run bench -- <part>…` runs only those parts
  const parts = process.argv.slice(2);
  const unknown = parts.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) {
    console.error(`Unknown bench part: ${unknown.join(', ')}. The parts: ${PARTS.join(' ')}.`);
    process.exitCode = 2;
    return;
  }
  const run = (part: string) => parts.length === 0 || parts.includes(part);
  if (run('calendar')) benchCalendar();
  if (run('store')) await benchStore();
  if (run('http')) await benchHttp();
  if (run('intake')) await benchIntake();
  if (run('staff-list')) await benchStaffList();
  if (run('bundles')) await benchBundles();
  if (run('reports')) await benchReports();
  if (run('reports-cpu')) await benchReportsCpu();
  if (run('journey-cost')) await benchJourneyCost();
  if (run('local-restart')) await benchLocalRestart();
}

await main();
