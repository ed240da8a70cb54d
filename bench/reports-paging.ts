/**
 * DynamoDB Local's Query paging, measured (`node --import tsx bench/reports-paging.ts [N]`):
 * seeds N complaints (bench/reports.ts's data set) and times each page of one month key range
 * of GSI3, with and without `Limit`, and a short range of the same partition.
 * A diagnostic, not a bench part: it explains the figures of `bench reports`.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monthSegments } from '../functions/adapters/dynamodb/keys.js';
import { INDEX } from '../functions/adapters/dynamodb/table.js';
import { localAwsConfig } from '../test/support/dynamodb-local.js';
import { freePort } from '../test/support/free-port.js';
import { startDynamoDbLocalJvm } from './dynamodb-local-jvm.js';
import { createReportTable, FROM, processCpuMs, seed, TO } from './reports.js';

async function pages(
  doc: DynamoDBDocumentClient,
  table: string,
  range: { pk: string; from: string; to: string },
  limit?: number,
): Promise<{ ms: number; items: number; rcu: number }[]> {
  const out: { ms: number; items: number; rcu: number }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const t0 = performance.now();
    const answer = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: INDEX.byMonth,
        KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
        ExclusiveStartKey: start,
        ReturnConsumedCapacity: 'TOTAL',
        ...(limit ? { Limit: limit } : {}),
      }),
    );
    out.push({
      ms: performance.now() - t0,
      items: answer.Items?.length ?? 0,
      rcu: answer.ConsumedCapacity?.CapacityUnits ?? 0,
    });
    start = answer.LastEvaluatedKey;
  } while (start);
  return out;
}

let javaPid: number | undefined;
let cpuBefore = 0;
const show = (label: string, ps: { ms: number; items: number; rcu: number }[]) => {
  const total = ps.reduce((a, p) => a + p.ms, 0);
  const items = ps.reduce((a, p) => a + p.items, 0);
  const cpu = processCpuMs(javaPid);
  console.log(
    `${label}: ${ps.length} pages, ${items} items, ${(total / 1000).toFixed(1)} s, DynamoDB Local CPU ${((cpu - cpuBefore) / 1000).toFixed(1)} s; per page ms/items: ${ps
      .map((p) => `${p.ms.toFixed(0)}/${p.items}`)
      .join(' ')}`,
  );
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000);
  const jvm = (process.env.PAGING_JVM ?? '').split(' ').filter(Boolean);
  const dynamo = await startDynamoDbLocalJvm(await freePort(), jvm);
  javaPid = dynamo.pid;
  console.log(`DynamoDB Local pid ${dynamo.pid}, JVM options: ${jvm.join(' ') || '(none)'}`);
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint: dynamo.endpoint });
  const doc = DynamoDBDocumentClient.from(client);
  try {
    const table = `paging-${randomUUID().slice(0, 8)}`;
    await createReportTable(client, table);
    const seeded = await seed(doc, table, n, 16);
    console.log(`seeded ${n} in ${(seeded.ms / 1000).toFixed(1)} s`);
    const ranges = monthSegments(FROM, TO);
    const range = ranges[Number(process.env.PAGING_RANGE ?? 1)] as (typeof ranges)[number];
    const limits = (process.env.PAGING_LIMITS ?? '0,500').split(',').map(Number);
    const repeat = Number(process.env.PAGING_REPEAT ?? 1);
    for (let r = 0; r < repeat; r++)
      for (const limit of limits) {
        cpuBefore = processCpuMs(javaPid);
        show(
          `range ${range.pk} ${range.from}…${range.to} Limit ${limit || 'none'}`,
          await pages(doc, table, range, limit || undefined),
        );
      }
    cpuBefore = processCpuMs(javaPid);
    // a 1-day range of the same partition: does the partition's size matter, or the range's?
    const day = { ...range, to: new Date(Date.parse(range.from) + 86_400_000).toISOString() };
    show(`range ${day.pk} 1 day, Limit none`, await pages(doc, table, day));
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}
