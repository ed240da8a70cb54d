/**
 * The evidence bucket and its grants (infra/constructs/evidence.ts) on the synthesized stack,
 * over a fixture root that also holds the object-created handler's entry.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintStack } from '../../infra/complaint-stack.js';
import { ATTACHMENT_ROUTE_ENTRIES, ATTACHMENT_UPLOADED_ENTRY } from '../../infra/constructs/evidence.js';
import { buildTestStack, makeFixtureRoot, TEST_CONFIG } from './fixture.js';

type Json = Record<string, any>;

let app: App;
let stack: ComplaintStack;
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  const { root, aslPath } = makeFixtureRoot();
  mkdirSync(path.dirname(path.join(root, ATTACHMENT_UPLOADED_ENTRY)), { recursive: true });
  writeFileSync(path.join(root, ATTACHMENT_UPLOADED_ENTRY), 'export const handler = async () => ({});\n');
  ({ app, stack } = buildTestStack({ repoRoot: root, aslPath }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
const bucketId = () => logicalId(stack.evidence.bucket);
const objectsArn = () => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] });

/** Every IAM statement of the role of a function (by the function's logical id). */
function statementsOfFunction(fnId: string): Json[] {
  const roleId = resources[fnId]?.Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter(
      (r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as Json[]).some((x) => x.Ref === roleId),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
}
const s3Actions = (fnId: string) =>
  statementsOfFunction(fnId)
    .flatMap((s) => [s.Action].flat())
    .filter((a: string) => a.startsWith('s3:'))
    .sort();

describe('evidence bucket', () => {
  it('is private, encrypted, versioned, logged and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'evidence/' }),
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      }),
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets the pages PUT and GET cross-origin, from the configured origins only', () => {
    expect(resources[bucketId()]?.Properties.CorsConfiguration.CorsRules).toEqual([
      {
        AllowedOrigins: TEST_CONFIG.allowedOrigins,
        AllowedMethods: ['PUT', 'GET', 'HEAD'],
        AllowedHeaders: ['content-type'],
        ExposedHeaders: ['ETag', 'Content-Disposition'],
        MaxAge: 3000,
      },
    ]);
  });

  it('keeps current objects (no expiration) and cleans up versions and unfinished uploads', () => {
    const [rule] = resources[bucketId()]!.Properties.LifecycleConfiguration.Rules;
    expect(rule.ExpirationInDays).toBeUndefined();
    expect(rule).toMatchObject({
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 90 },
        { StorageClass: 'GLACIER_IR', TransitionInDays: 365 },
      ],
    });
  });
});

describe('grants', () => {
  const fnOf = (entry: string) => logicalId(stack.api.functions.get(entry)!);

  it('the upload route may only PutObject, the download route Get and Delete, on the objects only', () => {
    expect(s3Actions(fnOf(ATTACHMENT_ROUTE_ENTRIES.upload))).toEqual(['s3:PutObject']);
    expect(s3Actions(fnOf(ATTACHMENT_ROUTE_ENTRIES.download))).toEqual(['s3:DeleteObject', 's3:GetObject']);
    for (const entry of Object.values(ATTACHMENT_ROUTE_ENTRIES)) {
      const s3 = statementsOfFunction(fnOf(entry)).filter((s) =>
        [s.Action].flat().some((a: string) => a.startsWith('s3:')),
      );
      for (const statement of s3) expect(statement.Resource).toEqual(objectsArn());
    }
  });

  it('no other API function touches the bucket or knows its name', () => {
    const attachmentEntries: string[] = Object.values(ATTACHMENT_ROUTE_ENTRIES);
    for (const [entry, fn] of stack.api.functions) {
      const vars = resources[logicalId(fn)]?.Properties.Environment.Variables;
      if (attachmentEntries.includes(entry)) {
        expect(vars.ATTACHMENTS_BUCKET, entry).toEqual({ Ref: bucketId() });
      } else {
        expect(vars.ATTACHMENTS_BUCKET, entry).toBeUndefined();
        expect(s3Actions(logicalId(fn)), entry).toEqual([]);
      }
    }
  });

  it('the object-created handler runs on the bucket events through EventBridge, with Get and Delete', () => {
    const fn = stack.evidence.uploadedFunction!;
    expect(s3Actions(logicalId(fn))).toEqual(['s3:DeleteObject', 's3:GetObject']);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: bucketId() }] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports nothing unacknowledged with the evidence bucket and its handler', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const found = report.violations.map(
      (v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(found).toEqual([]);
  });
});
