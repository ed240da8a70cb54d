import { LIMITS } from '../complaint-schemas.js';
import { withEntry } from '../model.js';
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
  record(c, data, { actor, at }) {
    const implementation = {
      result: String(data.result),
      basis: String(data.basis),
      ...(data.suggestions ? { suggestions: String(data.suggestions) } : {}),
    };
    return {
      remove: ['pending'],
      set: {
        implementation,
        record: withEntry(c, { kind: 'implementation', at, actor, ...implementation }),
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
