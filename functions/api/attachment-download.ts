import { getEvidenceObjects } from '../adapters/s3-evidence.js';
import { getStore } from '../adapters/store.js';
import { ATTACHMENT_ID_PATTERN, attachmentKey, customerMaySee, settleUpload } from '../domain/attachments.js';
import { clock } from '../domain/clock.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { customerAttachments, staffAttachments } from '../domain/views.js';
import { assertDepartmentScope } from '../runtime/auth.js';
import { apiHandler, json, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';
import { attachmentCaller, attachmentsConfig } from './attachment-access.js';

/**
 * `GET /complaints/{id}/attachments/{attachmentId}` (customer, access token) and
 * `GET /staff/complaints/{id}/attachments/{attachmentId}` → `{url, expiresAt, attachment}`: a
 * short-lived presigned download link (S3 answers with `Content-Disposition: attachment`).
 *
 * A pending upload is checked here first (as the storage's object-created event does, whichever
 * comes first: functions/events/attachment-uploaded.ts): 409 `upload_pending` while nothing was
 * uploaded, 409 `upload_refused` when the object did not match what was declared (it is deleted).
 * The customer reaches only their own files and staff files marked visible (else 404).
 */
export const handler = apiHandler(async (event) => {
  const who = await attachmentCaller(event);
  logger.appendKeys({ complaintId: who.id });
  const attachmentId = pathParameter(event, 'attachmentId') ?? '';
  const notFound = new NotFoundError('No attachment with this id was found.');
  if (!ATTACHMENT_ID_PATTERN.test(attachmentId)) throw notFound;
  const store = getStore();
  if (who.actor.kind === 'staff') {
    const complaint = await store.get(who.id);
    if (!complaint) throw new NotFoundError();
    assertDepartmentScope(who.actor, complaint);
  }
  const found = await store.getAttachment(who.id, attachmentId);
  if (!found || (!who.staff && !customerMaySee(found))) throw notFound;
  const objects = getEvidenceObjects();
  const a = await settleUpload(store, objects, found, clock().now().toISOString());
  if (a.status === 'pending') {
    throw new ConflictError('The file has not been uploaded yet.', 'upload_pending');
  }
  if (a.status === 'rejected') {
    throw new ConflictError(
      'The uploaded file did not match its declared size or type; attach it again.',
      'upload_refused',
    );
  }
  const link = await objects.downloadUrl(
    attachmentKey(who.id, attachmentId),
    { fileName: a.fileName, contentType: a.contentType },
    attachmentsConfig().downloadUrlSeconds,
  );
  logger.info('attachment download link issued', { attachmentId, by: who.actor.kind });
  const attachment = (who.staff ? staffAttachments([a]) : customerAttachments([a]))[0];
  return json(200, { url: link.url, expiresAt: link.expiresAt, attachment });
});
