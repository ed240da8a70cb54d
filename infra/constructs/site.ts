import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type CfnElement,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '../../functions/routes.js';
import { CONTENT_SECURITY_POLICY } from '../../functions/runtime/security-headers.js';

/**
 * CloudFront path patterns that send a request to the API, derived from the routes table:
 * one per first path segment — `/<segment>` when that segment alone is a route, `/<segment>/*`
 * when all its routes are deeper, `/<segment>*` when both (e.g. `/complaints` and
 * `/complaints/{id}`).
 */
export function apiPathPatterns(routes: readonly RouteDefinition[] = ROUTES): string[] {
  const bySegment = new Map<string, { bare: boolean; deeper: boolean }>();
  for (const route of routes) {
    const [, segment = '', ...rest] = route.path.split('/');
    if (!segment || segment.includes('{') || /[*?]/.test(segment))
      throw new Error(
        `infra/constructs/site.ts: cannot route ${route.path} through CloudFront (first segment)`,
      );
    const seen = bySegment.get(segment) ?? { bare: false, deeper: false };
    if (rest.length === 0) seen.bare = true;
    else seen.deeper = true;
    bySegment.set(segment, seen);
  }
  return [...bySegment].map(([segment, { bare, deeper }]) =>
    bare && deeper ? `/${segment}*` : bare ? `/${segment}` : `/${segment}/*`,
  );
}

/** Whether a CloudFront path pattern (`*` and `?` wildcards) matches a path. */
export function matchesPathPattern(pattern: string, urlPath: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(urlPath);
}

/** Files of web/ not uploaded as they are: config.js is generated, vendor.json only lists files. */
export const WEB_EXCLUDES = ['config.js', 'vendor.json', '*.d.ts'];

/**
 * The browser libraries of `web/vendor.json` (`{ "<name under /vendor/>": "<path in node_modules>" }`)
 * copied into a staging folder as `vendor/<name>`; undefined when there is no vendor.json.
 */
export function stageVendorFiles(repoRoot: string, webDir: string): string | undefined {
  const listFile = path.join(webDir, 'vendor.json');
  if (!existsSync(listFile)) return undefined;
  const list = JSON.parse(readFileSync(listFile, 'utf8')) as Record<string, unknown>;
  const staging = mkdtempSync(path.join(tmpdir(), 'complaint-vendor-'));
  mkdirSync(path.join(staging, 'vendor'));
  for (const [name, from] of Object.entries(list)) {
    if (name.startsWith('$')) continue;
    if (typeof from !== 'string' || !/^[\w.@-]+$/.test(name) || name.startsWith('.'))
      throw new Error(
        `web/vendor.json: ${JSON.stringify(name)} → ${JSON.stringify(from)} is not a file name → path`,
      );
    const source = path.join(repoRoot, 'node_modules', from);
    if (!existsSync(source))
      throw new Error(`web/vendor.json: ${name} → node_modules/${from} does not exist (npm install?)`);
    copyFileSync(source, path.join(staging, 'vendor', name));
  }
  return staging;
}

export interface SiteProps {
  readonly repoRoot: string;
  readonly httpApi: HttpApi;
  /** The WAF web ACL (CLOUDFRONT scope, us-east-1) with the per-client limits. */
  readonly webAclArn: string;
  /** Where CloudFront writes its access logs (the edge stack's bucket). */
  readonly logBucket: IBucket;
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** Retention of the deployment handler's log group. */
  readonly logRetention: RetentionDays;
  /** Default: ROUTES */
  readonly routes?: readonly RouteDefinition[];
}

/**
 * The web pages and the API on one HTTPS origin: a private, encrypted, versioned S3 bucket read
 * by CloudFront through origin access control, the API's paths (from ROUTES) as behaviours to
 * the HTTP API, the security headers of the local gateway as a response-headers policy, the WAF
 * web ACL, access logs. The pages themselves are uploaded by `deployPages` (BucketDeployment).
 */
