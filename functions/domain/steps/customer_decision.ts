import { LIMITS } from '../complaint-schemas.js';
import { customerPlanVersion, withEntry } from '../model.js';
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
  record(c, data, { actor, at }) {
    const proposal = c.proposal;
    const round = proposal?.round ?? 0;
    const accept = data.accept === true;
    const comment = typeof data.comment === 'string' && data.comment !== '' ? data.comment : undefined;
    const record = withEntry(c, {
      kind: 'decision',
      at,
      actor,
      round,
      accept,
      ...(comment ? { comment } : {}),
    });
    if (accept) {
      return {
        remove: ['pending'],
        set: { record, ...(proposal ? { proposal: { ...proposal, acceptedAt: at } } : {}) },
        event: { type: 'accepted', actor, stage: 'customer_decision', data: { round } },
      };
    }
    return {
      remove: ['pending'],
      set: {
        record,
        declines: c.declines + 1,
        ...(proposal ? { proposal: { ...proposal, declinedAt: at } } : {}),
      },
      event: {
        type: 'declined',
        actor,
        stage: 'customer_decision',
        data: { round, declines: c.declines + 1 },
      },
    };
  },
  facts(c, { threshold }) {
    const accept = Boolean(c.proposal?.acceptedAt);
    return { accept, declines: c.declines, escalate: !accept && c.declines > threshold };
  },
  customerView: {
    // the approved plan, only while it awaits the customer's decision
    whilePending: (c, pending) =>
      c.proposal?.approvedAt
        ? {
            awaiting: { action: 'decision', dueAt: pending.dueAt },
            proposal: {
              plan: c.proposal.plan,
              round: customerPlanVersion(c),
              approvedAt: c.proposal.approvedAt,
            },
          }
        : undefined,
  },
});
