import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/**
 * The complaints table as data: CDK (infra/) and the local stack / tests build the same
 * table from this one definition. See docs/ARCHITECTURE.md, "DynamoDB".
 */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** ALL; INCLUDE: the keys and `nonKeyAttributes` only; KEYS_ONLY: the keys only */
  projectionType: 'ALL' | 'INCLUDE' | 'KEYS_ONLY';
  nonKeyAttributes?: readonly string[];
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalSecondaryIndexes: readonly IndexDefinition[];
  /** epoch seconds; only idempotency records carry it */
  timeToLiveAttribute: string;
  billingMode: 'PAY_PER_REQUEST';
}

export const INDEX = {
  /** queue by stage: gsi1pk = STAGE#<stage>, gsi1sk = <due UTC or 9999>#<id> (closed: <closedAt>#<id>) */
  byStage: 'GSI1',
  /** queue by department: gsi2pk = DEPT#<dept>[#closed], gsi2sk like gsi1sk */
  byDepartment: 'GSI2',
  /**
   * reports: gsi3pk = MONTH#<yyyy-mm UTC of the receipt>, gsi3sk = <receipt UTC>#<id> (the receipt:
   * `receivedAt` of a complaint registered late by an agent, else `createdAt`);
   * projects only the report record (`rp`), not the complaint
   */
  byMonth: 'GSI3',
  /**
   * timers, sparse: gsi4pk = OPEN for complaints with an open step, gsi4sk = <due UTC>#<id>
   * (projects the report record: the reports' risk list); gsi4pk = IMPROVEMENT_DUE for
   * improvement actions still at work, gsi4sk = <next check UTC>#<id> (the scheduled check)
   */
  timers: 'GSI4',
  /** the "mine" queue: gsi5pk = OWNER#<staff sub> (open complaints only), gsi5sk like gsi1sk */
  byOwner: 'GSI5',
  /**
   * pre-breach warnings, sparse: gsi6pk = WARN while the open step's warning is still to
   * send, gsi6sk = <warnAt UTC>#<id>; keys only (functions/scheduled/step-warnings.ts)
   */
  warnings: 'GSI6',
} as const;

/** The one attribute the report indexes project (functions/domain/reports-record.ts). */
export const REPORT_RECORD_ATTRIBUTE = 'rp';

/**
 * What the queue indexes (GSI1, GSI2, GSI5) project: the attributes of a staff list row
 * (functions/domain/views.ts `staffListItem`) and of the scheduled readers of the queues
 * (stalled journeys, the stage gauge, the local restart's waiting steps). A write that
 * changes none of them (an audit event's version bump, a notification, an access token, the
 * record's words) writes no index copy; a list page is read from the index alone.
 */
export const LIST_ATTRIBUTES = [
  'id',
  'stage',
  'outcome',
  'channel',
  'subject',
  'customer',
  'category',
  'severity',
  'department',
  'createdAt',
  'replyDueBy',
  'repeat',
  'escalations',
  'needsAttention',
  'pending',
  'assignee',
] as const;

/**
 * What GSI1 also projects for the agents' call queue (`gsi1pk = CALLS#open`: one item per open
 * call task, functions/domain/call-tasks.ts `CallTaskQueueItem`), read from the index alone.
 */
export const CALL_TASK_ATTRIBUTES = [
  'complaintId',
  'taskId',
  'template',
  'dueAt',
  'text',
  'language',
  'customerName',
  'phone',
] as const;

const s = (name: string): KeyAttribute => ({ name, type: 'S' });

export const COMPLAINTS_TABLE: TableDefinition = {
  partitionKey: s('pk'),
  sortKey: s('sk'),
  globalSecondaryIndexes: [
    {
      indexName: INDEX.byStage,
      partitionKey: s('gsi1pk'),
      sortKey: s('gsi1sk'),
      projectionType: 'INCLUDE',
      nonKeyAttributes: [...LIST_ATTRIBUTES, ...CALL_TASK_ATTRIBUTES],
    },
    {
      indexName: INDEX.byDepartment,
      partitionKey: s('gsi2pk'),
      sortKey: s('gsi2sk'),
      projectionType: 'INCLUDE',
      nonKeyAttributes: LIST_ATTRIBUTES,
    },
    {
      indexName: INDEX.byMonth,
      partitionKey: s('gsi3pk'),
      sortKey: s('gsi3sk'),
      projectionType: 'INCLUDE',
      nonKeyAttributes: [REPORT_RECORD_ATTRIBUTE],
    },
    {
      indexName: INDEX.timers,
      partitionKey: s('gsi4pk'),
      sortKey: s('gsi4sk'),
      projectionType: 'INCLUDE',
      nonKeyAttributes: [REPORT_RECORD_ATTRIBUTE],
    },
    {
      indexName: INDEX.byOwner,
      partitionKey: s('gsi5pk'),
      sortKey: s('gsi5sk'),
      projectionType: 'INCLUDE',
      nonKeyAttributes: LIST_ATTRIBUTES,
    },
    {
      indexName: INDEX.warnings,
      partitionKey: s('gsi6pk'),
      sortKey: s('gsi6sk'),
      projectionType: 'KEYS_ONLY',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
};

/** The CreateTable request for `tableName` (DynamoDB Local, scripts). */
export function createTableInput(
  tableName: string,
  def: TableDefinition = COMPLAINTS_TABLE,
): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute>();
  for (const a of [def.partitionKey, def.sortKey]) attributes.set(a.name, a);
  for (const i of def.globalSecondaryIndexes) {
    attributes.set(i.partitionKey.name, i.partitionKey);
    attributes.set(i.sortKey.name, i.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: def.billingMode,
    AttributeDefinitions: [...attributes.values()].map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection:
        i.projectionType === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...(i.nonKeyAttributes ?? [])] }
          : { ProjectionType: i.projectionType },
    })),
  };
}

/**
 * Creates the table (for DynamoDB Local), waits until it is ACTIVE and turns on TTL.
 * An already existing table is left as it is.
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  maxWaitSeconds = 60,
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
  await waitUntilTableExists(
    { client, maxWaitTime: maxWaitSeconds, minDelay: 1, maxDelay: 2 },
    { TableName: tableName },
  );
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: COMPLAINTS_TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // already enabled (a second call) is fine; anything else is not
    if (!/already enabled|TimeToLive is already/i.test((error as Error).message)) throw error;
  }
}
