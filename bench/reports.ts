/**
 * Reports benchmark (called from bench/run.ts; alone: `npx tsx bench/reports.ts [N …]`):
 * a quarter's report over N complaints seeded directly into DynamoDB Local. Sizes:
 * `BENCH_REPORTS_N=10000,100000` (the default) or the arguments; `node --expose-gc` (e.g.
 * `node --expose-gc --import tsx bench/reports.ts`) makes the heap figures exact.
 *
 * Seeding: BatchWriteItem, `BENCH_REPORTS_CONCURRENCY` (16) batches of 25 in flight, the
 * UnprocessedItems of each answer sent again with a growing pause. Each item is the complaint
 * as the store writes it: its index keys (`indexKeys`) and its report record (`rp`) replayed
 * through the store's own `nextReportRecord` over the complaint's changes; 2% registered a day
 * late (`receivedAt`). The table has only the indexes the report reads (GSI3, GSI4, as in
 * production): DynamoDB Local maintains every index on every write.
 *
 * DynamoDB Local is started in memory by `java` directly (`BENCH_DYNAMODB_JVM`: JVM options,
 * e.g. `-Xmx2g`; default none), so that its CPU time can be read. The report's Queries send
 * `Limit` 250 there (the local stack's `LOCAL_REPORT_QUERY_LIMIT`; `BENCH_REPORTS_QUERY_LIMIT=0`
 * for none, as on AWS): DynamoDB Local reads, parses and stringifies every item from a page's
 * start to the end of the key range for each page it answers, so without a `Limit` a key
 * range costs the square of its pages (bench/reports-paging.ts measures it page by page).
 *
 * Prints, per N:
 * - the seeding time;
 * - the analysis alone over N records in memory (the Lambda's CPU, apart from DynamoDB);
 * - the report as the handler makes it (`analyseStored`: the month index's key ranges of
 *   `monthSegments` and the open steps read in parallel, each page added to the running
 *   totals as it arrives; overall, by group, the monthly series the quarterly report asks
 *   for, time in stage in working hours, risk), latency p50 and p95 (nearest rank: with a few
 *   runs, p95 is the slowest), and DynamoDB Local's CPU time in it;
 * - the baseline measured in the same run: bare Queries of the same key ranges (same `Limit`),
 *   no processing;
 * - the heap before and at its peak during the report (garbage included), the RSS peak;
 * - the read units one report costs: computed from the index item sizes the way DynamoDB bills
 *   a Query (eventually consistent: 0.5 RCU per 4 KB of the items read, per 1 MB page, per
 *   range; no `Limit` on AWS), and measured (ReturnConsumedCapacity) by DynamoDB Local, whose
 *   pages differ (its `Limit`, and 1 MB of whole items); and what the same read would cost if
 *   the month index projected ALL (the whole complaint items).
 *
 * DynamoDB Local runs each Query's SQLite work on one queue thread and spends ≈ 0.25–0.4 ms
 * of CPU per item it answers, so its read times are no guide to DynamoDB's; the ratio to the
 * bare Query of the same run is.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
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
  monthSegments,
  OPEN_STEPS_PK,
} from '../functions/adapters/dynamodb/keys.js';
import {
  COMPLAINTS_TABLE,
  createTableInput,
  INDEX,
  REPORT_RECORD_ATTRIBUTE,
} from '../functions/adapters/dynamodb/table.js';
import { defaultCalendar } from '../functions/domain/calendar/index.js';
import {
  CATEGORIES,
  CHANNELS,
  type Complaint,
  type PendingStep,
  SEVERITIES,
  STAGE_OF_STEP,
  type Step,
} from '../functions/domain/model.js';
import { type AnalysisOptions, analyse, analyseStored } from '../functions/domain/reports.js';
import { nextReportRecord, type ReportRecord } from '../functions/domain/reports-record.js';
import { STAGES } from '../functions/domain/vocabulary.js';
import { LOCAL_REPORT_QUERY_LIMIT } from '../local/dynamodb.js';
import { localAwsConfig } from '../test/support/dynamodb-local.js';
import { freePort } from '../test/support/free-port.js';
import { startDynamoDbLocalJvm } from './dynamodb-local-jvm.js';

export const FROM = '2026-10-01T00:00:00+08:00';
export const TO = '2027-01-01T00:00:00+08:00';
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

/** One complaint item as the store writes it (`createItems` / `update` of the store): the complaint, its index keys and its report record. */
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
  // one in 50 registered a day after its receipt by an agent (`receivedAt`), inside the quarter
  const late = random() < 0.02 && created - 86_400_000 >= start;
  const receivedAt = late ? new Date(created - 86_400_000).toISOString() : undefined;
  const hour = 3_600_000;
  // stage passes: received → investigation → proposal → review → customer_decision → implementation → follow_up
  const changes: number[] = [];
  let t = created;
  const stages = open ? 1 + Math.floor(random() * 6) : 7;
  for (let s = 0; s < stages; s++) {
    t += Math.floor((0.5 + random() * 30) * hour);
    changes.push(t);
  }
  const step = OPEN_STEPS[Math.min(stages, 6) - 1] as Step;
  const dueAt = new Date(t + Math.floor((random() * 72 - 24) * hour)).toISOString();
  const pending: PendingStep | undefined = open
    ? {
        step,
        stage: STAGE_OF_STEP[step],
        taskToken: `token-${randomUUID()}`.padEnd(600, 'x'),
        dueAt,
        firstDueAt: dueAt,
        provisional: false,
        escalationLevel: 0,
        since: new Date(t).toISOString(),
        warnAt: new Date(t + 0.8 * (Date.parse(dueAt) - t)).toISOString(),
      }
    : undefined;
  const rating = (1 + Math.floor(random() * 5)) as 1 | 2 | 3 | 4 | 5;
  const escalated = random() < 0.1;
  const received = Date.parse(receivedAt ?? createdAt);
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
    stage: open ? (STAGE_OF_STEP[step] as Complaint['stage']) : 'closed',
    ...(open ? {} : { outcome: 'resolved' as const, closedAt: new Date(t).toISOString() }),
    createdAt,
    ...(receivedAt ? { receivedAt } : {}),
    replyDueBy: new Date(received + 7 * 86_400_000).toISOString(),
    replyDueProvisional: false,
    ...(stages >= 5 ? { firstResponseAt: new Date(received + 50 * hour).toISOString() } : {}),
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
    escalations: escalated ? 1 : 0,
    maxEscalationLevel: escalated ? 1 : 0,
    repeat: random() < 0.05,
    version: 12,
  };
  // the report record as the store's writes leave it: registered, then one write per stage change
  const { survey: _survey, pending: _pending, outcome: _outcome, closedAt: _closedAt, ...base } = complaint;
  const at = (ms: number) => new Date(ms).toISOString();
  let rp = nextReportRecord(
    undefined,
    { ...base, stage: 'received', escalations: 0 },
    { type: 'registered' },
    createdAt,
  );
  if (escalated) {
    rp = nextReportRecord(
      rp,
      { ...base, stage: 'received' },
      { type: 'escalated', data: { level: 1 } },
      createdAt,
    );
  }
  for (let s = 1; s < stages; s++) {
    const change = changes[s - 1] as number;
    rp = nextReportRecord(
      rp,
      { ...base, stage: STAGES[s] as Complaint['stage'] },
      { type: 'step_opened' },
      at(change),
    );
  }
  rp = nextReportRecord(rp, complaint, { type: open ? 'step_opened' : 'closed' }, at(t));
  return {
    ...complaint,
    pk: complaintPk(id),
    sk: META,
    ...indexKeys(complaint),
    [REPORT_RECORD_ATTRIBUTE]: rp,
    accessTokenHashes: new Set(['0'.repeat(43)]), // a base64url SHA-256, as the store keeps it
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

/** What a seeded data set costs to read: index item sizes by month partition, and of the open steps. */
export interface Seeded {
  ms: number;
  /** GSI3 items (keys + record) by key range read (`monthSegments`); the same items whole (a month index projecting ALL) */
  monthSizes: Map<string, number[]>;
  monthFullSizes: Map<string, number[]>;
  /** GSI4 OPEN items (keys + record), and whole */
  openSizes: number[];
  openFullSizes: number[];
}

/**
 * Writes N complaint items with BatchWriteItem, `concurrency` batches of 25 in flight, the
 * UnprocessedItems of each answer sent again (with a growing pause) until none is left. Items
 * are built as they are sent (the same deterministic sequence), not all held at once.
 */
export async function seed(
  doc: DynamoDBDocumentClient,
  table: string,
  n: number,
  concurrency: number,
): Promise<Seeded> {
  const random = rng(n);
  const seeded: Seeded = {
    ms: 0,
    monthSizes: new Map(),
    monthFullSizes: new Map(),
    openSizes: [],
    openFullSizes: [],
  };
  const add = (map: Map<string, number[]>, key: string, size: number) => {
    const list = map.get(key);
    if (list) list.push(size);
    else map.set(key, [size]);
  };
  const ranges = monthSegments(FROM, TO);
  let next = 0;
  let written = 0;
  let retried = 0;
  const nextBatch = (): Record<string, unknown>[] | undefined => {
    if (next >= n) return undefined;
    const batch: Record<string, unknown>[] = [];
    for (; batch.length < 25 && next < n; next++) {
      const i = item(next, random);
      // index items as billed: the table and index keys and the projected record, + 100 B overhead
      const full = itemBytes(i) + 100;
      const gsi3sk = String(i.gsi3sk);
      const range = ranges.findIndex((r) => r.pk === i.gsi3pk && r.from <= gsi3sk && gsi3sk < r.to);
      add(
        seeded.monthSizes,
        String(range),
        itemBytes({ pk: i.pk, sk: i.sk, gsi3pk: i.gsi3pk, gsi3sk: i.gsi3sk, rp: i.rp }) + 100,
      );
      add(seeded.monthFullSizes, String(range), full);
      if (i.gsi4pk) {
        seeded.openSizes.push(
          itemBytes({ pk: i.pk, sk: i.sk, gsi4pk: i.gsi4pk, gsi4sk: i.gsi4sk, rp: i.rp }) + 100,
        );
        seeded.openFullSizes.push(full);
      }
      batch.push(i);
    }
    return batch;
  };
  const t0 = performance.now();
  let reported = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let batch = nextBatch(); batch; batch = nextBatch()) {
        let requests = batch.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 30) throw new Error('batch writes kept leaving items unprocessed');
          if (attempt > 0) {
            retried += requests.length;
            await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt)));
          }
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
          requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
        written += batch.length;
        if (n >= 50_000 && written - reported >= n / 10) {
          reported = written;
          const s = (performance.now() - t0) / 1000;
          console.log(
            `reports: seeding ${written} of ${n} (${s.toFixed(0)} s, ${(written / s).toFixed(0)} items/s)`,
          );
        }
      }
    }),
  );
  seeded.ms = performance.now() - t0;
  if (retried) console.log(`reports: ${retried} unprocessed items sent again`);
  return seeded;
}

