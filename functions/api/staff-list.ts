import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { type StaffListQuery, staffListQuery } from '../domain/complaint-schemas.js';
import type { Complaint } from '../domain/model.js';
import { SEARCH_LIMIT, searchPlan } from '../domain/search.js';
import type { ComplaintStore, ListQuery } from '../domain/store.js';
import { staffListItem } from '../domain/views.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, json, parseWith } from '../runtime/http.js';

/**
 * GET /staff/complaints?status=open|closed&stage=&department=&overdue=true&assignee=me&limit=&cursor=
 * → `200 {items, nextCursor?}`, earliest due first (so overdue first). The department role
 * always sees its own department's queue, whatever `department` says. `assignee=me`: the
 * signed-in member's own open complaints (the "mine" queue, an index of its own).
 *
 * `q=` searches instead (functions/domain/search.ts): the complaints whose reference,
 * customer email, phone (any format) or order reference is exactly `q`, newest first, open
 * and closed (unless `status` says), at most 50, no cursor; the other filters narrow the
 * result and the department role still sees only its own department's.
 */
export const handler = apiHandler(async (event) => {
  const actor = requireStaff(event, 'list');
  const q = parseWith(staffListQuery, event.queryStringParameters ?? {});
  const now = clock().now();
  const department = actor.role === 'department' ? actor.department : q.department;
  if (q.q !== undefined) {
    const found = await search(getStore(), q.q, q.limit ?? SEARCH_LIMIT);
    const items = found.filter((c) => matches(c, q, department, actor.sub, now));
    return json(200, { items: items.map((c) => staffListItem(c, now)) });
  }
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

/** The complaints `q` names: by reference (one read) and by its links (one query each). */
async function search(store: ComplaintStore, q: string, limit: number): Promise<Complaint[]> {
  const plan = searchPlan(q);
  const [byReference, linked] = await Promise.all([
    plan.reference ? store.get(plan.reference) : undefined,
    store.linkedComplaints(plan.links, limit),
  ]);
  const found = byReference ? [byReference, ...linked.filter((c) => c.id !== byReference.id)] : linked;
  return found.slice(0, limit);
}

/** The list's other filters, applied to search results; `department` is the role's scope too. */
function matches(
  c: Complaint,
  q: StaffListQuery,
  department: string | undefined,
  sub: string,
  now: Date,
): boolean {
  const closed = c.stage === 'closed';
  if (department && c.department !== department) return false;
  if (q.status && (q.status === 'closed') !== closed) return false;
  if (q.stage && c.stage !== q.stage) return false;
  if (q.assignee === 'me' && (closed || c.assignee?.sub !== sub)) return false;
  if (q.overdue && !(c.pending && Date.parse(c.pending.dueAt) < now.getTime())) return false;
  return true;
}
