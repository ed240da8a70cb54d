import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_OF_STEP, type Step } from '../../functions/domain/model.js';
import { apiEvent, invoke, staffClaims } from '../support/api-events.js';
import { AGENT, createJourneyWorld, type JourneyWorld } from './harness.js';

let w: JourneyWorld;
beforeAll(async () => {
  w = await createJourneyWorld('escalation');
});
afterAll(async () => {
  // state transitions (states entered) per execution, for the note
  const counts = w?.engine.listExecutions().map((e) => e.statesVisited.length) ?? [];
  if (counts.length)
    console.info(`%s: longest execution %d state transitions`, 'escalation', Math.max(...counts));
  await w?.close();
});

type Steps = JourneyWorld['steps'];
interface StaffStage {
  step: Step;
  state: string;
  /** takes the journey of `id` to this stage's Await state */
  reach(steps: Steps, w: JourneyWorld, id: string): Promise<void>;
  /** completes the stage */
  act(steps: Steps, id: string): Promise<unknown>;
  /** the state that must follow the stage's Record */
  next: string;
}

const toImplementation = async (s: Steps, id: string) => {
  await s.investigate(id);
  await s.propose(id);
  await s.review(id);
  await s.decide(id);
};

const STAFF_STAGES: StaffStage[] = [
  {
    step: 'investigation',
    state: 'AwaitInvestigation',
    reach: async () => {},
    act: (s, id) => s.investigate(id),
    next: 'AwaitProposal',
  },
  {
    step: 'proposal',
    state: 'AwaitProposal',
    reach: (s, _w, id) => s.investigate(id).then(() => undefined),
    act: (s, id) => s.propose(id),
    next: 'AwaitReview',
  },
  {
    step: 'review',
    state: 'AwaitReview',
    reach: async (s, _w, id) => {
      await s.investigate(id);
      await s.propose(id);
    },
    act: (s, id) => s.review(id),
    next: 'AwaitCustomerDecision',
  },
  {
    step: 'implementation',
    state: 'AwaitImplementation',
    reach: (s, _w, id) => toImplementation(s, id),
    act: (s, id) => s.implement(id),
    next: 'AwaitFollowUp',
  },
  {
    step: 'agent_follow_up',
    state: 'AwaitAgentFollowUp',
    reach: async (s, w, id) => {
      await toImplementation(s, id);
      await s.implement(id);
      await w.miss(id, 'AwaitFollowUp', 'AwaitAgentFollowUp');
    },
    act: (s, id) => s.survey(id, 5, 'AwaitAgentFollowUp'),
    next: 'Archived',
  },
];

const escalateSuffix = (state: string) => state.replace(/^Await/, 'Escalate');