/** The bare baseline: the report's Queries (same key ranges), every page, nothing else. */
export async function bareQueries(
  doc: DynamoDBDocumentClient,
  table: string,
  limit?: number,
): Promise<{ items: number; consumed: number }> {
  // the same key ranges as the store's reportRecords (monthSegments), the open steps' partition
  const inputs: QueryCommandInput[] = [
    ...monthSegments(FROM, TO).map((range) => ({
      TableName: table,
      IndexName: INDEX.byMonth,
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
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
          new QueryCommand({
            ...input,
            ExclusiveStartKey: start,
            ReturnConsumedCapacity: 'TOTAL',
            ...(limit ? { Limit: limit } : {}),
          }),
        );
        items += out.Items?.length ?? out.Count ?? 0;
        consumed += out.ConsumedCapacity?.CapacityUnits ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return { items, consumed };
    }),
  );
  return counts.reduce((a, b) => ({ items: a.items + b.items, consumed: a.consumed + b.consumed }));
}

/** The nearest-rank percentile (p in 0–100) of a few runs; with under 20 runs p95 is the slowest. */
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)] as number;
const p50 = (xs: number[]) => percentile(xs, 50);
const p95 = (xs: number[]) => percentile(xs, 95);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** The sizes to bench: `BENCH_REPORTS_N=10000,100000` (the default), or the arguments. */
export function benchSizes(argv: readonly string[] = []): number[] {
  const given = [...argv, ...(process.env.BENCH_REPORTS_N ?? '').split(',')]
    .map((x) => Number(x.trim().replace(/_/g, '')))
    .filter((x) => Number.isInteger(x) && x > 0);
  return given.length ? given : [10_000, 100_000];
}

