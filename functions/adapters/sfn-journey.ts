import { randomUUID } from 'node:crypto';
import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { clock } from '../domain/clock.js';
import { ConflictError, WrongStageError } from '../domain/errors.js';
import type { Actor, PendingStep, Step } from '../domain/model.js';
import type { ApiAction, StepTaskOutput } from '../domain/steps/index.js';
import { getStringFromEnv } from '../runtime/env.js';
import { logger } from '../runtime/powertools.js';
import { sfnClient } from './clients.js';
import { getStore } from './store.js';

/**
 * The API's side of the journey contract (docs/ARCHITECTURE.md, "The journey contract" and
 * "API → journey"). Task tokens are never logged or returned.
 */

/** Step Functions' answers that mean "this task token is no longer waiting". */
export const STALE_TOKEN_ERRORS: ReadonlySet<string> = new Set([
  'TaskTimedOut',
  'InvalidToken',
  'TaskDoesNotExist',
]);

export const STALE_STEP_MESSAGE =
  'This step was escalated or already taken in the meantime. Reload the complaint and try again.';

/**
 * Starts the complaint's journey: one execution named by the complaint id, input
 * `{"complaintId"}`. Safe to call again (replays, crash recovery): an existing execution
 * of that name counts as started. Returns whether this call started it.
 */
export async function startJourney(complaintId: string): Promise<{ started: boolean }> {
  try {
    await sfnClient.send(
      new StartExecutionCommand({
        stateMachineArn: getStringFromEnv('STATE_MACHINE_ARN'),
        name: complaintId,
        input: JSON.stringify({ complaintId }),
      }),
    );
    return { started: true };
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return { started: false };
    throw error;
  }
}

export interface ResumeStepInput<A extends ApiAction = ApiAction> {
  complaintId: string;
  /** the pending steps this action may resume, e.g. ['follow_up', 'agent_follow_up'] for a survey */
  steps: readonly Step[];
  action: A;
  data: StepTaskOutput<A>['data'];
  actor: Actor;
  /** identifies this attempt in the claim (default: a random UUID) */
  claimId?: string;
  /**
   * the 409 message when the step is no longer pending at claim time (a race with another
   * answer or the journey): words for the caller, not the store's step ids
   */
  notWaiting?: string;
}

/**
 * Resumes a waiting step: claim it (a concurrent second action gets 409), send the task
 * output with SendTaskSuccess, and when Step Functions says the token is stale (timed out,
 * escalated to a new token, already completed) release the claim and answer 409.
 * Any other failure also releases the claim (the step stays actionable) and is rethrown.
 * Returns the step that was resumed (its `stage` is the stage the action belongs to).
 */
export async function resumeStep<A extends ApiAction>(input: ResumeStepInput<A>): Promise<PendingStep> {
  const store = getStore();
  const claimId = input.claimId ?? randomUUID();
  let pending: PendingStep;
  try {
    pending = await store.claimStep(input.complaintId, input.steps, claimId, input.actor);
  } catch (error) {
    if (error instanceof WrongStageError && input.notWaiting) throw new WrongStageError(input.notWaiting);
    throw error;
  }
  const output: StepTaskOutput<A> = {
    action: input.action,
    data: input.data,
    actor: input.actor,
    at: clock().now().toISOString(),
  };
  try {
    await sfnClient.send(
      new SendTaskSuccessCommand({ taskToken: pending.taskToken, output: JSON.stringify(output) }),
    );
  } catch (error) {
    const name = error instanceof Error ? error.name : 'unknown';
    const stale = STALE_TOKEN_ERRORS.has(name);
    try {
      await store.releaseClaim(
        input.complaintId,
        claimId,
        stale ? `stale_token:${name}` : `send_failed:${name}`,
      );
    } catch (releaseError) {
      // the claim lease expires on its own; the caller still gets the right answer
      logger.warn('could not release a step claim', {
        complaintId: input.complaintId,
        step: pending.step,
        errorName: releaseError instanceof Error ? releaseError.name : 'unknown',
      });
    }
    if (stale) {
      logger.info('step token was stale', {
        complaintId: input.complaintId,
        step: pending.step,
        sfnError: name,
      });
      throw new ConflictError(STALE_STEP_MESSAGE, 'step_stale');
    }
    throw error;
  }
  return pending;
}
