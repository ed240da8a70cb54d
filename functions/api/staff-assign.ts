import { getStore } from '../adapters/store.js';
import { assignBody } from '../domain/complaint-schemas.js';
import { ForbiddenError, NotFoundError, WrongStageError } from '../domain/errors.js';
import type { Assignee, Complaint } from '../domain/model.js';
import { parseReference } from '../domain/reference.js';
import { publicAssignee } from '../domain/views.js';
import { assertDepartmentScope, requireStaff, type StaffActor, staffIdentity } from '../runtime/auth.js';
import { apiHandler, bodyOf, json, parseWith, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * POST /staff/complaints/{id}/assign `{assignee: "me" | null | "<staff id>"}` →
 * `200 {id, assignee: {sub, name?} | null}`. The named owner besides the department:
 * agents and the department role take a complaint ("me" or their own id) or release their own
 * (null); supervisors and managers assign anybody or nobody. The department role only on its own
 * department's complaints; closed complaints keep their last owner (409). Every change is an
 * `assigned` event in the history; assigning the current owner again changes nothing.
 */
const ASSIGNS_OTHERS = new Set(['supervisor', 'manager']);

function decide(
  actor: StaffActor,
  current: Complaint,
  wanted: string | null,
  email: string | undefined,
): Assignee | undefined {
  if (current.stage === 'closed')
    throw new WrongStageError('This complaint is closed; its owner can no longer change.');
  const mayAssignOthers = ASSIGNS_OTHERS.has(actor.role);
  const owner = current.assignee?.sub;
  if (!mayAssignOthers) {
    if (wanted !== null && wanted !== actor.sub) {
      throw new ForbiddenError('Only a supervisor or manager may assign a complaint to somebody else.');
    }
    if (owner !== undefined && owner !== actor.sub) {
      throw new ForbiddenError(
        'This complaint belongs to a colleague; a supervisor or manager can reassign it.',
      );
    }
  }
  if (wanted === null) return undefined;
  if (wanted === actor.sub)
    return { sub: actor.sub, ...(actor.name ? { name: actor.name } : {}), ...(email ? { email } : {}) };
  return { sub: wanted };
}

export const handler = apiHandler(
  async (event) => {
    const actor = requireStaff(event, 'assign');
    // the taker's address (token claim `email`): arrival notices and warnings reach them
    const email = staffIdentity(event).email;
    const id = parseReference(pathParameter(event, 'id') ?? '');
    if (!id) throw new NotFoundError();
    logger.appendKeys({ complaintId: id });
    const body = parseWith(assignBody, bodyOf(event));
    const wanted = body.assignee === 'me' ? actor.sub : body.assignee;
    const store = getStore();
    const complaint = await store.get(id);
    if (!complaint) throw new NotFoundError();
    assertDepartmentScope(actor, complaint);
    const updated = await store.update(id, (current) => {
      const next = decide(actor, current, wanted, email);
      const previous = current.assignee?.sub ?? null;
      if ((next?.sub ?? null) === previous) return undefined;
      return {
        set: { assignee: next },
        event: { type: 'assigned', actor, data: { assignee: next?.sub ?? null, previous } },
      };
    });
    logger.info('assignee changed', { role: actor.role, released: wanted === null });
    return json(200, { id, assignee: publicAssignee(updated.assignee) ?? null });
  },
  { jsonBody: true },
);
