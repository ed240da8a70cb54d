import type { ImprovementStore } from '../domain/improvements.js';
import type { ComplaintStore } from '../domain/store.js';
import { getStringFromEnv } from '../runtime/env.js';
import { documentClient } from './clients.js';
import { DynamoComplaintStore } from './dynamodb/complaint-store.js';
import { DynamoImprovementStore } from './dynamodb/improvement-store.js';

let current: ComplaintStore | undefined;

/**
 * The ComplaintStore every handler uses: DynamoDB, table `TABLE_NAME`. Built on first use
 * (a missing TABLE_NAME fails that call with a ConfigurationError naming the variable), so
 * modules can be imported by tests and tools that bring their own store via setStore().
 * `REPORT_QUERY_LIMIT` (set by the local stack only, for DynamoDB Local): the `Limit` of the
 * report's Query pages (`reportQueryLimit`).
 */
export function getStore(): ComplaintStore {
  const reportQueryLimit = Number(process.env.REPORT_QUERY_LIMIT) || undefined;
  current ??= new DynamoComplaintStore({
    client: documentClient,
    tableName: getStringFromEnv('TABLE_NAME'),
    ...(reportQueryLimit ? { reportQueryLimit } : {}),
  });
  return current;
}

/** Replaces the store (tests, the local stack); `undefined` goes back to TABLE_NAME. */
export function setStore(next: ComplaintStore | undefined): void {
  current = next;
}

let improvements: ImprovementStore | undefined;

/** The ImprovementStore (same table, `TABLE_NAME`), built on first use like getStore(). */
export function getImprovementStore(): ImprovementStore {
  improvements ??= new DynamoImprovementStore({
    client: documentClient,
    tableName: getStringFromEnv('TABLE_NAME'),
  });
  return improvements;
}

/** Replaces the improvement store (tests, the local stack); `undefined` goes back to TABLE_NAME. */
export function setImprovementStore(next: ImprovementStore | undefined): void {
  improvements = next;
}
