import { getStore } from '../adapters/store.js';
import { completeCallTask } from '../domain/call-tasks.js';
import { clock } from '../domain/clock.js';
import { noteBody } from '../domain/complaint-schemas.js';
import { NotFoundError } from '../domain/errors.js';
import { parseReference } from '../domain/reference.js';
import { assertDepartmentScope, requireStaff } from '../runtime/auth.js';
import { apiHandler, bodyOf, json, parseWith, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * POST /staff/complaints/{id}/notes `{text, kind?: note|call|visit|letter|email, at?, callTask?}` →
 * `201 {id, seq, kind, at, callTask?}`. With `callTask` (kind `call` only) the logged call
 * completes that call task in the same write (404 when the complaint has no such task, 409
 * `call_task_done` when it was completed already). An internal note or an entry of the communication log (a call,
 * visit, letter or email with the customer): a `note_added` event in the complaint's history,
 * staff-only (customers never see it). Any staff role that may read the complaint may add one;
 * the department role only on its own department's complaints. Closed complaints take notes
 * too (a call after closing is still part of the record). The text is never logged.
 */
export const handler = apiHandler(
  async (event) => {
    const actor = requireStaff(event, 'note');
    const id = parseReference(pathParameter(event, 'id') ?? '');
    if (!id) throw new NotFoundError();
    logger.appendKeys({ complaintId: id });
    const body = parseWith(noteBody, bodyOf(event));
    const store = getStore();
    const complaint = await store.get(id);
    if (!complaint) throw new NotFoundError();
    assertDepartmentScope(actor, complaint);
    const at = body.at ? new Date(body.at).toISOString() : clock().now().toISOString();
    const updated = await store.update(id, (current) => {
      assertDepartmentScope(actor, current);
      const callTask = body.callTask;
      return {
        set: callTask
          ? { callTasks: completeCallTask(current, callTask, { at, actor, seq: current.version + 1 }) }
          : {},
        event: {
          type: 'note_added',
          actor,
          data: { kind: body.kind, text: body.text, at, ...(callTask ? { callTask } : {}) },
        },
      };
    });
    logger.info('note added', { kind: body.kind, role: actor.role, callTask: body.callTask !== undefined });
    return json(201, {
      id,
      seq: updated.version,
      kind: body.kind,
      at,
      ...(body.callTask ? { callTask: body.callTask } : {}),
    });
  },
  { jsonBody: true },
);