/**
 * The bench's table: the complaints table with only the two indexes the report reads (GSI3 by
 * month, GSI4's open steps), defined exactly as in production. The items carry every index key
 * as the store writes them; the queue and warning indexes (GSI1, 2, 5, 6) are left out only
 * because DynamoDB Local maintains each index on every write, and they change nothing the
 * report reads.
 */
export async function createReportTable(client: DynamoDBClient, table: string): Promise<void> {
  const read = new Set<string>([INDEX.byMonth, INDEX.timers]);
  await client.send(
    new CreateTableCommand(
      createTableInput(table, {
        ...COMPLAINTS_TABLE,
        globalSecondaryIndexes: COMPLAINTS_TABLE.globalSecondaryIndexes.filter((i) => read.has(i.indexName)),
      }),
    ),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table });
}

/** Batches of 25 in flight while seeding (`BENCH_REPORTS_CONCURRENCY`, default 16). */
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_REPORTS_CONCURRENCY) || 16);

const calendar = defaultCalendar();
const workingHours = (a: number, b: number) => calendar.workingHoursBetween(a, b);

/** The quarterly report's options: FROM … TO, at NOW, its monthly trend. */
export const QUARTER: AnalysisOptions = {
  period: { from: FROM, to: TO },
  now: NOW,
  calendar,
  workingHours,
  interval: 'month', // the quarterly report's trend
};

