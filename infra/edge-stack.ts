/**
 * What CloudFront needs in us-east-1: the WAF web ACL (a CLOUDFRONT-scoped web ACL can only be
 * created there) with the per-client rate limits, and the bucket of CloudFront's access logs
 * (CloudFront's standard logs cannot be delivered to buckets in some regions, e.g. ap-east-1;
 * us-east-1 takes them from every distribution).
 *
 * The main stack (ComplaintStack) reads the web ACL ARN and the bucket through CDK's
 * cross-region references (`crossRegionReferences: true`; cdk.json chooses weak references,
 * `Fn::GetStackOutput`), so `cdk deploy --all` deploys this stack first.
 */
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../functions/routes.js';
import { ROUTES } from '../functions/routes.js';
import type { DeployConfig } from './deploy-config.js';

/** The region CloudFront's web ACLs (and certificates) live in. */
export const EDGE_REGION = 'us-east-1';

/** The custom response body key of the web ACL's 429 answer. */
export const TOO_MANY_REQUESTS_BODY = 'TooManyRequests';

/**
 * The path prefix of every staff route (all ROUTES with auth 'staff' share it); the per-client
 * rules count what is outside it. Throws when a staff route is added outside the prefix, so a
 * new route cannot slip out of (or into) the limits unnoticed.
 */
export function staffPrefix(routes: readonly RouteDefinition[] = ROUTES): string {
  const staff = routes.filter((r) => r.auth === 'staff').map((r) => r.path);
  const first = staff[0]?.split('/')[1];
  if (!first || staff.some((p) => !p.startsWith(`/${first}/`)))
    throw new Error(
      `infra/edge-stack.ts: the staff routes do not share one path prefix: ${staff.join(', ')}`,
    );
  const prefix = `/${first}/`;
  const publicUnder = routes.filter((r) => r.auth === 'public' && r.path.startsWith(prefix));
  if (publicUnder.length > 0)
    throw new Error(
      `infra/edge-stack.ts: public routes under ${prefix}: ${publicUnder.map((r) => r.path).join(', ')}`,
    );
  return prefix;
}

export interface EdgeStackProps extends StackProps {
  readonly clientLimits: DeployConfig['clientLimits'];
  readonly logRetentionDays: number;
  /** Default: ROUTES */
  readonly routes?: readonly RouteDefinition[];
}

export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;
  /** CloudFront's standard access logs (ACLs enabled: CloudFront writes them with an ACL). */
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { publicWrites, publicRequests, windowSeconds } = props.clientLimits;
    const prefix = staffPrefix(props.routes);

    // URL-decoded and normalized (no `//`, `./`, `../`) before the comparison, as CloudFront
    // matches its behaviours: `/staff/../complaints` counts as a public request.
    const outsideStaff: CfnWebACL.StatementProperty = {
      notStatement: {
        statement: {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: 'STARTS_WITH',
            searchString: prefix,
            textTransformations: [
              { priority: 0, type: 'URL_DECODE' },
              { priority: 1, type: 'NORMALIZE_PATH' },
            ],
          },
        },
      },
    };
    const isPost: CfnWebACL.StatementProperty = {
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: 'EXACTLY',
        searchString: 'POST',
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
    const tooMany: CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: { responseCode: 429, customResponseBodyKey: TOO_MANY_REQUESTS_BODY },
      },
    };
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Complaint site: per-client limits on the public routes and pages',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('ComplaintSite'),
      customResponseBodies: {
        [TOO_MANY_REQUESTS_BODY]: {
          contentType: 'APPLICATION_JSON',
          // the API's error shape (functions/runtime/http.ts); the pages show their throttling sentence
          content: JSON.stringify({
            error: {
              code: 'too_many_requests',
              message: 'Too many requests. Please try again in a few minutes.',
            },
          }),
        },
      },
      rules: [
        {
          name: 'PublicWritesPerClient',
          priority: 0,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: publicWrites,
              evaluationWindowSec: windowSeconds,
              scopeDownStatement: { andStatement: { statements: [isPost, outsideStaff] } },
            },
          },
          visibilityConfig: visibility('PublicWritesPerClient'),
        },
        {
          name: 'PublicRequestsPerClient',
          priority: 1,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: publicRequests,
              evaluationWindowSec: windowSeconds,
              scopeDownStatement: outsideStaff,
            },
          },
          visibilityConfig: visibility('PublicRequestsPerClient'),
        },
        {
          // addresses Amazon's threat intelligence knows for bots and attacks; no content rules
          // (complaint texts and attachments must not trip a generic body filter)
          name: 'AmazonIpReputationList',
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' },
          },
          visibilityConfig: visibility('AmazonIpReputationList'),
        },
      ],
    });

    this.logBucket = new Bucket(this, 'CloudFrontLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront's standard logging writes with the awslogsdelivery account's ACL
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket (CloudFront standard logs); logging its own access would log into itself or need another bucket for logs of logs.',
    });
  }
}