describe('a staff step past its deadline escalates level by level and keeps waiting', () => {
  it.each(STAFF_STAGES.map((s) => [s.step, s] as const))(
    '%s: levels 1, 2, 3, then the action completes it',
    async (_name, stage) => {
      const id = await w.start();
      await stage.reach(w.steps, w, id);
      const first = await w.engine.waitForTask(id, stage.state);
      const opened = (await w.store.get(id))!.pending!;
      expect(opened).toMatchObject({ step: stage.step, escalationLevel: 0, taskToken: first.token });
      expect(Date.parse(opened.dueAt)).toBe(Date.parse(first.deadline!));
      const metricsBefore = w.metrics.length;
      const emailsBefore = w.emails.length;

      let previousDue = Date.parse(opened.dueAt);
      for (const level of [1, 2, 3]) {
        const task = await w.miss(id, stage.state);
        const pending = (await w.store.get(id))!.pending!;
        expect(pending).toMatchObject({ step: stage.step, escalationLevel: level });
        expect(pending.taskToken).toBe(task.token);
        // each level gets a new deadline after the one it replaces
        expect(Date.parse(pending.dueAt)).toBeGreaterThan(previousDue);
        expect(Date.parse(task.deadline!)).toBe(Date.parse(pending.dueAt));
        previousDue = Date.parse(pending.dueAt);
      }
      // overdue = past the step's FIRST deadline, escalated or not: GET /staff/complaints?overdue=true
      // lists it (keyed on the first deadline), its pending view says so, though dueAt moved on
      const pendingNow = (await w.store.get(id))!.pending!;
      expect(pendingNow.firstDueAt).toBe(opened.dueAt);
      const list = (await import('../../functions/api/staff-list.js')).handler;
      const queries: Record<string, string>[] = [
        { overdue: 'true' },
        { overdue: 'true', stage: STAGE_OF_STEP[stage.step] },
      ];
      for (const query of queries) {
        const res = await invoke(
          list,
          apiEvent({
            method: 'GET',
            route: '/staff/complaints',
            query: { ...query, limit: '100' },
            claims: staffClaims('manager'),
          }),
        );
        expect(res.statusCode).toBe(200);
        const item = (res.body.items as { id: string; pending: Record<string, unknown> }[]).find(
          (i) => i.id === id,
        );
        expect(item?.pending).toMatchObject({
          overdue: true,
          escalationLevel: 3,
          firstDueAt: opened.dueAt,
          dueAt: pendingNow.dueAt,
        });
      }
      const complaint = await w.store.get(id);
      expect(complaint).toMatchObject({
        escalations: 3,
        maxEscalationLevel: 3,
        stage: STAGE_OF_STEP[stage.step],
      });

      const escalations = w.emails
        .slice(emailsBefore)
        .filter((e) => e.template === 'escalation' && e.complaintId === id);
      expect(escalations.map((e) => e.ctx?.level)).toEqual([1, 2, 3]);
      expect(escalations.every((e) => e.ctx?.step === stage.step)).toBe(true);
      const metrics = w.metrics.slice(metricsBefore);
      expect(metrics.filter((m) => m.name === 'Escalations').map((m) => m.dimensions?.level)).toEqual([
        '1',
        '2',
        '3',
      ]);
      expect(metrics.filter((m) => m.name === 'DeadlinesMissed')).toHaveLength(1);
      expect(metrics.filter((m) => m.name === 'HighLevelEscalations')).toHaveLength(2);

      await stage.act(w.steps, id);
      if (stage.next === 'Archived') await w.engine.waitForCompletion(id);
      else await w.engine.waitForTask(id, stage.next);
      const states = w.engine.statesVisited(id);
      const escalate = escalateSuffix(stage.state);
      const at = states.indexOf(stage.state);
      expect(states.slice(at, at + 8)).toEqual([
        stage.state,
        escalate,
        stage.state,
        escalate,
        stage.state,
        escalate,
        stage.state,
        stage.state.replace(/^Await/, 'Record'),
      ]);
      const events = await w.store.events(id);
      const escalatedEvents = events.filter((e) => e.type === 'escalated');
      expect(escalatedEvents.map((e) => e.data?.level)).toEqual([1, 2, 3]);
      expect(escalatedEvents.every((e) => e.data?.step === stage.step)).toBe(true);
      expect((await w.store.get(id))?.pending?.step).not.toBe(stage.step);
      expect(w.engine.describeExecution(id).status).not.toBe('FAILED');
      if (stage.next !== 'Archived') w.engine.stopExecution(id);
    },
  );

  it('an action sent with the token of a timed-out step answers 409, and the current step still completes', async () => {
    const id = await w.start();
    const stale = await w.engine.waitForTask(id, 'AwaitInvestigation');
    // The API claims the step and reads its token; the deadline passes before its
    // SendTaskSuccess arrives, so the journey escalates and waits with a new token.
    const claimed = await w.store.claimStep(id, ['investigation'], 'claim-late', {
      kind: 'staff',
      sub: 'a',
      role: 'agent',
    });
    expect(claimed.taskToken).toBe(stale.token);
    w.clock.set(stale.deadline!);
    expect(w.engine.fireDueTimeouts()).toBe(1);
    const current = await w.engine.waitForTask(id, 'AwaitInvestigation', { notToken: stale.token });
    expect(current.token).not.toBe(stale.token);

    // the API's claim returns the step it read before the deadline passed (the stale token)
    const store = w.store;
    const staleStore = Object.create(store) as typeof store;
    staleStore.claimStep = async () => claimed;
    const commons = await import('../../functions/adapters/store.js');
    commons.setStore(staleStore);
    let res: Awaited<ReturnType<typeof w.post>>;
    try {
      res = await w.post(
        id,
        'investigation',
        { valid: true, category: 'delivery', severity: 'minor', department: 'logistics', findings: 'late' },
        AGENT,
      );
    } finally {
      commons.setStore(store);
    }
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('step_stale');
    const events = await w.store.events(id);
    expect(events.at(-1)).toMatchObject({
      type: 'action_refused',
      data: { reason: 'stale_token:TaskTimedOut' },
    });

    // the current step (level 1) still takes the action
    expect((await w.store.get(id))?.pending).toMatchObject({ escalationLevel: 1, taskToken: current.token });
    await w.steps.investigate(id);
    await w.engine.waitForTask(id, 'AwaitProposal');
    expect(w.engine.statesVisited(id)).toEqual([
      'PlanInvestigation',
      'AwaitInvestigation',
      'EscalateInvestigation',
      'AwaitInvestigation',
      'RecordInvestigation',
      'InvestigationOutcome',
      'AwaitProposal',
    ]);
    const complaint = await w.store.get(id);
    expect(complaint).toMatchObject({ stage: 'proposal', escalations: 1 });
    expect(complaint?.investigation?.severity).toBe('general');
    expect((await w.store.events(id)).map((e) => e.type)).toEqual([
      'registered',
      'step_opened',
      'acknowledged',
      'escalated',
      'step_opened',
      'action_refused',
      'investigated',
      'step_opened',
    ]);
    w.engine.stopExecution(id);
  });

  it('a task failing past its retries flags the complaint needsAttention and fails the execution', async () => {
    const id = await w.start();
    const task = await w.engine.waitForTask(id, 'AwaitInvestigation');
    // an output no Record can accept: the Record task fails on every attempt
    w.engine.sendTaskSuccess(task.token, {
      action: 'survey',
      data: { rating: 5 },
      actor: { kind: 'customer' },
      at: w.clock.now().toISOString(),
    });
    const done = await w.engine.waitForCompletion(id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Journey.NeedsAttention');
    expect(done.statesVisited.map((s) => s.name).slice(-3)).toEqual([
      'RecordInvestigation',
      'NeedsAttention',
      'Failed',
    ]);
    expect(
      done.history.filter((h) => h.type === 'StateRetried' && h.stateName === 'RecordInvestigation'),
    ).toHaveLength(4);
    const complaint = await w.store.get(id);
    expect(complaint?.needsAttention).toBe(true);
    const events = await w.store.events(id);
    expect(events.at(-1)).toMatchObject({ type: 'needs_attention', data: { error: 'JourneyInputError' } });
    expect(w.metrics).toContainEqual({ name: 'NeedsAttention', value: 1 });
  });
});
