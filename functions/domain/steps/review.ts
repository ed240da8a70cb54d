import { LIMITS } from '../complaint-schemas.js';
import { JourneyInputError } from '../errors.js';
import { withEntry } from '../model.js';
import { defineStep, field } from './step.js';

/** A supervisor approves the plan (it goes to the customer) or returns it to the department. */
export const review = defineStep({
  step: 'review',
  stage: 'review',
  action: 'review',
  roles: ['supervisor', 'manager'],
  ownDepartment: false,
  deadline: 'review',
  phrase: 'a review of the proposal',
  label: { 'zh-CN': '主管审核', en: 'Supervisor review' },
  fields: [field.boolean('approved'), field.optionalText('comment', LIMITS.comment)],
  requiredWhen: [
    {
      field: 'comment',
      when: { field: 'approved', equals: false },
      message: 'Required when the plan is returned: tell the department what to change.',
    },
  ],
  record(c, data, { actor, at, firstResponse }) {
    const proposal = c.proposal;
    if (!proposal) throw new JourneyInputError('review without a proposal');
    const comment = typeof data.comment === 'string' && data.comment !== '' ? data.comment : undefined;
    const record = withEntry(c, {
      kind: 'review',
      at,
      actor,
      round: proposal.round,
      approved: data.approved === true,
      ...(comment ? { comment } : {}),
    });
    if (data.approved === true) {
      return {
        remove: ['pending'],
        set: {
          proposal: { ...proposal, approvedAt: at },
          record,
          ...firstResponse(c, at),
        },
        event: { type: 'approved', actor, stage: 'review', data: { round: proposal.round } },
      };
    }
    return {
      remove: ['pending'],
      set: {
        proposal: { ...proposal, ...(comment ? { returnComment: comment } : {}) },
        record,
      },
      event: { type: 'returned', actor, stage: 'review', data: { round: proposal.round } },
    };
  },
  facts: (c) => ({ approved: Boolean(c.proposal?.approvedAt) }),
});
