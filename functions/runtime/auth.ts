import { ForbiddenError, NotFoundError, UnauthorizedError } from '../domain/errors.js';
import type { Actor, Complaint, StaffRole } from '../domain/model.js';
import { ROLES } from '../domain/model.js';
import { ACTIONS, type ApiAction } from '../domain/steps/index.js';
import type { ApiEvent } from './http.js';

/**
 * Staff identity from the JWT authorizer's claims (Cognito on AWS, the local gateway's
 * signed token locally): `sub`, `cognito:groups` (roles) and `custom:department`.
 * Role checks follow docs/ARCHITECTURE.md, "Roles per action".
 */

export interface StaffIdentity {
  sub: string;
  /** every recognised role the user holds (unknown groups are ignored) */
  roles: StaffRole[];
  /** `custom:department`; required for the `department` role */
  department?: string;
  /** display name when the token carries one (`name`) */
  name?: string;
  /** work email when the token carries one (`email`): never put in an actor or the history */
  email?: string;
}

/** The staff views and actions that are not steps of the journey, and who may use them. */
const VIEW_ROLES = {
  register: ['agent', 'supervisor', 'manager'],
  list: ['agent', 'department', 'supervisor', 'manager'],
  get: ['agent', 'department', 'supervisor', 'manager'],
  reports: ['analyst', 'supervisor', 'manager'],
  improvementOpen: ['manager', 'analyst'],
  improvementRead: ['department', 'supervisor', 'manager', 'analyst'],
  improvementProgress: ['department', 'supervisor', 'manager'],
  improvementReview: ['manager'],
  note: ['agent', 'department', 'supervisor', 'manager'],
  /** the agents' call queue (GET /staff/call-tasks): the department role does not call customers */
  callTasks: ['agent', 'supervisor', 'manager'],
  /** take or release (agent, department); assign to anybody (supervisor, manager) */
  assign: ['agent', 'department', 'supervisor', 'manager'],
  /** an extension (延期) of the open step or of the promised reply date */
  extension: ['supervisor', 'manager'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffPermission = ApiAction | keyof typeof VIEW_ROLES;

/** A staff action or view, and the roles that may perform it (the steps' from the step catalogue). */
export const ROLES_FOR: Readonly<Record<StaffPermission, readonly StaffRole[]>> = {
  ...(Object.fromEntries(ACTIONS.map((a) => [a.action, a.roles])) as Record<ApiAction, readonly StaffRole[]>),
  ...VIEW_ROLES,
};

/** When a user holds several allowed roles, the widest one acts (department scope last). */
const PRECEDENCE: readonly StaffRole[] = ['manager', 'supervisor', 'agent', 'department', 'analyst'];

/**
 * Reads `cognito:groups` in any shape it arrives in: an array, a JSON array string, the
 * API Gateway rendering "[agent supervisor]", or "agent" / "agent,supervisor".
 */
export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => parseGroups(v));
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\s*\[|\]\s*$/g, '')
    .split(/[\s,]+/)
    .map((g) => g.replace(/^["']|["']$/g, '').trim())
    .filter((g) => g !== '');
}

function claimString(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The signed-in staff member, or 401 when the request carries no verified identity. */
export function staffIdentity(event: ApiEvent): StaffIdentity {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = claims ? claimString(claims, 'sub') : undefined;
  if (!claims || !sub) throw new UnauthorizedError('Sign in as a staff member first.');
  const known = new Set<string>(ROLES);
  const roles = [...new Set(parseGroups(claims['cognito:groups']))].filter((g): g is StaffRole =>
    known.has(g),
  );
  const department = claimString(claims, 'custom:department');
  const name = claimString(claims, 'name');
  const email = claimString(claims, 'email');
  return {
    sub,
    roles,
    ...(department ? { department } : {}),
    ...(name ? { name } : {}),
    ...(email && /^[^\s@]+@[^\s@]+$/.test(email) ? { email } : {}),
  };
}

/** The role this identity acts in for `permission`: the widest allowed one, or 403. */
export function actingRole(identity: StaffIdentity, permission: StaffPermission): StaffRole {
  const allowed: readonly StaffRole[] = ROLES_FOR[permission];
  const role = PRECEDENCE.find((r) => allowed.includes(r) && identity.roles.includes(r));
  if (!role) throw new ForbiddenError('Your role does not allow this action.');
  if (role === 'department' && !identity.department) {
    throw new ForbiddenError('Your account has no department assigned; ask an administrator.');
  }
  return role;
}

export type StaffActor = Extract<Actor, { kind: 'staff' }>;

/** The audit actor for `identity` acting in `role`. */
export function staffActor(identity: StaffIdentity, role: StaffRole): StaffActor {
  return {
    kind: 'staff',
    sub: identity.sub,
    role,
    ...(identity.department ? { department: identity.department } : {}),
    ...(identity.name ? { name: identity.name } : {}),
  };
}

/** Identity + permission check in one: the actor for the audit trail, or 401/403. */
export function requireStaff(event: ApiEvent, permission: StaffPermission): StaffActor {
  const identity = staffIdentity(event);
  return staffActor(identity, actingRole(identity, permission));
}

/**
 * The `department` role may only touch its own department's complaints: another department's
 * answers exactly like an unknown id (404), so that references cannot be probed.
 */
export function assertDepartmentScope(actor: StaffActor, complaint: Pick<Complaint, 'department'>): void {
  if (actor.role !== 'department') return;
  if (!complaint.department || complaint.department !== actor.department) {
    throw new NotFoundError();
  }
}
