import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { staffListQuery } from '../domain/complaint-schemas.js';
import type { ListQuery } from '../domain/store.js';
import { staffListItem } from '../domain/views.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, json, parseWith } from '../runtime/http.js';

/**
 * GET /staff/complaints?status=open|closed&stage=&department=&overdue=true&assignee=me&limit=&cursor=
 * → `200 {items, nextCursor?}`, earliest due first (so overdue first). The department role
 * always sees its own department's queue, whatever `department` says. `assignee=me`: the
 * signed-in member's own open complaints (the "mine" queue, an index of its own).
 */
export const handler = apiHandler(async (event) => {
  const actor = requireStaff(event, 'list');
  const q = parseWith(staffListQuery, event.queryStringParameters ?? {});
  const now = clock().now();
  const department = actor.role === 'department' ? actor.department : q.department;
  const query: ListQuery = {
    ...(q.status ? { status: q.status } : {}),
    ...(q.stage ? { stage: q.stage } : {}),
    ...(department ? { department } : {}),
    ...(q.overdue ? { overdueAt: now.toISOString() } : {}),
    ...(q.assignee === 'me' ? { assignee: actor.sub } : {}),
    ...(q.limit ? { limit: q.limit } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
  const page = await getStore().list(query);
  // the "mine" queue is read by owner: keep the department scope on it too
  const items = department ? page.items.filter((c) => c.department === department) : page.items;
  return json(200, {
    items: items.map((c) => staffListItem(c, now)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  });
});
