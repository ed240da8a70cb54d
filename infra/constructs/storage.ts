import { type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  COMPLAINTS_TABLE,
  type KeyAttribute,
  type TableDefinition,
} from '../../functions/adapters/dynamodb/table.js';

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
});

export interface StorageProps {
  /** Default: COMPLAINTS_TABLE of functions/adapters/dynamodb/table.ts (the store's own definition). */
  readonly definition?: TableDefinition;
}

/**
 * The complaints table, built from the store's table definition (keys pk/sk, GSI1..5, TTL
 * `expiresAt`, on-demand), with point-in-time recovery, deletion protection, retained on
 * stack deletion, and encrypted with the AWS managed KMS key.
 */
export class Storage extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const def = props.definition ?? COMPLAINTS_TABLE;
    if (def.billingMode !== 'PAY_PER_REQUEST') throw new Error(`Unsupported billing mode ${def.billingMode}`);
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(def.partitionKey),
      sortKey: attribute(def.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: def.timeToLiveAttribute,
    });
    for (const index of def.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        ...(index.projectionType === 'INCLUDE'
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...(index.nonKeyAttributes ?? [])] }
          : index.projectionType === 'KEYS_ONLY'
            ? { projectionType: ProjectionType.KEYS_ONLY }
            : {}),
      });
    }
  }
}

/** The table grants include `<table>/index/*` so that the handlers can query GSI1..5. */
export function acknowledgeIndexAccess(scope: Construct, table: Table): void {
  const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
    reason:
      "Queries on the table's global secondary indexes (GSI1..6: by stage, department, month, timers, owner, warnings) need <table>/index/*.",
  });
}

/**
 * The table actions of each kind of access: exactly what the DynamoDB store calls
 * (functions/adapters/dynamodb: Get, Query, Put, Update, and TransactWrite of Put and Update
 * items; test/infra/store-actions.test.ts checks the handler code against this list).
 * No Scan (the table is never scanned), no DeleteItem or BatchWriteItem (audit events are
 * append-only; TTL removes expired idempotency records), unlike CDK's grantReadData and
 * grantReadWriteData.
 */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  readWrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const satisfies Record<string, readonly string[]>;

/** Grants TABLE_ACTIONS[access] on the table and its indexes. */
export function grantTableAccess(
  table: Table,
  grantee: IGrantable,
  access: keyof typeof TABLE_ACTIONS,
): void {
  table.grants.actions(grantee, ...TABLE_ACTIONS[access]);
}
