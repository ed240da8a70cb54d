import * as z from 'zod';
import { notify } from '../adapters/ses-notifier.js';
import { getStore } from '../adapters/store.js';
import { DURATION_UNITS } from '../domain/calendar/calendar.js';
import { clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import { extend } from '../domain/extension.js';
import type { Extension } from '../domain/model.js';
import { profileNamed } from '../domain/policy.js';
import { parseReference } from '../domain/reference.js';
import { text } from '../domain/text.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, bodyOf, json, parseWith, pathParameter } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';
import { productConfig } from '../runtime/product-config.js';

/**
 * POST /staff/complaints/{id}/extension `{days, unit?, target?, reason}` (supervisor, manager):
 * an extension (延期) of the open step (`target: "step"`, the default) or of the promised reply
 * date (`"reply"`) by `days` of `unit` (default: the unit of the profile's allowance), within
 * the allowance of the complaint's deadline profile. Beyond it, or with nothing to extend: 409
 * with a sentence saying why. The customer gets the `extension` email (the new date, the
 * reason); the history gets an `extended` event. The journey's wait is not touched: its
 * callback task times out at the old deadline and Escalate waits again for the rest
 * (docs/ARCHITECTURE.md, "Extensions").
 */

/** Built on its first parse (z.lazy), not at import. */
const body = z.lazy(() =>
  z.strictObject({
    days: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(366, {
      error: 'must be at most 366',
    }),
    unit: z.enum(DURATION_UNITS, { error: `must be one of ${DURATION_UNITS.join(', ')}` }).optional(),
    target: z.enum(['step', 'reply'], { error: 'must be step or reply' }).default('step'),
    /** shown to the customer: the project's text rule (functions/domain/text.ts) */
    reason: text(1000),
  }),
);

export const handler = apiHandler(
  async (event) => {
    const actor = requireStaff(event, 'extension');
    const id = parseReference(pathParameter(event, 'id') ?? '');
    if (!id) throw new NotFoundError();
    logger.appendKeys({ complaintId: id });
    const request = parseWith(body, bodyOf(event));
    const { policy, calendar } = productConfig();
    const store = getStore();
    const complaint = await store.get(id);
    if (!complaint) throw new NotFoundError();
    const unit =
      request.unit ??
      profileNamed(policy, complaint.profile ?? 'default').extensions.max?.unit ??
      'workingDays';
    const at = clock().now();
    let granted: Extension | undefined;
    const updated = await store.update(id, (c) => {
      const change = extend(
        c,
        { target: request.target, by: { amount: request.days, unit }, reason: request.reason },
        { policy, calendar, actor, at },
      );
      granted = change.extension;
      return { set: change.set, event: change.event };
    });
    const extension = granted as Extension;
    const dueAt = extension.replyDueBy ?? extension.stepDueAt ?? updated.replyDueBy;
    await notify(updated, 'extension', {
      dueAt,
      provisional: extension.replyDueBy ? updated.replyDueProvisional : updated.pending?.provisional,
      actor,
    });
    logger.info('extension granted', {
      target: extension.target,
      unit,
      amount: extension.amount,
      role: actor.role,
    });
    return json(200, {
      id,
      target: extension.target,
      ...(extension.stepDueAt ? { stepDueAt: extension.stepDueAt } : {}),
      replyDueBy: updated.replyDueBy,
      extensionsUsed: updated.extensions?.length ?? 0,
    });
  },
  { jsonBody: true },
);
