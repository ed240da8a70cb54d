/**
 * Assertions on the synthesized ComplaintStack (one synthesis for the whole file), and
 * the cdk-nag AwsSolutions checks over the same app.
 */
import { type App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALL_TASK_ATTRIBUTES, LIST_ATTRIBUTES } from '../../functions/adapters/dynamodb/table.js';
import { ROLES } from '../../functions/domain/model.js';
import { JOURNEY_TASKS, ROUTES } from '../../functions/routes.js';
import type { ComplaintStack } from '../../infra/complaint-stack.js';
import { consoleBaseUrlOf } from '../../infra/constructs/notifications.js';
import { buildTestStack, TEST_CONFIG, TEST_ENV } from './fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is walked dynamically.
type Json = Record<string, any>;

let app: App;
let stack: ComplaintStack;
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  ({ app, stack } = buildTestStack());
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The project's Lambda functions: all but the handler CDK provides for BucketDeployment (site.test.ts). */
const projectFunctions = () =>
  ofType('AWS::Lambda::Function').filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'));

/** Every IAM statement attached to a role (by the role's logical id). */
function statementsOfRole(roleId: string): Json[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
}
const actionsOf = (s: Json): string[] => [s.Action].flat();
const resourcesOf = (s: Json): unknown[] => [s.Resource].flat();
/** The role logical id of a Lambda function resource. */
const roleOfFunction = (fnId: string): string => resources[fnId]?.Properties.Role['Fn::GetAtt'][0];
function functionIdOfEntry(entry: string): string {
  const fn = stack.api.functions.get(entry);
  if (!fn) throw new Error(`no function for ${entry}`);
  return logicalId(fn);
}
/** `https://<the distribution's domain name>`, as the template spells the site's URL. */
const siteUrl = () => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.site.distribution), 'DomainName'] }]],
});
const siteUrlPlus = (suffix: string) => ({
  'Fn::Join': [
    '',
    ['https://', { 'Fn::GetAtt': [logicalId(stack.site.distribution), 'DomainName'] }, suffix],
  ],
});
const allows = (roleId: string, action: string) =>
  statementsOfRole(roleId).some((s) => actionsOf(s).includes(action));

describe('storage', () => {
  it('is a retained, deletion-protected, PITR, KMS-encrypted on-demand table with pk/sk, GSI1..6 and TTL expiresAt', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [1, 2, 3, 4, 5, 6].map((n) =>
          Match.objectLike({
            IndexName: `GSI${n}`,
            KeySchema: [
              { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
              { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
            ],
            // the month and timers indexes project only the report record, the queues a list
            // row (the stage index also the call queue's rows), the warnings index its keys
            Projection:
              n === 6
                ? { ProjectionType: 'KEYS_ONLY' }
                : {
                    ProjectionType: 'INCLUDE',
                    NonKeyAttributes:
                      n === 3 || n === 4
                        ? ['rp']
                        : n === 1
                          ? [...LIST_ATTRIBUTES, ...CALL_TASK_ATTRIBUTES]
                          : [...LIST_ATTRIBUTES],
                  },
          }),
        ),
      }),
    });
  });
});

