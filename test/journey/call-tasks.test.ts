/**
 * A customer without an email address (phone only, registered by an agent): every notice the
 * journey would have emailed becomes a call task in the agents' queue with the email's text;
 * the agent logs each call (POST /staff/complaints/{id}/notes with callTask), which completes
 * it, and records the customer's answers on their behalf (decision, survey) as staff.
 */
import './quiet-logs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../functions/adapters/ses-notifier.js';
import { handler as callTasksHandler } from '../../functions/api/staff-call-tasks.js';
import { handler as addNote } from '../../functions/api/staff-notes.js';
import type { CallTaskQueueItem } from '../../functions/domain/call-tasks.js';
import { loadNotificationsConfig } from '../../functions/domain/notifications-config.js';
import { apiEvent, invoke, staffClaims } from '../support/api-events.js';
import { AGENT, createJourneyWorld, type JourneyWorld } from './harness.js';

let w: JourneyWorld;
/** the templates that reached SES (staff emails only, for this customer) */
const sent: string[] = [];

beforeAll(async () => {
  const config = loadNotificationsConfig({ configDir: 'config', env: {} });
  w = await createJourneyWorld('call-tasks', {
    notify: (store) => (complaint, template, ctx) =>
      createNotifier({
        store,
        ses: {
          send: async (command: { input: { Tags?: { Value?: string }[] } }) => {
            sent.push(command.input.Tags?.[0]?.Value ?? '?');
            return { MessageId: `m-${sent.length}` };
          },
        } as never,
        config,
        metrics: { add: () => undefined },
        logger: { info: () => undefined, warn: () => undefined },
      }).notify(complaint, template, ctx),
  });
});

afterAll(async () => {
  await w?.close();
});

/** The agents' queue, as an agent reads it, for one complaint. */
async function queueOf(id: string): Promise<CallTaskQueueItem[]> {
  const res = await invoke(
    callTasksHandler,
    apiEvent({
      method: 'GET',
      route: '/staff/call-tasks',
      query: { limit: '100' },
      claims: staffClaims('agent'),
    }),
  );
  expect(res.statusCode).toBe(200);
  return (res.body.items as CallTaskQueueItem[]).filter((t) => t.complaintId === id);
}

/** Waits (bounded) until the complaint's queue holds a task of `template`; returns it. */
async function waitForTask(id: string, template: string): Promise<CallTaskQueueItem> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const task = (await queueOf(id)).find((t) => t.template === template);
    if (task) return task;
    if (Date.now() > deadline) throw new Error(`no ${template} call task for ${id}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The agent logs the call of `task`: 201, and the task leaves the queue. */
async function logCall(task: CallTaskQueueItem, text: string) {
  const res = await invoke(
    addNote,
    apiEvent({
      method: 'POST',
      route: '/staff/complaints/{id}/notes',
      pathParameters: { id: task.complaintId },
      body: { kind: 'call', callTask: task.taskId, text },
      claims: staffClaims('agent', { sub: AGENT.kind === 'staff' ? AGENT.sub : 'agent-1' }),
    }),
  );
  expect(res.statusCode, JSON.stringify(res.body)).toBe(201);
  expect((await queueOf(task.complaintId)).map((t) => t.taskId)).not.toContain(task.taskId);
}

describe('a phone-only customer', () => {
  it("gets every notice as a call task; logging the calls completes them; the agent records the customer's answers", async () => {
    const id = await w.start({
      staff: true,
      customer: { name: '王强', phone: '+86 139 0013 9000', language: 'zh-CN' },
    });

    const ack = await waitForTask(id, 'acknowledgement');
    expect(ack).toMatchObject({ customerName: '王强', phone: '+86 139 0013 9000', language: 'zh-CN' });
    expect(ack.text).toContain(id); // the reference, in the email's own words
    await logCall(ack, '已电话告知客户投诉已受理及答复期限。');

    await w.steps.investigate(id);
    await w.steps.propose(id);
    await w.steps.review(id);
    const proposal = await waitForTask(id, 'proposal');
    expect(proposal.text).toContain('Refund the shipping fee.');
    expect(proposal.dueAt).toBeDefined();
    await logCall(proposal, '已电话说明处理方案，客户同意。');
    // the customer's answer, recorded by the agent on the existing decision step
    await w.act(id, 'AwaitCustomerDecision', ['customer_decision'], 'decision', { accept: true }, AGENT);

    await w.steps.implement(id);
    const result = await waitForTask(id, 'result');
    expect(result.text).toContain('Refunded.');
    await logCall(result, '已电话告知处理结果。');

    const survey = await waitForTask(id, 'survey_request');
    await logCall(survey, '电话回访，客户满意，评 5 分。');
    await w.steps.survey(id, 5, 'AwaitFollowUp', AGENT);

    const closure = await waitForTask(id, 'closure');
    await logCall(closure, '已电话告知结案。');

    const done = await w.finish(id);
    expect(done.execution.status).toBe('SUCCEEDED');
    expect(done.complaint.outcome).toBe('resolved');
    // no customer email was attempted: only staff were emailed (the steps' arrival notices and
    // the survey result to the department)
    expect(sent.filter((t) => t !== 'arrival')).toEqual(['survey_result']);
    expect(sent).toContain('arrival');
    const tasks = done.complaint.callTasks ?? [];
    expect(tasks.map((t) => [t.template, t.status])).toEqual([
      ['acknowledgement', 'done'],
      ['proposal', 'done'],
      ['result', 'done'],
      ['survey_request', 'done'],
      ['closure', 'done'],
    ]);
    // the history shows each task and the call that completed it
    for (const task of tasks) {
      expect(done.auditEvents).toContainEqual(
        expect.objectContaining({
          type: 'call_task_opened',
          data: expect.objectContaining({ callTask: task.id }),
        }),
      );
      expect(done.auditEvents).toContainEqual(
        expect.objectContaining({
          seq: task.noteSeq,
          type: 'note_added',
          data: expect.objectContaining({ kind: 'call', callTask: task.id }),
        }),
      );
    }
    expect(await queueOf(id)).toEqual([]);
  });
});
