import {
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setStore } from '../../../functions/adapters/store.js';
import { handler } from '../../../functions/api/staff-action.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import { WrongStageError } from '../../../functions/domain/errors.js';
import type { Step } from '../../../functions/domain/model.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
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
  clockAt: '2026-11-23T03:00:00Z',
  each: (world, sfn) => {
    ({ store, output } = world);
    sfn.on(SendTaskSuccessCommand).resolves({});
  },
});

const action = (id: string, name: string, body: unknown, claims?: Record<string, unknown>) =>
  apiEvent({
    method: 'POST',
    route: `/staff/complaints/{id}/${name}`,
    pathParameters: { id },
    body,
    ...(claims ? { claims } : {}),
  });

const investigation = {
  valid: true,
  category: 'delivery',
  severity: 'general',
  department: 'logistics',
  findings: 'Carrier lost the parcel.',
};

describe('resuming a step', () => {
  it('claims the step and sends the task output with the stored token (investigation by an agent)', async () => {
    const { id } = await givenComplaint(store);
    const pending = await openStep(store, id, 'investigation');
    const claims = staffClaims('agent', { sub: 'agent-9', department: 'customer-service' });

    const res = await invoke(handler, action(id, 'investigation', investigation, claims));

    expect(res.statusCode).toBe(202);
    expect(res.body).toEqual({ id, stage: 'investigation', accepted: true });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const sent = sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(sent?.taskToken).toBe(pending.taskToken);
    expect(JSON.parse(sent?.output ?? '')).toEqual({
      action: 'investigation',
      data: investigation,
      actor: { kind: 'staff', sub: 'agent-9', role: 'agent', department: 'customer-service' },
      at: '2026-11-23T03:00:00.000Z',
    });
    // the claim holds until the journey's Record task persists the action
    expect((await store.get(id))?.pending?.claimedBy).toEqual(expect.any(String));
  });

  it.each<[string, Step, Record<string, unknown>, Record<string, unknown>, string]>([
    [
      'proposal',
      'proposal',
      { plan: 'Refund and a voucher.' },
      staffClaims('department', { department: 'logistics' }),
      'proposal',
    ],
    ['review', 'review', { approved: true }, staffClaims('supervisor'), 'review'],
    [
      'review',
      'review',
      { approved: false, comment: 'Add the voucher value.' },
      staffClaims('manager'),
      'review',
    ],
    [
      'decision',
      'customer_decision',
      { accept: false, comment: 'Too little.' },
      staffClaims('agent'),
      'customer_decision',
    ],
    ['survey', 'follow_up', { rating: 5 }, staffClaims('agent'), 'follow_up'],
    ['survey', 'agent_follow_up', { rating: 2, comment: 'by phone' }, staffClaims('manager'), 'follow_up'],
    [
      'survey',
      'agent_follow_up',
      { unreachable: true, comment: '无人接听' },
      staffClaims('agent'),
      'follow_up',
    ],
    [
      'implementation',
      'implementation',
      { result: 'Refunded.', basis: 'Policy 3.2' },
      staffClaims('department', { department: 'logistics' }),
      'implementation',
    ],
  ])('accepts %s at step %s', async (name, step, body, claims, stage) => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    const pending = await openStep(store, id, step);
    const res = await invoke(handler, action(id, name, body, claims));
    expect(res.statusCode).toBe(202);
    expect(res.body).toEqual({ id, stage, accepted: true });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: pending.taskToken });
    const output = JSON.parse(sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '');
    expect(output).toMatchObject({ action: name, data: body });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out: arn:aws:states:…', $metadata: {} })],
    ['InvalidToken', new InvalidToken({ message: 'Invalid token', $metadata: {} })],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'Task does not exist anymore', $metadata: {} })],
  ])('answers 409 and releases the claim when Step Functions says %s', async (name, error) => {
    sfnMock.on(SendTaskSuccessCommand).rejects(error);
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');

    const res = await invoke(handler, action(id, 'investigation', investigation, staffClaims('agent')));

    expect(res.statusCode).toBe(409);
    expect(res.body.error).toEqual({
      code: 'step_stale',
      message:
        'This step was escalated or already taken in the meantime. Reload the complaint and try again.',
    });
    const after = await store.get(id);
    expect(after?.pending?.claimedBy).toBeUndefined();
    const events = await store.events(id);
    expect(events.at(-1)).toMatchObject({ type: 'action_refused', data: { reason: `stale_token:${name}` } });
    // the step can be taken again
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    expect(
      (await invoke(handler, action(id, 'investigation', investigation, staffClaims('agent')))).statusCode,
    ).toBe(202);
  });

  it('answers 429 on throttling and releases the claim', async () => {
    sfnMock
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    const res = await invoke(handler, action(id, 'investigation', investigation, staffClaims('agent')));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect((await store.get(id))?.pending?.claimedBy).toBeUndefined();
  });

  it('answers 500 (generic) on an unknown failure and releases the claim', async () => {
    sfnMock.on(SendTaskSuccessCommand).rejects(new Error('socket hang up near task-token-abc'));
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    const res = await invoke(handler, action(id, 'investigation', investigation, staffClaims('agent')));
    expect(res.statusCode).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('socket');
    expect((await store.get(id))?.pending?.claimedBy).toBeUndefined();
    expect(output.text()).not.toContain('task-token');
  });

  it('lets only one of two simultaneous actions on the same step through', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'review');
    const [a, b] = await Promise.all([
      invoke(handler, action(id, 'review', { approved: true }, staffClaims('supervisor'))),
      invoke(handler, action(id, 'review', { approved: false, comment: 'No.' }, staffClaims('manager'))),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([202, 409]);
    const refused = a.statusCode === 409 ? a : b;
    expect(refused.body.error.code).toBe('step_taken');
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });
});

