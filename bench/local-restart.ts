/**
 * `npm run bench` part `local-restart`: how `npm start` comes back with N journeys waiting
 * on a step (issue 15's row "local stack restart with N waiting journeys").
 *
 * Seeds N complaints waiting on a step straight into DynamoDB Local's files (through the
 * store adapter) and the engine's journal (DATA_DIR/stepfunctions/journal.jsonl), then runs
 * `npm start` (node --import tsx local/start.ts) as a child on that folder and measures:
 * the time from spawn to "Ready." (DynamoDB Local's JVM start included), the child's RSS,
 * the audit events before and after (a resume writes none), and that a sample of the
 * journeys waits again with the token its complaint holds. Then once more with the journal
 * removed: the store cross-check resumes every waiting complaint (a data folder from before
 * the journal). Goal: N = 10,000 → ready ≤ 30 s, RSS ≤ 1 GiB, 0 new audit events.
 *
 *   BENCH_RESTART_N=10000 (default) — how many waiting journeys
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoComplaintStore } from '../functions/adapters/dynamodb/complaint-store.js';
import { complaintPk, EVENT_PREFIX } from '../functions/adapters/dynamodb/keys.js';
import { createTable } from '../functions/adapters/dynamodb/table.js';
import { STAGE_OF_STEP, type Step } from '../functions/domain/model.js';
import { newReference } from '../functions/domain/reference.js';
import { LOCAL_AWS, startDynamoDb } from '../local/dynamodb.js';
import { awaitStateOf } from '../local/persistence.js';
import { ROOT_DIR } from '../local/stack.js';
import { createInput, newComplaint } from '../test/functions/domain/store/fixtures.js';
import { freePort } from '../test/support/free-port.js';

const TABLE = 'complaints-local';
const STEPS: Step[] = ['investigation', 'proposal', 'review', 'implementation', 'customer_decision'];
const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplaintJourney';

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function countItems(client: DynamoDBClient): Promise<{ events: number; items: number }> {
  let events = 0;
  let items = 0;
  let start: Record<string, any> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({
        TableName: TABLE,
        ProjectionExpression: 'sk',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      items++;
      if (item.sk?.S?.startsWith(EVENT_PREFIX)) events++;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { events, items };
}

/**
 * Seeds `n` waiting complaints into the folder's DynamoDB Local and journal: one template
 * complaint per step through the store adapter (create, then the step opened), then its
 * items copied under new ids with BatchWriteItem (fast enough for 10,000 on a busy machine).
 */