describe('auth', () => {
  it('has an admin-only user pool with a strong password policy, required TOTP MFA, threat protection and custom:department', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'department', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
  });

  it('has exactly one group per staff role', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
    expect(ROLES).toEqual(['agent', 'department', 'supervisor', 'manager', 'analyst']);
  });

  it('has a public SRP client that can read but not write custom:department, name or email', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
      ReadAttributes: Match.arrayWith(['custom:department']),
    });
    const [, client] = ofType('AWS::Cognito::UserPoolClient')[0] ?? [];
    expect(client?.Properties.WriteAttributes).not.toContain('custom:department');
    // the audit trail and the console show `name` as who acted: a user must not rename
    // themselves after a colleague (with an SRP access token and UpdateUserAttributes)
    expect(client?.Properties.WriteAttributes).toEqual(['locale']);
  });

  it('has a Cognito prefix hosted-UI domain (classic hosted UI) from the deploy config', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const [[domainId, domain]] = ofType('AWS::Cognito::UserPoolDomain') as [[string, Json]];
    expect(domainId).toBe(logicalId(stack.auth.domain));
    expect(domain.Properties).toEqual({
      Domain: TEST_CONFIG.cognitoDomainPrefix,
      UserPoolId: { Ref: logicalId(stack.auth.userPool) },
      ManagedLoginVersion: 1,
    });
    expect(TEST_CONFIG.cognitoDomainPrefix).toBe('test-complaints');
  });

  it('has one console client: public, authorization code grant only, back to the console page only', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    const [[clientId, client]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Json]];
    expect(clientId).toBe(logicalId(stack.auth.client));
    const p = client.Properties;
    expect(p.GenerateSecret).toBe(false);
    expect(p.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect([...p.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    // the console the stack hosts: <site>/console.html (no consoleUrl in the deploy config)
    expect(TEST_CONFIG.consoleUrl).toBeUndefined();
    expect(p.CallbackURLs).toEqual([siteUrlPlus('/console.html')]);
    expect(p.LogoutURLs).toEqual([siteUrlPlus('/console.html')]);
    expect(p.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(p.PreventUserExistenceErrors).toBe('ENABLED');
    expect(p.EnableTokenRevocation).toBe(true);
    expect(p.IdTokenValidity).toBe(60);
    expect(p.TokenValidityUnits?.IdToken).toBe('minutes');
  });
});

describe('api', () => {
  it('is an HTTP API whose CORS allows exactly the configured origins', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: TEST_CONFIG.allowedOrigins,
        AllowMethods: Match.arrayWith(['GET', 'POST']),
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'idempotency-key']),
        ExposeHeaders: ['idempotent-replayed'],
      }),
    });
    expect(TEST_CONFIG.allowedOrigins).toEqual(['https://complaints.example.com', 'http://localhost:3000']);
  });

  it('has one $default stage with throttling from the config and JSON access logs to a log group', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const accessLogsId = logicalId(stack.api.accessLogs);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 60 }),
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [accessLogsId, 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('throttles every public POST route (no login: spam, email to any address) with its own low limits', () => {
    const publicWrites = ROUTES.filter((r) => r.auth === 'public' && r.method === 'POST');
    expect(publicWrites.map((r) => r.path)).toContain('/complaints');
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Json]];
    const { rateLimit, burstLimit } = TEST_CONFIG.publicWriteThrottle;
    expect([rateLimit, burstLimit]).toEqual([3, 6]);
    expect(stage.Properties.RouteSettings).toEqual(
      Object.fromEntries(
        publicWrites.map((r) => [
          `POST ${r.path}`,
          { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
        ]),
      ),
    );
    // RouteSettings name route keys: the stage must be created after those routes
    const routeIds = publicWrites.map((r) => logicalId(stack.api.routes.get(r.name) as IConstruct));
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('has a Cognito JWT authorizer for the staff client', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(stack.auth.client) }],
        Issuer: Match.objectLike({
          'Fn::Join': [
            '',
            Match.arrayWith([Match.stringLikeRegexp('cognito-idp'), { Ref: logicalId(stack.auth.userPool) }]),
          ],
        }),
      },
    });
  });

  it('has every ROUTES entry with its method, path, authorizer kind and entry function', () => {
    const [[authorizerId]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Json]];
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes).toHaveLength(ROUTES.length);
    for (const route of ROUTES) {
      const found = routes.find((r) => r.RouteKey === `${route.method} ${route.path}`);
      expect(found, `${route.name}: ${route.method} ${route.path}`).toBeDefined();
      if (route.auth === 'staff') {
        expect(found?.AuthorizationType, route.name).toBe('JWT');
        expect(found?.AuthorizerId, route.name).toEqual({ Ref: authorizerId });
      } else {
        expect(found?.AuthorizationType ?? 'NONE', route.name).toBe('NONE');
        expect(found?.AuthorizerId, route.name).toBeUndefined();
      }
      // Route → integration → Lambda of this entry.
      const integrationId = found?.Target['Fn::Join'][1][1].Ref;
      const integration = resources[integrationId]?.Properties;
      expect(integration?.IntegrationType).toBe('AWS_PROXY');
      expect(integration?.PayloadFormatVersion).toBe('2.0');
      expect(integration?.IntegrationUri, route.name).toEqual({
        'Fn::GetAtt': [functionIdOfEntry(route.entry), 'Arn'],
      });
    }
  });

  it('shares one function between routes with the same entry', () => {
    const entries = new Set(ROUTES.map((r) => r.entry));
    expect(stack.api.functions.size).toBe(entries.size);
    expect([...stack.api.functions.keys()].sort()).toEqual([...entries].sort());
  });
});

