/**
 * Deadlines under the complaint's profile (issue 12): a `regulator` complaint under the
 * `banking` profile with an extension (延期), and a 24-hour initial investigation (an
 * hours-unit profile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Notifier, setNotifier } from '../../functions/adapters/ses-notifier.js';
import type { Complaint } from '../../functions/domain/model.js';
import { DEFAULT_POLICY, parsePolicy, setPolicy } from '../../functions/domain/policy.js';
import { customerView } from '../../functions/domain/views.js';
import { apiEvent, invoke, staffClaims } from '../support/api-events.js';
import { createJourneyWorld, type JourneyWorld } from './harness.js';

const sent: { id: string; template: string; ctx: unknown }[] = [];
const capture: Notifier = {
  notify: async (complaint: Complaint, template: string, ctx?: unknown) => {
    sent.push({ id: complaint.id, template, ctx });
    return { sent: true };
  },
} as unknown as Notifier;

// the default policy plus a profile whose initial investigation is due within 24 hours
const policy = parsePolicy({
  ...DEFAULT_POLICY,
  profiles: [
    ...DEFAULT_POLICY.profiles,
    {
      name: 'urgent24',
      match: { categories: ['product'] },
      steps: { investigation: { amount: 24, unit: 'hours' } },
    },
  ],
});

let w: JourneyWorld;
let extension: Awaited<typeof import('../../functions/api/extension.js')>['handler'];
beforeAll(async () => {
  setPolicy(policy);
  setNotifier(capture);
  w = await createJourneyWorld('deadlines');
  extension = (await import('../../functions/api/extension.js')).handler;
});
afterAll(async () => {
  setNotifier(undefined);
  setPolicy(undefined);
  await w?.close();
});

const extend = (id: string, body: unknown, role = 'supervisor') =>
  invoke(
    extension,
    apiEvent({
      method: 'POST',
      route: '/staff/complaints/{id}/extension',
      pathParameters: { id },
      body,
      claims: staffClaims(role as 'supervisor', { sub: `${role}-7` }),
    }),
  );

describe('a regulator complaint under the banking profile, extended', () => {
  it('promises a reply in 15 calendar days, extends the investigation, and escalates only after the new deadline', async () => {
    // Monday 23 Nov 2026 10:00 (+08): day 15 is Tuesday 8 Dec, due at close of business
    const id = await w.start({ channel: 'regulator', profile: 'banking' });
    const before = await w.store.get(id);
    expect(before?.replyDueBy).toBe('2026-12-08T18:00:00+08:00');
    const first = await w.engine.waitForTask(id, 'AwaitInvestigation');
    expect(Date.parse(first.deadline ?? '')).toBe(Date.parse('2026-11-24T18:00:00+08:00'));

    const res = await extend(id, {
      days: 10,
      reason: 'We need the transaction records from the partner bank.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      target: 'step',
      stepDueAt: '2026-12-04T18:00:00+08:00',
      extensionsUsed: 1,
    });

    // the customer is told the new date and the reason
    const email = sent.find((e) => e.id === id && e.template === 'extension');
    expect(email?.ctx).toMatchObject({ dueAt: '2026-12-04T18:00:00+08:00' });
    const complaint = (await w.store.get(id)) as Complaint;
    const view = customerView(complaint, await w.store.events(id));
    expect(view.extension).toEqual({
      dueAt: '2026-12-04T18:00:00+08:00',
      reason: 'We need the transaction records from the partner bank.',
      at: expect.any(String),
    });
    expect(view.timeline.map((e) => e.event)).toContain('extended');
    // the history: who, when, why
    const extended = (await w.store.events(id)).find((e) => e.type === 'extended');
    expect(extended?.actor).toMatchObject({ kind: 'staff', sub: 'supervisor-7', role: 'supervisor' });
    expect(extended?.data).toMatchObject({
      reason: 'We need the transaction records from the partner bank.',
    });

    // one extension only under banking
    const again = await extend(id, { days: 1, reason: 'More time.' });
    expect(again.statusCode).toBe(409);
    expect(JSON.stringify(again.body)).toContain('allows one extension');

    // the old deadline passes: the journey waits again, for the rest, without escalating
    const rewait = await w.miss(id, 'AwaitInvestigation');
    expect(Date.parse(rewait.deadline ?? '')).toBe(Date.parse('2026-12-04T18:00:00+08:00'));
    let now = (await w.store.get(id)) as Complaint;
    expect(now.escalations).toBe(0);
    expect(now.pending?.dueAt).toBe('2026-12-04T18:00:00+08:00');
    expect((await w.store.events(id)).some((e) => e.type === 'escalated')).toBe(false);

    // the extended deadline passes: now it escalates
    await w.miss(id, 'AwaitInvestigation');
    now = (await w.store.get(id)) as Complaint;
    expect(now.escalations).toBe(1);
    const escalated = (await w.store.events(id)).find((e) => e.type === 'escalated');
    expect(escalated?.data).toMatchObject({
      step: 'investigation',
      level: 1,
      missedDueAt: '2026-12-04T18:00:00+08:00',
    });
  });
});

describe('a letter registered after it arrived (receivedAt)', () => {
  it('counts the reply date and the investigation from the receipt, later steps from when they open', async () => {
    // registered Monday 23 Nov 2026 10:00 (+08); the letter arrived Friday 20 Nov 15:00
    w.clock.set('2026-11-23T02:00:00.000Z');
    const id = await w.start({ staff: true, channel: 'letter', receivedAt: '2026-11-20T15:00:00+08:00' });
    const complaint = (await w.store.get(id)) as Complaint;
    expect(complaint.receivedAt).toBe('2026-11-20T07:00:00.000Z');
    // 5 working days from Friday: Friday 27 Nov (from Monday it would be Monday 30 Nov)
    expect(Date.parse(complaint.replyDueBy)).toBe(Date.parse('2026-11-27T18:00:00+08:00'));
    // 1 working day from Friday 15:00: Monday 18:00 (from Monday 10:00 it would be Tuesday)
    const task = await w.engine.waitForTask(id, 'AwaitInvestigation');
    expect(Date.parse(task.deadline ?? '')).toBe(Date.parse('2026-11-23T18:00:00+08:00'));
    expect(Date.parse((await w.store.get(id))?.pending?.dueAt ?? '')).toBe(
      Date.parse('2026-11-23T18:00:00+08:00'),
    );
  });

  it('escalates at once when the receipt makes the first deadline already missed', async () => {
    // the letter arrived Tuesday 17 Nov: its investigation was due Wednesday 18 Nov 18:00
    w.clock.set('2026-11-23T02:00:00.000Z');
    const id = await w.start({ staff: true, channel: 'letter', receivedAt: '2026-11-17T09:00:00+08:00' });
    await w.engine.waitForTask(id, 'AwaitInvestigation');
    expect(Date.parse((await w.store.get(id))?.pending?.dueAt ?? '')).toBe(
      Date.parse('2026-11-18T18:00:00+08:00'),
    );
    await w.miss(id, 'AwaitInvestigation');
    const complaint = (await w.store.get(id)) as Complaint;
    expect(complaint.escalations).toBe(1);
    expect(complaint.pending?.escalationLevel).toBe(1);
    // the new deadline counts from now: one working day after Monday
    expect(Date.parse(complaint.pending?.dueAt ?? '')).toBe(Date.parse('2026-11-24T18:00:00+08:00'));
  });
});

describe('a 24-hour initial investigation (hours)', () => {
  it('is due 24 natural hours after receipt, across a holiday, and escalates then', async () => {
    // Wednesday 30 Sep 2026 19:30 (+08), the eve of National Day: working days would give 9 Oct
    w.clock.set('2026-09-30T11:30:00.000Z');
    const id = await w.start({ profile: 'urgent24' });
    const task = await w.engine.waitForTask(id, 'AwaitInvestigation');
    expect(Date.parse(task.deadline ?? '')).toBe(Date.parse('2026-10-01T19:30:00+08:00'));
    await w.miss(id, 'AwaitInvestigation');
    const complaint = (await w.store.get(id)) as Complaint;
    expect(complaint.escalations).toBe(1);
    expect(complaint.pending?.escalationLevel).toBe(1);
  });
});
