import { LIMITS } from '../complaint-schemas.js';
import { type Investigation, withEntry } from '../model.js';
import { defineStep, field } from './step.js';

/** The agent checks the complaint: valid or not, category, severity, responsible department. */
export const investigation = defineStep({
  step: 'investigation',
  stage: 'investigation',
  action: 'investigation',
  roles: ['agent', 'supervisor', 'manager'],
  ownDepartment: false,
  deadline: 'investigation',
  phrase: 'the investigation',
  label: { 'zh-CN': '调查核实', en: 'Investigation' },
  fields: [
    field.boolean('valid'),
    field.choice('category', 'CATEGORIES'),
    field.choice('severity', 'SEVERITIES'),
    field.optionalChoice('department', 'DEPARTMENTS'),
    /** internal: never shown to the customer */
    field.text('findings', LIMITS.findings),
    /** for the customer (the `rejected` email); findings stay internal */
    field.optionalText('opinion', LIMITS.opinion),
  ],
  requiredWhen: [
    {
      field: 'department',
      when: { field: 'valid', equals: true },
      message: 'Required when the complaint is valid: the department that proposes a solution.',
    },
  ],
  record(c, data, { actor, at, firstResponse }) {
    const found: Investigation = {
      valid: data.valid === true,
      category: data.category,
      severity: data.severity,
      findings: data.findings,
      ...(data.department ? { department: data.department } : {}),
      ...(typeof data.opinion === 'string' && data.opinion !== '' ? { opinion: data.opinion } : {}),
    };
    const department = found.department ?? c.department;
    return {
      remove: ['pending'],
      set: {
        investigation: found,
        record: withEntry(c, { kind: 'investigation', at, actor, ...found }),
        category: found.category,
        severity: found.severity,
        ...(department ? { department } : {}),
        ...(found.valid ? {} : firstResponse(c, at)),
      },
      event: {
        type: found.valid ? 'investigated' : 'rejected',
        actor,
        stage: 'investigation',
        data: {
          valid: found.valid,
          category: found.category,
          severity: found.severity,
          ...(department ? { department } : {}),
        },
      },
    };
  },
  async facts(c, { seriousAtIntake }) {
    const valid = c.investigation?.valid === true;
    // the manager heard at intake when the severity was known then (the alert that comes with the acknowledgement, see AwaitStep)
    return {
      valid,
      seriousFound: valid && c.investigation?.severity === 'serious' && !(await seriousAtIntake()),
    };
  },
});
