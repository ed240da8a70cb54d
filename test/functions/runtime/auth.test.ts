import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../../functions/domain/errors.js';
import type { StaffRole } from '../../../functions/domain/model.js';
import {
  actingRole,
  assertDepartmentScope,
  parseGroups,
  type ROLES_FOR,
  requireStaff,
  staffIdentity,
} from '../../../functions/runtime/auth.js';
import { apiEvent } from '../../support/api-events.js';

const withClaims = (claims?: Record<string, unknown>) =>
  apiEvent({ method: 'GET', route: '/staff/complaints', ...(claims ? { claims } : {}) });

describe('parseGroups', () => {
  it.each<[unknown, string[]]>([
    [['agent'], ['agent']],
    [
      ['agent', 'supervisor'],
      ['agent', 'supervisor'],
    ],
    ['[agent]', ['agent']],
    ['[agent supervisor]', ['agent', 'supervisor']],
    ['agent', ['agent']],
    ['agent,supervisor', ['agent', 'supervisor']],
    ['["agent","manager"]', ['agent', 'manager']],
    ['[]', []],
    ['', []],
    [undefined, []],
    [42, []],
  ])('reads %j', (value, expected) => {
    expect(parseGroups(value)).toEqual(expected);
  });
});

describe('staffIdentity', () => {
  it('reads sub, known roles and department; ignores unknown groups', () => {
    const identity = staffIdentity(
      withClaims({
        sub: 'u-1',
        'cognito:groups': '[department admins]',
        'custom:department': 'sales',
        name: 'Zhou',
      }),
    );
    expect(identity).toEqual({ sub: 'u-1', roles: ['department'], department: 'sales', name: 'Zhou' });
  });

  it('answers 401 without claims or without sub', () => {
    expect(() => staffIdentity(withClaims())).toThrow(UnauthorizedError);
    expect(() => staffIdentity(withClaims({ 'cognito:groups': '[agent]' }))).toThrow(UnauthorizedError);
  });
});

describe('roles per action (docs/ARCHITECTURE.md)', () => {
  const matrix: Record<keyof typeof ROLES_FOR, StaffRole[]> = {
    investigation: ['agent', 'supervisor', 'manager'],
    proposal: ['department', 'supervisor', 'manager'],
    implementation: ['department', 'supervisor', 'manager'],
    review: ['supervisor', 'manager'],
    decision: ['agent', 'manager'],
    survey: ['agent', 'manager'],
    register: ['agent', 'supervisor', 'manager'],
    list: ['agent', 'department', 'supervisor', 'manager'],
    get: ['agent', 'department', 'supervisor', 'manager'],
    reports: ['analyst', 'supervisor', 'manager'],
    improvementOpen: ['manager', 'analyst'],
    improvementRead: ['department', 'supervisor', 'manager', 'analyst'],
    improvementProgress: ['department', 'supervisor', 'manager'],
    improvementReview: ['manager'],
    note: ['agent', 'department', 'supervisor', 'manager'],
    callTasks: ['agent', 'supervisor', 'manager'],
    assign: ['agent', 'department', 'supervisor', 'manager'],
    extension: ['supervisor', 'manager'],
  };
  const all: StaffRole[] = ['agent', 'department', 'supervisor', 'manager', 'analyst'];
  for (const [permission, allowed] of Object.entries(matrix) as [keyof typeof ROLES_FOR, StaffRole[]][]) {
    it(`${permission}: ${allowed.join(', ')}`, () => {
      for (const role of all) {
        const identity = { sub: 's', roles: [role], department: 'sales' };
        if (allowed.includes(role)) expect(actingRole(identity, permission)).toBe(role);
        else expect(() => actingRole(identity, permission)).toThrow(ForbiddenError);
      }
    });
  }

  it('acts in the widest allowed role when a user holds several', () => {
    expect(
      actingRole({ sub: 's', roles: ['department', 'supervisor'], department: 'sales' }, 'proposal'),
    ).toBe('supervisor');
    expect(actingRole({ sub: 's', roles: ['analyst', 'agent'] }, 'list')).toBe('agent');
  });

  it('refuses the department role without a department', () => {
    expect(() => actingRole({ sub: 's', roles: ['department'] }, 'proposal')).toThrow(/no department/);
  });

  it('requireStaff gives the audit actor', () => {
    const actor = requireStaff(withClaims({ sub: 'u-2', 'cognito:groups': ['agent'] }), 'investigation');
    expect(actor).toEqual({ kind: 'staff', sub: 'u-2', role: 'agent' });
  });

  it('scopes only the department role', () => {
    const dept = { kind: 'staff', sub: 's', role: 'department', department: 'sales' } as const;
    expect(() => assertDepartmentScope(dept, { department: 'sales' })).not.toThrow();
    // another department's complaint answers like an unknown id (404)
    expect(() => assertDepartmentScope(dept, { department: 'billing' })).toThrow(NotFoundError);
    expect(() => assertDepartmentScope(dept, {})).toThrow(NotFoundError);
    expect(() =>
      assertDepartmentScope({ ...dept, role: 'supervisor' }, { department: 'billing' }),
    ).not.toThrow();
  });
});
