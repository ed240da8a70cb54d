/**
 * The report's own work at N complaints, DynamoDB's wait left out (`npm run bench --
 * reports-cpu`; alone: `node --expose-gc --import tsx bench/reports-cpu.ts [N] [runs]`,
 * default 100,000 and 3): the SDK client's request handler is replaced by one answering each
 * Query instantly from memory with the wire JSON DynamoDB would send (the index items of
 * bench/reports.ts's data set, projected as GSI3 / GSI4 project them, in 1 MB pages per key
 * range). So the time is the Lambda's: the SDK parsing and unmarshalling ≈ 70 MB of answers,
 * the store, the analysis (`analyseStored`, as the handler). Baseline in the same run: the
 * same Queries with nothing done with their items. DynamoDB Local cannot give this: it spends
 * ≈ 0.25–0.4 ms of CPU per item it answers, on one thread (bench/reports.ts).
 * Heap: before and at the peak of the report (the fake's pages, ≈ 100 MB, are in "before");
 * `node --max-old-space-size=<MB>` bounds it, to see what the report needs.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { monthSegments } from '../functions/adapters/dynamodb/keys.js';
import { INDEX } from '../functions/adapters/dynamodb/table.js';
import { localAwsConfig } from '../test/support/dynamodb-local.js';
import { FROM, item, itemBytes, rng, TO, timeQuarterlyReport } from './reports.js';

const _NOW = new Date('2026-12-31T12:00:00+08:00');
export async function benchReportsCpu(n = 100_000, runs = 3): Promise<void> {
  // partitions: "pk|from|to" → pages of wire-format items
  const ranges = monthSegments(FROM, TO);
  const parts = new Map<string, { json: string; size: number }[]>();
  const add = (key: string, projected: Record<string, unknown>) => {
    let list = parts.get(key);
    if (!list) {
      list = [];
      parts.set(key, list);
    }
    list.push({
      json: JSON.stringify(
        marshall(projected, { removeUndefinedValues: true, convertClassInstanceToMap: true }),
      ),
      size: itemBytes(projected) + 100,
    });
  };
  const random = rng(n);
  for (let k = 0; k < n; k++) {
    const i = item(k, random);
    const sk = String(i.gsi3sk);
    const r = ranges.find((x) => x.pk === i.gsi3pk && x.from <= sk && sk < x.to);
    if (!r) throw new Error(`${sk} is in none of the key ranges`);
    add(`${r.pk}|${r.from}|${r.to}`, { pk: i.pk, sk: i.sk, gsi3pk: i.gsi3pk, gsi3sk: i.gsi3sk, rp: i.rp });
    if (i.gsi4pk) add('OPEN', { pk: i.pk, sk: i.sk, gsi4pk: i.gsi4pk, gsi4sk: i.gsi4sk, rp: i.rp });
  }
  // 1 MB pages
  const pages = new Map<string, string[]>();
  for (const [key, items] of parts) {
    const out: string[] = [];
    let page: string[] = [];
    let bytes = 0;
    for (const it of items) {
      if (bytes + it.size > 1024 * 1024) {
        out.push(`[${page.join(',')}]`);
        page = [];
        bytes = 0;
      }
      page.push(it.json);
      bytes += it.size;
    }
    if (page.length) out.push(`[${page.join(',')}]`);
    pages.set(key, out);
  }
  const handler = {
    async handle(request: { body?: string }) {
      const q = JSON.parse(
        typeof request.body === 'string'
          ? request.body
          : Buffer.from(request.body as unknown as Uint8Array).toString(),
      );
      const v = q.ExpressionAttributeValues;
      const key = q.IndexName === INDEX.timers ? 'OPEN' : `${v[':pk'].S}|${v[':from'].S}|${v[':to'].S}`;
      const list = pages.get(key) ?? [];
      const index = q.ExclusiveStartKey ? Number(q.ExclusiveStartKey.pk.S) : 0;
      const page = list[index] ?? '[]';
      const more = index + 1 < list.length;
      const body = `{"Items":${page},"Count":0,"ScannedCount":0${more ? `,"LastEvaluatedKey":{"pk":{"S":"${index + 1}"}}` : ''}}`;
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
  };
  const client = new DynamoDBClient({
    ...localAwsConfig,
    endpoint: 'http://fake',
    requestHandler: handler as never,
  });
  const doc = DynamoDBDocumentClient.from(client);
  const table = 'fake';
  const {
    bareMs,
    reportMs: repMs,
    heapBefore,
    heapPeak,
    rssPeak,
  } = await timeQuarterlyReport(doc, table, n, runs, 10, {
    onRun: (r, t) =>
      console.log(
        `reports-cpu: run ${r}: bare ${t.bareMs.at(-1)?.toFixed(0)} ms (${t.bare.items} items), report ${t.reportMs.at(-1)?.toFixed(0)} ms`,
      ),
  });
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((q / 100) * xs.length) - 1)] as number;
  console.log(
    `reports-cpu: quarter of ${n} against an instant DynamoDB (${runs} runs): report p50 ${p(repMs, 50).toFixed(0)} p95 ${p(repMs, 95).toFixed(0)} ms, bare Query (SDK parse) p50 ${p(bareMs, 50).toFixed(0)} p95 ${p(bareMs, 95).toFixed(0)} ms; heap before ${(heapBefore / 2 ** 20).toFixed(0)} MiB peak ${(heapPeak / 2 ** 20).toFixed(0)} MiB; RSS peak during the report ${(rssPeak / 2 ** 20).toFixed(0)} MiB; max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchReportsCpu(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 3));
}
