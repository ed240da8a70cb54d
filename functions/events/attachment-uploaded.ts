import type { EventBridgeEvent } from 'aws-lambda';
import { getEvidenceObjects } from '../adapters/s3-evidence.js';
import { getStore } from '../adapters/store.js';
import { parseAttachmentKey, settleUpload } from '../domain/attachments.js';
import { clock } from '../domain/clock.js';
import { safeErrorFields } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/** S3's "Object Created" event as EventBridge delivers it (the fields read here). */
export type ObjectCreatedEvent = Pick<
  EventBridgeEvent<'Object Created', { bucket: { name: string }; object: { key: string; size?: number } }>,
  'detail-type' | 'detail'
>;

/**
 * The evidence bucket's "Object Created" event (S3 → EventBridge → this Lambda on AWS; locally
 * local/s3.ts turns the S3-compatible server's own event into the same shape): checks the new
 * object and lists its attachment, or refuses it, with the same `settleUpload` the download route
 * runs, whichever comes first. Idempotent (events arrive at least once). An error fails the
 * invocation, so EventBridge retries it.
 */
export async function handler(event: ObjectCreatedEvent): Promise<{ status: string }> {
  if (event['detail-type'] !== 'Object Created') return { status: 'ignored' };
  // keys in S3 events are URL-encoded ('+' for a space); ours are ids and '/' only
  const key = decodeURIComponent((event.detail?.object?.key ?? '').replace(/\+/g, ' '));
  const ids = parseAttachmentKey(key);
  if (!ids) {
    logger.warn('object without an attachment key ignored');
    return { status: 'ignored' };
  }
  try {
    const store = getStore();
    const found = await store.getAttachment(ids.complaintId, ids.attachmentId);
    if (!found) {
      logger.warn('object of an unknown attachment ignored', { attachmentId: ids.attachmentId });
      return { status: 'unknown' };
    }
    const a = await settleUpload(store, getEvidenceObjects(), found, clock().now().toISOString());
    logger.info('attachment upload checked', { attachmentId: a.attachmentId, status: a.status });
    return { status: a.status };
  } catch (error) {
    logger.error('attachment check failed', { attachmentId: ids.attachmentId, ...safeErrorFields(error) });
    throw error;
  }
}
