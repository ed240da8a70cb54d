import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnRoute,
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../functions/routes.js';
import { ComplaintFunction } from './lambda.js';
import { acknowledgeIndexAccess, grantTableAccess } from './storage.js';

/**
 * What each API entry point may do, beyond writing its own logs. Least privilege: a new
 * entry in ROUTES fails synthesis until it is given its access here.
 * - table: 'read' (GetItem, Query) or 'readWrite' (also PutItem, UpdateItem): TABLE_ACTIONS in storage.ts
 * - journey: 'start' (states:StartExecution) or 'respond' (SendTaskSuccess/Failure/Heartbeat)
 * - email: true when it emails through the notifier (ses:SendEmail from the sender only: notifications.ts)
 * - memoryMb / timeoutSeconds: when the default (512 MB, 10 s) does not fit (the reports)
 */
export const API_ACCESS: Record<
  string,
  {
    table: 'read' | 'readWrite';
    journey?: 'start' | 'respond';
    email?: true;
    memoryMb?: number;
    timeoutSeconds?: number;
  }
> = {
  'functions/api/health.ts': { table: 'read' },
  'functions/api/create-complaint.ts': { table: 'readWrite', journey: 'start' },
  'functions/api/get-complaint.ts': { table: 'read' },
  'functions/api/customer-action.ts': { table: 'readWrite', journey: 'respond' },
  'functions/api/staff-list.ts': { table: 'read' },
  'functions/api/staff-get.ts': { table: 'read' },
  'functions/api/staff-call-tasks.ts': { table: 'read' },
  'functions/api/staff-action.ts': { table: 'readWrite', journey: 'respond' },
  // A quarter of 100,000 complaints: ≈ 110k report records (≈ 70 MB read in 1 MB pages from
  // 13 key ranges of the month index and the open steps, in parallel), each page added to the
  // running totals as it arrives (the records are not held). `npm run bench -- reports-cpu` on
  // the shared, loaded 2-core build machine: the report's own work (SDK parsing, store,
  // analysis) p50 10.6–16.7 s as the load varies, about the bare SDK parsing of the same pages;
  // it runs in a heap capped at 520 MB (docs/ARCHITECTURE.md, "Reports"). The work is
  // CPU-bound on one thread, and Lambda gives one whole vCPU at 1,769 MB (less below, no more
  // for one thread above): so 1,769 MB, for the CPU, not the memory. 29 s is API Gateway's
  // integration limit (a longer Lambda timeout would only hide a cut-off answer).
  'functions/api/reports.ts': { table: 'read', memoryMb: 1769, timeoutSeconds: 29 },
  // emails the owner department (opened, sent back to work) and the managers (done)
  'functions/api/improvements.ts': { table: 'readWrite', email: true },
  'functions/api/improvements-read.ts': { table: 'read' },
  // the evidence bucket's grants: infra/constructs/evidence.ts
  'functions/api/attachments.ts': { table: 'readWrite' },
  'functions/api/attachment-download.ts': { table: 'readWrite' },
  'functions/api/staff-notes.ts': { table: 'readWrite' },
  'functions/api/staff-assign.ts': { table: 'readWrite' },
  // tells the customer of the new date (the `extension` email)
  'functions/api/extension.ts': { table: 'readWrite', email: true },
};

/** Headers browsers may send cross-origin (the staff console's JWT, JSON, idempotency). */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key'];

export interface ApiProps {
  readonly repoRoot: string;
  readonly routes?: readonly RouteDefinition[];
  readonly table: Table;
  readonly stateMachine: StateMachine;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly allowedOrigins: string[];
  readonly throttle: { rateLimit: number; burstLimit: number };
  /** Route-level throttling of every public POST route (they need no login). */
  readonly publicWriteThrottle: { rateLimit: number; burstLimit: number };
  readonly logRetention: RetentionDays;
}

/** A PascalCase construct id from an entry file: functions/api/staff-action.ts → StaffAction. */
export function entryId(entry: string): string {
  return path
    .basename(entry, path.extname(entry))
    .split(/[^A-Za-z0-9]+/)
    .map((part) => (part[0]?.toUpperCase() ?? '') + part.slice(1))
    .join('');
}