/** The quarterly report's analysis over records held in memory. */
export function analyseQuarter(records: readonly ReportRecord[], open: readonly ReportRecord[]) {
  return analyse({ ...QUARTER, records, open });
}

export interface QuarterTimings {
  /** the last run's bare Query totals */
  bare: { items: number; consumed: number };
  bareMs: number[];
  /** the report as the handler makes it: `analyseStored` (reads, each page added to the totals as it arrives) */
  reportMs: number[];
  /** CPU time of the DynamoDB process during each bare pass and each report, when its pid is known */
  bareServerCpuMs: number[];
  reportServerCpuMs: number[];
  heapBefore: number;
  heapPeak: number;
  /** the process's resident memory at its peak during the reports */
  rssPeak: number;
}

/**
 * `runs` alternations of the bare Query and the report (`analyseStored` over the store, as
 * the handler calls it) over `table`, with the heap sampled every `sampleMs`; fails unless
 * the report counts `n` complaints. `queryLimit`: the store's `reportQueryLimit` and the bare
 * Queries' `Limit` (DynamoDB Local); `serverPid`: DynamoDB Local's, for its CPU time.
 */
export async function timeQuarterlyReport(
  doc: DynamoDBDocumentClient,
  table: string,
  n: number,
  runs: number,
  sampleMs: number,
  options: { queryLimit?: number; serverPid?: number; onRun?: (run: number, t: QuarterTimings) => void } = {},
): Promise<QuarterTimings> {
  const { queryLimit, serverPid, onRun } = options;
  const store = new DynamoComplaintStore({
    client: doc,
    tableName: table,
    ...(queryLimit ? { reportQueryLimit: queryLimit } : {}),
  });
  const t: QuarterTimings = {
    bare: { items: 0, consumed: 0 },
    bareMs: [],
    reportMs: [],
    bareServerCpuMs: [],
    reportServerCpuMs: [],
    heapBefore: Number.POSITIVE_INFINITY,
    heapPeak: 0,
    rssPeak: 0,
  };
  for (let r = 0; r < runs; r++) {
    let cpu0 = processCpuMs(serverPid);
    let t0 = performance.now();
    t.bare = await bareQueries(doc, table, queryLimit);
    t.bareMs.push(performance.now() - t0);
    t.bareServerCpuMs.push(processCpuMs(serverPid) - cpu0);
    global.gc?.();
    t.heapBefore = Math.min(t.heapBefore, process.memoryUsage().heapUsed);
    const sample = () => {
      const { heapUsed, rss } = process.memoryUsage();
      t.heapPeak = Math.max(t.heapPeak, heapUsed);
      t.rssPeak = Math.max(t.rssPeak, rss);
    };
    const sampler = setInterval(sample, sampleMs);
    cpu0 = processCpuMs(serverPid);
    t0 = performance.now();
    try {
      const report = await analyseStored(store, QUARTER);
      t.reportMs.push(performance.now() - t0);
      t.reportServerCpuMs.push(processCpuMs(serverPid) - cpu0);
      sample();
      if (report.overall.complaints !== n)
        throw new Error(`report counted ${report.overall.complaints} of ${n}`);
    } finally {
      clearInterval(sampler);
    }
    onRun?.(r, t);
  }
  return t;
}

