import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, createJourneyWorld, type JourneyWorld, TO_DECISION } from './harness.js';

let w: JourneyWorld;
beforeAll(async () => {
  w = await createJourneyWorld('paths');
});
afterAll(async () => {
  // state transitions (states entered) per execution, for the note
  const counts = w?.engine.listExecutions().map((e) => e.statesVisited.length) ?? [];
  if (counts.length) console.info(`%s: longest execution %d state transitions`, 'paths', Math.max(...counts));
  await w?.close();
});

const TO_SURVEY_DONE = [
  'RecordCustomerDecision',
  'DecisionOutcome',
  'AwaitImplementation',
  'RecordImplementation',
  'AwaitFollowUp',
  'RecordFollowUp',
  'SurveyOutcome',
];
const CLOSE_RESOLVED = ['CloseResolved'];
const FROM_ACCEPT = [...TO_SURVEY_DONE, ...CLOSE_RESOLVED];
/** a new proposal round after a decline or a reopen (the first round is in TO_DECISION) */
const PROPOSAL_ROUND = [
  'PlanProposal',
  'AwaitProposal',
  'RecordProposal',
  'AwaitReview',
  'RecordReview',
  'ReviewOutcome',
  'AwaitCustomerDecision',
];
const STEP_DONE = (type: string) => ['step_opened', type];

