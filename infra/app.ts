/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`): one environment-agnostic stack, checked
 * by cdk-nag's AwsSolutions pack during synthesis (any unacknowledged finding stops it).
 * Deploy-time settings: config/deploy.json and/or `-c key=value` (infra/deploy-config.ts).
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ComplaintStack, REPO_ROOT } from './complaint-stack.js';
import { DeployConfigError, loadDeployConfig } from './deploy-config.js';
import { ProductConfigError, validateProductConfig } from './product-config.js';

// CDK's built-in CloudFormation validation (schema and lint rules) fails synthesis instead of warning.
const app = new App({ postCliContext: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
let config: ReturnType<typeof loadDeployConfig>;
try {
  config = loadDeployConfig(REPO_ROOT, (key) => app.node.tryGetContext(key));
  validateProductConfig(join(REPO_ROOT, 'config'));
} catch (error) {
  if (error instanceof DeployConfigError || error instanceof ProductConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const stackName = app.node.tryGetContext('stackName') ?? 'ComplaintJourney';
new ComplaintStack(app, stackName, {
  config,
  description:
    'Customer complaint journey: API Gateway, Lambda, DynamoDB, Step Functions, SES, CloudWatch, Cognito',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
