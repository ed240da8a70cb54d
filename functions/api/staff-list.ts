import { requireStaff } from '../commons/auth.js';
import { apiHandler, json, parseWith } from '../commons/http.js';
import { getStore } from '../commons/store.js';
import { clock } from '../shared/clock.js';
import { staffListQuery } from '../shared/complaint-schemas.js';
import type { ListQuery } from '../shared/store/complaint-store.js';
import { staffListItem } from '../shared/views.js';

/**
 * GET /staff/complaints?status=open|closed&stage=&department=&overdue=true&limit=&cursor=
 * → `200 {items, nextCursor?}`, earliest due first (so overdue first). The department role
 * always sees its own department's queue, whatever `department` says.
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
    ...(q.limit ? { limit: q.limit } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
  const page = await getStore().list(query);
  return json(200, {
    items: page.items.map((c) => staffListItem(c, now)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  });
});
