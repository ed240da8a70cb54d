/**
 * Builds the stack for the assertion tests against a throw-away repository root holding
 * stub handlers and a small ASL file, so the CDK tests do not depend on the handlers and
 * the ASL being written (those are checked on the real files by entries.test.ts).
 * Bundling is disabled (`aws:cdk:bundling-stacks: []`): no esbuild in these tests.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { JOURNEY_TASKS, ROUTES } from '../../functions/routes.js';
import { ComplaintStack, type ComplaintStackProps, STAGE_GAUGE_ENTRY } from '../../infra/complaint-stack.js';
import { IMPROVEMENT_DEADLINES_ENTRY, STALLED_JOURNEYS_ENTRY } from '../../infra/constructs/alarms.js';
import { STEP_WARNINGS_ENTRY } from '../../infra/constructs/warnings.js';
import { type DeployConfig, parseDeployConfig } from '../../infra/deploy-config.js';
import { EDGE_REGION, EdgeStack } from '../../infra/edge-stack.js';

/** The feature flags of cdk.json: the tests build what `cdk synth` builds. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = (
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** The test stacks' environment: a main region other than us-east-1 (a real stack pair); the account left to deploy time, as `npm run synth` without credentials. */
export const TEST_ENV = { region: 'ap-southeast-1' } as const;

export const TEST_CONFIG: DeployConfig = parseDeployConfig({
  allowedOrigins: ['https://complaints.example.com', 'http://localhost:3000'],
  managerAlarmEmails: ['manager-one@example.com', 'manager-two@example.com'],
  senderEmail: 'no-reply@example.com',
  sesIdentity: 'example.com',
  cognitoDomainPrefix: 'test-complaints',
  apiThrottleRateLimit: 25,
  apiThrottleBurstLimit: 60,
  publicWriteThrottleRateLimit: 3,
  publicWriteThrottleBurstLimit: 6,
  clientPublicWriteLimit: 15,
  clientRequestLimit: 500,
  clientLimitWindowSeconds: 120,
  logRetentionDays: 30,
});

/** A repository root with a stub for every entry and an ASL using every substitution. */
export function makeFixtureRoot(): { root: string; aslPath: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'complaint-infra-'));
  writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
  mkdirSync(path.join(root, 'config'));
  const entries = new Set([
    ...ROUTES.map((r) => r.entry),
    ...JOURNEY_TASKS.map((t) => t.entry),
    STAGE_GAUGE_ENTRY,
    STALLED_JOURNEYS_ENTRY,
    IMPROVEMENT_DEADLINES_ENTRY,
    STEP_WARNINGS_ENTRY,
  ]);
  for (const entry of entries) {
    mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
    writeFileSync(path.join(root, entry), 'export const handler = async () => ({});\n');
  }
  const states = Object.fromEntries(
    JOURNEY_TASKS.map((task, i) => [
      task.key,
      {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: `\${${task.key}FunctionArn}`, 'Payload.$': '$' },
        ...(i < JOURNEY_TASKS.length - 1 ? { Next: JOURNEY_TASKS[i + 1]?.key } : { End: true }),
      },
    ]),
  );
  const aslPath = path.join(root, 'journey.asl.json');
  writeFileSync(aslPath, JSON.stringify({ StartAt: JOURNEY_TASKS[0]?.key, States: states }, null, 2));
  // the pages: two files, a vendor list with one library, and a config.js the deployment replaces
  mkdirSync(path.join(root, 'web'));
  writeFileSync(path.join(root, 'web', 'index.html'), '<!doctype html><title>form</title>\n');
  writeFileSync(path.join(root, 'web', 'config.js'), "export const config = { apiBaseUrl: 'local' };\n");
  writeFileSync(path.join(root, 'web', 'vendor.json'), '{ "lib.js": "some-lib/dist/lib.js" }\n');
  mkdirSync(path.join(root, 'node_modules', 'some-lib', 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', 'some-lib', 'dist', 'lib.js'), 'export default 1;\n');
  writeFileSync(
    path.join(root, 'config', 'branding.json'),
    JSON.stringify({ $comment: 'x', companyName: { en: 'Acme' }, hotline: '400-000-0000' }),
  );
  return { root, aslPath };
}

/** A synthesizable app + stack over a fresh fixture root, bundling disabled. */
export function buildTestStack(overrides: Partial<ComplaintStackProps> = {}) {
  const { root, aslPath } = makeFixtureRoot();
  // The built-in CloudFormation validation (a WebAssembly rule engine) takes ~9 s per synthesis;
  // cfn-validation.test.ts runs it once, the assertion tests skip it.
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
  });
  const config = overrides.config ?? TEST_CONFIG;
  const edge = new EdgeStack(app, 'TestComplaintJourney-Edge', {
    env: { ...TEST_ENV, region: EDGE_REGION },
    clientLimits: config.clientLimits,
    logRetentionDays: config.logRetentionDays,
  });
  const stack = new ComplaintStack(app, 'TestComplaintJourney', {
    env: TEST_ENV,
    config: TEST_CONFIG,
    edge,
    repoRoot: root,
    aslPath,
    stageGaugeEntry: STAGE_GAUGE_ENTRY,
    ...overrides,
  });
  return { app, stack, edge, root, aslPath };
}
