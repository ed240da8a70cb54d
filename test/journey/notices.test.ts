/**
 * Arrival notices (SPEC "Work finds its people"): when a staff step opens, its owners are
 * emailed at once by the task that opens it, through the real notifier on a fake SES. The
 * department gets a transfer form on routing, the supervisor a plan to review, the named
 * owner instead of the department once they took the complaint. A step waiting again (an
 * escalation, an extension) sends no second notice; a failing email never stops the journey.
 */
import './quiet-logs.js';
import type { SendEmailCommandInput } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../functions/adapters/ses-notifier.js';
import { loadNotificationsConfig } from '../../functions/domain/notifications-config.js';
import { createJourneyWorld, type JourneyWorld } from './harness.js';

let w: JourneyWorld;
const sent: { complaintId: string; input: SendEmailCommandInput }[] = [];
let failSes = false;

beforeAll(async () => {
  const config = loadNotificationsConfig({ configDir: 'config', env: {} });
  w = await createJourneyWorld('notices', {
    notify: (store) => (complaint, template, ctx) =>
      createNotifier({
        store,
        ses: {
          send: (async (command: { input: SendEmailCommandInput }) => {
            if (failSes) throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
            sent.push({ complaintId: complaint.id, input: command.input });
            return { MessageId: `m-${sent.length}` };
          }) as never,
        },
        config,
        metrics: { add: () => undefined },
        logger: { info: () => undefined, warn: () => undefined },
      }).notify(complaint, template, ctx),
  });
});
afterAll(async () => {
  await w?.close();
});

const arrivals = (id: string) =>
  sent
    .filter((s) => s.complaintId === id && s.input.Tags?.[0]?.Value === 'arrival')
    .map((s) => ({
      to: s.input.Destination?.ToAddresses ?? [],
      subject: s.input.Message?.Subject?.Data ?? '',
      text: s.input.Message?.Body?.Text?.Data ?? '',
    }));

describe('arrival notices', () => {
  it('routing sends the department a transfer form with the deadline; review tells the supervisor', async () => {
    const id = await w.start();
    await w.engine.waitForTask(id, 'AwaitInvestigation');
    expect(arrivals(id)).toEqual([]); // investigation is not announced by default
    await w.steps.investigate(id);
    await w.engine.waitForTask(id, 'AwaitProposal');
    const complaint = await w.store.get(id);
    const [form] = arrivals(id);
    expect(form?.to).toEqual(['after-sales@example.com']);
    expect(form?.subject).toContain('客户投诉传递单');
    expect(form?.text).toContain('The parcel came two weeks late.');
    expect(form?.text).not.toContain('customer@example.com');
    expect(form?.text).not.toContain('Test Customer');
    const due = new Date(complaint?.pending?.dueAt ?? '');
    const shanghai = new Date(due.getTime() + 8 * 3_600_000);
    expect(form?.text).toContain(
      `${shanghai.getUTCFullYear()}年${shanghai.getUTCMonth() + 1}月${shanghai.getUTCDate()}日`,
    );
    const events = await w.store.events(id);
    expect(events.filter((e) => e.type === 'notification_sent' && e.data?.template === 'arrival')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ to: 'department', channel: 'email' }) }),
    ]);

    // the proposal misses its deadline: the escalation waits again, no second arrival notice
    await w.miss(id, 'AwaitProposal');
    expect(arrivals(id)).toHaveLength(1);

    await w.steps.propose(id);
    await w.engine.waitForTask(id, 'AwaitReview');
    expect(arrivals(id).map((a) => a.to)).toEqual([
      ['after-sales@example.com'],
      ['after-sales-supervisor@example.com'],
    ]);
  });

  it('a named owner who took the complaint gets the notice instead of the department', async () => {
    const id = await w.start();
    await w.engine.waitForTask(id, 'AwaitInvestigation');
    await w.store.update(id, () => ({
      set: { assignee: { sub: 'u-7', name: 'Wang Wei', email: 'wang.wei@example.com' } },
      event: { type: 'assigned', actor: { kind: 'system' }, data: { assignee: 'u-7', previous: null } },
    }));
    await w.steps.investigate(id);
    await w.engine.waitForTask(id, 'AwaitProposal');
    expect(arrivals(id).map((a) => a.to)).toEqual([['wang.wei@example.com']]);
    expect(arrivals(id)[0]?.text).toContain('现传递至您处理');
  });

  it('a failing email is recorded and the journey goes on', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    failSes = true;
    try {
      await w.engine.waitForTask(id, 'AwaitProposal');
      const failed = async () =>
        (await w.store.events(id)).filter(
          (e) => e.type === 'notification_failed' && e.data?.template === 'arrival',
        ).length;
      for (let i = 0; i < 100 && (await failed()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await failed()).toBe(1);
    } finally {
      failSes = false;
    }
    await w.steps.propose(id);
    await w.engine.waitForTask(id, 'AwaitReview');
    expect(arrivals(id).map((a) => a.to)).toEqual([['after-sales-supervisor@example.com']]);
  });
});
