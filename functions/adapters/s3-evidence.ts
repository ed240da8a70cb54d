import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition, type EvidenceObjects, type StoredObject } from '../domain/attachments.js';
import { getStringFromEnv } from '../runtime/env.js';

/**
 * The evidence bucket through presigned URLs (functions/domain/attachments.ts `EvidenceObjects`).
 *
 * - Upload: a presigned PUT that binds `content-type` and `content-length` into the signature,
 *   so the client must send exactly the declared type and number of bytes.
 * - Download: a short-lived presigned GET that makes S3 answer with
 *   `Content-Disposition: attachment` (RFC 6266/5987 file name) and the stored type.
 * - HEAD and a ranged GET of the first bytes to check an upload before it is listed.
 *
 * URLs expire in real time (S3 checks them against its clock), not the simulated business clock.
 * The bucket is `ATTACHMENTS_BUCKET`; the endpoint the SDK-native `AWS_ENDPOINT_URL_S3` (the
 * local stack sets it, with `S3_FORCE_PATH_STYLE=true` for its S3-compatible server).
 */
export class S3EvidenceObjects implements EvidenceObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly now: () => number = Date.now,
  ) {}

  async uploadUrl(
    key: string,
    file: { contentType: string; size: number },
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string>; expiresAt: string }> {
    const signingDate = new Date(this.now());
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: file.contentType,
        ContentLength: file.size,
      }),
      {
        expiresIn: expiresInSeconds,
        signingDate,
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    return {
      url,
      // content-length is set by the browser from the body; it is signed all the same
      headers: { 'content-type': file.contentType },
      expiresAt: new Date(signingDate.getTime() + expiresInSeconds * 1000).toISOString(),
    };
  }

  async downloadUrl(
    key: string,
    file: { fileName: string; contentType: string },
    expiresInSeconds: number,
  ): Promise<{ url: string; expiresAt: string }> {
    const signingDate = new Date(this.now());
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: contentDisposition(file.fileName),
        ResponseContentType: file.contentType,
        ResponseCacheControl: 'private, no-store',
      }),
      { expiresIn: expiresInSeconds, signingDate },
    );
    return { url, expiresAt: new Date(signingDate.getTime() + expiresInSeconds * 1000).toISOString() };
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, ...(out.ContentType ? { contentType: out.ContentType } : {}) };
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404)
        return undefined;
      throw error;
    }
  }

  async firstBytes(key: string, count: number): Promise<Uint8Array> {
    const out = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${Math.max(count, 1) - 1}` }),
    );
    const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    return bytes.subarray(0, count);
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

/** The S3 client settings: path-style URLs when `S3_FORCE_PATH_STYLE=true` (local server). */
export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  return {
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
    // A presigned PUT must not carry a checksum of an empty body (the SDK's default since 2025).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

let current: EvidenceObjects | undefined;

/** The handlers' evidence storage: bucket `ATTACHMENTS_BUCKET`, built on first use. */
export function getEvidenceObjects(): EvidenceObjects {
  current ??= new S3EvidenceObjects(new S3Client(s3ClientConfig()), getStringFromEnv('ATTACHMENTS_BUCKET'));
  return current;
}

/** Replaces the evidence storage (tests); `undefined` goes back to ATTACHMENTS_BUCKET. */
export function setEvidenceObjects(next: EvidenceObjects | undefined): void {
  current = next;
}
