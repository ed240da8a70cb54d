import { getStore } from '../adapters/store.js';
import { callTasksQuery } from '../domain/complaint-schemas.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, json, parseWith } from '../runtime/http.js';

/**
 * GET /staff/call-tasks?limit=&cursor= → `200 {items, nextCursor?}`: the agents' call queue,
 * the open call tasks of every complaint (notices for customers without an email address,
 * functions/domain/call-tasks.ts), oldest first. Each item: `{complaintId, taskId, template,
 * createdAt, dueAt?, subject, text, language, customerName, phone?}`. One Query of the
 * queue's index partition, never a scan. Agents, supervisors and managers (the department
 * role does not take the customer's calls). Logging the call completes a task:
 * `POST /staff/complaints/{id}/notes {kind: 'call', callTask, text}`.
 */
export const handler = apiHandler(async (event) => {
  requireStaff(event, 'callTasks');
  const q = parseWith(callTasksQuery, event.queryStringParameters ?? {});
  const page = await getStore().openCallTasks({
    ...(q.limit ? { limit: q.limit } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  return json(200, { items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});