/** CPU time (user + system, ms) a process has used so far (Linux /proc); NaN when unknown. */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

/**
 * `Limit` of the report's Query pages on DynamoDB Local (`BENCH_REPORTS_QUERY_LIMIT`, default
 * the local stack's; 0: none, as on AWS, to see DynamoDB Local page quadratically).
 */
const QUERY_LIMIT = Number(process.env.BENCH_REPORTS_QUERY_LIMIT ?? LOCAL_REPORT_QUERY_LIMIT) || undefined;

export async function benchReports(sizes: readonly number[] = benchSizes()): Promise<void> {
  const jvm = (process.env.BENCH_DYNAMODB_JVM ?? '').split(' ').filter(Boolean);
  const dynamo = await startDynamoDbLocalJvm(await freePort(), jvm);
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint: dynamo.endpoint });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  console.log(
    `reports: DynamoDB Local in memory (JVM options: ${jvm.join(' ') || 'none, the JVM default heap'}), the report's Queries with Limit ${QUERY_LIMIT ?? 'none'}`,
  );
  try {
    for (const n of sizes) {
      const runs = n >= 100_000 ? 3 : 5;
      {
        // the Lambda's own work, apart from DynamoDB: the analysis over N records held in memory
        // (DynamoDB Local's Query speed says little about DynamoDB's; this part is the handler's CPU)
        const random = rng(n);
        const records = Array.from(
          { length: n },
          (_, i) => item(i, random)[REPORT_RECORD_ATTRIBUTE] as ReportRecord,
        );
        const open = records.filter((r) => r.pending);
        const ms: number[] = [];
        for (let r = 0; r < runs; r++) {
          const t0 = performance.now();
          analyseQuarter(records, open);
          ms.push(performance.now() - t0);
        }
        console.log(
          `reports: analysis alone over ${n} records in memory (${runs} runs): p50 ${p50(ms).toFixed(0)} ms p95 ${p95(ms).toFixed(0)} ms`,
        );
      }
      global.gc?.();
      const table = `bench-reports-${n}-${randomUUID().slice(0, 8)}`;
      await createReportTable(client, table);
      const seeded = await seed(doc, table, n, CONCURRENCY);
      console.log(
        `reports: seeded ${n} complaints in ${(seeded.ms / 1000).toFixed(1)} s (${((n / seeded.ms) * 1000).toFixed(0)} items/s; BatchWriteItem, ${CONCURRENCY} batches of 25 in flight)`,
      );
      const t = await timeQuarterlyReport(doc, table, n, runs, 20, {
        ...(QUERY_LIMIT ? { queryLimit: QUERY_LIMIT } : {}),
        ...(dynamo.pid ? { serverPid: dynamo.pid } : {}),
        onRun: (r, t) =>
          console.log(
            `reports: quarter of ${n}, run ${r + 1}: bare Query ${t.bareMs.at(-1)?.toFixed(0)} ms (DynamoDB Local CPU ${t.bareServerCpuMs.at(-1)?.toFixed(0)} ms), report ${t.reportMs.at(-1)?.toFixed(0)} ms (DynamoDB Local CPU ${t.reportServerCpuMs.at(-1)?.toFixed(0)} ms)`,
          ),
      });
      // read units as DynamoDB bills them: each key range is queried separately (pages do not
      // straddle them), in 1 MB pages of index items (no Limit on AWS)
      const perMonth = (sizes: Map<string, number[]>) =>
        [...sizes.values()].reduce((rcu, s) => rcu + queryRcu(s), 0);
      const rcu = perMonth(seeded.monthSizes) + queryRcu(seeded.openSizes);
      const rcuAll = perMonth(seeded.monthFullSizes) + queryRcu(seeded.openFullSizes);
      const all = [...seeded.monthSizes.values()].flat();
      const allFull = [...seeded.monthFullSizes.values()].flat();
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const ratio = (a: number[], b: number[]) => (p50(a) / p50(b)).toFixed(2);
      console.log(
        `reports: quarter of ${n} (${runs} runs): report p50 ${p50(t.reportMs).toFixed(0)} ms p95 ${p95(t.reportMs).toFixed(0)} ms, bare Query p50 ${p50(t.bareMs).toFixed(0)} ms p95 ${p95(t.bareMs).toFixed(0)} ms → ratio ${ratio(t.reportMs, t.bareMs)}; DynamoDB Local CPU p50 ${p50(t.reportServerCpuMs).toFixed(0)} ms in the report, ${p50(t.bareServerCpuMs).toFixed(0)} ms in the bare Query`,
      );
      console.log(
        `reports: quarter of ${n}: heap ${mib(t.heapBefore)} MiB before the report, peak ${mib(t.heapPeak)} MiB (+${mib(t.heapPeak - t.heapBefore)} MiB${global.gc ? '' : ', without --expose-gc: rough'}), RSS peak during the report ${mib(t.rssPeak)} MiB, process max RSS ${mib(process.resourceUsage().maxRSS * 1024)} MiB (with the in-memory analysis's ${n} records and the seeding)`,
      );
      console.log(
        `reports: quarter of ${n}: ${t.bare.items} index items read (${seeded.openSizes.length} open steps); read units computed ${rcu.toFixed(0)} RCU (DynamoDB: 1 MB pages of index items, record ≈ ${mean(all).toFixed(0)} B as an index item), measured by DynamoDB Local ${t.bare.consumed ? t.bare.consumed.toFixed(0) : 'n/a'} (its own pages: Limit ${QUERY_LIMIT ?? 'none'}, and 1 MB of whole items); with the month index projecting ALL: ${rcuAll.toFixed(0)} RCU (item ≈ ${mean(allFull).toFixed(0)} B)`,
      );
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchReports(benchSizes(process.argv.slice(2)));
}
