/**
 * The journey tasks under Step Functions' at-least-once Lambda invocations: a task that
 * failed after part of its work (or whose answer was lost) runs again with the same input.
 * Also: the store re-running a change after a lost race, and what Record keeps of an
 * investigation. The task logic on the in-memory store, no engine.
 */
import './quiet-logs.js';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NotifyContext } from '../../functions/adapters/ses-notifier.js';
import { defaultCalendar } from '../../functions/domain/calendar/index.js';
import { ManualClock } from '../../functions/domain/clock.js';
import type { Actor, Complaint, Step } from '../../functions/domain/model.js';
import type { StepTaskOutput } from '../../functions/domain/steps/index.js';
import type { ComplaintStore } from '../../functions/domain/store.js';
import {
  createJourneyTasks,
  type JourneyPolicy,
  type JourneyTemplate,
  type StepState,
} from '../../functions/journey/tasks.js';
import { configuredJourneyPolicy } from '../../functions/journey/wiring.js';
import { MemoryComplaintStore } from '../support/memory-store.js';

const START = '2026-11-23T02:00:00.000Z'; // Monday 10:00 in Shanghai
const AGENT: Actor = { kind: 'staff', sub: 'agent-1', role: 'agent' };

interface Sent {
  template: JourneyTemplate;
  ctx?: NotifyContext;
}

function world(options: { store?: (inner: ComplaintStore) => ComplaintStore; policy?: JourneyPolicy } = {}) {
  const clock = new ManualClock(START);
  const memory = new MemoryComplaintStore({ clock: () => clock.now() });
  const store = options.store ? options.store(memory) : memory;
  const emails: Sent[] = [];
  const metrics: { name: string; value: number; dimensions?: Record<string, string> }[] = [];
  /** templates whose next send fails like a store error in the notifier (the task's Retry applies) */
  const failNext = new Set<JourneyTemplate>();
  const tasks = createJourneyTasks({
    store,
    notify: async (complaint, template, ctx) => {
      if (failNext.delete(template)) throw new Error('store unavailable');
      emails.push({ template, ...(ctx ? { ctx } : {}) });
      // like the notifier: the sending is on the audit trail
      await memory.update(complaint.id, () => ({
        set: {},
        event: { type: 'notification_sent', actor: { kind: 'system' }, data: { template, to: 'x' } },
      }));
      return { sent: true };
    },
    policy: options.policy ?? configuredJourneyPolicy(defaultCalendar()),
    metrics: {
      add: (name, _unit, value, dimensions) =>
        metrics.push({ name, value, ...(dimensions ? { dimensions } : {}) }),
    },
    clock: () => clock,
  });

  async function complaint(patch: Partial<Complaint> = {}): Promise<string> {
    const created = await memory.create({
      complaint: {
        id: `C2611-${randomBytes(2).toString('hex').toUpperCase()}-TEST`,
        channel: 'phone',
        customer: { name: 'Test Customer', email: 'customer@example.com', language: 'en' },
        subject: 'Late delivery',
        description: 'The parcel came two weeks late.',
        stage: 'received',
        createdAt: START,
        replyDueBy: '2026-11-30T10:00:00.000Z',
        replyDueProvisional: false,
        declines: 0,
        reopens: 0,
        proposalRounds: 0,
        escalations: 0,
        maxEscalationLevel: 0,
        repeat: false,
        ...patch,
      },
      accessTokenHash: randomBytes(32).toString('hex'),
      customerKeys: [randomBytes(8).toString('hex')],
      actor: AGENT,
    });
    return created.complaint.id;
  }

  /** the step opened the way the ASL opens it: PlanStep, then AwaitStep with a token */
  async function open(id: string, step: Step): Promise<StepState> {
    const planned = await tasks.PlanStep({ complaintId: id, step });
    await tasks.AwaitStep({ complaintId: id, step: planned.step, taskToken: `token-${step}` });
    return planned.step;
  }

  const events = async (id: string, type?: string) =>
    (await memory.events(id)).filter((e) => !type || e.type === type);
  const count = (name: string) => metrics.filter((m) => m.name === name).length;

  return { clock, memory, tasks, emails, metrics, failNext, complaint, open, events, count };
}

