/**
 * Benchmarks: `npm run bench`. Prints figures; asserts nothing (timed tests don't belong
 * in `npm test`). Runs on loopback only, with bounded loops.
 *
 *   calendar   addWorkingDays / workingDaysBetween throughput and heap use
 *   store      DynamoDB Local round trips of the store: create, get, update (p50/p95/p99)
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultCalendar } from '../functions/shared/calendar/index.js';
import { DynamoComplaintStore } from '../functions/shared/store/dynamodb/complaint-store.js';
import { createTable } from '../functions/shared/store/dynamodb/table.js';
import { createInput, newComplaint } from '../test/functions/shared/store/fixtures.js';
import { localAwsConfig, startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { freePort } from '../test/support/free-port.js';

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
          customerKey: `bench-${i}`,
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

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  benchCalendar();
  await benchStore();
}

await main();
