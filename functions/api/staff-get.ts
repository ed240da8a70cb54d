import { assertDepartmentScope, requireStaff } from '../commons/auth.js';
import { apiHandler, json, pathParameter } from '../commons/http.js';
import { logger } from '../commons/powertools.js';
import { getStore } from '../commons/store.js';
import { clock } from '../shared/clock.js';
import { NotFoundError } from '../shared/errors.js';
import { parseReference } from '../shared/reference.js';
import { staffView } from '../shared/views.js';

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
  const events = await store.events(id);
  return json(200, staffView(complaint, clock().now(), events));
});
