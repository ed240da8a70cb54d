/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`): the main stack `ComplaintJourney` in the
 * configured region and its us-east-1 companion `ComplaintJourney-Edge` (the WAF web ACL and
 * CloudFront's log bucket), checked by cdk-nag's AwsSolutions pack during synthesis (any
 * unacknowledged finding stops it). Deploy-time settings: config/deploy.json and/or
 * `-c key=value` (infra/deploy-config.ts). Example values (example.com, …) stop it too unless
 * `-c allowPlaceholders=true` (infra/placeholders.ts).
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ComplaintStack, REPO_ROOT } from './complaint-stack.js';
import { DeployConfigError, loadDeployConfig } from './deploy-config.js';
import { EDGE_REGION, EdgeStack } from './edge-stack.js';
import { ALLOW_PLACEHOLDERS, findPlaceholders, PlaceholderError } from './placeholders.js';
import { ProductConfigError, validateProductConfig } from './product-config.js';

// CDK's built-in CloudFormation validation (schema and lint rules) fails synthesis instead of warning.
const app = new App({ postCliContext: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
let config: ReturnType<typeof loadDeployConfig>;
let region: string;
try {
  config = loadDeployConfig(REPO_ROOT, (key) => app.node.tryGetContext(key));
  validateProductConfig(join(REPO_ROOT, 'config'));
  const allow = String(app.node.tryGetContext(ALLOW_PLACEHOLDERS)) === 'true';
  const placeholders = findPlaceholders(config, join(REPO_ROOT, 'config'));
  if (placeholders.length > 0 && !allow) throw new PlaceholderError(placeholders);
  // synthRegion: what `npm run synth` builds for when nothing names a region (no AWS setup)
  const found = config.region ?? process.env.CDK_DEFAULT_REGION ?? app.node.tryGetContext('synthRegion');
  if (!found) {
    throw new DeployConfigError(
      ['region: no region (set "region" in config/deploy.json, AWS_REGION, or a profile region)'],
      'deploy config and environment',
    );
  }
  region = found;
} catch (error) {
  if (
    error instanceof DeployConfigError ||
    error instanceof ProductConfigError ||
    error instanceof PlaceholderError
  ) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const stackName = app.node.tryGetContext('stackName') ?? 'ComplaintJourney';
// The account is the CLI's (credentials); both stacks must be in the same one.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const edge = new EdgeStack(app, `${stackName}-Edge`, {
  env: { account, region: EDGE_REGION },
  clientLimits: config.clientLimits,
  logRetentionDays: config.logRetentionDays,
  description: `${stackName} in us-east-1: the WAF web ACL (per-client limits) and CloudFront access logs`,
});
new ComplaintStack(app, stackName, {
  env: { account, region },
  config,
  edge,
  description:
    'Customer complaint journey: CloudFront + S3 pages, API Gateway, Lambda, DynamoDB, Step Functions, SES, CloudWatch, Cognito',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
