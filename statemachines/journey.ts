/**
 * The complaint journey, as a reader should see it: intake, then the human steps of the step
 * catalogue (functions/domain/steps/) with the choices between them, the emails, and the three
 * ways to close. `npm run asl` turns it into ./complaint-journey.asl.json, the file CDK and the
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
  presentAndTrue,
  type States,
  task,
} from './asl.js';

const comment =
  'The complaint journey: one Standard execution per complaint (name = complaint id, input {"complaintId"}). See docs/ARCHITECTURE.md "The journey contract".';

const states: States = {
  // ---- intake: the acknowledgement; a serious complaint alerts the manager at once
  Intake: task(
    'Intake',
    {},
    {
      comment: 'Acknowledgement email (reference, next steps, promised reply date).',
      output: 'payload',
      next: 'SeriousAtIntake',
    },
  ),
  SeriousAtIntake: choice(
    [[isTrue('$.facts.serious'), 'AlertManagerOfSeriousIntake']],
    enter('investigation'),
  ),
  AlertManagerOfSeriousIntake: notify('serious_intake', enter('investigation'), {
    comment: 'A serious complaint notifies the manager on intake.',
  }),

  // ---- investigation: valid or not (not valid closes as rejected)
  ...humanStep('investigation', { next: 'InvestigationOutcome' }),
  InvestigationOutcome: choice(
    [
      [and(isTrue('$.facts.valid'), isTrue('$.facts.seriousFound')), 'AlertManagerOfSeriousFinding'],
      [isTrue('$.facts.valid'), enter('proposal')],
    ],
    'NotifyRejected',
  ),
  AlertManagerOfSeriousFinding: notify('serious_intake', enter('proposal'), {
    comment: 'Found serious at investigation: the manager is notified.',
  }),
  NotifyRejected: notify('rejected', 'CloseRejected', {
    comment: 'Not valid: the investigation opinion goes to the customer.',
  }),
  CloseRejected: close('rejected', 'Archived'),

  // ---- proposal and the supervisor's review (returned: a new proposal)
  ...humanStep('proposal', { next: enter('review') }),
  ...humanStep('review', { next: 'ReviewOutcome' }),
  ReviewOutcome: choice([[isTrue('$.facts.approved'), enter('customer_decision')]], enter('proposal')),

  // ---- the customer's decision: silent → one reminder, then closed as no response
  ...humanStep('customer_decision', {
    next: 'DecisionOutcome',
    onTimeout: 'ReminderSent',
    opens: {
      name: 'NotifyProposal',
      state: (next) =>
        notify('proposal', next, {
          comment: 'The approved plan becomes visible to the customer, with the decision deadline.',
          dueAt: true,
        }),
    },
  }),
  ReminderSent: choice(
    [[presentAndTrue('$.step.reminder'), 'NotifyClosedNoResponse']],
    'PlanCustomerDecisionAfterReminder',
    'Customer silent: one reminder, then closed as no response.',
  ),
  PlanCustomerDecisionAfterReminder: task(
    'PlanStep',
    { step: 'customer_decision', reminder: true },
    { comment: 'The reminder deadline.', output: 'payload', next: 'RemindCustomer' },
  ),
  RemindCustomer: notify('reminder', 'AwaitCustomerDecision', {
    comment: 'One reminder, with the new decision deadline.',
    dueAt: true,
  }),
  NotifyClosedNoResponse: notify('closure', 'CloseNoResponse'),
  CloseNoResponse: close('no_response', 'Archived'),
  DecisionOutcome: choice(
    [
      [isTrue('$.facts.accept'), enter('implementation')],
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

  // ---- implementation, then the result email
  ...humanStep('implementation', { next: 'NotifyResult' }),
  NotifyResult: notify('result', enter('follow_up'), { comment: 'Result, basis and follow-up suggestions.' }),

  // ---- the survey; unanswered → the agent's follow-up call; dissatisfied → a new proposal
  ...humanStep('follow_up', {
    next: 'SurveyOutcome',
    onTimeout: enter('agent_follow_up'),
    opens: {
      name: 'RequestSurvey',
      state: (next) =>
        notify('survey_request', next, {
          comment: 'The satisfaction survey, with its deadline.',
          dueAt: true,
        }),
    },
  }),
  ...humanStep('agent_follow_up', {
    next: 'SurveyOutcome',
    planComment: 'Survey unanswered, or the last call found nobody: an agent follows up by phone.',
  }),
  SurveyOutcome: choice(
    [
      [isTrue('$.facts.giveUp'), 'NotifyClosedNoResponse'],
      [isTrue('$.facts.unreachable'), enter('agent_follow_up')],
      [isTrue('$.facts.satisfied'), 'NotifyClosure'],
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
  NotifyClosure: notify('closure', 'CloseResolved'),
  CloseResolved: close(
    'resolved',
    'Archived',
    'Closed and archived; the survey result goes to the department.',
  ),

  // ---- the ends
  Archived: { Type: 'Succeed' },
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

export const journey = { Comment: comment, StartAt: 'Intake', States: states };
