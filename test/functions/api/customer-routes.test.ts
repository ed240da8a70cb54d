import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setStore } from '../../../functions/adapters/store.js';
import { handler as customerAction } from '../../../functions/api/customer-action.js';
import { handler as getComplaint } from '../../../functions/api/get-complaint.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import { WrongStageError } from '../../../functions/domain/errors.js';
import type { Actor } from '../../../functions/domain/model.js';
import { apiEvent, invoke } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import {
  type captureOutput,
  givenComplaint,
  openStep,
  STATE_MACHINE_ARN,
  useApiTestWorld,
} from './helpers.js';

let store: MemoryComplaintStore;
let output: ReturnType<typeof captureOutput>;
const sfnMock = useApiTestWorld({
  store: () => new MemoryComplaintStore(),
  clockAt: '2026-11-25T03:00:00Z',
  each: (world, sfn) => {
    ({ store, output } = world);
    sfn.on(SendTaskSuccessCommand).resolves({});
  },
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const getEvent = (id: string, headers: Record<string, string> = {}) =>
  apiEvent({ method: 'GET', route: '/complaints/{id}', pathParameters: { id }, headers });
const actionEvent = (
  id: string,
  name: 'decision' | 'survey',
  body: unknown,
  headers: Record<string, string> = {},
) => apiEvent({ method: 'POST', route: `/complaints/{id}/${name}`, pathParameters: { id }, body, headers });

const staff: Actor = {
  kind: 'staff',
  sub: 'supervisor-secret-sub',
  role: 'supervisor',
  name: 'Supervisor Zhou',
};

/** A complaint deep in its journey: investigated, a plan approved, waiting for the customer. */
async function complaintAwaitingDecision(approved = true) {
  const given = await givenComplaint(store, {
    department: 'logistics',
    category: 'delivery',
    severity: 'general',
    firstResponseAt: '2026-11-24T09:00:00+08:00',
    investigation: {
      valid: true,
      category: 'delivery',
      severity: 'general',
      department: 'logistics',
      findings: 'INTERNAL-FINDINGS: courier mis-scanned the parcel',
    },
    proposal: {
      plan: 'Full refund within 3 days.',
      round: 1,
      proposedAt: '2026-11-24T10:00:00+08:00',
      ...(approved ? { approvedAt: '2026-11-24T15:00:00+08:00' } : {}),
    },
    proposalRounds: 1,
  });
  for (const [type, actor] of [
    ['investigated', staff],
    ['proposed', staff],
    ['escalated', { kind: 'system' }],
    ['approved', staff],
  ] as const) {
    await store.update(given.id, () => ({
      set: {},
      event: { type, actor: actor as Actor, data: { note: 'INTERNAL-NOTE' } },
    }));
  }
  await openStep(store, given.id, approved ? 'customer_decision' : 'review', {
    dueAt: '2026-12-01T18:00:00+08:00',
  });
  return given;
}

describe('GET /complaints/{id}', () => {
  it('shows the customer their complaint: status, dates, safe timeline, the approved proposal', async () => {
    const { id, token } = await complaintAwaitingDecision();
    const res = await invoke(getComplaint, getEvent(id, bearer(token)));

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      id,
      status: 'open',
      stage: 'customer_decision',
      createdAt: '2026-11-23T10:00:00+08:00',
      replyDueBy: '2026-11-30T18:00:00+08:00',
      firstResponseAt: '2026-11-24T09:00:00+08:00',
      awaiting: { action: 'decision', dueAt: '2026-12-01T18:00:00+08:00' },
      proposal: { plan: 'Full refund within 3 days.', round: 1, approvedAt: '2026-11-24T15:00:00+08:00' },
    });
    expect(res.body.timeline.map((e: { event: string }) => e.event)).toEqual([
      'received',
      'investigated',
      'proposal_ready',
    ]);
    const text = JSON.stringify(res.body);
    for (const secret of [
      'INTERNAL',
      'supervisor-secret-sub',
      'Supervisor Zhou',
      'task-token',
      'claimedBy',
      'findings',
      'escalat',
      'li.si@example.com',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('does not show a proposal that is not approved yet', async () => {
    const { id, token } = await complaintAwaitingDecision(false);
    const res = await invoke(getComplaint, getEvent(id, bearer(token)));
    expect(res.statusCode).toBe(200);
    expect(res.body.proposal).toBeUndefined();
    expect(res.body.awaiting).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('Full refund');
  });

  it('asks for the survey while the follow-up waits', async () => {
    const { id, token } = await givenComplaint(store, {
      implementation: { result: 'Refunded', basis: 'Policy 3.2', suggestions: 'Track parcels online' },
    });
    await openStep(store, id, 'follow_up', { dueAt: '2026-12-02T18:00:00+08:00' });
    const res = await invoke(getComplaint, getEvent(id, bearer(token)));
    expect(res.body.awaiting).toEqual({ action: 'survey', dueAt: '2026-12-02T18:00:00+08:00' });
    expect(res.body.result).toEqual({
      result: 'Refunded',
      basis: 'Policy 3.2',
      suggestions: 'Track parcels online',
    });
  });

  it('answers the same 404 for an unknown id, a wrong token, no token and a malformed id', async () => {
    const { id, token } = await givenComplaint(store);
    const other = await givenComplaint(store);
    const answers = await Promise.all([
      invoke(getComplaint, getEvent('C2611-0000-0000', bearer(token))),
      invoke(getComplaint, getEvent(id, bearer('x'.repeat(43)))),
      invoke(getComplaint, getEvent(id, bearer(other.token))),
      invoke(getComplaint, getEvent(id)),
      invoke(getComplaint, getEvent(id, { authorization: token })),
      invoke(getComplaint, getEvent('../../etc/passwd', bearer(token))),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(404);
      expect(res.body).toEqual(answers[0]?.body);
      expect(res.headers).toEqual(answers[0]?.headers);
    }
    expect(answers[0]?.body).toEqual({
      error: { code: 'not_found', message: 'No complaint with this id was found.' },
    });
  });

  it('accepts a token minted later (each email carries a fresh one)', async () => {
    const { id } = await givenComplaint(store);
    const { newAccessToken } = await import('../../../functions/runtime/access.js');
    const fresh = newAccessToken();
    await store.addAccessToken(id, fresh.hash);
    expect((await invoke(getComplaint, getEvent(id, bearer(fresh.token)))).statusCode).toBe(200);
  });
});

describe('POST /complaints/{id}/decision and /survey', () => {
  it('resumes the decision step with the customer as actor', async () => {
    const { id, token } = await complaintAwaitingDecision();
    const res = await invoke(customerAction, actionEvent(id, 'decision', { accept: true }, bearer(token)));
    expect(res.statusCode).toBe(202);
    expect(res.body).toEqual({ id, stage: 'customer_decision', accepted: true });
    const output = JSON.parse(sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '');
    expect(output).toEqual({
      action: 'decision',
      data: { accept: true },
      actor: { kind: 'customer' },
      at: expect.any(String),
    });
  });

  it('needs a reason to decline', async () => {
    const { id, token } = await complaintAwaitingDecision();
    const res = await invoke(
      customerAction,
      actionEvent(id, 'decision', { accept: false, comment: '  ' }, bearer(token)),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'comment', code: 'required', message: expect.stringMatching(/^Required when declining/) },
    ]);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });

  it('takes the survey answer, also late when the agent follow-up has opened', async () => {
    for (const step of ['follow_up', 'agent_follow_up'] as const) {
      const { id, token } = await givenComplaint(store);
      const pending = await openStep(store, id, step);
      const res = await invoke(
        customerAction,
        actionEvent(id, 'survey', { rating: 5, comment: '很好' }, bearer(token)),
      );
      expect(res.statusCode).toBe(202);
      expect(res.body).toEqual({ id, stage: 'follow_up', accepted: true });
      expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: pending.taskToken });
    }
  });

  it('refuses a rating outside 1..5', async () => {
    const { id, token } = await givenComplaint(store);
    await openStep(store, id, 'follow_up');
    for (const rating of [0, 6, 3.5, '4', null]) {
      const res = await invoke(customerAction, actionEvent(id, 'survey', { rating }, bearer(token)));
      expect(res.statusCode).toBe(400);
      expect(res.body.error.details[0].path).toBe('rating');
    }
  });

  it('answers 409 in words when the complaint is not waiting for this answer', async () => {
    const { id, token } = await complaintAwaitingDecision(false);
    const res = await invoke(customerAction, actionEvent(id, 'decision', { accept: true }, bearer(token)));
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toEqual({
      code: 'wrong_stage',
      message: 'This complaint is not waiting for your decision on a proposal.',
    });
    const survey = await invoke(customerAction, actionEvent(id, 'survey', { rating: 4 }, bearer(token)));
    expect(survey.body.error.message).toBe('This complaint is not waiting for your feedback.');
  });

  it('answers 409 in words when the step moves on between the check and the claim', async () => {
    const { id, token } = await complaintAwaitingDecision();
    // the journey (or another answer) got there first: the store no longer finds the step
    store.claimStep = async () => {
      throw new WrongStageError('This complaint is waiting for implementation, not customer_decision.');
    };
    const res = await invoke(customerAction, actionEvent(id, 'decision', { accept: true }, bearer(token)));
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toEqual({
      code: 'wrong_stage',
      message: 'This complaint is not waiting for your decision on a proposal.',
    });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });

  it('answers 409 when the decision timed out meanwhile, releasing the claim', async () => {
    sfnMock.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    const { id, token } = await complaintAwaitingDecision();
    const res = await invoke(customerAction, actionEvent(id, 'decision', { accept: true }, bearer(token)));
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('step_stale');
    expect((await store.get(id))?.pending?.claimedBy).toBeUndefined();
  });

  it('answers an unknown id and a wrong token alike: status, body and headers', async () => {
    const { id, token } = await complaintAwaitingDecision();
    const answers = await Promise.all([
      invoke(customerAction, actionEvent('C2611-0000-0000', 'decision', { accept: true }, bearer(token))),
      invoke(customerAction, actionEvent(id, 'decision', { accept: true }, bearer('y'.repeat(43)))),
      invoke(customerAction, actionEvent(id, 'survey', { rating: 5 })),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(404);
      expect(res.body).toEqual(answers[0]?.body);
      expect(res.headers).toEqual(answers[0]?.headers);
    }
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });

  it('answers 404 without the right token, before looking at the body', async () => {
    const { id } = await complaintAwaitingDecision();
    const res = await invoke(
      customerAction,
      actionEvent(id, 'decision', { accept: 'maybe' }, bearer('wrong')),
    );
    expect(res.statusCode).toBe(404);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });
});
