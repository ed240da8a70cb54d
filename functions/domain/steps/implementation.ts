import { LIMITS } from '../complaint-schemas.js';
import { defineStep, field } from './step.js';

/** The department carries out the accepted plan and records the result for the customer. */
export const implementation = defineStep({
  step: 'implementation',
  stage: 'implementation',
  action: 'implementation',
  roles: ['department', 'supervisor', 'manager'],
  ownDepartment: true,
  deadline: 'implementation',
  phrase: 'the implementation result',
  label: { 'zh-CN': '方案实施', en: 'Implementation' },
  fields: [
    field.text('result', LIMITS.result),
    field.text('basis', LIMITS.basis),
    field.optionalText('suggestions', LIMITS.suggestions),
  ],
  record(_c, data, { actor }) {
    return {
      remove: ['pending'],
      set: {
        implementation: {
          result: String(data.result),
          basis: String(data.basis),
          ...(data.suggestions ? { suggestions: String(data.suggestions) } : {}),
        },
        stage: 'follow_up',
      },
      event: { type: 'implemented', actor, stage: 'implementation' },
    };
  },
  customerView: {
    // the implemented solution, as emailed to the customer
    recorded(c) {
      if (!c.implementation) return undefined;
      const { result, basis, suggestions } = c.implementation;
      return { result: { result, basis, ...(suggestions ? { suggestions } : {}) } };
    },
  },
});
