/**
 * The whole system over HTTP, as `npm start` runs it: the gateway, the API handlers, the
 * journey's ASL on the local engine, DynamoDB Local and the local SES mailbox. The clock is
 * a ManualClock: deadlines pass when the test moves it. One stack for the file (DynamoDB
 * Local's start is the slow part); the restart test runs last, on the same data folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStore } from '../../functions/adapters/store.js';
import { startLocalStack } from '../../local/stack.js';
import { createInput, newComplaint } from '../functions/domain/store/fixtures.js';
import { type E2EStack, mailTo, startE2EStack, statusLink, waitFor, waitForMail } from './support.js';

let e2e: E2EStack;
/** generous: on a loaded CI machine DynamoDB Local alone may take seconds to (re)start */
const TIMEOUT = 90_000;

beforeAll(async () => {
  e2e = await startE2EStack();
}, 120_000);

afterAll(async () => {
  await e2e?.dispose();
}, 60_000);

describe('the local stack', () => {
  it(
    'answers /health, serves the pages and refuses staff routes without a valid token',
    async () => {
      const { api, stack } = e2e;
      expect((await api.get('/health')).status).toBe(200);
      const form = await fetch(stack.urls.form);
      expect(form.status).toBe(200);
      expect(await form.text()).toContain('complaint-form');
      expect((await api.get('/staff/complaints')).status).toBe(401);
      const forged = await api.get('/staff/complaints', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
      expect(forged.status).toBe(401);
      expect(forged.body).toEqual({ message: 'Unauthorized' });
      const preflight = await fetch(`${stack.urls.api}/complaints`, { method: 'OPTIONS' });
      expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    },
    TIMEOUT,
  );
});

describe('a complaint from the form to closed', () => {
  it(
    'goes through every stage, with an email and a working link at each customer step',
    async () => {
      const { api, stack } = e2e;
      const email = 'journey.customer@example.com';
      const created = await api.post('/complaints', {
        customer: { name: 'Wang Fang', email, language: 'en' },
        subject: 'Parcel arrived broken',
        description: 'The vase in order 8812 arrived in pieces.',
        category: 'delivery',
        orderRef: '8812',
      });
      expect(created.status).toBe(201);
      const { id } = created.body;

      // 2 Acknowledge: the email's link opens the status page's data
      const ack = await waitForMail(stack.urls.mailbox, email, 1, 'the acknowledgement');
      expect(ack.subject).toContain(id);
      const ackLink = statusLink(ack);
      expect(ackLink.origin).toBe(stack.urls.app);
      const ackToken = new URLSearchParams(ackLink.hash.slice(1)).get('token') ?? '';
      const seen = await api.get(`/complaints/${id}`, ackToken);
      expect(seen.status).toBe(200);
      expect(seen.body.status).toBe('open');

      // 3 Investigate (agent)
      const agent = await api.signIn('agent');
      await api.waitForStep(id, 'investigation', agent);
      const investigated = await api.post(
        `/staff/complaints/${id}/investigation`,
        {
          valid: true,
          category: 'delivery',
          severity: 'minor',
          department: 'logistics',
          findings: 'Packed without padding.',
        },
        agent,
      );
      expect(investigated.status).toBe(202);

      // 4 Proposal (the responsible department; another department may not)
      const logistics = await api.signIn('department', 'logistics');
      await api.waitForStep(id, 'proposal', logistics);
      const sales = await api.signIn('department', 'sales');
      expect((await api.post(`/staff/complaints/${id}/proposal`, { plan: 'x' }, sales)).status).toBe(404);
      expect(
        (
          await api.post(
            `/staff/complaints/${id}/proposal`,
            { plan: 'Refund the vase and the shipping.' },
            logistics,
          )
        ).status,
      ).toBe(202);

      // 5 Review (supervisor)
      const supervisor = await api.signIn('supervisor');
      await api.waitForStep(id, 'review', supervisor);
      expect((await api.post(`/staff/complaints/${id}/review`, { approved: true }, supervisor)).status).toBe(
        202,
      );

      // 6 Customer decision, from the proposal email's link
      const proposalMail = await waitForMail(stack.urls.mailbox, email, 2, 'the proposal email');
      const proposalToken = new URLSearchParams(statusLink(proposalMail).hash.slice(1)).get('token') ?? '';
      const deciding = await waitFor(async () => {
        const view = await api.get(`/complaints/${id}`, proposalToken);
        return view.body.awaiting?.action === 'decision' ? view.body : undefined;
      }, 'the customer view to await a decision');
      expect(deciding.proposal.plan).toBe('Refund the vase and the shipping.');
      expect((await api.post(`/complaints/${id}/decision`, { accept: true }, proposalToken)).status).toBe(
        202,
      );

      // 7 Implement (department)
      await api.waitForStep(id, 'implementation', logistics);
      expect(
        (
          await api.post(
            `/staff/complaints/${id}/implementation`,
            {
              result: 'Refunded 320 CNY.',
              basis: 'Delivery damage policy §4.',
              suggestions: 'Padding for glass.',
            },
            logistics,
          )
        ).status,
      ).toBe(202);

      // 8–9 Result and survey request emails; the customer answers the survey
      await api.waitForStep(id, 'follow_up', agent);
      const surveyMail = await waitFor(async () => {
        const mails = await mailTo(stack.urls.mailbox, email);
        return mails.length >= 4 ? mails.at(-1) : undefined;
      }, 'the result and survey emails');
      const surveyToken = new URLSearchParams(statusLink(surveyMail).hash.slice(1)).get('token') ?? '';
      expect(
        (await api.post(`/complaints/${id}/survey`, { rating: 5, comment: 'Quick and fair.' }, surveyToken))
          .status,
      ).toBe(202);

      // 10–11 Closed as resolved, with the closure email
      const closed = await waitFor(async () => {
        const c = await api.staffGet(id, agent);
        return c.stage === 'closed' ? c : undefined;
      }, 'the complaint to close');
      expect(closed.outcome).toBe('resolved');
      expect(closed.survey.rating).toBe(5);
      const types = closed.history.map((e: { type: string }) => e.type);
      for (const type of [
        'registered',
        'investigated',
        'proposed',
        'approved',
        'accepted',
        'implemented',
        'surveyed',
        'closed',
      ]) {
        expect(types).toContain(type);
      }

      const customerMails = await waitFor(async () => {
        const mails = await mailTo(stack.urls.mailbox, email);
        return mails.length >= 5 ? mails : undefined;
      }, 'the closure email');
      // every customer email's link works
      for (const mail of customerMails) {
        const token = new URLSearchParams(statusLink(mail).hash.slice(1)).get('token') ?? '';
        expect((await api.get(`/complaints/${id}`, token)).status).toBe(200);
      }
      const final = await api.get(`/complaints/${id}`, ackToken);
      expect(final.body.status).toBe('resolved');
      expect(final.body.timeline.map((e: { event: string }) => e.event)).toEqual(
        expect.arrayContaining([
          'received',
          'investigated',
          'proposal_ready',
          'proposal_accepted',
          'implemented',
          'closed',
        ]),
      );
    },
    TIMEOUT,
  );
});

describe('an escalation fired by the simulated clock', () => {
  it(
    'escalates an overdue investigation to the supervisor, then the manager, and still takes the action',
    async () => {
      const { api, stack, clock } = e2e;
      const created = await api.post('/complaints', {
        customer: { name: 'Zhao Min', phone: '+86 138 0000 1111', email: 'late.case@example.com' },
        subject: '退款迟迟未到',
        description: '申请退款已经两周，仍未到账。',
      });
      expect(created.status).toBe(201);
      const { id } = created.body;
      const agent = await api.signIn('agent');
      const waiting = await api.waitForStep(id, 'investigation', agent);
      expect(waiting.pending.escalationLevel).toBe(0);
      expect(waiting.pending.overdue).toBe(false);

      const supervisorMailsBefore = (
        await mailTo(stack.urls.mailbox, 'customer-service-supervisor@example.com')
      ).length;
      clock.set(new Date(Date.parse(waiting.pending.dueAt) + 60_000));
      const level1 = await waitFor(async () => {
        const c = await api.staffGet(id, agent);
        return c.pending?.escalationLevel === 1 && !c.pending.claimed ? c : undefined;
      }, 'escalation level 1');
      expect(Date.parse(level1.pending.dueAt)).toBeGreaterThan(clock.now().getTime());
      expect(
        level1.history.some((e: { type: string; data?: { level?: number } }) => e.type === 'escalated'),
      ).toBe(true);
      await waitForMail(
        stack.urls.mailbox,
        'customer-service-supervisor@example.com',
        supervisorMailsBefore + 1,
        "the escalation email to the step owner's supervisor",
      );

      clock.set(new Date(Date.parse(level1.pending.dueAt) + 60_000));
      await waitFor(async () => {
        const c = await api.staffGet(id, agent);
        return c.pending?.escalationLevel === 2 && !c.pending.claimed ? c : undefined;
      }, 'escalation level 2');
      await waitForMail(
        stack.urls.mailbox,
        'complaints-manager@example.com',
        1,
        'the escalation email to the manager',
      );

      const action = await api.post(
        `/staff/complaints/${id}/investigation`,
        {
          valid: true,
          category: 'price',
          severity: 'general',
          department: 'billing',
          findings: 'Refund stuck in review.',
        },
        agent,
      );
      expect(action.status).toBe(202);
      const billing = await api.signIn('department', 'billing');
      const next = await api.waitForStep(id, 'proposal', billing);
      expect(next.pending.escalationLevel).toBe(0);
      expect(next.escalations).toBeGreaterThanOrEqual(2);
    },
    TIMEOUT,
  );
});

describe('a restart in the middle of a journey', () => {
  it(
    'keeps the complaint, and its waiting step resumes with the same deadline and takes the next action',
    async () => {
      const { api, stack, clock } = e2e;
      const email = 'restart.customer@example.com';
      const created = await api.post('/complaints', {
        customer: { name: 'Chen Jie', email },
        subject: '安装师傅迟到',
        description: '约好上午十点安装，师傅下午三点才到。',
      });
      expect(created.status).toBe(201);
      const { id } = created.body;
      const agent = await api.signIn('agent');
      await api.waitForStep(id, 'investigation', agent);
      expect(
        (
          await api.post(
            `/staff/complaints/${id}/investigation`,
            {
              valid: true,
              category: 'service',
              severity: 'general',
              department: 'after-sales',
              findings: 'Route planning error.',
            },
            agent,
          )
        ).status,
      ).toBe(202);
      const afterSales = await api.signIn('department', 'after-sales');
      // the step is wholly open once the step-open task's last write, the arrival notice's
      // record, is there: a stop before it interrupts that task, whose retry rightly writes
      const before = await waitFor(async () => {
        const view = await api.staffGet(id, afterSales);
        const opened = view.history.findLast((e: { type: string }) => e.type === 'step_opened');
        const noticed = view.history.some(
          (e: { type: string; seq: number; data?: { template?: string } }) =>
            e.type === 'notification_sent' && e.data?.template === 'arrival' && e.seq > opened?.seq,
        );
        return view.pending?.step === 'proposal' && !view.pending.claimed && noticed ? view : undefined;
      }, 'the proposal step open, its arrival notice recorded');
      const tokenBefore = (await getStore().get(id))?.pending?.taskToken;

      // a complaint stored ten minutes ago whose journey never started (StartExecution failed)
      const { complaint: stalled } = await getStore().create(
        createInput({
          complaint: newComplaint({ createdAt: new Date(clock.now().getTime() - 10 * 60_000).toISOString() }),
        }),
      );
      expect(stalled.stage).toBe('received');

      await stack.stop();
      expect((await fetch(`${stack.urls.api}/health`).catch(() => undefined))?.status).toBeUndefined();
      e2e.stack = await startLocalStack(e2e.options);
      expect(e2e.stack.resumed).toContain(id);
      // the stalled-journey sweeper (scheduled on AWS) ran at start and began its journey
      await api.waitForStep(stalled.id, 'investigation', agent, 'the stalled journey to start');

      // stored complaints stay; tokens issued before the restart still work
      const after = await api.staffGet(id, afterSales);
      expect(after.stage).toBe('proposal');
      expect(after.pending.step).toBe('proposal');
      expect(after.pending.dueAt).toBe(before.pending.dueAt);
      expect(after.pending.escalationLevel).toBe(0);
      expect(after.investigation.findings).toBe('Route planning error.');
      // a resume writes nothing: no audit event added, the same task token kept
      expect(after.history).toEqual(before.history);
      expect((await getStore().get(id))?.pending?.taskToken).toBe(tokenBefore);
      const ack = await waitForMail(e2e.stack.urls.mailbox, email, 1, 'the acknowledgement');
      const ackToken = new URLSearchParams(statusLink(ack).hash.slice(1)).get('token') ?? '';
      expect((await api.get(`/complaints/${id}`, ackToken)).body.stage).toBe('proposal');

      // the resumed step's deadline still fires at the same instant
      clock.set(new Date(Date.parse(before.pending.dueAt) + 60_000));
      await waitFor(async () => {
        const c = await api.staffGet(id, afterSales);
        return c.pending?.escalationLevel === 1 && !c.pending.claimed ? c : undefined;
      }, 'the resumed step to escalate at its deadline');

      // and the waiting step takes the next action (with the new task token)
      const proposed = await api.post(
        `/staff/complaints/${id}/proposal`,
        { plan: 'Free service visit.' },
        afterSales,
      );
      expect(proposed.body).toEqual({ id, stage: 'proposal', accepted: true });
      const supervisor = await api.signIn('supervisor');
      const review = await api.waitForStep(id, 'review', supervisor);
      expect(review.proposal.plan).toBe('Free service visit.');
      // one escalation: the level-1 wait kept its own (new) deadline
      expect(review.history.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(1);
    },
    TIMEOUT,
  );
});
