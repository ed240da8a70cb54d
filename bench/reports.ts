/**
 * Reports benchmark (called from bench/run.ts; alone: `npx tsx bench/reports.ts [N …]`):
 * a quarter's report over N complaints (default 10,000 and 100,000) seeded directly into
 * DynamoDB Local with batch writes, each complaint item as the store writes it (index keys
 * and report record included). Prints, per N:
 * - the report: the store's reads (month index GSI3 + open steps GSI4) and the analysis
 *   (overall, by group, monthly series as the quarterly report asks, time in stage in working
 *   hours, risk), latency p50 and p99 (nearest rank over the runs: with a few runs, the slowest);
 * - the baseline measured in the same run: bare Queries over the same index partitions,
 *   no processing;
 * - the read units one report costs: measured (ReturnConsumedCapacity) when DynamoDB Local
 *   reports them, and computed from the index item sizes the way DynamoDB bills a Query
 *   (eventually consistent: 0.5 RCU per 4 KB of the items read, per 1 MB page); and what the
 *   same read would cost if the month index still projected ALL (the whole complaint items).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoComplaintStore } from '../functions/adapters/dynamodb/complaint-store.js';
import {
  complaintPk,
  indexKeys,
  META,
  monthsBetween,
  OPEN_STEPS_PK,
} from '../functions/adapters/dynamodb/keys.js';
import { createTable, INDEX } from '../functions/adapters/dynamodb/table.js';
import { defaultCalendar } from '../functions/domain/calendar/index.js';
import {
  CATEGORIES,
  CHANNELS,
  type Complaint,
  SEVERITIES,
  STAGE_OF_STEP,
  type Step,
} from '../functions/domain/model.js';
import { analyse } from '../functions/domain/reports.js';
import type { ReportRecord } from '../functions/domain/reports-record.js';
import { localAwsConfig, startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { freePort } from '../test/support/free-port.js';

const FROM = '2026-10-01T00:00:00+08:00';
const TO = '2027-01-01T00:00:00+08:00';
const NOW = new Date('2026-12-31T12:00:00+08:00');
const DEPARTMENTS = ['customer-service', 'sales', 'after-sales', 'logistics', 'quality', 'billing'];
const OPEN_STEPS: Step[] = [
  'investigation',
  'proposal',
  'review',
  'customer_decision',
  'implementation',
  'follow_up',
];

/** A deterministic pseudo-random sequence (the same data set every run). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One complaint item as the store writes it: the complaint, its index keys and its report record. */
export function item(i: number, random: () => number): Record<string, unknown> {
  const start = Date.parse(FROM);
  const span = Date.parse(TO) - start;
  const created = start + Math.floor(random() * span);
  const createdAt = new Date(created).toISOString();
  const id = `C2610-${String(i).padStart(9, '0').slice(0, 4)}-${String(i).padStart(9, '0').slice(4, 8)}${i % 10}`;
  const open = created > NOW.getTime() - 12 * 86_400_000 && random() < 0.8;
  const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)] as Complaint['category'] & string;
  const severity = SEVERITIES[Math.floor(random() * SEVERITIES.length)] as Complaint['severity'] & string;
  const department = DEPARTMENTS[Math.floor(random() * DEPARTMENTS.length)] as string;
  const channel = CHANNELS[Math.floor(random() * CHANNELS.length)] as Complaint['channel'];
  const hour = 3_600_000;
  // stage visits: received → investigation → proposal → review → customer_decision → implementation → follow_up
  const visits: number[] = [];
  let t = created;
  const stages = open ? 1 + Math.floor(random() * 6) : 7;
  for (let s = 0; s < stages; s++) {
    const next = t + Math.floor((0.5 + random() * 30) * hour);
    visits.push(s, Math.floor(t / 1000), Math.floor(next / 1000));
    t = next;
  }
  const step = OPEN_STEPS[Math.min(stages, 6) - 1] as Step;
  const pending = open
    ? {
        step,
        stage: STAGE_OF_STEP[step],
        taskToken: `token-${randomUUID()}`.padEnd(600, 'x'),
        dueAt: new Date(t + Math.floor((random() * 72 - 24) * hour)).toISOString(),
        provisional: false,
        escalationLevel: 0,
        since: new Date(t).toISOString(),
      }
    : undefined;
  const rating = (1 + Math.floor(random() * 5)) as 1 | 2 | 3 | 4 | 5;
  const complaint: Complaint = {
    id,
    channel,
    customer: {
      name: '测试客户',
      email: `customer${i}@example.com`,
      phone: '+8613800000000',
      language: 'zh-CN',
    },
    subject: '商品到货破损，要求更换'.repeat(2),
    description: '收到的商品外包装破损，内部零件缺失，联系客服后一直没有答复。'.repeat(6),
    category,
    severity,
    department,
    stage: open ? (step as Complaint['stage']) : 'closed',
    ...(open ? {} : { outcome: 'resolved' as const, closedAt: new Date(t).toISOString() }),
    createdAt,
    replyDueBy: new Date(created + 7 * 86_400_000).toISOString(),
    replyDueProvisional: false,
    ...(stages >= 5 ? { firstResponseAt: new Date(created + 50 * hour).toISOString() } : {}),
    investigation: {
      valid: true,
      category,
      severity,
      department,
      findings: '调查结果：物流环节破损。'.repeat(5),
    },
    ...(stages >= 3
      ? {
          proposal: {
            plan: '补发零件并赔偿运费。'.repeat(5),
            round: 1,
            proposedAt: createdAt,
            approvedAt: createdAt,
          },
        }
      : {}),
    ...(open ? {} : { survey: { rating, answeredAt: new Date(t).toISOString(), by: 'customer' as const } }),
    ...(pending ? { pending } : {}),
    declines: 0,
    reopens: 0,
    proposalRounds: 1,
    escalations: random() < 0.1 ? 1 : 0,
    maxEscalationLevel: 0,
    repeat: random() < 0.05,
    version: 12,
  };
  const rp: ReportRecord = {
    id,
    channel,
    ...(category ? { category } : {}),
    ...(severity ? { severity } : {}),
    department,
    stage: complaint.stage,
    ...(complaint.outcome ? { outcome: complaint.outcome } : {}),
    created: Math.floor(created / 1000),
    replyDue: Math.floor(Date.parse(complaint.replyDueBy) / 1000),
    ...(complaint.firstResponseAt
      ? { firstResponse: Math.floor(Date.parse(complaint.firstResponseAt) / 1000) }
      : {}),
    ...(complaint.closedAt ? { closed: Math.floor(t / 1000) } : {}),
    repeat: complaint.repeat,
    investigated: true,
    returns: 0,
    declines: 0,
    reopens: 0,
    escalations: complaint.escalations,
    levels: [complaint.escalations, 0, 0],
    ratings: complaint.survey ? [rating] : [],
    visits,
    stageSince: Math.floor(t / 1000),
    ...(pending
      ? {
          pending: {
            step,
            since: Math.floor(t / 1000),
            due: Math.floor(Date.parse(pending.dueAt) / 1000),
            level: 0,
          },
        }
      : {}),
  };
  return {
    ...complaint,
    pk: complaintPk(id),
    sk: META,
    ...indexKeys(complaint),
    rp,
    accessTokenHashes: new Set(['0'.repeat(64)]),
  };
}