/**
 * The HTTP API (payload format 2.0) built from ROUTES: one Lambda per distinct entry file,
 * the Cognito JWT authorizer on the staff routes, CORS for the configured origins only,
 * default-stage throttling and JSON access logs.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The API's functions, by entry file. */
  readonly functions = new Map<string, NodejsFunction>();

  /** The API functions that email (API_ACCESS `email`). */
  get emailingFunctions(): NodejsFunction[] {
    return [...this.functions].filter(([entry]) => API_ACCESS[entry]?.email).map(([, fn]) => fn);
  }
  /** The routes, by ROUTES name. */
  readonly routes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const routes = props.routes ?? ROUTES;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Customer complaint journey: public complaint routes and staff routes',
      createDefaultStage: false,
      // The pages the stack hosts call the API on their own origin (CloudFront): CORS only for
      // extra origins the deploy config lists.
      ...(props.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: props.allowedOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
              allowHeaders: CORS_ALLOW_HEADERS,
              // lets a browser see that a POST /complaints was an idempotent replay
              exposeHeaders: ['idempotent-replayed'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No query strings, headers or bodies: nothing personal in the access log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });

    for (const route of routes) {
      const fn = this.functionFor(route.entry, props);
      const routeConstruct = new HttpRoute(this, `Route${route.name}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn),
        ...(route.auth === 'staff' ? { authorizer } : {}),
      });
      this.routes.set(route.name, routeConstruct);
      if (route.auth === 'public') {
        Validations.of(routeConstruct).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Public customer route by design (docs/ARCHITECTURE.md, functions/routes.ts auth: public): customers have no login; ' +
            'routes with an id check the complaint access token (stored hashed) in the handler, /complaints POST and /health are open.',
        });
      }
    }
    this.throttlePublicWrites(routes, props);
  }

  /**
   * The public POST routes (no login) get their own low route-level throttling: every
   * `POST /complaints` stores a complaint, starts a journey and emails an address the caller
   * chose. RouteSettings name route keys, so the stage waits for those routes.
   */
  private throttlePublicWrites(routes: readonly RouteDefinition[], props: ApiProps): void {
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    // RouteSettings is untyped JSON in the L1: CloudFormation's own property names.
    const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of routes) {
      if (route.auth !== 'public' || route.method !== 'POST') continue;
      settings[`${route.method} ${route.path}`] = {
        ThrottlingRateLimit: props.publicWriteThrottle.rateLimit,
        ThrottlingBurstLimit: props.publicWriteThrottle.burstLimit,
      };
      const routeConstruct = this.routes.get(route.name);
      if (routeConstruct) cfnStage.addResourceDependency(routeConstruct.node.defaultChild as CfnRoute);
    }
    if (Object.keys(settings).length > 0) cfnStage.routeSettings = settings;
  }

  private functionFor(entry: string, props: ApiProps): NodejsFunction {
    const existing = this.functions.get(entry);
    if (existing) return existing;
    const access = API_ACCESS[entry];
    if (!access) {
      throw new Error(
        `infra/constructs/api.ts: no access policy for the API entry ${entry}; add it to API_ACCESS.`,
      );
    }
    const environment: Record<string, string> = { TABLE_NAME: props.table.tableName };
    if (access.journey) environment.STATE_MACHINE_ARN = props.stateMachine.stateMachineArn;
    const wrapper = new ComplaintFunction(this, `${entryId(entry)}Fn`, {
      repoRoot: props.repoRoot,
      entry,
      environment,
      logRetention: props.logRetention,
      timeout: Duration.seconds(access.timeoutSeconds ?? 10),
      ...(access.memoryMb ? { memorySize: access.memoryMb } : {}),
    });
    const fn = wrapper.fn;
    grantTableAccess(props.table, fn, access.table);
    if (access.journey === 'start') props.stateMachine.grants.startExecution(fn);
    if (access.journey === 'respond') props.stateMachine.grants.taskResponse(fn);
    acknowledgeIndexAccess(wrapper, props.table);
    this.functions.set(entry, fn);
    return fn;
  }
}
