/**
 * The local stand-in for the evidence bucket: s3rver (an S3-compatible server in Node, no
 * Docker, no account) with its files in `<data>/s3`, the bucket created at start with CORS so
 * the pages (another origin) can PUT through presigned URLs and read the download headers.
 *
 * s3rver 3.7 checks a presigned URL's expiry and access key but not the SigV4 signature itself
 * (so not the signed `content-type` and `content-length`), so locally the check after the upload (functions/domain/attachments.ts
 * `checkUploaded`) is what refuses other bytes than the signed ones; on AWS S3 refuses them first.
 * The local stack's credentials are registered with it, so the handlers sign as on AWS.
 * Its "object created" event is handed to `onObjectCreated` in the shape EventBridge delivers
 * S3's "Object Created" on AWS (infra/constructs/evidence.ts).
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { S3Event } from 'aws-lambda';
import type { ObjectCreatedEvent } from '../functions/events/attachment-uploaded.js';

const require = createRequire(import.meta.url);

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: Pick<S3Event, 'Records'>) => void): void;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

export const LOCAL_BUCKET = 'complaint-evidence-local';

export interface LocalS3Options {
  port: number;
  host?: string;
  /** where the objects are kept */
  directory: string;
  bucket?: string;
  /** the credentials the handlers sign with (registered with s3rver) */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** origins allowed by CORS; default any (local only) */
  allowedOrigins?: string[];
  /** called for each object created (errors are reported to `onError`) */
  onObjectCreated?: (event: ObjectCreatedEvent) => Promise<unknown>;
  onError?: (error: unknown) => void;
}

export interface RunningS3 {
  /** e.g. http://127.0.0.1:4568 (path-style addressing) */
  endpoint: string;
  bucket: string;
  /** resolves when the object-created events seen so far have been handled */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** The CORS rules of the local bucket (the CDK bucket has the same, for the deployed pages). */
export function corsXml(origins: readonly string[]): string {
  const rules = origins
    .map(
      (origin) => `<CORSRule>
    <AllowedOrigin>${origin}</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>Content-Disposition</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>`,
    )
    .join('\n  ');
  return `<CORSConfiguration>\n  ${rules}\n</CORSConfiguration>`;
}

export async function startLocalS3(options: LocalS3Options): Promise<RunningS3> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  DUMMY_ACCOUNT.createKeyPair(options.credentials.accessKeyId, options.credentials.secretAccessKey);
  mkdirSync(options.directory, { recursive: true });
  const bucket = options.bucket ?? LOCAL_BUCKET;
  const host = options.host ?? '127.0.0.1';
  const server = new S3rver({
    port: options.port,
    address: host,
    directory: options.directory,
    silent: true,
    // path-style only: http://host:port/<bucket>/<key>
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [corsXml(options.allowedOrigins ?? ['*'])] }],
  });
  const inFlight = new Set<Promise<unknown>>();
  server.on('event', (event) => {
    if (!options.onObjectCreated) return;
    for (const record of event.Records ?? []) {
      if (!record.eventName?.startsWith('ObjectCreated')) continue;
      const created: ObjectCreatedEvent = {
        'detail-type': 'Object Created',
        detail: {
          bucket: { name: bucket },
          object: { key: record.s3.object.key, size: record.s3.object.size },
        },
      };
      const run = options.onObjectCreated(created).catch((error: unknown) => options.onError?.(error));
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }
  });
  const address = await server.run();
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${address.port}`,
    bucket,
    settled: async () => {
      await Promise.all([...inFlight]);
    },
    stop: async () => {
      await Promise.all([...inFlight]);
      await server.close();
    },
  };
}

/**
 * The local stack's hook (local/stack.ts): starts the server with its files in `<dataDir>/s3`,
 * points the handlers at it (`AWS_ENDPOINT_URL_S3`, `S3_FORCE_PATH_STYLE`, `ATTACHMENTS_BUCKET`)
 * and runs the object-created handler on its events, as EventBridge does on AWS.
 * Port 0 (the default) lets the OS choose: the presigned URLs carry the address.
 */
export async function startEvidenceStorage(options: {
  port?: number;
  host: string;
  dataDir: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  log: (line: string) => void;
}): Promise<RunningS3> {
  const directory = resolve(options.dataDir, 's3');
  const s3 = await startLocalS3({
    port: options.port ?? 0,
    host: options.host,
    directory,
    credentials: options.credentials,
    onObjectCreated: async (event) => {
      const { handler } = await import('../functions/events/attachment-uploaded.js');
      return handler(event);
    },
    onError: (error) =>
      options.log(`attachment check failed: ${error instanceof Error ? error.name : 'error'}`),
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    ATTACHMENTS_BUCKET: s3.bucket,
  });
  // a restart in the same process gets a client for the new address (imported late: the
  // handlers' modules read their environment when first imported)
  const { setEvidenceObjects } = await import('../functions/adapters/s3-evidence.js');
  setEvidenceObjects(undefined);
  options.log(`Local S3 is up (${s3.endpoint}, bucket ${s3.bucket}, data in ${directory})`);
  return s3;
}
