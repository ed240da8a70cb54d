import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { JourneyTaskDefinition, RouteDefinition } from '../functions/routes.js';
import { Alarms } from './constructs/alarms.js';
import { Api, entryId } from './constructs/api.js';
import { Auth } from './constructs/auth.js';
import { Evidence } from './constructs/evidence.js';
import { Journey } from './constructs/journey.js';
import { Notifications } from './constructs/notifications.js';
import { pagesConfigJs, Site } from './constructs/site.js';
import { Storage } from './constructs/storage.js';
import { StepWarnings } from './constructs/warnings.js';
import type { DeployConfig } from './deploy-config.js';
import type { EdgeStack } from './edge-stack.js';

/** The repository root (infra/..); esbuild's project root and where config/ lives. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ASL_FILE = 'statemachines/complaint-journey.asl.json';
export const STAGE_GAUGE_ENTRY = 'functions/scheduled/stage-gauge.ts';

export interface ComplaintStackProps extends StackProps {
  readonly config: DeployConfig;
  /** The us-east-1 stack with the WAF web ACL and CloudFront's log bucket (infra/edge-stack.ts). */
  readonly edge: EdgeStack;
  /** The pages to upload. Default: <repoRoot>/web */
  readonly webDir?: string;
  /** Where entries, package-lock.json and config/ are found. Default: the repository root. */
  readonly repoRoot?: string;
  /** The ASL file. Default: <repoRoot>/statemachines/complaint-journey.asl.json */
  readonly aslPath?: string;
  /** Default: ROUTES from functions/routes.ts */
  readonly routes?: readonly RouteDefinition[];
  /** Default: JOURNEY_TASKS from functions/routes.ts */
  readonly journeyTasks?: readonly JourneyTaskDefinition[];
  /** The stage gauge's entry; default: functions/scheduled/stage-gauge.ts when that file exists. */
  readonly stageGaugeEntry?: string | false;
}

/**
 * The complaint service in its region: everything but what CloudFront needs from us-east-1
 * (the web ACL and the log bucket: `EdgeStack`, passed as `edge`). docs/ARCHITECTURE.md "infra/".
 */
export class ComplaintStack extends Stack {
  readonly storage: Storage;
  readonly auth: Auth;
  readonly journey: Journey;
  readonly api: Api;
  readonly notifications: Notifications;
  /** the scheduled pre-breach warning check (every 15 minutes) */
  readonly stepWarnings: StepWarnings;
  readonly alarms: Alarms;
  readonly site: Site;
  readonly evidence: Evidence;