describe('refusals', () => {
  it('answers 409 wrong_stage, in words, when the complaint waits for another step', async () => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    await openStep(store, id, 'review');
    const res = await invoke(handler, action(id, 'proposal', { plan: 'p' }, staffClaims('supervisor')));
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('wrong_stage');
    expect(res.body.error.message).toBe(
      'This complaint is not waiting for a proposal: it is at stage "review", and a proposal belongs to stage "proposal". Reload the complaint.',
    );
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
    expect((await store.get(id))?.pending?.claimedBy).toBeUndefined();
  });

  it('answers 409 in words when the step moves on between the check and the claim', async () => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    await openStep(store, id, 'review');
    store.claimStep = async () => {
      throw new WrongStageError('This complaint is waiting for customer_decision, not review.');
    };
    const res = await invoke(handler, action(id, 'review', { approved: true }, staffClaims('supervisor')));
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toEqual({
      code: 'wrong_stage',
      message:
        'This complaint is no longer waiting for a review of the proposal: it moved on in the meantime. Reload the complaint.',
    });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });

  it('answers 409 for a closed complaint', async () => {
    const { id } = await givenComplaint(store, { stage: 'closed', outcome: 'resolved' });
    const res = await invoke(handler, action(id, 'survey', { rating: 4 }, staffClaims('agent')));
    expect(res.statusCode).toBe(409);
    expect(res.body.error.message).toMatch(/closed/);
  });

  it('answers 409 when no step is open yet', async () => {
    const { id } = await givenComplaint(store);
    const res = await invoke(handler, action(id, 'investigation', investigation, staffClaims('agent')));
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('wrong_stage');
  });

  it.each<[string, Record<string, unknown>, Step]>([
    ['review', staffClaims('agent'), 'review'],
    ['investigation', staffClaims('department', { department: 'logistics' }), 'investigation'],
    ['proposal', staffClaims('agent'), 'proposal'],
    ['decision', staffClaims('supervisor'), 'customer_decision'],
    ['implementation', staffClaims('analyst'), 'implementation'],
    ['survey', staffClaims('department', { department: 'logistics' }), 'follow_up'],
  ])('refuses %s for a role that may not take it (403)', async (name, claims, step) => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    await openStep(store, id, step);
    const res = await invoke(handler, action(id, name, name === 'survey' ? { rating: 3 } : {}, claims));
    expect(res.statusCode).toBe(403);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });

  it("answers a department acting on another department's complaint like an unknown id (404)", async () => {
    const { id } = await givenComplaint(store, { department: 'billing' });
    await openStep(store, id, 'proposal');
    const res = await invoke(
      handler,
      action(id, 'proposal', { plan: 'p' }, staffClaims('department', { department: 'logistics' })),
    );
    const unknown = await invoke(
      handler,
      action(
        'C2611-0000-0000',
        'proposal',
        { plan: 'p' },
        staffClaims('department', { department: 'logistics' }),
      ),
    );
    expect(res.statusCode).toBe(404);
    expect(res.body).toEqual(unknown.body);
  });

  it('refuses the department role without a department claim (403)', async () => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    await openStep(store, id, 'proposal');
    const res = await invoke(handler, action(id, 'proposal', { plan: 'p' }, staffClaims('department')));
    expect(res.statusCode).toBe(403);
  });

  it('answers 401 without a staff identity', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    const res = await invoke(handler, action(id, 'investigation', investigation));
    expect(res.statusCode).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('validates the body, naming every bad field, before touching the step', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    const res = await invoke(
      handler,
      action(
        id,
        'investigation',
        { valid: 'yes', category: 'weather', severity: 'huge', department: 'hr', findings: '' },
        staffClaims('agent'),
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['category', 'department', 'findings', 'severity', 'valid'].sort(),
    );
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
    expect((await store.get(id))?.pending?.claimedBy).toBeUndefined();
  });

  it.each([
    [{ unreachable: true, rating: 3 }, 'rating'],
    [{ comment: 'called' }, 'rating'],
    [{ unreachable: 'yes' }, 'unreachable'],
  ])('refuses the follow-up call body %j (400 on %s) and sends nothing', async (body, path) => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'agent_follow_up');
    const res = await invoke(handler, action(id, 'survey', body, staffClaims('agent')));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
    expect((await store.get(id))?.pending?.claimedBy).toBeUndefined();
  });

  it('requires the responsible department when the complaint is valid, not when it is not', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    const { department: _d, ...noDepartment } = investigation;
    const refused = await invoke(handler, action(id, 'investigation', noDepartment, staffClaims('agent')));
    expect(refused.statusCode).toBe(400);
    expect(refused.body.error.details).toEqual([
      { path: 'department', code: 'required', message: expect.stringMatching(/^Required/) },
    ]);
    const rejected = await invoke(
      handler,
      action(id, 'investigation', { ...noDepartment, valid: false }, staffClaims('agent')),
    );
    expect(rejected.statusCode).toBe(202);
  });

  it('takes an optional opinion for the customer (at most 2,000 characters) with the investigation', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    const { department: _d, ...base } = investigation;
    const notValid = { ...base, valid: false, opinion: 'x'.repeat(2001) };
    const refused = await invoke(handler, action(id, 'investigation', notValid, staffClaims('agent')));
    expect(refused.statusCode).toBe(400);
    expect(refused.body.error.details).toEqual([
      { path: 'opinion', code: 'too_big', message: 'At most 2,000 characters.' },
    ]);
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);

    const opinion = ' The parcel was signed for by you on 8 October. ';
    const res = await invoke(
      handler,
      action(id, 'investigation', { ...notValid, opinion }, staffClaims('agent')),
    );
    expect(res.statusCode).toBe(202);
    const sent = JSON.parse(sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '');
    expect(sent.data).toEqual({ ...base, valid: false, opinion: opinion.trim() });
  });

  it.each<[string, Step, Record<string, unknown>, Record<string, unknown>, string]>([
    [
      'investigation',
      'investigation',
      { ...investigation, findings: 'x\ud800y' },
      staffClaims('agent'),
      'findings',
    ],
    [
      'investigation',
      'investigation',
      { ...investigation, valid: false, opinion: 'Signed for\u0000' },
      staffClaims('agent'),
      'opinion',
    ],
    ['proposal', 'proposal', { plan: '\u200b\u2060\ufeff' }, staffClaims('manager'), 'plan'],
    ['review', 'review', { approved: false, comment: '\u200b\u200c' }, staffClaims('supervisor'), 'comment'],
    ['review', 'review', { approved: true, comment: 'ok\udfff' }, staffClaims('supervisor'), 'comment'],
    [
      'decision',
      'customer_decision',
      { accept: false, comment: 'no\u001b' },
      staffClaims('agent'),
      'comment',
    ],
    ['survey', 'agent_follow_up', { rating: 3, comment: '\ud83d' }, staffClaims('agent'), 'comment'],
    [
      'implementation',
      'implementation',
      { result: 'Refunded.', basis: '\u3164', suggestions: 'x' },
      staffClaims('manager'),
      'basis',
    ],
    [
      'implementation',
      'implementation',
      { result: 'Refunded.', basis: 'Policy 3.2', suggestions: 'Check\u0007' },
      staffClaims('manager'),
      'suggestions',
    ],
  ])(
    'refuses undeliverable text in a %s at step %s, naming the field, before touching the step',
    async (name, step, body, claims, field) => {
      const { id } = await givenComplaint(store, { department: 'logistics' });
      await openStep(store, id, step);
      const res = await invoke(handler, action(id, name, body, claims));
      expect(res.statusCode).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual([
        { path: field, code: expect.any(String), message: expect.any(String) },
      ]);
      expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
      expect((await store.get(id))?.pending?.claimedBy).toBeUndefined();
    },
  );

  it('requires a comment to return a plan and to decline', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'review');
    const res = await invoke(handler, action(id, 'review', { approved: false }, staffClaims('supervisor')));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'comment', code: 'required', message: expect.any(String) },
    ]);
  });

  it.each([['C2611-AAAA-BBBB'], ['not-an-id']])('answers 404 for unknown or malformed id %s', async (id) => {
    const res = await invoke(handler, action(id, 'investigation', investigation, staffClaims('agent')));
    expect(res.statusCode).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
