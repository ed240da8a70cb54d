/**
 * DynamoDB Local answers a TransactWriteItems before its COMMIT runs (local/dynamodb.ts,
 * `awaitLocalCommits`): without the barrier, a kill -9 of its JVM right after the answer
 * loses the whole transaction about every other time. With it, every answered transaction
 * — sent by the plain client and by the document client the store uses — survives the kill.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createTable } from '../../functions/adapters/dynamodb/table.js';
import { awaitLocalCommits, LOCAL_AWS, type RunningDynamoDb, startDynamoDb } from '../../local/dynamodb.js';
import { freePort } from '../support/free-port.js';

const ROUNDS = 4;
/** single writes need no barrier (4 rounds showed none lost); 2 keep the check cheaper */
const SINGLE_ROUNDS = 2;
const TABLE = 'durability-test';
const dir = mkdtempSync(join(tmpdir(), 'ddb-durability-'));
let running: RunningDynamoDb | undefined;

afterAll(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** SIGKILL to DynamoDB Local's JVM, resolved once the process is gone. */
async function killJvm(db: RunningDynamoDb): Promise<void> {
  const pid = db.pid as number;
  process.kill(pid, 'SIGKILL');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('DynamoDB Local killed right after it answers a transaction', () => {
  it(`keeps every answered transaction over ${ROUNDS} kills (plain and document client)`, async () => {
    const port = await freePort();
    const start = () => startDynamoDb({ port, host: '127.0.0.1', dataDir: dir, startTimeoutMs: 120_000 });
    running = await start();
    const endpoint = running.endpoint;
    const setup = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
    await createTable(setup, TABLE);
    setup.destroy();

    const lost: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
      awaitLocalCommits(client, TABLE);
      const documents = DynamoDBDocumentClient.from(client);
      // a few transactions in flight, then one answered and killed at once
      const write = (key: string) =>
        round % 2 === 0
          ? client.send(
              new TransactWriteItemsCommand({
                TransactItems: [
                  { Put: { TableName: TABLE, Item: { pk: { S: key }, sk: { S: 'A' } } } },
                  { Put: { TableName: TABLE, Item: { pk: { S: key }, sk: { S: 'B' } } } },
                ],
              }),
            )
          : documents.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Put: { TableName: TABLE, Item: { pk: key, sk: 'A' } } },
                  { Put: { TableName: TABLE, Item: { pk: key, sk: 'B' } } },
                ],
              }),
            );
      await Promise.all(Array.from({ length: 10 }, (_, i) => write(`r${round}-${i}`)));
      await write(`r${round}`);
      await killJvm(running);
      client.destroy();

      running = await start();
      const reader = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
      for (const key of [`r${round}`, ...Array.from({ length: 10 }, (_, i) => `r${round}-${i}`)]) {
        for (const sk of ['A', 'B']) {
          const got = await reader.send(
            new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key }, sk: { S: sk } } }),
          );
          if (!got.Item) lost.push(`${key}/${sk}`);
        }
      }
      reader.destroy();
    }
    expect(lost).toEqual([]);
  }, 600_000);

  // the store commits a change with one conditional UpdateItem, then PutItems (complaint-store.ts)
  it(`keeps every answered single write (conditional UpdateItem, PutItem) over ${SINGLE_ROUNDS} kills`, async () => {
    const lost: string[] = [];
    for (let round = 0; round < SINGLE_ROUNDS; round++) {
      running ??= await startDynamoDb({
        port: await freePort(),
        host: '127.0.0.1',
        dataDir: dir,
        startTimeoutMs: 120_000,
      });
      const endpoint = running.endpoint;
      const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
      awaitLocalCommits(client, TABLE);
      const documents = DynamoDBDocumentClient.from(client);
      const write = async (key: string) => {
        await documents.send(
          new UpdateCommand({
            TableName: TABLE,
            Key: { pk: `s${key}`, sk: 'META' },
            UpdateExpression: 'SET #v = :v',
            ConditionExpression: 'attribute_not_exists(#v)',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': 1 },
          }),
        );
        await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: `s${key}`, sk: 'E#1' } }));
      };
      await Promise.all(Array.from({ length: 10 }, (_, i) => write(`r${round}-${i}`)));
      await write(`r${round}`);
      await killJvm(running);
      client.destroy();
      running = await startDynamoDb({
        port: Number(new URL(endpoint).port),
        host: '127.0.0.1',
        dataDir: dir,
        startTimeoutMs: 120_000,
      });
      const reader = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
      for (const key of [`r${round}`, ...Array.from({ length: 10 }, (_, i) => `r${round}-${i}`)]) {
        for (const sk of ['META', 'E#1']) {
          const got = await reader.send(
            new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `s${key}` }, sk: { S: sk } } }),
          );
          if (!got.Item) lost.push(`${key}/${sk}`);
        }
      }
      reader.destroy();
    }
    expect(lost).toEqual([]);
  }, 600_000);

  // Ctrl-C reaches the whole terminal group: DynamoDB Local must outlive it until `npm start`
  // has let its running journey tasks finish their writes (local/journey.ts stop).
  it.skipIf(process.platform !== 'linux')(
    'ignores Ctrl-C (SIGINT): keeps answering, and ends on stop()',
    async () => {
      const db = running as RunningDynamoDb;
      const pid = db.pid as number;
      // the kernel's record of the JVM's SIGINT disposition: ignored, not caught
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const mask = (name: string) =>
        BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'}`);
      const SIGINT_BIT = 1n << 1n;
      expect(mask('SigIgn') & SIGINT_BIT).toBe(SIGINT_BIT);
      expect(mask('SigCgt') & SIGINT_BIT).toBe(0n);

      process.kill(pid, 'SIGINT');
      const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: db.endpoint, maxAttempts: 1 });
      const got = await client.send(
        new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'r0' }, sk: { S: 'A' } } }),
      );
      client.destroy();
      expect(got.Item?.pk?.S).toBe('r0');

      await db.stop();
      running = undefined;
      expect(() => process.kill(pid, 0)).toThrow();
    },
    120_000,
  );
});
