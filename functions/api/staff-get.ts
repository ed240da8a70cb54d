import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import { parseReference } from '../domain/reference.js';
import { staffAttachments, staffView } from '../domain/views.js';
import { assertDepartmentScope, requireStaff } from '../runtime/auth.js';
import { apiHandler, json, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * GET /staff/complaints/{id} → the full record with its history (audit events), for
 * agents, supervisors, managers, and the department role when it is their department's.
 * The task token never leaves the system.
 */
export const handler = apiHandler(async (event) => {
  const actor = requireStaff(event, 'get');
  const id = parseReference(pathParameter(event, 'id') ?? '');
  if (!id) throw new NotFoundError();
  logger.appendKeys({ complaintId: id });
  const store = getStore();
  const complaint = await store.get(id);
  if (!complaint) throw new NotFoundError();
  assertDepartmentScope(actor, complaint);
  const [events, attachments] = await Promise.all([store.events(id), store.attachments(id)]);
  return json(200, {
    ...staffView(complaint, clock().now(), events),
    attachments: staffAttachments(attachments),
  });
});