describe('lambda functions', () => {
  it('are all nodejs22.x on arm64 with tracing, their own log group, source maps and the config dir', () => {
    const fns = projectFunctions();
    const expected = new Set([...ROUTES.map((r) => r.entry), ...JOURNEY_TASKS.map((t) => t.entry)]).size + 4; // + stage gauge, stalled-journey sweeper, improvement deadlines, step warnings
    expect(fns).toHaveLength(expected);
    for (const [id, fn] of fns) {
      const p = fn.Properties;
      expect(p.Runtime, id).toBe('nodejs22.x');
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.Handler, id).toBe('index.handler');
      expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig?.LogGroup?.Ref, id).toBeDefined();
      expect(resources[p.LoggingConfig.LogGroup.Ref]?.Properties.RetentionInDays, id).toBe(30);
      expect(p.Environment.Variables, id).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        CONFIG_DIR: '/var/task/config',
        POWERTOOLS_SERVICE_NAME: 'complaints',
        POWERTOOLS_METRICS_NAMESPACE: 'ComplaintJourney',
        TABLE_NAME: { Ref: logicalId(stack.storage.table) },
      });
    }
  });

  it('give the reports 1,769 MB (one whole vCPU) and 29 s (API Gateway’s limit); the others 512 MB and 10 s', () => {
    for (const [entry] of stack.api.functions) {
      const p = resources[functionIdOfEntry(entry)]?.Properties;
      const reports = entry === 'functions/api/reports.ts';
      expect([p.MemorySize, p.Timeout], entry).toEqual(reports ? [1769, 29] : [512, 10]);
    }
  });

  it('have roles without managed policies, writing only to their own log group', () => {
    for (const [id, fn] of projectFunctions()) {
      const roleId = roleOfFunction(id);
      expect(resources[roleId]?.Properties.ManagedPolicyArns, id).toBeUndefined();
      const logWrites = statementsOfRole(roleId).filter((s) => actionsOf(s).includes('logs:PutLogEvents'));
      expect(logWrites, id).toHaveLength(1);
      expect(resourcesOf(logWrites[0] as Json), id).toEqual([
        { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
      ]);
    }
  });

  it('pass STATE_MACHINE_ARN only to the API functions that start or resume the journey', () => {
    const smId = logicalId(stack.journey.stateMachine);
    for (const [entry, fn] of stack.api.functions) {
      const vars = resources[logicalId(fn)]?.Properties.Environment.Variables;
      const needs = [
        'functions/api/create-complaint.ts',
        'functions/api/customer-action.ts',
        'functions/api/staff-action.ts',
      ].includes(entry);
      expect(vars.STATE_MACHINE_ARN, entry).toEqual(needs ? { Ref: smId } : undefined);
    }
  });
});