/** DynamoDB's item size: attribute names and values (UTF-8), close enough for the estimate. */
export function itemBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number')
    return Math.ceil(String(value).replace(/^-/, '').replace('.', '').length / 2) + 1;
  if (typeof value === 'boolean') return 1;
  if (value instanceof Set) return [...value].reduce((s: number, v) => s + itemBytes(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((s: number, v) => s + 1 + itemBytes(v), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (s, [k, v]) => s + 1 + Buffer.byteLength(k, 'utf8') + itemBytes(v),
      0,
    )
  );
}

/** Read units of a Query reading items of these sizes: 1 MB pages, 0.5 RCU per 4 KB (eventually consistent). */
export function queryRcu(sizes: number[]): number {
  let rcu = 0;
  let page = 0;
  const flush = () => {
    if (page > 0) rcu += Math.ceil(page / 4096) * 0.5;
    page = 0;
  };
  for (const s of sizes) {
    if (page + s > 1024 * 1024) flush();
    page += s;
  }
  flush();
  return rcu;
}

async function seed(
  doc: DynamoDBDocumentClient,
  table: string,
  n: number,
): Promise<{ ms: number; items: Record<string, unknown>[] }> {
  const random = rng(n);
  const items = Array.from({ length: n }, (_, i) => item(i, random));
  const t0 = performance.now();
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (;;) {
        const batch = batches[next++];
        if (!batch) return;
        let requests = batch.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 20) throw new Error('batch write kept leaving items unprocessed');
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
          requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
          if (requests.length) await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
        }
      }
    }),
  );
  return { ms: performance.now() - t0, items };
}

async function bareQueries(
  doc: DynamoDBDocumentClient,
  table: string,
): Promise<{ items: number; consumed: number }> {
  const inputs: QueryCommandInput[] = [
    ...monthsBetween(FROM, TO).map((month) => ({
      TableName: table,
      IndexName: INDEX.byMonth,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': `MONTH#${month}` },
    })),
    {
      TableName: table,
      IndexName: INDEX.timers,
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': OPEN_STEPS_PK },
    },
  ];
  const counts = await Promise.all(
    inputs.map(async (input) => {
      let items = 0;
      let consumed = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({ ...input, ExclusiveStartKey: start, ReturnConsumedCapacity: 'TOTAL' }),
        );
        items += out.Count ?? 0;
        consumed += out.ConsumedCapacity?.CapacityUnits ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return { items, consumed };
    }),
  );
  return counts.reduce((a, b) => ({ items: a.items + b.items, consumed: a.consumed + b.consumed }));
}

/** The nearest-rank percentile (p in 0–100) of a few runs; with under 100 runs p99 is the slowest. */
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)] as number;
const median = (xs: number[]) => percentile(xs, 50);
const p99 = (xs: number[]) => percentile(xs, 99);