/** A store whose update runs the change once on a stale read and drops it: a lost race, retried. */
function losingFirstRace(inner: ComplaintStore): ComplaintStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'update') {
        return async (id: string, change: Parameters<ComplaintStore['update']>[1]) => {
          const stale = await target.get(id);
          if (stale) change(stale);
          return target.update(id, change);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function investigation(
  data: Partial<StepTaskOutput<'investigation'>['data']>,
): StepTaskOutput<'investigation'> {
  return {
    action: 'investigation',
    data: {
      valid: true,
      category: 'delivery',
      severity: 'general',
      department: 'after-sales',
      findings: 'Carrier delay confirmed (internal).',
      ...data,
    } as StepTaskOutput<'investigation'>['data'],
    actor: AGENT,
    at: START,
  };
}

describe('Record', () => {
  it("keeps the investigation's customer-facing opinion on complaint.investigation", async () => {
    const w = world();
    const id = await w.complaint();
    await w.open(id, 'investigation');
    const opinion = 'We checked with the carrier: the delay was outside our control.';
    await w.tasks.Record({
      complaintId: id,
      step: 'investigation',
      result: investigation({ valid: false, opinion }),
    });
    const stored = await w.memory.get(id);
    expect(stored?.investigation).toMatchObject({
      valid: false,
      opinion,
      findings: 'Carrier delay confirmed (internal).',
    });
  });

  it('stores no opinion when none was given', async () => {
    const w = world();
    const id = await w.complaint();
    await w.open(id, 'investigation');
    await w.tasks.Record({ complaintId: id, step: 'investigation', result: investigation({}) });
    const stored = await w.memory.get(id);
    expect(stored?.investigation).toBeDefined();
    expect(stored?.investigation).not.toHaveProperty('opinion');
  });

  it('emits TimelyHandling once when the store re-runs the change after a lost race', async () => {
    const w = world({ store: losingFirstRace });
    const id = await w.complaint();
    await w.open(id, 'investigation');
    await w.tasks.Record({ complaintId: id, step: 'investigation', result: investigation({ valid: false }) });
    expect(w.metrics.filter((m) => m.name === 'TimelyHandling')).toEqual([
      { name: 'TimelyHandling', value: 1 },
    ]);
    expect((await w.memory.get(id))?.firstResponseAt).toBe(START);
  });

  it('a retry after the write only recomputes the facts', async () => {
    const w = world();
    const id = await w.complaint();
    await w.open(id, 'investigation');
    const event = {
      complaintId: id,
      step: 'investigation' as const,
      result: investigation({ valid: false }),
    };
    const first = await w.tasks.Record(event);
    const again = await w.tasks.Record(event);
    expect(again).toEqual(first);
    expect(await w.events(id, 'rejected')).toHaveLength(1);
    expect(w.count('TimelyHandling')).toBe(1);
  });
});

describe('Escalate (timeout) under Lambda retries', () => {
  it('a retry after the escalation was written counts it once and waits for the same new deadline', async () => {
    const w = world();
    const id = await w.complaint();
    const missed = await w.open(id, 'proposal');
    w.clock.set(missed.dueAt);
    const first = await w.tasks.Escalate({ complaintId: id, step: missed });
    w.clock.advance(90_000); // the retry comes a little later
    const again = await w.tasks.Escalate({ complaintId: id, step: missed });
    expect(again.step?.dueAt).toBe(first.step?.dueAt);
    expect(again.step?.level).toBe(1);
    expect(await w.events(id, 'escalated')).toHaveLength(1);
    expect((await w.memory.get(id))?.escalations).toBe(1);
    expect(w.count('Escalations')).toBe(1);
    expect(w.count('DeadlinesMissed')).toBe(1);
    expect(w.emails.filter((e) => e.template === 'escalation')).toHaveLength(1);
  });

  it('a retry after the email failed sends it, still counting the escalation once', async () => {
    const w = world();
    const id = await w.complaint();
    const missed = await w.open(id, 'review');
    w.clock.set(missed.dueAt);
    w.failNext.add('escalation');
    await expect(w.tasks.Escalate({ complaintId: id, step: missed })).rejects.toThrow('store unavailable');
    const again = await w.tasks.Escalate({ complaintId: id, step: missed });
    expect(again.step?.level).toBe(1);
    expect(await w.events(id, 'escalated')).toHaveLength(1);
    expect(w.count('Escalations')).toBe(1);
    expect(w.emails.filter((e) => e.template === 'escalation')).toEqual([
      {
        template: 'escalation',
        ctx: expect.objectContaining({ step: 'review', level: 1, dueAt: again.step?.dueAt }),
      },
    ]);
  });

  it('the next missed deadline is a new escalation (level 2)', async () => {
    const w = world();
    const id = await w.complaint({ severity: 'minor' });
    const missed = await w.open(id, 'implementation');
    w.clock.set(missed.dueAt);
    const level1 = await w.tasks.Escalate({ complaintId: id, step: missed });
    w.clock.set(level1.step!.dueAt);
    const level2 = await w.tasks.Escalate({ complaintId: id, step: level1.step! });
    expect(level2.step?.level).toBe(2);
    expect((await w.memory.get(id))?.escalations).toBe(2);
    expect(w.count('HighLevelEscalations')).toBe(1);
  });
});

describe('Escalate (repeated declines / reopens) under Lambda retries', () => {
  it('the third decline alerts the manager once, however often the task runs', async () => {
    const w = world();
    const id = await w.complaint({ declines: 3, stage: 'proposal' });
    await w.tasks.Escalate({ complaintId: id, reason: 'declines' });
    await w.tasks.Escalate({ complaintId: id, reason: 'declines' });
    expect(await w.events(id, 'escalated')).toHaveLength(1);
    expect(w.count('HighLevelEscalations')).toBe(1);
    expect(w.emails.filter((e) => e.template === 'escalation')).toHaveLength(1);
    // a fourth decline is another escalation
    await w.memory.update(id, (c) => ({
      set: { declines: c.declines + 1 },
      event: { type: 'declined', actor: { kind: 'customer' } },
    }));
    await w.tasks.Escalate({ complaintId: id, reason: 'declines' });
    expect(await w.events(id, 'escalated')).toHaveLength(2);
  });
});

describe('Close under Lambda retries', () => {
  async function surveyed(w: ReturnType<typeof world>) {
    const id = await w.complaint({ stage: 'follow_up', department: 'after-sales' });
    await w.memory.update(id, () => ({
      set: { survey: { rating: 5, answeredAt: START, by: 'customer' } },
      event: { type: 'surveyed', actor: { kind: 'customer' } },
    }));
    return id;
  }

  it('a retry after the close finishes the archive: survey result to the department, archived once', async () => {
    const w = world();
    const id = await surveyed(w);
    w.failNext.add('survey_result');
    await expect(w.tasks.Close({ complaintId: id, outcome: 'resolved' })).rejects.toThrow(
      'store unavailable',
    );
    expect((await w.memory.get(id))?.stage).toBe('closed');
    await w.tasks.Close({ complaintId: id, outcome: 'resolved' });
    expect(w.emails.map((e) => e.template)).toEqual(['survey_result']);
    expect(await w.events(id, 'archived')).toHaveLength(1);
    expect(await w.events(id, 'closed')).toHaveLength(1);
    expect(w.count('ComplaintsClosed')).toBe(1);
  });

  it('a retry after the closure email and a failed survey result sends the closure email once', async () => {
    const w = world();
    const id = await surveyed(w);
    w.failNext.add('survey_result');
    await expect(w.tasks.Close({ complaintId: id, outcome: 'resolved', notify: 'closure' })).rejects.toThrow(
      'store unavailable',
    );
    await w.tasks.Close({ complaintId: id, outcome: 'resolved', notify: 'closure' });
    expect(w.emails.map((e) => e.template)).toEqual(['closure', 'survey_result']);
    expect(await w.events(id, 'archived')).toHaveLength(1);
  });

  it('a retry after the closure email failed sends it, then the rest once', async () => {
    const w = world();
    const id = await surveyed(w);
    w.failNext.add('closure');
    await expect(w.tasks.Close({ complaintId: id, outcome: 'resolved', notify: 'closure' })).rejects.toThrow(
      'store unavailable',
    );
    await w.tasks.Close({ complaintId: id, outcome: 'resolved', notify: 'closure' });
    await w.tasks.Close({ complaintId: id, outcome: 'resolved', notify: 'closure' });
    expect(w.emails.map((e) => e.template)).toEqual(['closure', 'survey_result']);
    expect(await w.events(id, 'closed')).toHaveLength(1);
    expect(await w.events(id, 'archived')).toHaveLength(1);
  });

  it('a retry after a complete close changes nothing', async () => {
    const w = world();
    const id = await surveyed(w);
    await w.tasks.Close({ complaintId: id, outcome: 'resolved' });
    await w.tasks.Close({ complaintId: id, outcome: 'resolved' });
    expect(w.emails.map((e) => e.template)).toEqual(['survey_result']);
    expect(await w.events(id, 'archived')).toHaveLength(1);
    expect(w.count('ComplaintsClosed')).toBe(1);
  });
});

describe("The investigation's opening (the acknowledgement) under Lambda retries", () => {
  /** AwaitInvestigation as the ASL runs it: its opening email is the acknowledgement */
  const awaitInvestigation = (w: ReturnType<typeof world>, id: string, step: StepState) =>
    w.tasks.AwaitStep({
      complaintId: id,
      step,
      taskToken: 'token-investigation',
      emails: ['acknowledgement'],
    });

  it("acknowledges once, with the manager's alert for a complaint registered serious", async () => {
    const w = world();
    const id = await w.complaint({ severity: 'serious' });
    const { step } = await w.tasks.PlanStep({ complaintId: id, step: 'investigation' });
    await awaitInvestigation(w, id, step);
    await awaitInvestigation(w, id, step);
    expect(w.emails.map((e) => e.template)).toEqual(['acknowledgement', 'serious_intake']);
    const acknowledged = await w.events(id, 'acknowledged');
    expect(acknowledged.map((e) => e.data)).toEqual([{ sent: true, serious: true }]);
    // the customer's link works: its token was stored with the opening, before the email left
    const token = w.emails[0]?.ctx?.accessToken as string;
    expect(await w.memory.hasAccessToken(id, createHash('sha256').update(token).digest('hex'))).toBe(true);
  });

  it('sends no alert for a complaint not registered serious', async () => {
    const w = world();
    const id = await w.complaint();
    const { step } = await w.tasks.PlanStep({ complaintId: id, step: 'investigation' });
    await awaitInvestigation(w, id, step);
    expect(w.emails.map((e) => e.template)).toEqual(['acknowledgement']);
    expect((await w.events(id, 'acknowledged')).map((e) => e.data)).toEqual([{ sent: true, serious: false }]);
  });

  it("a retry after the manager's alert failed sends it, and the acknowledgement once", async () => {
    const w = world();
    const id = await w.complaint({ severity: 'serious' });
    const { step } = await w.tasks.PlanStep({ complaintId: id, step: 'investigation' });
    w.failNext.add('serious_intake');
    await expect(awaitInvestigation(w, id, step)).rejects.toThrow('store unavailable');
    await awaitInvestigation(w, id, step);
    expect(w.emails.map((e) => e.template)).toEqual(['acknowledgement', 'serious_intake']);
    expect((await w.events(id, 'acknowledged')).map((e) => e.data)).toEqual([{ sent: true, serious: true }]);
    expect((await w.memory.get(id))?.pending).toMatchObject({ step: 'investigation', escalationLevel: 0 });
  });

  it("an escalation's wait sends no opening email again", async () => {
    const w = world();
    const id = await w.complaint();
    const { step } = await w.tasks.PlanStep({ complaintId: id, step: 'investigation' });
    await awaitInvestigation(w, id, step);
    w.clock.set(new Date(Date.parse(step.dueAt) + 1000).toISOString());
    const escalated = await w.tasks.Escalate({ complaintId: id, step });
    await awaitInvestigation(w, id, escalated.step as StepState);
    expect(w.emails.map((e) => e.template)).toEqual(['acknowledgement', 'escalation']);
  });
});

describe("A step's opening emails, once per opening", () => {
  it("an extension's wait (the same step and level again) does not send the proposal again", async () => {
    const w = world();
    const id = await w.complaint();
    const planned = await w.tasks.PlanStep({ complaintId: id, step: 'customer_decision' });
    const open = () =>
      w.tasks.AwaitStep({ complaintId: id, step: planned.step, taskToken: 't-1', emails: ['proposal'] });
    await open();
    // the deadline moved on (POST …/extension): the old timeout lands in Escalate, which waits again
    const extendedTo = new Date(Date.parse(planned.step.dueAt) + 3 * 86_400_000).toISOString();
    await w.memory.update(id, (c) => ({
      set: { pending: { ...(c.pending as NonNullable<Complaint['pending']>), dueAt: extendedTo } },
      event: { type: 'extended', actor: AGENT },
    }));
    w.clock.set(new Date(Date.parse(planned.step.dueAt) + 1000).toISOString());
    const again = await w.tasks.Escalate({ complaintId: id, step: planned.step });
    expect(again.step).toMatchObject({ level: 0, dueAt: extendedTo });
    await w.tasks.AwaitStep({
      complaintId: id,
      step: again.step as StepState,
      taskToken: 't-1',
      emails: ['proposal'],
    });
    expect(w.emails.map((e) => e.template)).toEqual(['proposal']);
  });

  it('keeps on the pending customer decision whether it is the wait after the reminder', async () => {
    const w = world();
    const id = await w.complaint();
    const first = await w.open(id, 'customer_decision');
    expect((await w.memory.get(id))?.pending).toMatchObject({ step: 'customer_decision', reminder: false });
    await w.tasks.AwaitStep({ complaintId: id, step: { ...first, reminder: true }, taskToken: 't-2' });
    expect((await w.memory.get(id))?.pending).toMatchObject({ step: 'customer_decision', reminder: true });
    await w.open(id, 'proposal');
    expect((await w.memory.get(id))?.pending).not.toHaveProperty('reminder');
  });
});

describe('PlanStep: the TimeoutSecondsPath value AWS accepts', () => {
  const base = configuredJourneyPolicy(defaultCalendar());

  it('is capped at 99999999 seconds', async () => {
    const w = world({
      policy: { ...base, stepDeadline: () => ({ dueAt: '2031-01-01T00:00:00.000Z', provisional: true }) },
    });
    const id = await w.complaint();
    const planned = await w.tasks.PlanStep({ complaintId: id, step: 'proposal' });
    expect(planned.step.timeoutSeconds).toBe(99_999_999);
  });

  it('fails the task (NeedsAttention) rather than hand AWS a timeout that is not a number', async () => {
    const w = world({
      policy: { ...base, stepDeadline: () => ({ dueAt: 'not a date', provisional: false }) },
    });
    const id = await w.complaint();
    await expect(w.tasks.PlanStep({ complaintId: id, step: 'proposal' })).rejects.toThrow(/not a deadline/);
  });
});
