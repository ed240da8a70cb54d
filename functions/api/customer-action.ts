import { resumeStep } from '../adapters/sfn-journey.js';
import { getStore } from '../adapters/store.js';
import { NotFoundError, WrongStageError } from '../domain/errors.js';
import { type ActionData, actionSpec } from '../domain/steps/index.js';
import { authorizeCustomer } from '../runtime/access.js';
import { apiHandler, bodyOf, json, lastPathSegment, parseWith } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * POST /complaints/{id}/<action> by the customer with their access token, for the steps of
 * the catalogue a customer answers (`customer` in functions/domain/steps/): the decision
 * `{accept, comment?}` (declining needs a comment) and the survey `{rating 1..5, comment?}`
 * (a survey answered late, after the agent follow-up opened, still counts as the answer).
 * Resumes the waiting step and answers `202 {id, stage, accepted: true}`; 409 when the
 * complaint is not waiting for this answer (or it was just given or timed out).
 */
export const handler = apiHandler(
  async (event) => {
    const action = lastPathSegment(event);
    const spec = actionSpec(action);
    const customer = spec?.customer;
    if (!spec || !customer) throw new NotFoundError('No such action.');
    const id = await authorizeCustomer(event);
    logger.appendKeys({ complaintId: id });
    const complaint = await getStore().get(id);
    if (!complaint) throw new NotFoundError();
    const data = parseWith(spec.customerSchema(), bodyOf(event));
    if (!complaint.pending || !spec.steps.includes(complaint.pending.step))
      throw new WrongStageError(customer.notWaiting);
    const pending = await resumeStep({
      complaintId: id,
      steps: spec.steps,
      action: spec.action,
      data: data as ActionData,
      actor: { kind: 'customer' },
      notWaiting: customer.notWaiting,
    });
    logger.info('customer action accepted', { action, step: pending.step });
    return json(202, { id, stage: pending.stage, accepted: true });
  },
  { jsonBody: true },
);
