import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyWorld, type JourneyWorld } from './harness.js';

/** The Lambda handler modules (functions/journey/*.ts), as CDK deploys them and the local stack loads them. */
let w: JourneyWorld;
beforeAll(async () => {
  w = await createJourneyWorld('handlers', { handlers: 'modules' });
});
afterAll(async () => {
  await w?.close();
});

describe('journey handler modules', () => {
  it('every JOURNEY_TASKS entry exports a handler that runs its task (supervisor return, then no response after the reminder)', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    await w.steps.propose(id);
    await w.steps.review(id, false);
    await w.steps.propose(id);
    await w.steps.review(id);
    await w.miss(id, 'AwaitCustomerDecision');
    const task = await w.engine.waitForTask(id, 'AwaitCustomerDecision');
    w.clock.set(task.deadline!);
    expect(w.engine.fireDueTimeouts()).toBe(1);
    const r = await w.finish(id);
    expect(r.execution.status).toBe('SUCCEEDED');
    expect(r.states.slice(-3)).toEqual(['AwaitCustomerDecision', 'ReminderSent', 'CloseNoResponse']);
    expect(r.complaint).toMatchObject({ stage: 'closed', outcome: 'no_response', proposalRounds: 2 });
    expect(r.events).toEqual([
      'registered',
      'step_opened',
      'acknowledged',
      'investigated',
      'step_opened',
      'proposed',
      'step_opened',
      'returned',
      'step_opened',
      'proposed',
      'step_opened',
      'approved',
      'step_opened',
      'reminded',
      'step_opened',
      'closed',
      'archived',
    ]);
    expect(r.emails).toEqual(['acknowledgement', 'proposal', 'reminder', 'closure']);
  });
});
