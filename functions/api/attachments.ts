import { getEvidenceObjects } from '../adapters/s3-evidence.js';
import { getStore } from '../adapters/store.js';
import {
  type Attachment,
  attachmentKey,
  attachmentRequestBody,
  checkAttachmentRequest,
  newAttachmentId,
} from '../domain/attachments.js';
import { clock } from '../domain/clock.js';
import { NotFoundError, WrongStageError } from '../domain/errors.js';
import { assertDepartmentScope } from '../runtime/auth.js';
import { apiHandler, bodyOf, json, parseWith } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';
import { attachmentCaller, attachmentsConfig } from './attachment-access.js';

/**
 * `POST /complaints/{id}/attachments` (customer, access token) and
 * `POST /staff/complaints/{id}/attachments` (agent, department for its own, supervisor, manager)
 * `{fileName, contentType, size, visibleToCustomer?}` → 201
 * `{attachmentId, upload: {url, method: "PUT", headers}, expiresAt}`: the client PUTs the bytes to
 * `upload.url` with `upload.headers` before `expiresAt`. 413 too big, 415 type not accepted (or a
 * name that does not end in an extension of the type), 409 `too_many_attachments`; a customer
 * cannot attach to a closed complaint (409 `wrong_stage`), staff can (archive material).
 * `visibleToCustomer` is for staff files (default internal); a customer's own are visible to them.
 *
 * File names never reach logs or audit data; object keys are `<complaintId>/<attachmentId>`.
 */
export const handler = apiHandler(
  async (event) => {
    const who = await attachmentCaller(event);
    logger.appendKeys({ complaintId: who.id });
    const config = attachmentsConfig();
    const store = getStore();
    const complaint = await store.get(who.id);
    if (!complaint) throw new NotFoundError();
    if (who.actor.kind === 'staff') assertDepartmentScope(who.actor, complaint);
    const file = checkAttachmentRequest(parseWith(attachmentRequestBody, bodyOf(event)), config, {
      staff: who.staff,
    });
    if (!who.staff && complaint.stage === 'closed') {
      throw new WrongStageError('This complaint is closed; files can no longer be attached to it.');
    }
    const nowMs = Date.now();
    const attachment: Attachment = {
      complaintId: who.id,
      attachmentId: newAttachmentId(),
      fileName: file.fileName,
      contentType: file.contentType,
      size: file.size,
      visibleToCustomer: file.visibleToCustomer,
      by: who.actor,
      createdAt: clock().now().toISOString(),
      status: 'pending',
      uploadExpiresAt: new Date(nowMs + config.uploadUrlSeconds * 1000).toISOString(),
    };
    await store.addAttachment(attachment, config.maxFilesPerComplaint, nowMs);
    const upload = await getEvidenceObjects().uploadUrl(
      attachmentKey(who.id, attachment.attachmentId),
      { contentType: file.contentType, size: file.size },
      config.uploadUrlSeconds,
    );
    logger.info('attachment upload requested', {
      attachmentId: attachment.attachmentId,
      contentType: file.contentType,
      size: file.size,
      by: who.actor.kind,
    });
    return json(201, {
      attachmentId: attachment.attachmentId,
      upload: { url: upload.url, method: 'PUT', headers: upload.headers },
      expiresAt: upload.expiresAt,
    });
  },
  { jsonBody: true },
);
