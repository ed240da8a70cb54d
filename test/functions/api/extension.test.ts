import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Notifier, setNotifier } from '../../../functions/adapters/ses-notifier.js';
import { setStore } from '../../../functions/adapters/store.js';
import { handler } from '../../../functions/api/extension.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import type { Complaint } from '../../../functions/domain/model.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { captureOutput, givenComplaint, openStep } from './helpers.js';

let store: MemoryComplaintStore;
let output: ReturnType<typeof captureOutput>;
let emails: { template: string; ctx: unknown }[];

const post = (id: string, body: unknown, role = 'supervisor') =>
  invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/staff/complaints/{id}/extension',
      pathParameters: { id },
      body,
      claims: staffClaims(role as 'supervisor', { sub: `${role}-1` }),
    }),
  );

beforeEach(() => {
  store = new MemoryComplaintStore();
  setStore(store);
  setClock(new ManualClock('2026-11-23T03:00:00Z'));
  emails = [];
  setNotifier({
    notify: async (_c: Complaint, template: string, ctx?: unknown) => {
      emails.push({ template, ctx });
      return { sent: true };
    },
  } as unknown as Notifier);
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  setNotifier(undefined);
  setStore(undefined);
  setClock(systemClock);
});

describe('POST /staff/complaints/{id}/extension', () => {
  it('extends the open step in the allowance unit (default profile: working days), tells the customer, records who and why', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'proposal', { dueAt: '2026-11-24T18:00:00+08:00' });
    const res = await post(id, { days: 2, reason: 'Waiting for the carrier report.' }, 'manager');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      target: 'step',
      stepDueAt: '2026-11-26T18:00:00+08:00',
      extensionsUsed: 1,
    });
    const c = (await store.get(id)) as Complaint;
    expect(c.pending?.dueAt).toBe('2026-11-26T18:00:00+08:00');
    expect(c.replyDueBy).toBe('2026-11-30T18:00:00+08:00'); // the reply date did not move
    expect(emails).toEqual([
      { template: 'extension', ctx: expect.objectContaining({ dueAt: '2026-11-26T18:00:00+08:00' }) },
    ]);
    const event = (await store.events(id)).find((e) => e.type === 'extended');
    expect(event?.actor).toMatchObject({ sub: 'manager-1', role: 'manager' });
    expect(event?.data).toMatchObject({
      reason: 'Waiting for the carrier report.',
      amount: 2,
      unit: 'workingDays',
    });
  });

  it("moves the step's own (first) deadline before any escalation; an escalated step stays overdue", async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'proposal', { dueAt: '2026-11-24T18:00:00+08:00' });
    expect((await post(id, { days: 2, reason: 'Carrier report.' })).statusCode).toBe(200);
    expect((await store.get(id))?.pending).toMatchObject({
      dueAt: '2026-11-26T18:00:00+08:00',
      firstDueAt: '2026-11-26T18:00:00+08:00',
    });
    const other = (await givenComplaint(store)).id;
    await openStep(store, other, 'proposal', {
      dueAt: '2026-11-24T18:00:00+08:00',
      firstDueAt: '2026-11-20T18:00:00+08:00',
      escalationLevel: 1,
    });
    expect((await post(other, { days: 2, reason: 'Carrier report.' })).statusCode).toBe(200);
    expect((await store.get(other))?.pending).toMatchObject({
      dueAt: '2026-11-26T18:00:00+08:00',
      firstDueAt: '2026-11-20T18:00:00+08:00',
    });
  });

  it('extends the promised reply date', async () => {
    const { id } = await givenComplaint(store);
    const res = await post(id, { days: 3, target: 'reply', reason: 'Supplier audit.' });
    expect(res.statusCode).toBe(200);
    expect((await store.get(id))?.replyDueBy).toBe('2026-12-03T18:00:00+08:00');
  });

  it.each([
    [{ reason: 'x' }, 'days'],
    [{ days: 0, reason: 'x' }, 'days'],
    [{ days: 1.5, reason: 'x' }, 'days'],
    [{ days: 2 }, 'reason'],
    [{ days: 2, reason: '   ' }, 'reason'],
    [{ days: 2, reason: '\u200b' }, 'reason'],
    [{ days: 2, reason: 'x', unit: 'weeks' }, 'unit'],
    [{ days: 2, reason: 'x', target: 'case' }, 'target'],
  ])('refuses %j with 400 naming %s, and changes nothing', async (body, field) => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'proposal');
    const before = await store.get(id);
    const res = await post(id, body);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await store.get(id)).toEqual(before);
    expect(emails).toEqual([]);
  });

  it('refuses beyond the allowance with 409 and a clear message: too long, another unit, a second time', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'proposal');
    const tooLong = await post(id, { days: 6, reason: 'x' });
    expect(tooLong.statusCode).toBe(409);
    expect(JSON.stringify(tooLong.body)).toContain('at most 5 working days');
    const unit = await post(id, { days: 2, unit: 'calendarDays', reason: 'x' });
    expect(unit.statusCode).toBe(409);
    expect(JSON.stringify(unit.body)).toContain('counted in working days');
    expect((await post(id, { days: 1, reason: 'x' })).statusCode).toBe(200);
    const second = await post(id, { days: 1, reason: 'x' });
    expect(second.statusCode).toBe(409);
    expect(JSON.stringify(second.body)).toContain('allows one extension');
    expect((await store.get(id))?.extensions).toHaveLength(1);
  });

  it("refuses the customer's own steps and a closed complaint with 409", async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'customer_decision');
    expect((await post(id, { days: 1, reason: 'x' })).statusCode).toBe(409);
    const closed = await givenComplaint(store, { stage: 'closed', outcome: 'resolved' });
    expect((await post(closed.id, { days: 1, target: 'reply', reason: 'x' })).statusCode).toBe(409);
  });

  it.each(['agent', 'department', 'analyst'])('refuses the %s role with 403', async (role) => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'proposal');
    const res = await post(id, { days: 1, reason: 'x' }, role);
    expect(res.statusCode).toBe(403);
    expect((await store.get(id))?.extensions).toBeUndefined();
  });

  it('answers 404 for an unknown complaint', async () => {
    expect((await post('C2611-AAAA-AAAA', { days: 1, reason: 'x' })).statusCode).toBe(404);
  });
});
