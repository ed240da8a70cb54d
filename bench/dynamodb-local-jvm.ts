/**
 * DynamoDB Local in memory for a bench, with JVM options (e.g. `-Xmx2g`) and its process id,
 * so that the bench can read its CPU time: local/dynamodb.ts `startDynamoDb` without a data
 * folder (`-inMemory -sharedDb`).
 */
import { type RunningDynamoDb, startDynamoDb } from '../local/dynamodb.js';

export function startDynamoDbLocalJvm(port: number, jvm: readonly string[] = []): Promise<RunningDynamoDb> {
  // a loaded 2-core machine can take 40 s to start the JVM
  return startDynamoDb({ port, host: '127.0.0.1', javaOptions: jvm, startTimeoutMs: 120_000 });
}
