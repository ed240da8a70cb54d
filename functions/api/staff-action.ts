import { resumeStep } from '../adapters/sfn-journey.js';
import { getStore } from '../adapters/store.js';
import { NotFoundError, WrongStageError } from '../domain/errors.js';
import type { Complaint } from '../domain/model.js';
import { parseReference } from '../domain/reference.js';
import { type ActionData, type ActionSpec, actionSpec } from '../domain/steps/index.js';
import { assertDepartmentScope, requireStaff } from '../runtime/auth.js';
import { apiHandler, bodyOf, json, lastPathSegment, parseWith, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';
import { configuredDepartments } from '../runtime/product-config.js';

/**
 * POST /staff/complaints/{id}/<action>, one route per action of the step catalogue
 * (functions/domain/steps/). Checks the role (the step's `roles`), the department scope, the
 * body (the step's fields) and that the complaint waits for this step; then resumes the journey
 * (claim → SendTaskSuccess → release when stale) and answers `202 {id, stage, accepted: true}`.
 * A wrong stage, a step somebody else is taking, or a step that timed out and was escalated
 * answer 409 with a message that says so.
 */

/** each action's body schema with the configured departments, built on the action's first request */
const schemas = new Map<string, ReturnType<ActionSpec['schema']>>();
function schemaOf(spec: ActionSpec): ReturnType<ActionSpec['schema']> {
  let schema = schemas.get(spec.action);
  if (!schema) {
    schema = spec.schema({ departments: configuredDepartments().map((d) => d.id) });
    schemas.set(spec.action, schema);
  }
  return schema;
}

function notWaiting(complaint: Complaint, spec: ActionSpec): WrongStageError {
  if (complaint.stage === 'closed')
    return new WrongStageError(`This complaint is closed; ${spec.phrase} can no longer be recorded.`);
  const now = complaint.pending
    ? `it is at stage "${complaint.pending.stage}"`
    : `it is at stage "${complaint.stage}" with no step open yet`;
  return new WrongStageError(
    `This complaint is not waiting for ${spec.phrase}: ${now}, and ${spec.phrase} belongs to stage "${spec.stage}". Reload the complaint.`,
  );
}

export const handler = apiHandler(
  async (event) => {
    const action = lastPathSegment(event);
    const spec = actionSpec(action);
    if (!spec) throw new NotFoundError('No such action.');
    const actor = requireStaff(event, spec.action);
    const id = parseReference(pathParameter(event, 'id') ?? '');
    if (!id) throw new NotFoundError();
    logger.appendKeys({ complaintId: id });
    const data = parseWith(schemaOf(spec), bodyOf(event));
    const complaint = await getStore().get(id);
    if (!complaint) throw new NotFoundError();
    if (spec.ownDepartment) assertDepartmentScope(actor, complaint);
    if (!complaint.pending || !spec.steps.includes(complaint.pending.step)) throw notWaiting(complaint, spec);
    const pending = await resumeStep({
      complaintId: id,
      steps: spec.steps,
      action: spec.action,
      data: data as ActionData,
      actor,
      notWaiting: `This complaint is no longer waiting for ${spec.phrase}: it moved on in the meantime. Reload the complaint.`,
    });
    logger.info('staff action accepted', { action, step: pending.step, role: actor.role });
    return json(202, { id, stage: pending.stage, accepted: true });
  },
  { jsonBody: true },
);
