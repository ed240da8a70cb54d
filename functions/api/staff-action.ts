import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resumeStep } from '../adapters/sfn-journey.js';
import { getStore } from '../adapters/store.js';
import {
  type ActionData,
  type ApiAction,
  decisionBody,
  implementationBody,
  investigationBody,
  proposalBody,
  reviewBody,
  surveyBody,
} from '../domain/complaint-schemas.js';
import { NotFoundError, WrongStageError } from '../domain/errors.js';
import { type Complaint, STAGE_OF_STEP, type Step } from '../domain/model.js';
import { parseReference } from '../domain/reference.js';
import { assertDepartmentScope, requireStaff, type StaffPermission } from '../runtime/auth.js';
import { configDir } from '../runtime/env.js';
import { apiHandler, bodyOf, json, lastPathSegment, parseWith, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * POST /staff/complaints/{id}/{investigation|proposal|review|decision|survey|implementation}.
 * Checks the role (docs/ARCHITECTURE.md "Roles per action"), the department scope, the body
 * and that the complaint waits for this step; then resumes the journey (claim →
 * SendTaskSuccess → release when stale) and answers `202 {id, stage, accepted: true}`.
 * A wrong stage, a step somebody else is taking, or a step that timed out and was escalated
 * answer 409 with a message that says so.
 */

/** Department ids from `<config>/departments.json`, read once at load. */
function loadDepartmentIds(): string[] {
  const file = path.join(configDir(), 'departments.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { departments?: { id?: unknown }[] };
  const ids = (parsed.departments ?? [])
    .map((d) => d.id)
    .filter((id): id is string => typeof id === 'string');
  if (ids.length === 0) throw new Error(`${file} lists no departments`);
  return ids;
}

const DEPARTMENTS = loadDepartmentIds();

interface ActionSpec {
  steps: readonly Step[];
  permission: StaffPermission;
  /** what the step is called in messages */
  label: string;
  parse: (body: unknown) => ActionData[ApiAction];
}

const investigation = investigationBody(DEPARTMENTS);

const ACTIONS: Record<ApiAction, ActionSpec> = {
  investigation: {
    steps: ['investigation'],
    permission: 'investigation',
    label: 'the investigation',
    parse: (b) => parseWith(investigation, b),
  },
  proposal: {
    steps: ['proposal'],
    permission: 'proposal',
    label: 'a proposal',
    parse: (b) => parseWith(proposalBody, b),
  },
  review: {
    steps: ['review'],
    permission: 'review',
    label: 'a review of the proposal',
    parse: (b) => parseWith(reviewBody, b),
  },
  decision: {
    steps: ['customer_decision'],
    permission: 'decision',
    label: "the customer's decision",
    parse: (b) => parseWith(decisionBody, b),
  },
  survey: {
    steps: ['follow_up', 'agent_follow_up'],
    permission: 'survey',
    label: "the customer's survey answer",
    parse: (b) => parseWith(surveyBody, b),
  },
  implementation: {
    steps: ['implementation'],
    permission: 'implementation',
    label: 'the implementation result',
    parse: (b) => parseWith(implementationBody, b),
  },
};

function isAction(value: string): value is ApiAction {
  return Object.hasOwn(ACTIONS, value);
}

function notWaiting(complaint: Complaint, spec: ActionSpec): WrongStageError {
  const expected = STAGE_OF_STEP[spec.steps[0] as Step];
  if (complaint.stage === 'closed')
    return new WrongStageError(`This complaint is closed; ${spec.label} can no longer be recorded.`);
  const now = complaint.pending
    ? `it is at stage "${complaint.pending.stage}"`
    : `it is at stage "${complaint.stage}" with no step open yet`;
  return new WrongStageError(
    `This complaint is not waiting for ${spec.label}: ${now}, and ${spec.label} belongs to stage "${expected}". Reload the complaint.`,
  );
}

export const handler = apiHandler(
  async (event) => {
    const action = lastPathSegment(event);
    if (!isAction(action)) throw new NotFoundError('No such action.');
    const spec = ACTIONS[action];
    const actor = requireStaff(event, spec.permission);
    const id = parseReference(pathParameter(event, 'id') ?? '');
    if (!id) throw new NotFoundError();
    logger.appendKeys({ complaintId: id });
    const data = spec.parse(bodyOf(event));
    const complaint = await getStore().get(id);
    if (!complaint) throw new NotFoundError();
    assertDepartmentScope(actor, complaint);
    if (!complaint.pending || !spec.steps.includes(complaint.pending.step)) throw notWaiting(complaint, spec);
    const pending = await resumeStep({
      complaintId: id,
      steps: spec.steps,
      action,
      data,
      actor,
      notWaiting: `This complaint is no longer waiting for ${spec.label}: it moved on in the meantime. Reload the complaint.`,
    });
    logger.info('staff action accepted', { action, step: pending.step, role: actor.role });
    return json(202, { id, stage: pending.stage, accepted: true });
  },
  { jsonBody: true },
);
