import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../../functions/domain/policy.js';
import {
  ACTIONS,
  actionSpec,
  CATALOGUE,
  STAGE_OF_STEP,
  STEPS,
  stepDefinition,
} from '../../../../functions/domain/steps/index.js';
import { ROLES, STAGES } from '../../../../functions/domain/vocabulary.js';
import { ROUTES } from '../../../../functions/routes.js';

describe('the step catalogue', () => {
  it('declares each step once, with a stage, a policy deadline, roles and both labels', () => {
    expect(new Set(STEPS).size).toBe(CATALOGUE.length);
    for (const d of CATALOGUE) {
      expect(STAGES).toContain(d.stage);
      expect(STAGE_OF_STEP[d.step]).toBe(d.stage);
      expect(Object.keys(DEFAULT_POLICY.steps)).toContain(d.deadline);
      expect(d.roles.length).toBeGreaterThan(0);
      for (const role of d.roles) expect(ROLES).toContain(role);
      expect(d.label['zh-CN']).not.toBe('');
      expect(d.label.en).not.toBe('');
      expect(stepDefinition(d.step)).toBe(d);
    }
  });

  it('gives steps that share an action the same body (a survey answer completes either survey step)', () => {
    const survey = actionSpec('survey');
    expect(survey?.steps).toEqual(['follow_up', 'agent_follow_up']);
    for (const step of survey?.steps ?? []) expect(stepDefinition(step)?.fields).toEqual(survey?.fields);
  });

  it('opens one staff route per action and one customer route per action a customer answers', () => {
    const staff = ROUTES.filter((r) => r.entry === 'functions/api/staff-action.ts').map((r) => r.path);
    expect(staff.sort()).toEqual(ACTIONS.map((a) => `/staff/complaints/{id}/${a.action}`).sort());
    const customer = ROUTES.filter((r) => r.entry === 'functions/api/customer-action.ts').map((r) => r.path);
    expect(customer.sort()).toEqual(['/complaints/{id}/decision', '/complaints/{id}/survey']);
  });

  it('validates a body from the declared fields: required, conditional, choices, limits', () => {
    const review = actionSpec('review');
    expect(review?.schema().safeParse({ approved: true }).success).toBe(true);
    const returned = review?.schema().safeParse({ approved: false });
    expect(returned?.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['comment', 'Required when the plan is returned: tell the department what to change.'],
    ]);
    const investigation = actionSpec('investigation')?.schema({ departments: ['sales'] });
    const body = { valid: true, category: 'service', severity: 'minor', findings: 'x', department: 'hr' };
    expect(investigation?.safeParse(body).error?.issues.map((i) => i.message)).toEqual([
      'Must be one of the departments: sales.',
    ]);
    expect(investigation?.safeParse({ ...body, department: 'sales' }).success).toBe(true);
    const survey = actionSpec('survey')?.schema();
    expect(survey?.safeParse({ rating: 6 }).error?.issues.map((i) => i.message)).toEqual([
      'Must be a whole number from 1 to 5.',
    ]);
  });
});
