import type { S3Event } from 'aws-lambda';
import { getEvidenceObjects } from '../adapters/s3-evidence.js';
import { getStore } from '../adapters/store.js';
import { parseAttachmentKey, settleUpload } from '../domain/attachments.js';
import { clock } from '../domain/clock.js';
import { safeErrorFields } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * The evidence bucket's "object created" event (S3 → Lambda on AWS; the local S3-compatible
 * server's own event locally, local/s3.ts): checks each new object and lists its attachment
 * (or refuses it), the same `settleUpload` the download route runs. Idempotent: S3 delivers
 * events at least once. An error fails the invocation, so the asynchronous invoke retries it.
 */
export async function handler(event: Pick<S3Event, 'Records'>): Promise<{ settled: number }> {
  const store = getStore();
  const objects = getEvidenceObjects();
  let settled = 0;
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated')) continue;
    // S3 event keys are URL-encoded with '+' for spaces
    const key = decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' '));
    const ids = parseAttachmentKey(key);
    if (!ids) {
      logger.warn('object without an attachment key ignored');
      continue;
    }
    try {
      const found = await store.getAttachment(ids.complaintId, ids.attachmentId);
      if (!found) {
        logger.warn('object of an unknown attachment ignored', { attachmentId: ids.attachmentId });
        continue;
      }
      const a = await settleUpload(store, objects, found, clock().now().toISOString());
      logger.info('attachment upload checked', { attachmentId: a.attachmentId, status: a.status });
      settled += 1;
    } catch (error) {
      logger.error('attachment check failed', { attachmentId: ids.attachmentId, ...safeErrorFields(error) });
      throw error;
    }
  }
  return { settled };
}
