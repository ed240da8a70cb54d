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

  it("gives a shared action every field of its steps on the staff route, the customer's step's on the customer route", () => {
    const survey = actionSpec('survey');
    expect(survey?.steps).toEqual(['follow_up', 'agent_follow_up']);
    const names = (survey?.fields ?? []).map((f) => f.name).sort();
    for (const step of survey?.steps ?? [])
      for (const f of stepDefinition(step)?.fields ?? []) expect(names).toContain(f.name);
    // the agent's call may record that nobody answered; the customer's own answer may not
    expect(survey?.schema().safeParse({ unreachable: true }).success).toBe(true);
    expect(survey?.customerSchema().safeParse({ unreachable: true }).success).toBe(false);
    expect(survey?.customerSchema().safeParse({ rating: 5 }).success).toBe(true);
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