describe('grants', () => {
  it('lets the state machine invoke exactly the journey functions', () => {
    const smRole = resources[logicalId(stack.journey.stateMachine)]?.Properties.RoleArn['Fn::GetAtt'][0];
    const invoked = statementsOfRole(smRole)
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r));
    const journeyIds = JOURNEY_TASKS.map((t) => logicalId(stack.journey.functions.get(t.key) as IConstruct));
    const expected = journeyIds.flatMap((fnId) => [
      JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
      JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [fnId, 'Arn'] }, ':*']] }),
    ]);
    expect(invoked.sort()).toEqual(expected.sort());
  });

  it('lets only the create function and the stalled-journey sweeper start executions, on this state machine', () => {
    const smId = logicalId(stack.journey.stateMachine);
    const starters = [
      functionIdOfEntry('functions/api/create-complaint.ts'),
      logicalId(stack.alarms.stalledJourneys?.fn as IConstruct),
    ];
    for (const [id] of projectFunctions()) {
      const starts = statementsOfRole(roleOfFunction(id)).filter((s) =>
        actionsOf(s).includes('states:StartExecution'),
      );
      if (starters.includes(id)) {
        expect(starts.flatMap(resourcesOf)).toEqual([{ Ref: smId }]);
      } else {
        expect(starts, id).toEqual([]);
      }
    }
  });

  it('lets only the action functions send task success/failure', () => {
    const responders = ['functions/api/customer-action.ts', 'functions/api/staff-action.ts'].map(
      functionIdOfEntry,
    );
    for (const [id] of projectFunctions()) {
      const roleId = roleOfFunction(id);
      expect(allows(roleId, 'states:SendTaskSuccess'), id).toBe(responders.includes(id));
      expect(allows(roleId, 'states:SendTaskFailure'), id).toBe(responders.includes(id));
    }
  });

  it('gives read-only table access to the read routes and PlanStep, read/write to the others', () => {
    const readOnly = [
      ...[
        'health',
        'get-complaint',
        'staff-list',
        'staff-get',
        'staff-call-tasks',
        'reports',
        'improvements-read',
      ].map((n) => functionIdOfEntry(`functions/api/${n}.ts`)),
      logicalId(stack.journey.functions.get('PlanStep') as IConstruct),
    ];
    const tableId = logicalId(stack.storage.table);
    for (const [id] of projectFunctions()) {
      const roleId = roleOfFunction(id);
      const dynamo = statementsOfRole(roleId).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(dynamo.length, id).toBeGreaterThan(0);
      for (const s of dynamo) {
        expect(resourcesOf(s), id).toEqual([
          { 'Fn::GetAtt': [tableId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] },
        ]);
      }
      expect(allows(roleId, 'dynamodb:Query'), id).toBe(true);
      const scheduled = [stack.alarms.stageGauge, stack.alarms.stalledJourneys].map((f) =>
        logicalId(f?.fn as IConstruct),
      );
      expect(allows(roleId, 'dynamodb:PutItem'), id).toBe(!readOnly.includes(id) && !scheduled.includes(id));
    }
  });

  it('grants exactly the table actions the store calls: no Scan, DeleteItem or batch writes for anyone', () => {
    // The audit trail is append-only and the table is never scanned (docs/ARCHITECTURE.md):
    // a compromised function must not be able to erase events or dump the table with a Scan.
    const read = ['dynamodb:GetItem', 'dynamodb:Query'];
    const readWrite = [...read, 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    for (const [id] of projectFunctions()) {
      const dynamo = statementsOfRole(roleOfFunction(id))
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
      expect([[...read].sort(), [...readWrite].sort()], id).toContainEqual(dynamo);
    }
  });

  it('runs the pre-breach warning check every 15 minutes with read/write on the table, retries off', () => {
    const fnId = logicalId(stack.stepWarnings.fn);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    const dynamo = statementsOfRole(roleOfFunction(fnId))
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'))
      .sort();
    expect(dynamo).toEqual(
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'].sort(),
    );
    // the warnings index: sparse, keys only
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'GSI6',
          KeySchema: [
            { AttributeName: 'gsi6pk', KeyType: 'HASH' },
            { AttributeName: 'gsi6sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
      ]),
    });
  });

  it('grants ses:SendEmail on the sender identity and From address only, to the emailing functions only', () => {
    const journeyEmailing = ['AwaitStep', 'Escalate', 'Notify', 'Close'].map((k) =>
      logicalId(stack.journey.functions.get(k) as IConstruct),
    );
    expect(stack.journey.emailingFunctions.map(logicalId).sort()).toEqual([...journeyEmailing].sort());
    // the extension route tells the customer of the new date
    // the extension route tells the customer of the new date; the improvement actions email
    // the department and the managers, the scheduled check its warnings and escalations
    const emailing = [
      ...journeyEmailing,
      logicalId(stack.api.functions.get('functions/api/extension.ts') as IConstruct),
      logicalId(stack.api.functions.get('functions/api/improvements.ts') as IConstruct),
      logicalId(stack.alarms.improvementDeadlines?.fn as IConstruct),
      // the pre-breach warnings
      logicalId(stack.stepWarnings.fn),
    ];
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
    for (const [id] of projectFunctions()) {
      const sends = statementsOfRole(roleOfFunction(id)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('ses:')),
      );
      if (!emailing.includes(id)) {
        expect(sends, id).toEqual([]);
        continue;
      }
      expect(sends.flatMap(actionsOf), id).toEqual(['ses:SendEmail']);
      const [resource] = sends.flatMap(resourcesOf) as Json[];
      expect(resource?.['Fn::Join'][1], id).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/:ses:/),
          ':identity/',
          { Ref: logicalId(stack.notifications.identity) },
        ]),
      );
      // a domain identity covers every address of the domain: only the configured From address
      expect(
        sends.map((s) => s.Condition),
        id,
      ).toEqual([{ StringEquals: { 'ses:FromAddress': TEST_CONFIG.senderEmail } }]);
      expect(resources[id]?.Properties.Environment.Variables).toMatchObject({
        SENDER_EMAIL: 'no-reply@example.com',
        // the site the stack hosts (no statusPageBaseUrl or consoleUrl in the deploy config)
        STATUS_PAGE_BASE_URL: siteUrl(),
        // staff emails link to <CONSOLE_BASE_URL>/console.html#<id>: the deployed console page
        CONSOLE_BASE_URL: siteUrl(),
      });
    }
  });

  it('uses Resource "*" only for actions that have no resource-level permissions', () => {
    const unscopable =
      /^(xray:|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$|cloudfront:(CreateInvalidation|GetInvalidation)$)/;
    const offenders = ofType('AWS::IAM::Policy').flatMap(([id, p]) =>
      (p.Properties.PolicyDocument.Statement as Json[])
        .filter((s) => resourcesOf(s).includes('*'))
        .flatMap(actionsOf)
        .filter((a) => !unscopable.test(a))
        .map((a) => `${id}: ${a}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('consoleBaseUrlOf', () => {
  it('is the folder of a console.html page, nothing for another page', () => {
    expect(consoleBaseUrlOf('https://staff.example.com/console.html')).toBe('https://staff.example.com');
    expect(consoleBaseUrlOf('https://x.example.com/ops/console.html')).toBe('https://x.example.com/ops');
    expect(consoleBaseUrlOf('https://x.example.com/')).toBeUndefined();
  });
});

describe('journey', () => {
  it('is a Standard state machine from the ASL file with logging ALL and tracing', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      DefinitionS3Location: Match.objectLike({ Bucket: Match.anyValue(), Key: Match.anyValue() }),
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalId(stack.journey.logGroup), 'Arn'] },
            },
          },
        ],
      },
    });
  });

  it('substitutes <key>FunctionArn with each JOURNEY_TASKS function ARN, and nothing else', () => {
    const [[, sm]] = ofType('AWS::StepFunctions::StateMachine') as [[string, Json]];
    const subs = sm.Properties.DefinitionSubstitutions as Json;
    expect(Object.keys(subs).sort()).toEqual(JOURNEY_TASKS.map((t) => `${t.key}FunctionArn`).sort());
    for (const task of JOURNEY_TASKS) {
      const fn = stack.journey.functions.get(task.key) as IConstruct;
      expect(subs[`${task.key}FunctionArn`], task.key).toEqual({ 'Fn::GetAtt': [logicalId(fn), 'Arn'] });
      expect(resources[logicalId(fn)]?.Properties.Description).toBe(task.entry);
    }
  });
});

describe('alarms', () => {
  const alarmProps = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Json);
  const topicRef = () => ({ Ref: logicalId(stack.alarms.topic) });
  const expectAlarm = (metric: Json) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...metric,
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef()],
    });
  };
  const service = [{ Name: 'service', Value: 'complaints' }];

  it('alarms on escalations at level 2 or above', () => {
    expectAlarm({ Namespace: 'ComplaintJourney', MetricName: 'HighLevelEscalations', Dimensions: service });
  });

  it('alarms on failed, timed-out and aborted executions', () => {
    const dims = [{ Name: 'StateMachineArn', Value: { Ref: logicalId(stack.journey.stateMachine) } }];
    for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      expectAlarm({ Namespace: 'AWS/States', MetricName: name, Dimensions: dims });
    }
  });

  it('alarms on complaints needing attention and on notification failures', () => {
    expectAlarm({ Namespace: 'ComplaintJourney', MetricName: 'NeedsAttention', Dimensions: service });
    expectAlarm({ Namespace: 'ComplaintJourney', MetricName: 'NotificationFailures', Dimensions: service });
  });

  it('alarms on API 5xx', () => {
    expectAlarm({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(stack.api.httpApi) } }],
    });
  });

  it('alarms on the errors of every Lambda function', () => {
    const fnIds = projectFunctions().map(([id]) => id);
    for (const id of fnIds) {
      expectAlarm({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
      });
    }
    expect(alarmProps()).toHaveLength(fnIds.length + 7);
  });

  it('publishes to an encrypted, SSL-only topic that CloudWatch may use, with the configured email subscriptions', () => {
    const keyId = logicalId(stack.alarms.topic.masterKey as IConstruct);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef()],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const subs = ofType('AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subs.map((s) => [s.Protocol, s.Endpoint, s.TopicArn])).toEqual(
      TEST_CONFIG.managerAlarmEmails.map((email) => ['email', email, topicRef()]),
    );
  });

  it('lets the CloudWatch alarms of this stack, and nothing else, publish to the topic', () => {
    // AWS::SNS::TopicPolicy replaces the default topic policy (which let the account's alarms
    // publish): without this Allow every alarm action fails with "no resource-based policy allows".
    const statements = ofType('AWS::SNS::TopicPolicy').flatMap(
      ([, p]) => p.Properties.PolicyDocument.Statement as Json[],
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'AllowAlarmsOfThisStack',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef(),
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  // partition and region are literals in a stack with a region (a stack pair)
                  `arn:aws:cloudwatch:${TEST_ENV.region}:`,
                  { Ref: 'AWS::AccountId' },
                  `:alarm:${stack.stackName}-*`,
                ],
              ],
            },
          },
        },
      },
    ]);
    // the pattern covers every alarm the stack creates
    for (const alarm of alarmProps()) expect(alarm.AlarmName).toMatch(new RegExp(`^${stack.stackName}-`));
  });

  it('runs the stage gauge every 5 minutes', () => {
    const gaugeId = logicalId(stack.alarms.stageGauge?.fn as IConstruct);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [gaugeId, 'Arn'] } })],
    });
  });

  it('runs the stalled-journey sweeper every 5 minutes: reads the table, may only start executions of the journey', () => {
    const sweeper = stack.alarms.stalledJourneys;
    expect(sweeper, 'the sweeper is built').toBeDefined();
    const fnId = logicalId(sweeper?.fn as IConstruct);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
    const fn = resources[fnId];
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: logicalId(stack.storage.table) },
      STATE_MACHINE_ARN: { Ref: logicalId(stack.journey.stateMachine) },
    });
    const roleId = roleOfFunction(fnId);
    const actions = statementsOfRole(roleId).flatMap(actionsOf);
    expect(actions).toContain('dynamodb:Query');
    expect(actions.filter((a) => a.startsWith('states:'))).toEqual(['states:StartExecution']);
    for (const write of [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ]) {
      expect(allows(roleId, write), write).toBe(false);
    }
    expect(actions.some((a) => a.startsWith('ses:'))).toBe(false);
    expectAlarm({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
    });
  });

  it('has a dashboard with open complaints by stage, escalations, deadlines missed, timely handling and satisfaction', () => {
    const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard') as [[string, Json]];
    const body = JSON.parse(
      (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[])
        .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
        .join(''),
    ) as { widgets: Json[] };
    const byTitle = (prefix: string) => {
      const widget = body.widgets.find((w) => String(w.properties.title ?? '').startsWith(prefix));
      expect(widget, prefix).toBeDefined();
      return JSON.stringify(widget?.properties);
    };
    const openByStage = byTitle('Open complaints by stage');
    for (const stage of [
      'investigation',
      'proposal',
      'review',
      'customer_decision',
      'implementation',
      'follow_up',
    ]) {
      expect(openByStage).toContain(`"stage","${stage}"`);
    }
    expect(openByStage).toContain('OpenComplaints');
    expect(byTitle('Escalations over time')).toMatch(/MetricName=\\"Escalations\\"/);
    expect(byTitle('Deadlines missed')).toContain('DeadlinesMissed');
    expect(byTitle('Timely handling')).toContain('TimelyHandling');
    expect(byTitle('Satisfaction')).toContain('SatisfactionRating');
    expect(body.widgets.some((w) => w.type === 'alarm' || w.properties.alarms)).toBe(true);
  });
});

describe('outputs', () => {
  it('give the operator the site, the API endpoint, the hosted-UI domain URL and the client id', () => {
    template.hasOutput('SiteUrl', { Value: siteUrl() });
    template.hasOutput('DistributionDomainName', {
      Value: { 'Fn::GetAtt': [logicalId(stack.site.distribution), 'DomainName'] },
    });
    template.hasOutput('ApiUrl', {
      Value: { 'Fn::GetAtt': [logicalId(stack.api.httpApi), 'ApiEndpoint'] },
      Description: Match.stringLikeRegexp('not the per-client WAF limits'),
    });
    template.hasOutput('UserPoolDomainUrl', {
      Value: {
        'Fn::Join': [
          '',
          ['https://', { Ref: logicalId(stack.auth.domain) }, `.auth.${TEST_ENV.region}.amazoncognito.com`],
        ],
      },
      Description: Match.stringLikeRegexp('cognito\\.domain'),
    });
    template.hasOutput('UserPoolClientId', {
      Value: { Ref: logicalId(stack.auth.client) },
      Description: Match.stringLikeRegexp('cognito\\.clientId'),
    });
    template.hasOutput('ConsoleUrl', { Value: siteUrlPlus('/console.html') });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged errors or warnings', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const describe = (severity: string) =>
      report.violations
        .filter((v) => v.severity === severity)
        .map(
          (v) =>
            `${v.ruleName}: ${v.description} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        );
    expect(describe('error')).toEqual([]);
    expect(describe('warning')).toEqual([]);
    expect(report.violations).toEqual([]);
  });

  it('gives every acknowledgment a reason', () => {
    const acks: [string, string, unknown][] = [];
    for (const construct of stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>))
          acks.push([construct.node.path, id, reason]);
      }
    }
    expect(acks.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acks) {
      expect(typeof reason === 'string' && reason.length >= 40, `${path} ${id}`).toBe(true);
    }
  });
});
