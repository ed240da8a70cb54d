import { type CfnElement, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { JOURNEY_TASKS, type JourneyTaskDefinition } from '../../functions/routes.js';
import { ComplaintFunction } from './lambda.js';
import { acknowledgeIndexAccess, grantTableAccess } from './storage.js';

/**
 * What each journey task may do, beyond writing its own logs. `email`: the task sends
 * email through the notifier (functions/adapters/ses-notifier.ts), so it gets `ses:SendEmail`
 * on the sending identity (see notifications.ts). A new JOURNEY_TASKS key fails synthesis
 * until it is given its access here.
 */
export const JOURNEY_ACCESS: Record<string, { table: 'read' | 'readWrite'; email: boolean }> = {
  PlanStep: { table: 'read', email: false },
  AwaitStep: { table: 'readWrite', email: true }, // the emails of the step it opens, its arrival notices
  Escalate: { table: 'readWrite', email: true },
  Record: { table: 'readWrite', email: false },
  Notify: { table: 'readWrite', email: true },
  Close: { table: 'readWrite', email: true },
  NeedsAttention: { table: 'readWrite', email: false },
};

/** The ASL placeholder of a task's function ARN: `${<key>FunctionArn}`. */
export function substitutionKey(task: JourneyTaskDefinition): string {
  return `${task.key}FunctionArn`;
}

export interface JourneyProps {
  readonly repoRoot: string;
  /** Absolute path of the ASL file. */
  readonly aslPath: string;
  readonly tasks?: readonly JourneyTaskDefinition[];
  readonly table: Table;
  readonly logRetention: RetentionDays;
}

/**
 * The complaint journey: a Standard state machine loaded from the ASL file with
 * `definitionSubstitutions` for the task functions' ARNs, execution logging (ALL, without
 * execution data: the state carries customers' answers) and X-Ray tracing. Its role may
 * invoke exactly the journey functions.
 */
export class Journey extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  /** The task functions, by JOURNEY_TASKS key. */
  readonly functions = new Map<string, NodejsFunction>();
  /** The task functions that send email. */
  readonly emailingFunctions: NodejsFunction[] = [];

  constructor(scope: Construct, id: string, props: JourneyProps) {
    super(scope, id);
    const tasks = props.tasks ?? JOURNEY_TASKS;

    for (const task of tasks) {
      const access = JOURNEY_ACCESS[task.key];
      if (!access) {
        throw new Error(
          `infra/constructs/journey.ts: no access policy for the journey task ${task.key}; add it to JOURNEY_ACCESS.`,
        );
      }
      const wrapper = new ComplaintFunction(this, `${task.key}Fn`, {
        repoRoot: props.repoRoot,
        entry: task.entry,
        environment: { TABLE_NAME: props.table.tableName },
        logRetention: props.logRetention,
        timeout: Duration.seconds(30),
      });
      grantTableAccess(props.table, wrapper.fn, access.table);
      acknowledgeIndexAccess(wrapper, props.table);
      this.functions.set(task.key, wrapper.fn);
      if (access.email) this.emailingFunctions.push(wrapper.fn);
    }

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: 'One execution per complaint (name = complaint id): statemachines/complaint-journey.asl.json',
      definitionBody: DefinitionBody.fromFile(props.aslPath),
      definitionSubstitutions: Object.fromEntries(
        tasks.map((task) => [substitutionKey(task), this.functions.get(task.key)?.functionArn ?? '']),
      ),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    const invokeAcks: { id: string; reason: string }[] = [];
    for (const [key, fn] of this.functions) {
      fn.grantInvoke(this.stateMachine);
      const logicalId = fn.stack.getLogicalId(fn.node.defaultChild as CfnElement);
      invokeAcks.push({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `grantInvoke on the ${key} function also covers its versions/aliases (<arn>:*); the role can invoke only the journey functions.`,
      });
    }
    Validations.of(this.stateMachine).acknowledge(...invokeAcks, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging to CloudWatch Logs (logs:CreateLogDelivery, PutResourcePolicy, Describe*) and X-Ray tracing ' +
        '(xray:PutTraceSegments, GetSamplingRules, ...) need Resource "*": these actions support no resource-level permissions.',
    });
  }
}
