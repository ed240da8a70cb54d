import { survey } from './follow_up.js';
import { defineStep } from './step.js';

/**
 * The survey went unanswered: an agent calls the customer and records the answer, or that
 * nobody answered (`unreachable: true`: the call is tried again with a new deadline, and after
 * the policy's `unreachableAttempts` the complaint closes as no response). The customer may
 * still answer the survey themselves meanwhile (their answer resumes this step too).
 */
export const agentFollowUp = defineStep({
  ...survey,
  step: 'agent_follow_up',
  deadline: 'agent_follow_up',
  label: { 'zh-CN': '客服电话回访', en: 'Agent follow-up call' },
  fields: survey.callFields,
  requiredWhen: survey.callRequiredWhen,
  record: (c, data, ctx) => survey.record(c, data, ctx, 'agent_follow_up'),
});
