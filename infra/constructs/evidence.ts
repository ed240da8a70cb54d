import { existsSync } from 'node:fs';
import path from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ComplaintFunction } from './lambda.js';
import { acknowledgeIndexAccess, grantTableAccess } from './storage.js';

/** The entry of the bucket's object-created handler (S3 → EventBridge → Lambda). */
export const ATTACHMENT_UPLOADED_ENTRY = 'functions/events/attachment-uploaded.ts';
export const ATTACHMENT_ROUTE_ENTRIES = {
  upload: 'functions/api/attachments.ts',
  download: 'functions/api/attachment-download.ts',
} as const;

export interface EvidenceProps {
  readonly repoRoot: string;
  readonly table: Table;
  readonly logRetention: RetentionDays;
  /** the pages' origins (deploy key allowedOrigins): the browser PUTs and GETs cross-origin */
  readonly allowedOrigins: string[];
  /** the API functions by entry file (Api.functions): the attachment routes get their grants */
  readonly apiFunctions: ReadonlyMap<string, NodejsFunction>;
  /**
   * Days after which attachments are deleted. Default: never — complaints are kept for ever
   * (the table is retained, complaint items have no TTL), so their evidence is too.
   */
  readonly expireAfterDays?: number;
}

/**
 * The evidence bucket (docs/ARCHITECTURE.md "Attachments"): private (all public access blocked,
 * bucket-owner-enforced, no ACLs), SSE-S3 encrypted, TLS only, versioned (an object overwritten
 * through a still-valid upload URL keeps its first version), access-logged, retained on stack
 * deletion, CORS for the pages' origins (PUT with content-type, GET, HEAD).
 *
 * Lifecycle: current objects are never expired by default (as long as the complaint, which is
 * kept for ever); they move to Standard-IA after 90 days and Glacier Instant Retrieval after
 * 365 (still downloadable at once); replaced versions go after 90 days; unfinished multipart
 * uploads after 1 day.
 *
 * Least privilege: the upload route may only PutObject (what its presigned PUT needs); the
 * download route and the object-created handler may GetObject (HEAD, first bytes, presigned GET)
 * and DeleteObject (a refused upload). Nothing else touches the bucket. The bucket's
 * EventBridge notifications feed "Object Created" to the handler (no custom resource needed).
 */
export class Evidence extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  /** the object-created handler; undefined when its entry is missing from repoRoot */
  readonly uploadedFunction?: NodejsFunction;

  constructor(scope: Construct, id: string, props: EvidenceProps) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the evidence bucket; logging it into itself would loop.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      cors: [
        {
          allowedOrigins: props.allowedOrigins,
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedHeaders: ['content-type'],
          exposedHeaders: ['ETag', 'Content-Disposition'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'keep-with-the-complaint',
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
          ],
          ...(props.expireAfterDays ? { expiration: Duration.days(props.expireAfterDays) } : {}),
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    const upload = props.apiFunctions.get(ATTACHMENT_ROUTE_ENTRIES.upload);
    const download = props.apiFunctions.get(ATTACHMENT_ROUTE_ENTRIES.download);
    if (upload) this.grantUpload(upload);
    if (download) this.grantCheck(download);

    if (existsSync(path.join(props.repoRoot, ATTACHMENT_UPLOADED_ENTRY))) {
      const wrapper = new ComplaintFunction(this, 'UploadedFn', {
        repoRoot: props.repoRoot,
        entry: ATTACHMENT_UPLOADED_ENTRY,
        environment: { TABLE_NAME: props.table.tableName },
        logRetention: props.logRetention,
        timeout: Duration.seconds(30),
      });
      grantTableAccess(props.table, wrapper.fn, 'readWrite');
      acknowledgeIndexAccess(wrapper, props.table);
      this.grantCheck(wrapper.fn);
      this.uploadedFunction = wrapper.fn;
      new Rule(this, 'ObjectCreated', {
        description: 'An attachment was uploaded: check it and list it on its complaint',
        eventPattern: {
          source: ['aws.s3'],
          detailType: ['Object Created'],
          detail: { bucket: { name: [this.bucket.bucketName] } },
        },
        targets: [new LambdaFunction(wrapper.fn, { retryAttempts: 8, maxEventAge: Duration.hours(2) })],
      });
    }
  }

  /** PutObject only: what a presigned upload URL needs of its signer. */
  private grantUpload(fn: NodejsFunction): void {
    this.grantObjects(fn, ['s3:PutObject']);
  }

  /** GetObject (HEAD, first bytes, presigned download) and DeleteObject (a refused upload). */
  private grantCheck(fn: NodejsFunction): void {
    this.grantObjects(fn, ['s3:GetObject', 's3:DeleteObject']);
  }

  private grantObjects(fn: NodejsFunction, actions: string[]): void {
    fn.addEnvironment('ATTACHMENTS_BUCKET', this.bucket.bucketName);
    Grant.addToPrincipal({ grantee: fn, actions, resourceArns: [this.bucket.arnForObjects('*')] });
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    // the function's wrapper (ComplaintFunction) holds its role and policy
    Validations.of(fn.node.scope ?? fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      reason:
        'Attachments are objects <complaintId>/<attachmentId> created at run time: the grant covers the objects of this one bucket, nothing else.',
    });
  }
}
