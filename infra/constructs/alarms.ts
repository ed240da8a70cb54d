import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { OPEN_STAGES } from '../../functions/domain/model.js';
import { METRIC_NAMESPACE, MetricName, SERVICE_NAME } from '../../functions/runtime/metric-names.js';
import { ComplaintFunction } from './lambda.js';
import { acknowledgeIndexAccess, grantTableAccess } from './storage.js';

/** The custom metrics of docs/ARCHITECTURE.md "Metrics" (names shared with the handlers). */
export const METRIC = MetricName;

/** The scheduled sweeper that starts the journey of complaints stored without one. */
export const STALLED_JOURNEYS_ENTRY = 'functions/scheduled/start-stalled-journeys.ts';
/** The scheduled check of the improvement actions' deadlines (warnings, escalations). */
export const IMPROVEMENT_DEADLINES_ENTRY = 'functions/scheduled/improvement-deadlines.ts';

/** The stages a complaint can be open in (everything but `closed`). */
export { OPEN_STAGES };

/** A custom metric with the default dimension service=complaints plus `dimensions`. */
export function journeyMetric(
  metricName: string,
  statistic: string,
  period: Duration,
  dimensions: Record<string, string> = {},
): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, ...dimensions },
    statistic,
    period,
  });
}

export interface AlarmsProps {
  readonly managerEmails: readonly string[];
  readonly stateMachine: StateMachine;
  readonly httpApi: HttpApi;
  /** Every Lambda function of the stack, by a readable name (used in alarm names). */
  readonly functions: ReadonlyMap<string, IFunction>;
  /** When set, a function from this entry runs every 5 minutes to publish OpenComplaints{stage}. */
  readonly stageGauge?: { repoRoot: string; entry: string; table: Table; logRetention: RetentionDays };
  /**
   * The stalled-journey sweeper's entry (default STALLED_JOURNEYS_ENTRY; `false`: none). It is
   * scheduled with the stage gauge (same repository root, table and log retention), every
   * 5 minutes, and may read the table and start executions of `stateMachine`.
   */
  readonly stalledJourneysEntry?: string | false;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Managers' monitoring: the encrypted SSL-only SNS topic with the configured email
 * subscriptions, the alarms (high-level escalations, failed/timed-out/aborted executions,
 * complaints needing attention, Lambda errors, API 5xx, notification failures) and the
 * dashboard (open complaints by stage, escalations, deadlines missed, timely handling,
 * satisfaction). Every alarm fires on ≥ 1 in a 5-minute period; no data is not breaching.
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  readonly stageGauge?: ComplaintFunction;
  readonly stalledJourneys?: ComplaintFunction;
  /** The improvement actions' deadline check (with the stage gauge), every 5 minutes. */
  readonly improvementDeadlines?: ComplaintFunction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;

