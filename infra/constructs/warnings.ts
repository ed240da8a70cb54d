import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ComplaintFunction } from './lambda.js';
import { acknowledgeIndexAccess, grantTableAccess } from './storage.js';

/** The scheduled pre-breach warning check (functions/scheduled/step-warnings.ts). */
export const STEP_WARNINGS_ENTRY = 'functions/scheduled/step-warnings.ts';
/** How often it runs: a warning is at most this late. */
export const STEP_WARNINGS_RATE = Duration.minutes(15);

export interface StepWarningsProps {
  readonly repoRoot: string;
  readonly table: Table;
  readonly logRetention: RetentionDays;
}

/**
 * Pre-breach warnings: one function, run by an EventBridge schedule every 15 minutes, that
 * queries the sparse warnings index (GSI6) and marks and emails the warnings due. It reads and
 * updates the table (GetItem, Query, UpdateItem/PutItem of the store's transaction) and, as an
 * emailing function, gets `ses:SendEmail` from the Notifications construct (sender only).
 */
export class StepWarnings extends Construct {
  readonly fn: NodejsFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: StepWarningsProps) {
    super(scope, id);
    const wrapper = new ComplaintFunction(this, 'StepWarningsFn', {
      repoRoot: props.repoRoot,
      entry: STEP_WARNINGS_ENTRY,
      environment: { TABLE_NAME: props.table.tableName },
      logRetention: props.logRetention,
      timeout: Duration.seconds(120),
    });
    this.fn = wrapper.fn;
    grantTableAccess(props.table, this.fn, 'readWrite');
    acknowledgeIndexAccess(wrapper, props.table);
    this.rule = new Rule(this, 'StepWarningsSchedule', {
      description: 'Warns the owners of staff steps whose warning time has come (before their deadline)',
      schedule: Schedule.rate(STEP_WARNINGS_RATE),
      targets: [new LambdaFunction(this.fn, { retryAttempts: 0 })],
    });
  }
}