describe('journey paths (real ASL, real task handlers, DynamoDB Local)', () => {
  it('happy path: investigate, propose, approve, accept, implement, satisfied survey, archive', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    await w.steps.propose(id);
    await w.steps.review(id);
    await w.steps.decide(id);
    await w.steps.implement(id);
    await w.steps.survey(id, 5);
    const r = await w.finish(id);
    expect(r.execution.status).toBe('SUCCEEDED');
    expect(r.states).toEqual([...TO_DECISION, ...FROM_ACCEPT]);
    expect(r.complaint).toMatchObject({
      stage: 'closed',
      outcome: 'resolved',
      proposalRounds: 1,
      declines: 0,
      reopens: 0,
    });
    expect(r.complaint.pending).toBeUndefined();
    expect(r.complaint.survey).toMatchObject({ rating: 5, by: 'customer' });
    expect(r.complaint.firstResponseAt).toBeDefined();
    expect(r.events).toEqual([
      'registered',
      'step_opened',
      'acknowledged',
      'investigated',
      ...STEP_DONE('proposed'),
      ...STEP_DONE('approved'),
      ...STEP_DONE('accepted'),
      ...STEP_DONE('implemented'),
      // the follow-up opens, then its emails go: the result, then the survey request
      'step_opened',
      'result_notified',
      'surveyed',
      'closed',
      'archived',
    ]);
    expect(r.emails).toEqual([
      'acknowledgement',
      'proposal',
      'result',
      'survey_request',
      'closure',
      'survey_result',
    ]);
    // each staff step but the investigation announced its opening to its owners
    expect(r.notices).toEqual(['proposal', 'review', 'implementation']);
    expect(w.metrics).toContainEqual({ name: 'SatisfactionRating', value: 5 });
    expect(w.metrics).toContainEqual({
      name: 'ComplaintsClosed',
      value: 1,
      dimensions: { outcome: 'resolved' },
    });
    console.info(`happy path: ${r.states.length} state transitions`);
  });

  it('not valid: the investigation opinion is emailed and the complaint closes as rejected', async () => {
    const id = await w.start();
    const opinion = 'The delivery date on the order was met; the delay was the carrier pick-up you chose.';
    await w.steps.investigate(id, { valid: false, opinion });
    const r = await w.finish(id);
    expect(r.execution.status).toBe('SUCCEEDED');
    expect(r.states).toEqual([
      'PlanInvestigation',
      'AwaitInvestigation',
      'RecordInvestigation',
      'InvestigationOutcome',
      'CloseRejected',
    ]);
    expect(r.complaint).toMatchObject({ stage: 'closed', outcome: 'rejected' });
    expect(r.complaint.investigation?.valid).toBe(false);
    // the customer-facing opinion travels API → SendTaskSuccess → Record onto the complaint
    expect(r.complaint.investigation?.opinion).toBe(opinion);
    expect(r.events).toEqual(['registered', 'step_opened', 'acknowledged', 'rejected', 'closed', 'archived']);
    expect(r.emails).toEqual(['acknowledgement', 'rejected']);
  });

  it('supervisor returns the plan: back to the department, second plan approved', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    await w.steps.propose(id);
    await w.steps.review(id, false);
    await w.steps.propose(id);
    await w.steps.review(id, true);
    await w.steps.decide(id);
    await w.steps.implement(id);
    await w.steps.survey(id, 4);
    const r = await w.finish(id);
    expect(r.states).toEqual([...TO_DECISION.slice(0, 9), ...PROPOSAL_ROUND, ...FROM_ACCEPT]);
    expect(r.complaint).toMatchObject({ stage: 'closed', outcome: 'resolved', proposalRounds: 2 });
    expect(r.complaint.proposal).toMatchObject({ round: 2, approvedAt: expect.any(String) });
    expect(r.events.slice(0, 10)).toEqual([
      'registered',
      'step_opened',
      'acknowledged',
      'investigated',
      ...STEP_DONE('proposed'),
      ...STEP_DONE('returned'),
      ...STEP_DONE('proposed'),
    ]);
    expect(r.events).toContain('approved');
    expect(r.emails.filter((t) => t === 'proposal')).toHaveLength(1);
  });

  it('customer declines twice, then accepts: back to the department each time, no escalation', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    for (let round = 0; round < 3; round++) {
      await w.steps.propose(id);
      await w.steps.review(id);
      await w.steps.decide(id, round === 2);
    }
    await w.steps.implement(id);
    await w.steps.survey(id, 5);
    const r = await w.finish(id);
    const declined = ['RecordCustomerDecision', 'DecisionOutcome'];
    expect(r.states).toEqual([
      ...TO_DECISION,
      ...declined,
      ...PROPOSAL_ROUND,
      ...declined,
      ...PROPOSAL_ROUND,
      ...FROM_ACCEPT,
    ]);
    expect(r.complaint).toMatchObject({
      stage: 'closed',
      outcome: 'resolved',
      declines: 2,
      proposalRounds: 3,
      escalations: 0,
    });
    expect(r.events.filter((e) => e === 'declined')).toHaveLength(2);
    expect(r.events.filter((e) => e === 'accepted')).toHaveLength(1);
    expect(r.events).not.toContain('escalated');
    expect(r.emails.filter((t) => t === 'proposal')).toHaveLength(3);
  });

  it('customer declines a third time: the manager is alerted, and the plan goes back to the department', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    for (let round = 0; round < 3; round++) {
      await w.steps.propose(id);
      await w.steps.review(id);
      await w.steps.decide(id, false);
    }
    await w.engine.waitForTask(id, 'AwaitProposal');
    const states = w.engine.statesVisited(id);
    expect(states.slice(-4)).toEqual([
      'DecisionOutcome',
      'EscalateRepeatedDeclines',
      'PlanProposal',
      'AwaitProposal',
    ]);
    expect(states.filter((s) => s === 'EscalateRepeatedDeclines')).toHaveLength(1);
    const complaint = await w.store.get(id);
    expect(complaint).toMatchObject({
      stage: 'proposal',
      declines: 3,
      escalations: 1,
      maxEscalationLevel: 2,
    });
    const escalation = w.emails.find((e) => e.complaintId === id && e.template === 'escalation');
    expect(escalation?.ctx).toMatchObject({ level: 2, reason: 'declines', count: 3 });
    w.engine.stopExecution(id);
  });

  it('customer never answers: one reminder, then closed as no response', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    await w.steps.propose(id);
    await w.steps.review(id);
    const first = await w.miss(id, 'AwaitCustomerDecision');
    expect(first.deadline).toBeDefined();
    const waiting = await w.store.get(id);
    expect(waiting?.pending).toMatchObject({
      step: 'customer_decision',
      escalationLevel: 0,
      dueAt: expect.any(String),
    });
    const task = await w.engine.waitForTask(id, 'AwaitCustomerDecision');
    w.clock.set(task.deadline!);
    expect(w.engine.fireDueTimeouts()).toBe(1);
    const r = await w.finish(id);
    expect(r.execution.status).toBe('SUCCEEDED');
    expect(r.states).toEqual([
      ...TO_DECISION,
      'ReminderSent',
      'PlanCustomerDecisionAfterReminder',
      'RemindCustomer',
      'AwaitCustomerDecision',
      'ReminderSent',
      'CloseNoResponse',
    ]);
    expect(r.complaint).toMatchObject({ stage: 'closed', outcome: 'no_response', escalations: 0 });
    expect(r.events.slice(-6)).toEqual([
      'approved',
      'step_opened',
      'reminded',
      'step_opened',
      'closed',
      'archived',
    ]);
    expect(r.events.filter((e) => e === 'reminded')).toHaveLength(1);
    expect(r.events).not.toContain('escalated');
    expect(r.emails).toEqual(['acknowledgement', 'proposal', 'reminder', 'closure']);
  });

  it('dissatisfied survey reopens at the department; the second result satisfies', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    await w.steps.propose(id);
    await w.steps.review(id);
    await w.steps.decide(id);
    await w.steps.implement(id);
    await w.steps.survey(id, 2);
    await w.steps.propose(id);
    await w.steps.review(id);
    await w.steps.decide(id);
    await w.steps.implement(id);
    await w.steps.survey(id, 5);
    const r = await w.finish(id);
    expect(r.states).toEqual([
      ...TO_DECISION,
      ...TO_SURVEY_DONE,
      'ReturnSurveyToDepartment',
      ...PROPOSAL_ROUND,
      ...TO_SURVEY_DONE,
      ...CLOSE_RESOLVED,
    ]);
    expect(r.complaint).toMatchObject({
      stage: 'closed',
      outcome: 'resolved',
      reopens: 1,
      proposalRounds: 2,
    });
    expect(r.complaint.survey?.rating).toBe(5);
    expect(r.events.filter((e) => e === 'reopened')).toHaveLength(1);
    expect(r.events.indexOf('reopened')).toBeLessThan(r.events.lastIndexOf('surveyed'));
    // the department hears of the dissatisfied rating at once, and of the final one at archive
    expect(r.emails.filter((t) => t === 'survey_result')).toHaveLength(2);
    console.info(`reopen path: ${r.states.length} state transitions`);
  });

  it('reopened a third time: the manager is alerted, the department proposes again', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    for (let round = 0; round < 3; round++) {
      await w.steps.propose(id);
      await w.steps.review(id);
      await w.steps.decide(id);
      await w.steps.implement(id);
      await w.steps.survey(id, 1);
    }
    await w.engine.waitForTask(id, 'AwaitProposal');
    const states = w.engine.statesVisited(id);
    expect(states.filter((s) => s === 'ReturnSurveyToDepartment')).toHaveLength(3);
    expect(states.filter((s) => s === 'EscalateRepeatedReopens')).toHaveLength(1);
    expect(states.slice(-5)).toEqual([
      'SurveyOutcome',
      'EscalateRepeatedReopens',
      'ReturnSurveyToDepartment',
      'PlanProposal',
      'AwaitProposal',
    ]);
    expect(await w.store.get(id)).toMatchObject({
      stage: 'proposal',
      reopens: 3,
      escalations: 1,
      maxEscalationLevel: 2,
    });
    const escalation = w.emails.find((e) => e.complaintId === id && e.template === 'escalation');
    expect(escalation?.ctx).toMatchObject({ level: 2, reason: 'reopens', count: 3 });
    const events = (await w.store.events(id)).map((e) => e.type);
    expect(events.filter((e) => e === 'reopened')).toHaveLength(3);
    expect(events.at(-2)).toBe('escalated');
    w.engine.stopExecution(id);
  });

  it('survey unanswered: an agent follows up by phone and records the rating', async () => {
    const id = await w.start();
    await w.steps.investigate(id);
    await w.steps.propose(id);
    await w.steps.review(id);
    await w.steps.decide(id);
    await w.steps.implement(id);
    await w.miss(id, 'AwaitFollowUp', 'AwaitAgentFollowUp');
    expect((await w.store.get(id))?.pending).toMatchObject({ step: 'agent_follow_up', stage: 'follow_up' });
    await w.steps.survey(id, 4, 'AwaitAgentFollowUp', AGENT);
    const r = await w.finish(id);
    expect(r.states.slice(TO_DECISION.length + 4)).toEqual([
      'AwaitFollowUp',
      'PlanAgentFollowUp',
      'AwaitAgentFollowUp',
      'RecordAgentFollowUp',
      'SurveyOutcome',
      ...CLOSE_RESOLVED,
    ]);
    expect(r.complaint).toMatchObject({ stage: 'closed', outcome: 'resolved', escalations: 0 });
    expect(r.complaint.survey).toMatchObject({ rating: 4, by: 'staff' });
  });

  it('a serious complaint registered by staff alerts the manager at intake', async () => {
    const id = await w.start({ severity: 'serious', staff: true });
    await w.engine.waitForTask(id, 'AwaitInvestigation');
    expect(w.engine.statesVisited(id)).toEqual(['PlanInvestigation', 'AwaitInvestigation']);
    expect(w.emails.filter((e) => e.complaintId === id).map((e) => e.template)).toEqual([
      'acknowledgement',
      'serious_intake',
    ]);
    // found serious again at investigation: no second alert
    await w.steps.investigate(id, { severity: 'serious' });
    await w.engine.waitForTask(id, 'AwaitProposal');
    expect(w.engine.statesVisited(id)).not.toContain('AlertManagerOfSeriousFinding');
    w.engine.stopExecution(id);
  });

  it('a complaint found serious at investigation alerts the manager then', async () => {
    const id = await w.start();
    await w.steps.investigate(id, { severity: 'serious' });
    await w.engine.waitForTask(id, 'AwaitProposal');
    expect(w.engine.statesVisited(id).slice(-3)).toEqual([
      'InvestigationOutcome',
      'AlertManagerOfSeriousFinding',
      'AwaitProposal',
    ]);
    expect(w.emails.filter((e) => e.complaintId === id && e.template === 'serious_intake')).toHaveLength(1);
    // implementation's deadline follows the severity: serious = 10 working days
    w.engine.stopExecution(id);
  });
});
