import * as z from 'zod';
import { notifyImprovement } from '../adapters/improvement-notifier.js';
import { getImprovementStore, getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { ValidationError } from '../domain/errors.js';
import { openImprovement, recordProgress, reviewEffect } from '../domain/improvements.js';
import { CATEGORIES } from '../domain/model.js';
import { parseReference } from '../domain/reference.js';
import { withThousands } from '../domain/text.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, bodyOf, json, parseWith, pathParameter } from '../runtime/http.js';
import { MetricName } from '../runtime/metric-names.js';
import { metrics } from '../runtime/powertools.js';
import {
  assertImprovementScope,
  DEPARTMENT_IDS,
  improvementClock,
  improvementIdOf,
  improvementView,
} from './improvements-shared.js';

/**
 * The improvement actions' writes (SPEC "Analysis", the API contract):
 * - POST /staff/improvements {title, description, department, dueInWorkingDays,
 *   complaintIds?, category?} → 201 {id, dueAt} (manager, analyst)
 * - POST /staff/improvements/{id}/progress {status: in_progress|done, note} (the owning
 *   department, supervisor, manager)
 * - POST /staff/improvements/{id}/review {effective, note} (manager): effective → verified;
 *   not effective → back to in_progress with a fresh deadline. 409 unless the action is done.
 * Each change is one audit event in the same write (functions/domain/improvements.ts).
 * Emails (functions/adapters/improvement-notifier.ts, never blocking): opened and sent back to
 * work → the owner department; done → the managers.
 */

const text = (max: number) =>
  z
    .string({ error: 'Required.' })
    .trim()
    .min(1, 'Must not be empty.')
    .max(max, `At most ${withThousands(max)} characters.`);

/** The bodies' schemas, built on their first parse (z.lazy), not at import. */
const openBody = z.lazy(() =>
  z.object({
    title: text(200),
    description: text(10_000),
    department: z.string({ error: 'Required.' }).refine((d) => DEPARTMENT_IDS.includes(d), {
      message: 'Must be a configured department.',
    }),
    dueInWorkingDays: z
      .number({ error: 'Must be a whole number of working days.' })
      .int('Must be a whole number of working days.')
      .min(1, 'At least 1.')
      .max(250, 'At most 250.'),
    complaintIds: z
      .array(
        z.string().transform((v, ctx) => {
          const id = parseReference(v);
          if (!id)
            ctx.addIssue({ code: 'custom', message: 'Must be a complaint reference like C2611-7K4Q-9XW2.' });
          return id ?? v;
        }),
      )
      .max(100, 'At most 100 complaints.')
      .optional(),
    category: z.enum(CATEGORIES, { error: `Must be one of ${CATEGORIES.join(', ')}.` }).optional(),
  }),
);

const progressBody = z.lazy(() =>
  z.object({
    status: z.enum(['in_progress', 'done'], { error: 'Must be in_progress or done.' }),
    note: text(4_000),
  }),
);

const reviewBody = z.lazy(() =>
  z.object({
    effective: z.boolean({ error: 'Must be true or false.' }),
    note: text(4_000),
  }),
);

export const handler = apiHandler(
  async (event) => {
    const route = event.routeKey ?? '';
    const now = clock().now();
    const improvements = getImprovementStore();
    if (route.endsWith('/progress')) {
      const actor = requireStaff(event, 'improvementProgress');
      const id = improvementIdOf(pathParameter(event, 'id'));
      const body = parseWith(progressBody, bodyOf(event));
      const updated = await improvements.update(id, (current) => {
        assertImprovementScope(actor, current);
        return recordProgress(current, body, actor, now);
      });
      // done: the managers review its effect (the email never blocks: failures are recorded)
      if (updated.status === 'done') await notifyImprovement(updated, 'improvement_done');
      return json(200, improvementView(updated, now, actor));
    }
    if (route.endsWith('/review')) {
      const actor = requireStaff(event, 'improvementReview');
      const id = improvementIdOf(pathParameter(event, 'id'));
      const body = parseWith(reviewBody, bodyOf(event));
      const updated = await improvements.update(id, (current) =>
        reviewEffect(current, body, actor, now, improvementClock),
      );
      if (updated.status === 'verified') metrics.addMetric(MetricName.ImprovementActionsVerified, 'Count', 1);
      // not effective: back to the department, with a new deadline
      else await notifyImprovement(updated, 'improvement_opened');
      return json(200, improvementView(updated, now, actor));
    }
    const actor = requireStaff(event, 'improvementOpen');
    const body = parseWith(openBody, bodyOf(event));
    const complaintIds = [...new Set(body.complaintIds ?? [])];
    // linked complaints must exist (a typo would link nothing)
    const found = await Promise.all(complaintIds.map((id) => getStore().get(id)));
    const missing = complaintIds.filter((_, i) => !found[i]);
    if (missing.length > 0) {
      throw new ValidationError(
        'Some fields are missing or invalid.',
        missing.map((id) => ({
          path: `complaintIds.${complaintIds.indexOf(id)}`,
          message: 'No complaint with this reference.',
        })),
      );
    }
    const created = await improvements.create(
      openImprovement({ ...body, complaintIds }, actor, now, improvementClock),
    );
    metrics.addMetric(MetricName.ImprovementActionsOpened, 'Count', 1);
    await notifyImprovement(created, 'improvement_opened');
    return json(201, { id: created.id, status: created.status, dueAt: created.dueAt });
  },
  { jsonBody: true },
);
