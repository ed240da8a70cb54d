import { LIMITS } from '../complaint-schemas.js';
import { withEntry } from '../model.js';
import { defineStep, field } from './step.js';

/** The responsible department proposes a solution (again after a return, a decline or a reopen). */
export const proposal = defineStep({
  step: 'proposal',
  stage: 'proposal',
  action: 'proposal',
  roles: ['department', 'supervisor', 'manager'],
  ownDepartment: true,
  deadline: 'proposal',
  phrase: 'a proposal',
  label: { 'zh-CN': '制定处理方案', en: 'Solution proposal' },
  fields: [field.text('plan', LIMITS.plan)],
  record(c, data, { actor, at }) {
    const round = c.proposalRounds + 1;
    return {
      remove: ['pending'],
      set: {
        proposal: { plan: String(data.plan), round, proposedAt: at },
        proposalRounds: round,
        record: withEntry(c, { kind: 'proposal', at, actor, round, plan: String(data.plan) }),
      },
      event: { type: 'proposed', actor, stage: 'proposal', data: { round } },
    };
  },
});