    // CloudWatch alarms can publish to an encrypted topic only through a customer managed key
    // whose policy lets CloudWatch use it (the AWS managed aws/sns key does not).
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the complaint managers alarm topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'ManagersTopic', {
      displayName: 'Complaint journey alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL writes an AWS::SNS::TopicPolicy, which replaces the default topic policy that
    // let the account's alarms publish: allow CloudWatch again, for this stack's alarms only.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowAlarmsOfThisStack',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${stackName}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const email of props.managerEmails) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
    const action = new SnsAction(this.topic);

    const alarm = (alarmId: string, description: string, metric: IMetric): Alarm => {
      const created = new Alarm(this, alarmId, {
        alarmName: `${stackName}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };

    alarm(
      'HighLevelEscalations',
      'A complaint was escalated to level 2 or above (complaints manager or senior management): see the escalation email and the staff console.',
      journeyMetric(METRIC.HighLevelEscalations, Stats.SUM, FIVE_MINUTES),
    );
    alarm(
      'ExecutionsFailed',
      'A complaint journey execution failed.',
      props.stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: Stats.SUM }),
    );
    alarm(
      'ExecutionsTimedOut',
      'A complaint journey execution timed out.',
      props.stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: Stats.SUM }),
    );
    alarm(
      'ExecutionsAborted',
      'A complaint journey execution was aborted.',
      props.stateMachine.metricAborted({ period: FIVE_MINUTES, statistic: Stats.SUM }),
    );
    alarm(
      'NeedsAttention',
      'A complaint needs attention: a journey task failed past its retries; the complaint is marked needsAttention.',
      journeyMetric(METRIC.NeedsAttention, Stats.SUM, FIVE_MINUTES),
    );
    alarm(
      'NotificationFailures',
      'An email could not be sent (SES) after retries; the complaint audit trail has a notification_failed event.',
      journeyMetric(METRIC.NotificationFailures, Stats.SUM, FIVE_MINUTES),
    );
    alarm(
      'Api5xx',
      'The complaints API answered with a 5xx error.',
      props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
    );

    if (props.stageGauge) {
      this.stageGauge = new ComplaintFunction(this, 'StageGaugeFn', {
        repoRoot: props.stageGauge.repoRoot,
        entry: props.stageGauge.entry,
        environment: { TABLE_NAME: props.stageGauge.table.tableName },
        logRetention: props.stageGauge.logRetention,
        timeout: Duration.seconds(60),
      });
      grantTableAccess(props.stageGauge.table, this.stageGauge.fn, 'read');
      acknowledgeIndexAccess(this.stageGauge, props.stageGauge.table);
      new Rule(this, 'StageGaugeSchedule', {
        description: 'Publishes OpenComplaints{stage} every 5 minutes',
        schedule: Schedule.rate(FIVE_MINUTES),
        targets: [new LambdaFunction(this.stageGauge.fn, { retryAttempts: 0 })],
      });
    }

    const sweeperEntry =
      props.stalledJourneysEntry === undefined ? STALLED_JOURNEYS_ENTRY : props.stalledJourneysEntry;
    if (props.stageGauge && sweeperEntry) {
      const { repoRoot, table, logRetention } = props.stageGauge;
      this.stalledJourneys = new ComplaintFunction(this, 'StalledJourneysFn', {
        repoRoot,
        entry: sweeperEntry,
        environment: {
          TABLE_NAME: table.tableName,
          STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        },
        logRetention,
        timeout: Duration.seconds(60),
      });
      grantTableAccess(table, this.stalledJourneys.fn, 'read');
      acknowledgeIndexAccess(this.stalledJourneys, table);
      props.stateMachine.grantStartExecution(this.stalledJourneys.fn);
      new Rule(this, 'StalledJourneysSchedule', {
        description: 'Starts the journey of complaints still received 5 minutes after they were stored',
        schedule: Schedule.rate(FIVE_MINUTES),
        targets: [new LambdaFunction(this.stalledJourneys.fn, { retryAttempts: 0 })],
      });
    }

    if (props.stageGauge) {
      const { repoRoot, table, logRetention } = props.stageGauge;
      this.improvementDeadlines = new ComplaintFunction(this, 'ImprovementDeadlinesFn', {
        repoRoot,
        entry: IMPROVEMENT_DEADLINES_ENTRY,
        environment: { TABLE_NAME: table.tableName },
        logRetention,
        timeout: Duration.seconds(60),
      });
      grantTableAccess(table, this.improvementDeadlines.fn, 'readWrite');
      acknowledgeIndexAccess(this.improvementDeadlines, table);
      new Rule(this, 'ImprovementDeadlinesSchedule', {
        description: 'Warns and escalates improvement actions past their warning point or deadline',
        schedule: Schedule.rate(FIVE_MINUTES),
        targets: [new LambdaFunction(this.improvementDeadlines.fn, { retryAttempts: 0 })],
      });
    }

    const functions = new Map(props.functions);
    if (this.stageGauge) functions.set('StageGauge', this.stageGauge.fn);
    if (this.improvementDeadlines) functions.set('ImprovementDeadlines', this.improvementDeadlines.fn);
    if (this.stalledJourneys) functions.set('StalledJourneys', this.stalledJourneys.fn);
    for (const [name, fn] of functions) {
      alarm(
        `${name}Errors`,
        `The ${name} Lambda function reported errors.`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      );
    }

    this.dashboard = this.buildDashboard();
  }

  private buildDashboard(): Dashboard {
    const hour = Duration.hours(1);
    const day = Duration.days(1);
    const dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    const search = (metricName: string, dimensions: string[], label: string, period: Duration) =>
      new MathExpression({
        expression: `SEARCH('{${METRIC_NAMESPACE},${['service', ...dimensions].join(',')}} MetricName="${metricName}" service="${SERVICE_NAME}"', 'Sum', ${period.toSeconds()})`,
        label,
        period,
        usingMetrics: {},
      });

    dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Complaint journey\nOpen complaints by stage, escalations, missed deadlines, timely handling and satisfaction. ' +
          "Alarms notify the managers' SNS topic.",
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Open complaints by stage',
        stacked: true,
        width: 12,
        left: OPEN_STAGES.map((stage) =>
          journeyMetric(METRIC.OpenComplaints, Stats.MAXIMUM, FIVE_MINUTES, { stage }).with({ label: stage }),
        ),
      }),
      new SingleValueWidget({
        title: 'Open complaints now',
        width: 12,
        metrics: OPEN_STAGES.map((stage) =>
          journeyMetric(METRIC.OpenComplaints, Stats.MAXIMUM, FIVE_MINUTES, { stage }).with({ label: stage }),
        ),
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Escalations over time (by stage and level)',
        width: 12,
        left: [search(METRIC.Escalations, ['stage', 'level'], 'Escalations', hour)],
        right: [journeyMetric(METRIC.HighLevelEscalations, Stats.SUM, hour).with({ label: 'Level ≥ 2' })],
      }),
      new GraphWidget({
        title: 'Deadlines missed',
        width: 12,
        left: [
          journeyMetric(METRIC.DeadlinesMissed, Stats.SUM, day).with({ label: 'Deadlines missed per day' }),
        ],
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Timely handling (% answered by the promised date)',
        width: 12,
        leftYAxis: { min: 0, max: 100, label: '%' },
        left: [
          new MathExpression({
            expression: '100 * timely',
            label: 'Timely handling %',
            period: day,
            usingMetrics: { timely: journeyMetric(METRIC.TimelyHandling, Stats.AVERAGE, day) },
          }),
        ],
      }),
      new GraphWidget({
        title: 'Satisfaction (mean rating 1–5)',
        width: 12,
        leftYAxis: { min: 1, max: 5 },
        left: [journeyMetric(METRIC.SatisfactionRating, Stats.AVERAGE, day).with({ label: 'Mean rating' })],
        right: [
          journeyMetric(METRIC.SatisfactionRating, Stats.SAMPLE_COUNT, day).with({ label: 'Survey answers' }),
        ],
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Complaints received (by channel) and closed (by outcome)',
        width: 12,
        left: [search(METRIC.ComplaintsReceived, ['channel'], 'Received', day)],
        right: [search(METRIC.ComplaintsClosed, ['outcome'], 'Closed', day)],
      }),
      new GraphWidget({
        title: 'Needs attention and notification failures',
        width: 12,
        left: [
          journeyMetric(METRIC.NeedsAttention, Stats.SUM, hour).with({ label: 'Needs attention' }),
          journeyMetric(METRIC.NotificationFailures, Stats.SUM, hour).with({
            label: 'Notification failures',
          }),
        ],
      }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: this.alarms }));
    return dashboard;
  }
}
