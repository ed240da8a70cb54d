import { resumeStep } from '../adapters/sfn-journey.js';
import { getStore } from '../adapters/store.js';
import { decisionBody, surveyBody } from '../domain/complaint-schemas.js';
import { NotFoundError, WrongStageError } from '../domain/errors.js';
import type { Step } from '../domain/model.js';
import { authorizeCustomer } from '../runtime/access.js';
import { apiHandler, bodyOf, json, lastPathSegment, parseWith } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * POST /complaints/{id}/decision `{accept, comment?}` (declining needs a comment) and
 * POST /complaints/{id}/survey `{rating 1..5, comment?}`, by the customer with their
 * access token. Resumes the waiting step and answers `202 {id, stage, accepted: true}`;
 * 409 when the complaint is not waiting for this answer (or it was just given or timed out).
 */

/** A survey answered late (after the agent follow-up opened) still counts as the answer. */
const ACTIONS = {
  decision: {
    steps: ['customer_decision'],
    notWaiting: 'This complaint is not waiting for your decision on a proposal.',
  },
  survey: {
    steps: ['follow_up', 'agent_follow_up'],
    notWaiting: 'This complaint is not waiting for your feedback.',
  },
} as const satisfies Record<string, { steps: readonly Step[]; notWaiting: string }>;

export const handler = apiHandler(
  async (event) => {
    const action = lastPathSegment(event);
    if (action !== 'decision' && action !== 'survey') throw new NotFoundError('No such action.');
    const id = await authorizeCustomer(event);
    logger.appendKeys({ complaintId: id });
    const spec = ACTIONS[action];
    const complaint = await getStore().get(id);
    if (!complaint) throw new NotFoundError();
    const data =
      action === 'decision' ? parseWith(decisionBody, bodyOf(event)) : parseWith(surveyBody, bodyOf(event));
    const steps: readonly Step[] = spec.steps;
    if (!complaint.pending || !steps.includes(complaint.pending.step))
      throw new WrongStageError(spec.notWaiting);
    const pending = await resumeStep({
      complaintId: id,
      steps,
      action,
      data,
      actor: { kind: 'customer' },
      notWaiting: spec.notWaiting,
    });
    logger.info('customer action accepted', { action, step: pending.step });
    return json(202, { id, stage: pending.stage, accepted: true });
  },
  { jsonBody: true },
);
