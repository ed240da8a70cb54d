import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, SERVICE_NAME } from '../../functions/runtime/metric-names.js';
import {
  BUNDLE_TARGET,
  LAMBDA_NODE_OPTIONS,
  RUNTIME_MODULES,
  SHIPPED_MODULES,
  SOURCE_MAP,
} from '../bundling.js';

/** Where `config/` lands inside each bundle; Lambda's cwd is /var/task. */
export const LAMBDA_CONFIG_DIR = '/var/task/config';

/** Files of `config/` that are deploy-time only and stay out of the bundles. */
const DEPLOY_ONLY_CONFIG = ['deploy.json'];

export interface ComplaintFunctionProps {
  /** Repository root: the esbuild project root, where package-lock.json and config/ live. */
  readonly repoRoot: string;
  /** Handler file relative to repoRoot (an `entry` from functions/routes.ts); it exports `handler`. */
  readonly entry: string;
  readonly description?: string;
  readonly environment?: Record<string, string>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly logRetention: RetentionDays;
}

/**
 * A NodejsFunction with the project's fixed settings: nodejs22.x on arm64, X-Ray tracing,
 * its own log group with retention, a minified CommonJS bundle with source maps, the
 * repository's `config/` folder copied next to the bundle (`CONFIG_DIR=/var/task/config`),
 * the lazily required SHIPPED_MODULES copied to `node_modules/` (infra/bundling.ts),
 * and an execution role that may write only to its own log group (grants add the rest).
 *
 * CommonJS output: ESM-only dependencies (middy) are converted by esbuild, and handlers
 * must not use `import.meta` (it is empty in a CJS bundle).
 */
export class ComplaintFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ComplaintFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.entry}`,
    });
    this.logGroup.grants.write(role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(props.repoRoot, props.entry),
      handler: 'handler',
      projectRoot: props.repoRoot,
      depsLockFilePath: path.join(props.repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role,
      description: props.description ?? props.entry,
      environment: {
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        CONFIG_DIR: LAMBDA_CONFIG_DIR,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: BUNDLE_TARGET,
        minify: true,
        // mappings only, no sources' text: a smaller map to parse at each cold start (infra/bundling.ts)
        sourceMap: SOURCE_MAP.sourceMap,
        sourcesContent: SOURCE_MAP.sourcesContent,
        sourceMapMode: SourceMapMode.DEFAULT,
        // The nodejs22.x runtime ships AWS SDK v3; the shipped modules are copied below.
        externalModules: [...RUNTIME_MODULES, ...SHIPPED_MODULES],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -R "${path.join(inputDir, 'config')}" "${path.join(outputDir, 'config')}"`,
            ...DEPLOY_ONLY_CONFIG.map((file) => `rm -f "${path.join(outputDir, 'config', file)}"`),
            ...SHIPPED_MODULES.flatMap((name) => [
              `mkdir -p "${path.join(outputDir, 'node_modules', name)}"`,
              `cp -R "${path.join(inputDir, 'node_modules', name)}/." "${path.join(outputDir, 'node_modules', name)}"`,
            ]),
          ],
        },
      },
    });

    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'The runtime is pinned to nodejs22.x on purpose: the project targets Node 22 (package.json node@22), locally and on Lambda.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing (Tracing.ACTIVE) needs xray:PutTraceSegments/PutTelemetryRecords, which support no resource-level permissions.',
      },
    );
  }
}
