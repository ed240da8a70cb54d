import { LIMITS } from '../complaint-schemas.js';
import { defineStep, field } from './step.js';

/** The customer accepts the approved plan or declines it (with a reason); an agent may record it for them. */
export const customerDecision = defineStep({
  step: 'customer_decision',
  stage: 'customer_decision',
  action: 'decision',
  roles: ['agent', 'manager'],
  ownDepartment: false,
  customer: { notWaiting: 'This complaint is not waiting for your decision on a proposal.' },
  deadline: 'customer_decision',
  phrase: "the customer's decision",
  label: { 'zh-CN': '客户确认方案', en: 'Customer decision' },
  fields: [field.boolean('accept'), field.optionalText('comment', LIMITS.comment)],
  requiredWhen: [
    {
      field: 'comment',
      when: { field: 'accept', equals: false },
      message: 'Required when declining: tell us why, so that we can propose something better.',
    },
  ],
  record(c, data, { actor }) {
    const round = c.proposal?.round;
    if (data.accept === true) {
      return {
        remove: ['pending'],
        set: { stage: 'implementation' },
        event: { type: 'accepted', actor, stage: 'customer_decision', data: { round } },
      };
    }
    return {
      remove: ['pending'],
      set: { declines: c.declines + 1, stage: 'proposal' },
      event: {
        type: 'declined',
        actor,
        stage: 'customer_decision',
        data: { round, declines: c.declines + 1 },
      },
    };
  },
  facts(c, { threshold }) {
    const accept = c.stage === 'implementation';
    return { accept, declines: c.declines, escalate: !accept && c.declines > threshold };
  },
  customerView: {
    // the approved plan, only while it awaits the customer's decision
    whilePending: (c, pending) =>
      c.proposal?.approvedAt
        ? {
            awaiting: { action: 'decision', dueAt: pending.dueAt },
            proposal: { plan: c.proposal.plan, round: c.proposal.round, approvedAt: c.proposal.approvedAt },
          }
        : undefined,
  },
});
