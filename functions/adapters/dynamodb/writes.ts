import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import { EVENT_PREFIX } from './keys.js';

/**
 * What the stores of this table share about writing and reading it: the optimistic retry of a
 * read-compute-write transaction, cancellation reasons, and a Query read to its end.
 */

/** Cancellation reason codes of a canceled transaction, in item order; undefined for other errors. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((r) => r.Code);
}

/** A write that lost a race: a condition on what was read failed, or another transaction crossed it. */
export function lostRace(error: unknown): boolean {
  const reasons = cancellationCodes(error);
  return (
    reasons?.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict') === true ||
    (error as Error)?.name === 'TransactionConflictException' ||
    // a single conditional write's condition on what was read
    (error as Error)?.name === 'ConditionalCheckFailedException'
  );
}

/** Full jitter, growing to ~200 ms: lets racing writers fall into line. */
export function backoff(attempt: number): Promise<void> {
  const cap = Math.min(200, 10 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
}

/**
 * Runs `attempt` (read, compute, one conditional transaction) again while it loses a race,
 * after a jittered backoff, at most `maxAttempts` times; then ConflictError(`conflict`).
 * Any other error goes through at once.
 */
export async function retryLostRaces<T>(
  maxAttempts: number,
  conflict: string,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!lostRace(error)) throw error;
      if (n >= maxAttempts) throw new ConflictError(conflict);
      await backoff(n);
    }
  }
}

/** Every item of a Query, page after page. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The audit events of one partition (`E#<seq>` items), in order, without their keys. */
export async function eventsOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
): Promise<Record<string, unknown>[]> {
  const items = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
    ExpressionAttributeValues: { ':pk': pk, ':e': EVENT_PREFIX },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...event }) => event);
}

/** The item without the attributes the table keeps for itself (keys, index keys, hidden records). */
export function withoutAttributes(
  item: Record<string, unknown>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!hidden.has(key)) out[key] = value;
  return out;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
