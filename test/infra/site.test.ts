/**
 * The site the stack hosts (pages bucket, CloudFront distribution with the API on the same
 * origin, the security headers, the pages deployment with the generated config.js) and the
 * us-east-1 edge stack (the WAF web ACL with the per-client limits, CloudFront's log bucket).
 * One synthesis of the stack pair for the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { CONTENT_SECURITY_POLICY } from '../../functions/runtime/security-headers.js';
import type { ComplaintStack } from '../../infra/complaint-stack.js';
import { apiPathPatterns, matchesPathPattern } from '../../infra/constructs/site.js';
import { type EdgeStack, staffPrefix, TOO_MANY_REQUESTS_BODY } from '../../infra/edge-stack.js';
import { buildTestStack, TEST_CONFIG } from './fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is walked dynamically.
type Json = Record<string, any>;

let app: App;
let stack: ComplaintStack;
let edge: EdgeStack;
let template: Template;
let edgeTemplate: Template;

beforeAll(() => {
  ({ app, stack, edge } = buildTestStack());
  template = Template.fromStack(stack);
  edgeTemplate = Template.fromStack(edge);
});

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

function distribution(): Json {
  const [config] = Object.values(template.findResources('AWS::CloudFront::Distribution')).map(
    (d) => d.Properties.DistributionConfig,
  );
  return config as Json;
}

describe('API paths through CloudFront', () => {
  it('are derived from ROUTES: /complaints*, /staff/*, /health', () => {
    expect(apiPathPatterns(ROUTES).sort()).toEqual(['/complaints*', '/health', '/staff/*']);
    expect(
      apiPathPatterns([
        { name: 'A', method: 'GET', path: '/a', entry: 'x', auth: 'public' },
        { name: 'B', method: 'GET', path: '/b/{id}', entry: 'x', auth: 'public' },
      ]),
    ).toEqual(['/a', '/b/*']);
  });

  it('cover every route and no page file of web/', () => {
    const patterns = apiPathPatterns(ROUTES);
    for (const route of ROUTES) {
      const concrete = route.path.replace(/\{[^}]+\}/g, 'C2611-AAAA-BBBB');
      expect(
        patterns.some((p) => matchesPathPattern(p, concrete)),
        route.path,
      ).toBe(true);
    }
    const pages = readdirSync(path.join(REPO_ROOT, 'web'), { recursive: true }).map((f) => `/${String(f)}`);
    for (const page of [...pages, '/', '/vendor/echarts.esm.min.js'])
      expect(
        patterns.filter((p) => matchesPathPattern(p, page)),
        page,
      ).toEqual([]);
  });
});

describe('pages bucket', () => {
  it('is private, encrypted, TLS-only, versioned and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
    const bucketId = logicalId(stack.site.bucket);
    // the pages bucket is its own (the evidence bucket and its log bucket live beside it)
    expect(template.findResources('AWS::S3::Bucket')[bucketId]).toBeDefined();
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => p.Properties.Bucket.Ref === bucketId,
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Json[];
    // TLS only
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    // read by this distribution only (origin access control), nobody else is allowed anything
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(allows[0]?.Condition)).toContain(logicalId(stack.site.distribution));
  });
});

describe('distribution', () => {
  it('serves the pages from the bucket through origin access control, https by redirect, index.html at /', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          ResponseHeadersPolicyId: { Ref: logicalId(stack.site.headers) },
        }),
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: { 'Fn::GetAtt': [logicalId(stack.site.bucket), 'RegionalDomainName'] },
            OriginAccessControlId: Match.anyValue(),
          }),
        ]),
      }),
    });
  });

  it('sends the API paths to the HTTP API over https, uncached, with every viewer header but Host', () => {
    const config = distribution();
    const apiOrigin = (config.Origins as Json[]).find((o) => o.CustomOriginConfig);
    expect(apiOrigin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain(logicalId(stack.api.httpApi));
    const behaviours = config.CacheBehaviors as Json[];
    expect(behaviours.map((b) => b.PathPattern).sort()).toEqual(apiPathPatterns(ROUTES).sort());
    for (const b of behaviours) {
      expect(b, b.PathPattern).toMatchObject({
        TargetOriginId: apiOrigin?.Id,
        // a POST cannot follow a redirect: plain http is refused
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'POST']),
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
        ResponseHeadersPolicyId: { Ref: logicalId(stack.site.headers) },
      });
    }
  });

  it('writes access logs to the edge stack bucket and is protected by the web ACL', () => {
    const config = distribution();
    expect(JSON.stringify(config.Logging.Bucket)).toContain(logicalId(edge.logBucket));
    expect(config.Logging.Prefix).toBe(`${stack.stackName}/`);
    // the association: the distribution names the edge stack's web ACL (cross-region reference)
    const ref = config.WebACLId['Fn::GetStackOutput'];
    expect(ref).toMatchObject({ StackName: edge.stackName, Region: 'us-east-1' });
    expect(edgeTemplate.toJSON().Outputs[ref.OutputName].Value).toEqual({
      'Fn::GetAtt': [edge.getLogicalId(edge.webAcl), 'Arn'],
    });
  });

  it('has no CORS on the API (same origin) when the deploy config lists no extra origins', () => {
    const { stack: sameOrigin } = buildTestStack({ config: { ...TEST_CONFIG, allowedOrigins: [] } });
    const api = Object.values(Template.fromStack(sameOrigin).findResources('AWS::ApiGatewayV2::Api'))[0];
    expect(api?.Properties.CorsConfiguration).toBeUndefined();
  });
});

describe('response headers policy', () => {
  it('carries the CSP the local gateway sends, nosniff, DENY framing, no referrer and HSTS', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000, Override: true }),
        },
      }),
    });
  });

  it("matches each page's own <meta> CSP (the shared policy less frame-ancestors)", () => {
    const directives = (csp: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .sort();
    const header = directives(CONTENT_SECURITY_POLICY).filter((d) => !d.startsWith('frame-ancestors'));
    const pages = readdirSync(path.join(REPO_ROOT, 'web')).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const html = readFileSync(path.join(REPO_ROOT, 'web', page), 'utf8');
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
      if (meta) expect(directives(meta), page).toEqual(header);
    }
  });
});

describe('pages deployment', () => {
  function deployment(): Json {
    const [found] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    return found?.Properties as Json;
  }

  it('uploads web/, the vendor files and config.js to the bucket, no-cache, and invalidates the distribution', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(stack.site.bucket) },
      DistributionId: { Ref: logicalId(stack.site.distribution) },
      DistributionPaths: ['/*'],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    // web/ (less config.js and vendor.json), config.js (Source.data), vendor/ from web/vendor.json
    expect(deployment().SourceObjectKeys).toHaveLength(3);
    // its handler logs with the configured retention
    const handler = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('CustomCDKBucketDeployment'),
    )?.[1];
    const logGroupId = handler?.Properties.LoggingConfig.LogGroup.Ref;
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(
      TEST_CONFIG.logRetentionDays,
    );
  });

  it("generates config.js: the API on the same origin, this stack's hosted UI and client, branding", () => {
    const markers = deployment().SourceMarkers as Json[];
    const withTokens = markers.find((m) => Object.keys(m).length > 0) as Json;
    const rendered = JSON.stringify(Object.values(withTokens)[0]);
    expect(rendered).toContain('\\"apiBaseUrl\\":\\"\\"');
    expect(rendered).toContain('\\"signIn\\":\\"cognito\\"');
    expect(rendered).toContain(logicalId(stack.auth.domain));
    expect(rendered).toContain(logicalId(stack.auth.client));
    // config/branding.json of the fixture, without its $comment
    expect(rendered).toContain('\\"branding\\":{\\"companyName\\":{\\"en\\":\\"Acme\\"}');
    expect(rendered).not.toContain('$comment');
  });
});

describe('edge stack (us-east-1)', () => {
  it('is in us-east-1 and the main stack in another region', () => {
    expect(edge.region).toBe('us-east-1');
    expect(stack.region).not.toBe('us-east-1');
  });

  it('rate-limits POSTs outside /staff/ per client IP and answers 429 with a JSON body', () => {
    expect(staffPrefix(ROUTES)).toBe('/staff/');
    const outsideStaff = {
      NotStatement: {
        Statement: {
          ByteMatchStatement: Match.objectLike({
            FieldToMatch: { UriPath: {} },
            PositionalConstraint: 'STARTS_WITH',
            SearchString: '/staff/',
            TextTransformations: [
              { Priority: 0, Type: 'URL_DECODE' },
              { Priority: 1, Type: 'NORMALIZE_PATH' },
            ],
          }),
        },
      },
    };
    const tooMany = {
      Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: TOO_MANY_REQUESTS_BODY } },
    };
    edgeTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      CustomResponseBodies: {
        [TOO_MANY_REQUESTS_BODY]: {
          ContentType: 'APPLICATION_JSON',
          Content: Match.stringLikeRegexp('too_many_requests'),
        },
      },
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'PublicWritesPerClient',
          Action: tooMany,
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: TEST_CONFIG.clientLimits.publicWrites,
              EvaluationWindowSec: TEST_CONFIG.clientLimits.windowSeconds,
              ScopeDownStatement: {
                AndStatement: {
                  Statements: [
                    {
                      ByteMatchStatement: Match.objectLike({
                        FieldToMatch: { Method: {} },
                        SearchString: 'POST',
                      }),
                    },
                    outsideStaff,
                  ],
                },
              },
            },
          },
        }),
        Match.objectLike({
          Name: 'PublicRequestsPerClient',
          Action: tooMany,
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: TEST_CONFIG.clientLimits.publicRequests,
              EvaluationWindowSec: TEST_CONFIG.clientLimits.windowSeconds,
              ScopeDownStatement: outsideStaff,
            },
          },
        }),
      ]),
    });
    expect(TEST_CONFIG.clientLimits).toEqual({ publicWrites: 15, publicRequests: 500, windowSeconds: 120 });
  });

  it('keeps the API Gateway throttling as the backstop behind the web ACL', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 60 }),
      RouteSettings: Match.objectLike({
        'POST /complaints': { ThrottlingRateLimit: 3, ThrottlingBurstLimit: 6 },
      }),
    });
  });

  it('keeps CloudFront logs in a private, TLS-only, retained bucket that expires them', () => {
    edgeTemplate.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
        PublicAccessBlockConfiguration: Match.objectLike({
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        }),
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ ExpirationInDays: TEST_CONFIG.logRetentionDays })],
        },
      }),
    });
    edgeTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('cdk-nag AwsSolutions over the stack pair', () => {
  it('reports nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(
      report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });
});