export async function benchReports(sizes: readonly number[] = [10_000, 100_000]): Promise<void> {
  const dynamo = await startDynamoDbLocal(await freePort());
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint: dynamo.endpoint });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const calendar = defaultCalendar();
  const workingHours = (a: number, b: number) => calendar.workingHoursBetween(a, b);
  try {
    // the Lambda's own work, apart from DynamoDB: the analysis over N records held in memory
    // (DynamoDB Local's Query speed says little about DynamoDB's; this part is the handler's CPU)
    for (const n of sizes) {
      const random = rng(n);
      const records = Array.from({ length: n }, (_, i) => item(i, random).rp as ReportRecord);
      const open = records.filter((r) => r.pending);
      const ms: number[] = [];
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        analyse({
          records,
          open,
          period: { from: FROM, to: TO },
          now: NOW,
          calendar,
          workingHours,
          interval: 'month',
        });
        ms.push(performance.now() - t0);
      }
      console.log(
        `reports: analysis alone over ${n} records in memory (5 runs): p50 ${median(ms).toFixed(0)} ms p99 ${p99(ms).toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB`,
      );
    }
    for (const n of sizes) {
      const table = `bench-reports-${n}-${randomUUID().slice(0, 8)}`;
      await createTable(client, table);
      const { ms: seedMs, items } = await seed(doc, table, n);
      console.log(
        `reports: seeded ${n} complaints in ${(seedMs / 1000).toFixed(1)} s (batch writes, 8 in flight)`,
      );
      const store = new DynamoComplaintStore({ client: doc, tableName: table });
      const runs = n >= 100_000 ? 3 : 5;
      const reportMs: number[] = [];
      const readMs: number[] = [];
      const bareMs: number[] = [];
      let bare = { items: 0, consumed: 0 };
      let heapMb = 0;
      for (let r = 0; r < runs; r++) {
        let t0 = performance.now();
        bare = await bareQueries(doc, table);
        bareMs.push(performance.now() - t0);
        t0 = performance.now();
        const [records, open] = await Promise.all([store.reportRecords(FROM, TO), store.openReportRecords()]);
        readMs.push(performance.now() - t0);
        const report = analyse({
          records,
          open,
          period: { from: FROM, to: TO },
          now: NOW,
          calendar,
          workingHours,
          interval: 'month', // the quarterly report's trend
        });
        reportMs.push(performance.now() - t0);
        heapMb = Math.max(heapMb, process.memoryUsage().heapUsed / 1024 / 1024);
        if (report.overall.complaints !== n)
          throw new Error(`report counted ${report.overall.complaints} of ${n}`);
      }
      // read units as billed: the index items hold the keys (table + index) and the record
      const indexSizes = items.map(
        (i) => itemBytes({ pk: i.pk, sk: i.sk, gsi3pk: i.gsi3pk, gsi3sk: i.gsi3sk, rp: i.rp }) + 100, // + index overhead
      );
      const openSizes = items
        .filter((i) => i.gsi4pk)
        .map((i) => itemBytes({ pk: i.pk, sk: i.sk, gsi4pk: i.gsi4pk, gsi4sk: i.gsi4sk, rp: i.rp }) + 100);
      const fullSizes = items.map((i) => itemBytes(i) + 100);
      const months = monthsBetween(FROM, TO).length;
      const perMonth = (sizes: number[]) => {
        // the three month partitions are queried separately: pages do not straddle them
        const chunk = Math.ceil(sizes.length / months);
        let rcu = 0;
        for (let m = 0; m < months; m++) rcu += queryRcu(sizes.slice(m * chunk, (m + 1) * chunk));
        return rcu;
      };
      const rcu = perMonth(indexSizes) + queryRcu(openSizes);
      const rcuAll = perMonth(fullSizes) + queryRcu(fullSizes.filter((_, i) => items[i]?.gsi4pk));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      console.log(
        `reports: quarter of ${n} (${runs} runs): report p50 ${median(reportMs).toFixed(0)} ms p99 ${p99(reportMs).toFixed(0)} ms (reads p50 ${median(readMs).toFixed(0)} ms), bare Query p50 ${median(bareMs).toFixed(0)} ms p99 ${p99(bareMs).toFixed(0)} ms → ratio ${(median(reportMs) / median(bareMs)).toFixed(2)} (reads alone ${(median(readMs) / median(bareMs)).toFixed(2)}), heap ≤ ${heapMb.toFixed(0)} MiB`,
      );
      console.log(
        `reports: quarter of ${n}: ${bare.items} index items read (${openSizes.length} open steps); read units computed ${rcu.toFixed(0)} RCU (record ≈ ${mean(indexSizes).toFixed(0)} B), measured ${bare.consumed ? bare.consumed.toFixed(0) : 'n/a (DynamoDB Local does not report)'}; with the month index projecting ALL: ${rcuAll.toFixed(0)} RCU (item ≈ ${mean(fullSizes).toFixed(0)} B)`,
      );
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 0);
  await benchReports(sizes.length ? sizes : undefined);
}
