/**
 * The agent's follow-up call finds nobody: `POST /staff/complaints/{id}/survey {unreachable:
 * true, comment}`. Each attempt before the policy's `unreachableAttempts` (config/policy.json,
 * 2) opens the follow-up call again with a new deadline; the last one closes the complaint as
 * no response, with no escalation (before, the step escalated every day, to level 13).
 */
import './quiet-logs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredPolicy } from '../../functions/domain/policy.js';
import { AGENT, CUSTOMER, createJourneyWorld, type JourneyWorld } from './harness.js';

let w: JourneyWorld;

beforeAll(async () => {
  w = await createJourneyWorld('unreachable');
});

afterAll(async () => {
  await w?.close();
});

/** From intake to the survey's missed deadline: the agent's follow-up call is open. */
async function toAgentFollowUp(id: string) {
  await w.steps.investigate(id);
  await w.steps.propose(id);
  await w.steps.review(id);
  await w.steps.decide(id);
  await w.steps.implement(id);
  return w.miss(id, 'AwaitFollowUp', 'AwaitAgentFollowUp');
}

describe('the follow-up call finds nobody', () => {
  it('calls again with a new deadline, then closes as no response after the configured attempts, without escalating', async () => {
    expect(configuredPolicy().unreachableAttempts).toBe(2);
    const id = await w.start();
    const first = await toAgentFollowUp(id);

    w.clock.advance(2 * 3600_000); // the agent calls two hours into the follow-up's day
    const nobody = await w.post(id, 'survey', { unreachable: true, comment: '无人接听' }, AGENT);
    expect(nobody.statusCode, JSON.stringify(nobody.body)).toBe(202);
    // the follow-up call opens again, with its own deadline from now
    const second = await w.engine.waitForTask(id, 'AwaitAgentFollowUp', { notToken: first.token });
    const reopened = await w.store.get(id);
    // opened again now (one working day, to the close of business), not escalated
    expect(reopened?.pending).toMatchObject({
      step: 'agent_follow_up',
      escalationLevel: 0,
      since: w.clock.now().toISOString(),
    });
    expect(Date.parse(second.deadline ?? '')).toBeGreaterThanOrEqual(Date.parse(first.deadline ?? ''));
    expect(Date.parse(second.deadline ?? '')).toBeGreaterThan(w.clock.now().getTime());
    expect(reopened?.unreachableAttempts).toBe(1);

    w.clock.advance(3600_000); // an hour later, the second call
    const again = await w.post(id, 'survey', { unreachable: true }, AGENT);
    expect(again.statusCode).toBe(202);

    const done = await w.finish(id);
    expect(done.execution.status).toBe('SUCCEEDED');
    expect(done.complaint.stage).toBe('closed');
    expect(done.complaint.outcome).toBe('no_response');
    expect(done.complaint.escalations).toBe(0);
    expect(done.complaint.maxEscalationLevel).toBe(0);
    expect(w.metrics.filter((m) => m.name === 'Escalations' && m.dimensions)).toEqual([]);
    expect(done.states.filter((s) => s === 'PlanAgentFollowUp')).toHaveLength(2);
    // Close sends the closing notice (a call task here) and ends the execution
    expect(done.states.slice(-3)).toEqual(['RecordAgentFollowUp', 'SurveyOutcome', 'CloseNoResponse']);
    expect(done.auditEvents.filter((e) => e.type === 'unreachable').map((e) => e.data)).toEqual([
      { step: 'agent_follow_up', attempt: 1, of: 2 },
      { step: 'agent_follow_up', attempt: 2, of: 2 },
    ]);
    expect(done.complaint.record?.filter((e) => e.kind === 'unreachable')).toEqual([
      expect.objectContaining({
        attempt: 1,
        comment: '无人接听',
        actor: expect.objectContaining({ role: 'agent' }),
      }),
      expect.objectContaining({ attempt: 2 }),
    ]);
    expect(done.emails.at(-1)).toBe('closure');
    expect(done.complaint.survey).toBeUndefined();
  });

  it('an answer after a call that found nobody counts as the survey, and resets the run', async () => {
    const id = await w.start();
    const first = await toAgentFollowUp(id);
    expect((await w.post(id, 'survey', { unreachable: true }, AGENT)).statusCode).toBe(202);
    await w.engine.waitForTask(id, 'AwaitAgentFollowUp', { notToken: first.token });
    expect((await w.post(id, 'survey', { rating: 5, comment: '第二次接通，满意' }, AGENT)).statusCode).toBe(
      202,
    );
    const done = await w.finish(id);
    expect(done.complaint.outcome).toBe('resolved');
    expect(done.complaint.unreachableAttempts).toBe(0);
    expect(done.complaint.survey).toMatchObject({ rating: 5, by: 'staff' });
  });

  it('refuses a rating together with unreachable, a missing rating without it, and unreachable from the customer', async () => {
    const id = await w.start();
    await toAgentFollowUp(id);
    const both = await w.post(id, 'survey', { unreachable: true, rating: 3 }, AGENT);
    expect(both.statusCode).toBe(400);
    expect(both.body.error.details).toEqual([expect.objectContaining({ path: 'rating' })]);
    const neither = await w.post(id, 'survey', { comment: '打过电话' }, AGENT);
    expect(neither.statusCode).toBe(400);
    expect(neither.body.error.details).toEqual([expect.objectContaining({ path: 'rating' })]);
    const notBoolean = await w.post(id, 'survey', { unreachable: 'yes' }, AGENT);
    expect(notBoolean.statusCode).toBe(400);
    // the customer's own route has no such field: without a rating it is refused
    const customer = await w.post(id, 'survey', { unreachable: true }, CUSTOMER);
    expect(customer.statusCode).toBe(400);
    const after = await w.store.get(id);
    expect(after?.pending?.step).toBe('agent_follow_up');
    expect(after?.unreachableAttempts).toBeUndefined();
    // end this journey, so that its timer does not fire in the next test
    expect((await w.post(id, 'survey', { rating: 4 }, AGENT)).statusCode).toBe(202);
    expect((await w.finish(id)).complaint.outcome).toBe('resolved');
  });
});
