import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import type { Complaint } from '../domain/model.js';
import { parseReference } from '../domain/reference.js';
import { customerKeys, SEARCH_LIMIT } from '../domain/search.js';
import type { ComplaintStore } from '../domain/store.js';
import { type RelatedComplaint, relatedComplaint, staffAttachments, staffView } from '../domain/views.js';
import { assertDepartmentScope, requireStaff, type StaffActor } from '../runtime/auth.js';
import { apiHandler, json, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * GET /staff/complaints/{id} → the full record with its history (audit events), for
 * agents, supervisors, managers, and the department role when it is their department's.
 * The task token never leaves the system. `related`: the same customer's other complaints
 * (earlier and later, by the email and phone links; the department role only its own
 * department's), newest first.
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
  const [events, attachments, related] = await Promise.all([
    store.events(id),
    store.attachments(id),
    sameCustomer(store, complaint, actor),
  ]);
  return json(200, {
    ...staffView(complaint, clock().now(), events),
    attachments: staffAttachments(attachments),
    related,
  });
});

/** The customer's other complaints the actor may see, through the customer links (keyed lookups). */
async function sameCustomer(
  store: ComplaintStore,
  complaint: Complaint,
  actor: StaffActor,
): Promise<RelatedComplaint[]> {
  const links = customerKeys(complaint.customer).map((key) => ({ kind: 'customer' as const, key }));
  const found = await store.linkedComplaints(links, SEARCH_LIMIT + 1);
  return found
    .filter((c) => c.id !== complaint.id)
    .filter((c) => actor.role !== 'department' || c.department === actor.department)
    .slice(0, SEARCH_LIMIT)
    .map(relatedComplaint);
}