async function seed(dataDir: string, n: number): Promise<{ ids: string[]; tokens: Map<string, string> }> {
  const port = await freePort();
  // a loaded machine may take well over a minute to start the JVM
  const dynamo = await startDynamoDb({
    port,
    host: '127.0.0.1',
    dataDir: resolve(dataDir, 'dynamodb'),
    startTimeoutMs: 300_000,
  });
  const raw = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const journal = resolve(dataDir, 'stepfunctions', 'journal.jsonl');
  mkdirSync(resolve(dataDir, 'stepfunctions'), { recursive: true });
  const ids: string[] = [];
  const tokens = new Map<string, string>();
  try {
    await createTable(raw, TABLE);
    const store = new DynamoComplaintStore({ client, tableName: TABLE });
    const now = Date.now();
    const t0 = performance.now();
    const templates: {
      id: string;
      step: Step;
      token: string;
      dueMs: number;
      items: Record<string, any>[];
    }[] = [];
    for (const step of STEPS) {
      const { complaint } = await store.create(
        createInput({ complaint: newComplaint({ createdAt: new Date(now - 3_600_000).toISOString() }) }),
      );
      const dueMs = now + 7 * 24 * 3_600_000;
      const dueAt = new Date(dueMs).toISOString();
      const token = `LSFN1.${randomBytes(48).toString('base64url')}`;
      const pending = {
        step,
        stage: STAGE_OF_STEP[step],
        taskToken: token,
        dueAt,
        provisional: false,
        escalationLevel: 0,
        since: new Date(now).toISOString(),
        // as the await-step task keeps it
        ...(step === 'customer_decision' ? { reminder: false } : {}),
      };
      await store.update(complaint.id, () => ({
        set: { stage: pending.stage, pending },
        event: {
          type: 'step_opened',
          actor: { kind: 'system' },
          stage: pending.stage,
          data: { step, level: 0, dueAt },
        },
      }));
      const out = await raw.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: complaintPk(complaint.id) } },
        }),
      );
      templates.push({ id: complaint.id, step, token, dueMs, items: out.Items ?? [] });
    }
    const writes: Record<string, any>[] = [];
    const lines: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const template = templates[i % templates.length]!;
      let id = newReference(new Date(now));
      while (seen.has(id)) id = newReference(new Date(now));
      seen.add(id);
      const token = `LSFN1.${randomBytes(48).toString('base64url')}`;
      for (const item of template.items) {
        writes.push(
          JSON.parse(JSON.stringify(item).split(template.id).join(id).split(template.token).join(token)),
        );
      }
      ids.push(id);
      tokens.set(id, token);
      const input = {
        complaintId: id,
        step: {
          step: template.step,
          level: 0,
          dueAt: new Date(template.dueMs).toISOString(),
          provisional: false,
          timeoutSeconds: Math.ceil((template.dueMs - now) / 1000),
        },
      };
      lines.push(
        `${JSON.stringify({ t: 'enter', n: id, s: awaitStateOf(template.step), i: input, tok: token, dl: template.dueMs })}\n`,
        `${JSON.stringify({ t: 'ready', tok: token })}\n`,
      );
    }
    const batches: Record<string, any>[][] = [];
    for (let i = 0; i < writes.length; i += 25) batches.push(writes.slice(i, i + 25));
    await eachLimited(batches, 8, async (batch) => {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const out = await raw.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
        requests = (out.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
      }
    });
    appendFileSync(journal, lines.join(''));
    // the templates' own journeys are not in the journal: the store check resumes them
    console.log(
      `local-restart seeded ${n} waiting complaints and their journal in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    return { ids, tokens };
  } finally {
    raw.destroy();
    await dynamo.stop();
  }
}

interface Run {
  readyMs: number;
  rssAtReadyMiB: number;
  rssPeakMiB: number;
  output: string;
}

/** `npm start` on the folder; resolves when it printed "Ready." (or fails). */
async function start(
  dataDir: string,
  ports: Record<string, string>,
): Promise<{ child: ChildProcess; run: Run }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT_DIR, 'local/start.ts')], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...ports, DATA_DIR: dataDir, LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  let peak = 0;
  const rss = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kib);
      return kib;
    } catch {
      return 0;
    }
  };
  const sampler = setInterval(rss, 100);
  try {
    while (!output.includes('Ready.')) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      if (performance.now() - t0 > 300_000) throw new Error(`not ready in 300 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const readyMs = performance.now() - t0;
    const atReady = rss();
    return { child, run: { readyMs, rssAtReadyMiB: atReady / 1024, rssPeakMiB: peak / 1024, output } };
  } finally {
    clearInterval(sampler);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

export async function benchLocalRestart(n = Number(process.env.BENCH_RESTART_N ?? 10_000)): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-restart-'));
  try {
    const { ids, tokens } = await seed(dataDir, n);
    const ports = {
      PORT: String(await freePort()),
      MAILBOX_PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      SFN_PORT: String(await freePort()),
    };
    const dynamoEndpoint = `http://127.0.0.1:${ports.DYNAMODB_PORT}`;
    for (const variant of ['journal', 'store cross-check (no journal)'] as const) {
      if (variant !== 'journal') rmSync(resolve(dataDir, 'stepfunctions', 'journal.jsonl'), { force: true });
      // the audit events as they are before this start (counted on the stack's own DynamoDB Local)
      const { child, run } = await start(dataDir, ports);
      const raw = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint });
      const sfn = new SFNClient({
        ...LOCAL_AWS,
        endpoint: `http://127.0.0.1:${ports.SFN_PORT}`,
        maxAttempts: 1,
      });
      try {
        const counted = await countItems(raw);
        // a sample waits again, in the engine, with the token its complaint holds
        const store = new DynamoComplaintStore({
          client: DynamoDBDocumentClient.from(raw),
          tableName: TABLE,
        });
        let sameToken = 0;
        let running = 0;
        const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 50)) === 0);
        for (const id of sample) {
          const complaint = await store.get(id);
          if (complaint?.pending?.taskToken === tokens.get(id)) sameToken++;
          const execution = await sfn.send(
            new DescribeExecutionCommand({
              executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${id}`,
            }),
          );
          if (execution.status === 'RUNNING') running++;
        }
        const resumedLine = /Resumed (\d+) waiting/.exec(run.output)?.[1] ?? '0';
        // the stack's own figure for the resume phase (journal recovery, store check before ready)
        const resumePhase = /resumed \d+ journey\(s\) .* in ([\d.]+) s/.exec(run.output)?.[1] ?? '?';
        const dynamoUp = /DynamoDB Local is up/.test(run.output);
        console.log(
          `local-restart ${variant.padEnd(31)} N=${n}  ready ${(run.readyMs / 1000).toFixed(1)} s (goal ≤ 30)  ` +
            `rss at ready ${run.rssAtReadyMiB.toFixed(0)} MiB, peak ${run.rssPeakMiB.toFixed(0)} MiB (goal ≤ 1024)  ` +
            `resumed ${resumedLine} (resume phase ${resumePhase} s${dynamoUp ? '' : ', DynamoDB Local not seen'})  audit events ${counted.events} (seeded ${2 * (n + STEPS.length)}: 2 for each of the ${n} and of the ${STEPS.length} templates; goal: no new ones)  ` +
            `sample ${sample.length}: ${running} running, ${sameToken} with their token unchanged`,
        );
      } finally {
        raw.destroy();
        sfn.destroy();
        await stop(child);
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLocalRestart();