  constructor(scope: Construct, id: string, props: ComplaintStackProps) {
    // the web ACL and the log bucket come from us-east-1
    super(scope, id, { crossRegionReferences: true, ...props });
    const { config } = props;
    const repoRoot = props.repoRoot ?? REPO_ROOT;
    const logRetention = config.logRetentionDays as RetentionDays;

    this.storage = new Storage(this, 'Storage');
    // The console's address is the site's, known once the distribution exists (below).
    const siteUrl = Lazy.string({ produce: () => this.site.url });
    const consoleUrl = config.consoleUrl ?? `${siteUrl}/console.html`;
    this.auth = new Auth(this, 'Auth', {
      domainPrefix: config.cognitoDomainPrefix,
      consoleUrl,
    });
    this.journey = new Journey(this, 'Journey', {
      repoRoot,
      aslPath: props.aslPath ?? path.join(repoRoot, ASL_FILE),
      ...(props.journeyTasks ? { tasks: props.journeyTasks } : {}),
      table: this.storage.table,
      logRetention,
    });
    this.api = new Api(this, 'Api', {
      repoRoot,
      ...(props.routes ? { routes: props.routes } : {}),
      table: this.storage.table,
      stateMachine: this.journey.stateMachine,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.client,
      allowedOrigins: config.allowedOrigins,
      throttle: config.apiThrottle,
      publicWriteThrottle: config.publicWriteThrottle,
      logRetention,
    });
    this.site = new Site(this, 'Site', {
      repoRoot,
      httpApi: this.api.httpApi,
      webAclArn: props.edge.webAcl.attrArn,
      logBucket: props.edge.logBucket,
      logRetention,
      ...(config.siteDomainName ? { domainName: config.siteDomainName } : {}),
      ...(config.siteCertificateArn ? { certificateArn: config.siteCertificateArn } : {}),
      ...(props.routes ? { routes: props.routes } : {}),
    });
    this.site.deployPages(
      props.webDir ?? path.join(repoRoot, 'web'),
      pagesConfigJs(this, {
        cognitoDomainUrl: this.auth.domain.baseUrl(),
        clientId: this.auth.client.userPoolClientId,
        brandingFile: path.join(repoRoot, 'config', 'branding.json'),
      }),
      repoRoot,
    );
    this.stepWarnings = new StepWarnings(this, 'StepWarnings', {
      repoRoot,
      table: this.storage.table,
      logRetention,
    });
    this.notifications = new Notifications(this, 'Notifications', {
      sesIdentity: config.sesIdentity,
      senderEmail: config.senderEmail,
      statusPageBaseUrl: config.statusPageBaseUrl ?? siteUrl,
      consoleUrl,
      emailingFunctions: [
        ...this.journey.emailingFunctions,
        ...this.api.emailingFunctions,
        this.stepWarnings.fn,
      ],
    });

    this.evidence = new Evidence(this, 'Evidence', {
      repoRoot,
      table: this.storage.table,
      logRetention,
      allowedOrigins: config.allowedOrigins,
      apiFunctions: this.api.functions,
    });

    const functions = new Map<string, IFunction>();
    if (this.evidence.uploadedFunction) functions.set('EvidenceUploaded', this.evidence.uploadedFunction);
    for (const [entry, fn] of this.api.functions) functions.set(`Api${entryId(entry)}`, fn);
    for (const [key, fn] of this.journey.functions) functions.set(`Journey${key}`, fn);
    functions.set('StepWarnings', this.stepWarnings.fn);
    const gaugeEntry =
      props.stageGaugeEntry === undefined
        ? existsSync(path.join(repoRoot, STAGE_GAUGE_ENTRY))
          ? STAGE_GAUGE_ENTRY
          : undefined
        : props.stageGaugeEntry || undefined;
    this.alarms = new Alarms(this, 'Alarms', {
      managerEmails: config.managerAlarmEmails,
      stateMachine: this.journey.stateMachine,
      httpApi: this.api.httpApi,
      functions,
      ...(gaugeEntry
        ? { stageGauge: { repoRoot, entry: gaugeEntry, table: this.storage.table, logRetention } }
        : {}),
    });
    // the improvement actions' warnings and escalations are emailed
    if (this.alarms.improvementDeadlines)
      this.notifications.grantEmailing(this.alarms.improvementDeadlines.fn);

    // The deployment writes config.js from these; the operator needs SiteUrl (and, for a custom
    // domain, DistributionDomainName for its DNS record).
    new CfnOutput(this, 'SiteUrl', {
      value: this.site.url,
      description: 'The pages and the API: the complaint form (/), status page, staff console',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.site.distribution.distributionDomainName,
      description: 'CloudFront name: the target of the CNAME record of siteDomainName',
    });
    new CfnOutput(this, 'PagesBucketName', { value: this.site.bucket.bucketName });
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.httpApi.apiEndpoint,
      description:
        'The API Gateway endpoint itself (the pages use SiteUrl; this address has the stage throttling but not the per-client WAF limits)',
    });
    new CfnOutput(this, 'UserPoolDomainUrl', {
      value: this.auth.domain.baseUrl(),
      description: 'The staff sign-in (Cognito hosted UI) domain: config.js cognito.domain',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.auth.client.userPoolClientId,
      description: 'The staff console app client: config.js cognito.clientId',
    });
    new CfnOutput(this, 'ConsoleUrl', {
      value: consoleUrl,
      description: 'The staff console page: the only Cognito callback and sign-out URL',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: this.journey.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ManagersTopicArn', { value: this.alarms.topic.topicArn });
  }
}