export class Site extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<domain>`: the custom domain, else the distribution's cloudfront.net name. */
  readonly url: string;
  /** The CloudFront path patterns sent to the API. */
  readonly apiPaths: string[];
  deployment?: BucketDeployment;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    this.logRetention = props.logRetention;

    this.bucket = new Bucket(this, 'Pages', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // an upgrade can be rolled back object by object; old versions go after 30 days
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only CloudFront reads this bucket (origin access control), and every such read is in the CloudFront access logs; writes come from the deployment only (CloudTrail).',
    });

    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'The security headers of the local gateway (functions/runtime/security-headers.ts)',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: false,
          override: true,
        },
      },
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const api: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
      // a POST cannot follow a redirect to https safely: plain http gets 403
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // everything the viewer sent (Authorization, Idempotency-Key, query) but Host: API Gateway
      // answers for its own host name only
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers,
    };
    this.apiPaths = apiPathPatterns(props.routes);

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Complaint pages and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(this.apiPaths.map((pattern) => [pattern, api])),
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(props.domainName && props.certificateArn
        ? {
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            domainNames: [props.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
          }
        : {}),
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: `${Stack.of(this).stackName}/`,
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: customers file complaints from wherever they are; abuse is limited per client by the WAF rate rules.',
    });
    if (!props.domainName) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without siteDomainName the distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; with a custom domain it is TLSv1.2_2021.',
      });
    }
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Uploads web/ (less WEB_EXCLUDES), the files of web/vendor.json under vendor/, and config.js,
   * then invalidates the distribution. `configJs` may hold deploy-time values (tokens).
   */
  deployPages(webDir: string, configJs: string, repoRoot: string): BucketDeployment {
    const sources: ISource[] = [
      Source.asset(webDir, { exclude: WEB_EXCLUDES }),
      Source.data('config.js', configJs),
    ];
    const vendor = stageVendorFiles(repoRoot, webDir);
    if (vendor) sources.push(Source.asset(vendor));
    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources,
      destinationBucket: this.bucket,
      // the pages are ES modules without content hashes: browsers revalidate each (ETag)
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'DeploymentLogs', {
        retention: this.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    acknowledgeDeploymentHandler(this, this.bucket);
    return this.deployment;
  }
}

/**
 * cdk-nag's findings on BucketDeployment's handler, a CDK-provided singleton function at the
 * stack's root, acknowledged one by one (cdk-nag matches finding ids exactly).
 */
function acknowledgeDeploymentHandler(scope: Construct, bucket: Bucket): void {
  const stack = Stack.of(scope);
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) return;
  const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
  const partition = literal(stack.partition, 'AWS::Partition');
  const account = literal(stack.account, 'AWS::AccountId');
  const region = literal(stack.region, 'AWS::Region');
  const synthesizer = stack.synthesizer;
  const qualifier =
    (synthesizer instanceof DefaultStackSynthesizer ? synthesizer.bootstrapQualifier : undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
  const why = 'BucketDeployment (CDK-provided handler, runs during deployments only)';
  const iam5 = (finding: string, reason: string) => ({
    id: `AwsSolutions-IAM5[${finding}]`,
    reason: `${why}: ${reason}`,
  });
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${why}: the AWS managed basic execution policy only lets it write its own logs.`,
    },
    { id: 'AwsSolutions-L1', reason: `${why}: CDK pins its Python runtime together with its AWS CLI layer.` },
    iam5('Action::s3:GetBucket*', 'CDK grants read on the asset bucket with these action groups.'),
    iam5('Action::s3:GetObject*', 'CDK grants read of the asset objects with these action groups.'),
    iam5('Action::s3:List*', 'CDK lets it list the asset bucket and the pages bucket to sync them.'),
    iam5('Action::s3:Abort*', 'CDK lets it abort its own multipart uploads to the pages bucket.'),
    iam5(
      'Action::s3:DeleteObject*',
      'pruning removes pages that are no longer in web/ from the pages bucket.',
    ),
    iam5(`Resource::<${bucketId}.Arn>/*`, 'it writes the pages, whose keys are not known in advance.'),
    iam5(
      `Resource::arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}/*`,
      'it reads the uploaded page assets from the bootstrap asset bucket.',
    ),
    iam5(
      'Resource::*',
      'cloudfront:CreateInvalidation/GetInvalidation have no resource-level permissions here.',
    ),
  );
}

export interface PagesConfigInput {
  /** The hosted-UI base URL (token) */
  readonly cognitoDomainUrl: string;
  /** The console app client id (token) */
  readonly clientId: string;
  /** config/branding.json; included as `branding` when the file exists */
  readonly brandingFile?: string;
}

/**
 * The deployed `config.js` (web/config.js's shape): the API on the pages' own origin, sign-in
 * through the Cognito hosted UI of this stack, branding from config/branding.json. Holds
 * deploy-time values: BucketDeployment's `Source.data` substitutes them when it uploads.
 */
export function pagesConfigJs(scope: Construct, input: PagesConfigInput): string {
  const branding =
    input.brandingFile && existsSync(input.brandingFile)
      ? (JSON.parse(readFileSync(input.brandingFile, 'utf8')) as Record<string, unknown>)
      : undefined;
  if (branding) delete branding.$comment;
  const config = {
    apiBaseUrl: '',
    signIn: 'cognito',
    cognito: { domain: input.cognitoDomainUrl, clientId: input.clientId },
    defaultLanguage: 'zh-CN',
    ...(branding ? { branding } : {}),
  };
  return (
    '// Generated at deploy by the CDK stack (infra/constructs/site.ts) from its outputs.\n' +
    `export const config = ${Stack.of(scope).toJsonString(config)};\n`
  );
}
