import * as z from 'zod';
import { getImprovementStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { IMPROVEMENT_STATUSES } from '../domain/improvements.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, json, parseWith, pathParameter } from '../runtime/http.js';
import { assertImprovementScope, improvementIdOf, improvementView } from './improvements-shared.js';

/**
 * GET /staff/improvements?status=&department= — the improvement actions, earliest due first,
 * each with `overdue`; GET /staff/improvements/{id} — one, with its audit events. Managers,
 * supervisors, analysts (staff shown by role only), and the `department` role for its own
 * department's actions.
 */

/** Built on its first parse (z.lazy), not at import. */
const listQuery = z.lazy(() =>
  z.object({
    status: z
      .enum(IMPROVEMENT_STATUSES, { error: `Must be one of ${IMPROVEMENT_STATUSES.join(', ')}.` })
      .optional(),
    department: z.string().max(64).optional(),
  }),
);

export const handler = apiHandler(async (event) => {
  const actor = requireStaff(event, 'improvementRead');
  const now = clock().now();
  const store = getImprovementStore();
  const rawId = pathParameter(event, 'id');
  if (rawId !== undefined) {
    const id = improvementIdOf(rawId);
    const improvement = await store.get(id);
    if (!improvement) throw new NotFoundError('No improvement action with this id was found.');
    assertImprovementScope(actor, improvement);
    const events = await store.events(id);
    const view = improvementView(improvement, now, actor);
    return json(200, {
      ...view,
      events: events.map((e) =>
        actor.role === 'analyst' && e.actor.kind === 'staff'
          ? { ...e, actor: { kind: 'staff', role: e.actor.role } }
          : e,
      ),
    });
  }
  const q = parseWith(listQuery, event.queryStringParameters ?? {});
  if (actor.role === 'department' && q.department && q.department !== actor.department) {
    throw new ForbiddenError('You see your own department’s improvement actions only.');
  }
  const department = actor.role === 'department' ? actor.department : q.department;
  const items = await store.list({
    ...(q.status ? { status: q.status } : {}),
    ...(department ? { department } : {}),
  });
  return json(200, { items: items.map((i) => improvementView(i, now, actor)) });
});
