/**
 * The complaint journey, as a reader should see it: the human steps of the step
 * catalogue (functions/domain/steps/) with the choices between them, the emails, and the three
 * ways to close. Machine-only work rides in the tasks around it (a Record plans the next step,
 * the step's emails go when its Await task opens it, Close sends the last customer email) so
 * that each state is one billed transition worth having. `npm run asl` turns it into ./complaint-journey.asl.json, the file CDK and the
 * local engine run (test/journey/asl.test.ts fails when the two differ). The building blocks
 * (Retry and Catch, the states of a human step) are in ./asl.ts.
 */
import {
  and,
  choice,
  close,
  enter,
  humanStep,
  isTrue,
  NEEDS_ATTENTION,
  notify,
  open,
  presentAndTrue,
  type States,
  task,
} from './asl.js';

const comment =
  'The complaint journey: one Standard execution per complaint (name = complaint id, input {"complaintId"}). See docs/ARCHITECTURE.md "The journey contract".';

const states: States = {
  // ---- intake and investigation: as the investigation opens, the acknowledgement (reference,
  // next steps, promised reply date) and, for a complaint registered as serious, the manager's
  // alert; valid or not (not valid closes as rejected)
  ...humanStep('investigation', {
    next: 'InvestigationOutcome',
    plans: 'proposal',
    planComment: "The journey starts: the investigation's deadline (a letter counts from its receipt).",
    emails: ['acknowledgement'],
  }),
  InvestigationOutcome: choice(
    [
      [and(isTrue('$.facts.valid'), isTrue('$.facts.seriousFound')), 'AlertManagerOfSeriousFinding'],
      [isTrue('$.facts.valid'), open('proposal')],
    ],
    'CloseRejected',
  ),
  AlertManagerOfSeriousFinding: notify('serious_intake', open('proposal'), {
    comment: 'Found serious at investigation: the manager is notified.',
  }),
  CloseRejected: close('rejected', 'rejected', 'Not valid: the investigation opinion goes to the customer.'),

  // ---- proposal and the supervisor's review (returned: a new proposal)
  ...humanStep('proposal', { next: open('review'), plans: 'review' }),
  ...humanStep('review', { next: 'ReviewOutcome', planState: false, plans: 'customer_decision' }),
  ReviewOutcome: choice([[isTrue('$.facts.approved'), open('customer_decision')]], enter('proposal')),

  // ---- the customer's decision: silent → one reminder, then closed as no response
  ...humanStep('customer_decision', {
    next: 'DecisionOutcome',
    planState: false,
    plans: 'implementation',
    onTimeout: 'ReminderSent',
    // the approved plan becomes visible to the customer, with the decision deadline
    emails: ['proposal'],
  }),
  ReminderSent: choice(
    [[presentAndTrue('$.step.reminder'), 'CloseNoResponse']],
    'PlanCustomerDecisionAfterReminder',
    'Customer silent: one reminder, then closed as no response.',
  ),
  PlanCustomerDecisionAfterReminder: task(
    'PlanStep',
    { step: 'customer_decision', reminder: true },
    { comment: 'The reminder deadline.', output: 'payload', next: 'RemindCustomer' },
  ),
  RemindCustomer: notify('reminder', open('customer_decision'), {
    comment: 'One reminder, with the new decision deadline.',
    dueAt: true,
  }),
  CloseNoResponse: close('no_response', 'closure'),
  DecisionOutcome: choice(
    [
      [isTrue('$.facts.accept'), open('implementation')],
      [isTrue('$.facts.escalate'), 'EscalateRepeatedDeclines'],
    ],
    enter('proposal'),
  ),
  EscalateRepeatedDeclines: task(
    'Escalate',
    { reason: 'declines' },
    {
      comment: 'Declined more than the policy allows: the manager is told.',
      output: 'discard',
      next: enter('proposal'),
    },
  ),

  // ---- implementation, then the result email and the survey as the follow-up opens
  ...humanStep('implementation', { next: open('follow_up'), planState: false, plans: 'follow_up' }),

  // ---- the survey; unanswered → the agent's follow-up call; dissatisfied → a new proposal
  ...humanStep('follow_up', {
    next: 'SurveyOutcome',
    planState: false,
    onTimeout: enter('agent_follow_up'),
    // result, basis and follow-up suggestions; then the satisfaction survey with its deadline
    emails: ['result', 'survey_request'],
  }),
  ...humanStep('agent_follow_up', {
    next: 'SurveyOutcome',
    planComment: 'Survey unanswered, or the last call found nobody: an agent follows up by phone.',
  }),
  SurveyOutcome: choice(
    [
      [isTrue('$.facts.giveUp'), 'CloseNoResponse'],
      [isTrue('$.facts.unreachable'), enter('agent_follow_up')],
      [isTrue('$.facts.satisfied'), 'CloseResolved'],
      [isTrue('$.facts.escalate'), 'EscalateRepeatedReopens'],
    ],
    'ReturnSurveyToDepartment',
    "Nobody answered the follow-up call: call again (a new deadline) until the policy's unreachableAttempts, then closed as no response.",
  ),
  EscalateRepeatedReopens: task(
    'Escalate',
    { reason: 'reopens' },
    {
      comment: 'Reopened more than the policy allows: the manager is told.',
      output: 'discard',
      next: 'ReturnSurveyToDepartment',
    },
  ),
  ReturnSurveyToDepartment: notify('survey_result', enter('proposal'), {
    comment: 'Dissatisfied: the survey result goes back to the department, which proposes again.',
  }),
  CloseResolved: close(
    'resolved',
    'closure',
    'Closed and archived; the closure email to the customer, the survey result to the department.',
  ),

  // ---- the end of a failed journey (the Close tasks end the others)
  [NEEDS_ATTENTION]: task(
    'NeedsAttention',
    { 'error.$': '$.error' },
    {
      comment:
        'A task failed past its retries: flag the complaint (metric NeedsAttention alarms), then fail the execution.',
      output: 'discard',
      next: 'Failed',
      onFailure: { next: 'Failed', resultPath: '$.needsAttentionError' },
    },
  ),
  Failed: {
    Type: 'Fail',
    Error: 'Journey.NeedsAttention',
    Cause: 'A journey task failed past its retries; the complaint is flagged needsAttention.',
  },
};

export const journey = { Comment: comment, StartAt: 'PlanInvestigation', States: states };
