/**
 * Builds the stack for the assertion tests against a throw-away repository root holding
 * stub handlers and a small ASL file, so the CDK tests do not depend on the handlers and
 * the ASL being written (those are checked on the real files by entries.test.ts).
 * Bundling is disabled (`aws:cdk:bundling-stacks: []`): no esbuild in these tests.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { JOURNEY_TASKS, ROUTES } from '../../functions/routes.js';
import { ComplaintStack, type ComplaintStackProps, STAGE_GAUGE_ENTRY } from '../../infra/complaint-stack.js';
import { STALLED_JOURNEYS_ENTRY } from '../../infra/constructs/alarms.js';
import { type DeployConfig, parseDeployConfig } from '../../infra/deploy-config.js';

export const TEST_CONFIG: DeployConfig = parseDeployConfig({
  allowedOrigins: ['https://complaints.example.com', 'http://localhost:3000'],
  managerAlarmEmails: ['manager-one@example.com', 'manager-two@example.com'],
  senderEmail: 'no-reply@example.com',
  sesIdentity: 'example.com',
  statusPageBaseUrl: 'https://complaints.example.com',
  consoleUrl: 'https://complaints.example.com/console.html',
  cognitoDomainPrefix: 'test-complaints',
  apiThrottleRateLimit: 25,
  apiThrottleBurstLimit: 60,
  publicWriteThrottleRateLimit: 3,
  publicWriteThrottleBurstLimit: 6,
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
  return { root, aslPath };
}

/** A synthesizable app + stack over a fresh fixture root, bundling disabled. */
export function buildTestStack(overrides: Partial<ComplaintStackProps> = {}) {
  const { root, aslPath } = makeFixtureRoot();
  // The built-in CloudFormation validation (a WebAssembly rule engine) takes ~9 s per synthesis;
  // cfn-validation.test.ts runs it once, the assertion tests skip it.
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ComplaintStack(app, 'TestComplaintJourney', {
    config: TEST_CONFIG,
    repoRoot: root,
    aslPath,
    stageGaugeEntry: STAGE_GAUGE_ENTRY,
    ...overrides,
  });
  return { app, stack, root, aslPath };
}
