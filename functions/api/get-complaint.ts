import { getStore } from '../adapters/store.js';
import { NotFoundError } from '../domain/errors.js';
import { customerAttachments, customerView } from '../domain/views.js';
import { authorizeCustomer } from '../runtime/access.js';
import { apiHandler, json } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * GET /complaints/{id} with `Authorization: Bearer <accessToken>` → the customer's view:
 * status, stage, dates, a customer-safe timeline, and the approved proposal while it awaits
 * the customer's decision. Unknown id, malformed id, missing or wrong token: the same 404.
 */
export const handler = apiHandler(async (event) => {
  const id = await authorizeCustomer(event);
  logger.appendKeys({ complaintId: id });
  const store = getStore();
  const [complaint, events, attachments] = await Promise.all([
    store.get(id),
    store.events(id),
    store.attachments(id),
  ]);
  if (!complaint) throw new NotFoundError();
  return json(200, { ...customerView(complaint, events), attachments: customerAttachments(attachments) });
});
