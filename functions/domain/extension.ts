/**
 * Extensions (延期): a supervisor or manager moves the open step's deadline, or the promised
 * reply date, within the allowance of the complaint's deadline profile (config/policy.json
 * `extensions`), with a reason the customer is told. AWS-free: the API handler
 * (functions/api/extension.ts) runs `extend` inside the store's optimistic update.
 *
 * A step of the profile's `stepsWithinReply` whose deadline is the reply date (the `banking`
 * decision within 15 days of receipt) moves with it, whichever of the two was asked for.
 * The steps the customer answers (customer_decision, follow_up) are not extended: their
 * timeout does not escalate, it reminds or closes.
 */
import type { BusinessCalendar, Duration } from './calendar/calendar.js';
import { ConflictError } from './errors.js';
import type { Actor, Complaint, Extension } from './model.js';
import { extendDeadline, extensionAllowed, type Policy, profileNamed } from './policy.js';
import type { ComplaintChange } from './store.js';

export interface ExtensionRequest {
  target: 'step' | 'reply';
  by: Duration;
  reason: string;
}

/** Steps whose timeout does not escalate (Escalate is what re-waits after an extension). */
const NOT_EXTENSIBLE = new Set(['customer_decision', 'follow_up']);

/**
 * The change an extension makes (complaint fields and its `extended` audit event), or a
 * ConflictError (409) saying why it is refused: closed, nothing open, the customer's step,
 * beyond the profile's allowance.
 */
export function extend(
  c: Complaint,
  request: ExtensionRequest,
  context: { policy: Policy; calendar: BusinessCalendar; actor: Actor; at: Date },
): ComplaintChange & { extension: Extension } {
  if (c.stage === 'closed') throw new ConflictError('This complaint is closed; nothing can be extended.');
  const profile = profileNamed(context.policy, c.profile ?? 'default');
  const used = c.extensions?.length ?? 0;
  const verdict = extensionAllowed(profile, used, request.by);
  if (!verdict.ok) throw new ConflictError(`Extension refused: ${verdict.reason}.`, 'extension_refused');
  const pending = c.pending;
  if (request.target === 'step') {
    if (!pending) throw new ConflictError('No step is open: extend the promised reply date instead.');
    if (NOT_EXTENSIBLE.has(pending.step))
      throw new ConflictError(
        `The ${pending.step} step waits for the customer and cannot be extended; extend the promised reply date instead.`,
      );
  }
  const reply = { dueAt: c.replyDueBy, provisional: c.replyDueProvisional };
  // the open step capped at the reply date moves with it
  const linked =
    pending !== undefined &&
    !NOT_EXTENSIBLE.has(pending.step) &&
    profile.stepsWithinReply.includes(pending.step) &&
    pending.escalationLevel === 0 &&
    Date.parse(pending.dueAt) === Date.parse(c.replyDueBy);
  const moveStep = request.target === 'step' || linked;
  const moveReply = request.target === 'reply' || linked;
  const at = context.at.toISOString();
  const extension: Extension = {
    target: request.target,
    ...(pending ? { step: pending.step } : {}),
    amount: request.by.amount,
    unit: request.by.unit,
    reason: request.reason,
    at,
    actor: context.actor,
  };
  const set: Partial<Complaint> = {};
  if (moveReply) {
    const moved = extendDeadline(context.calendar, reply, request.by);
    set.replyDueBy = moved.dueAt;
    set.replyDueProvisional = moved.provisional;
    extension.replyDueFrom = reply.dueAt;
    extension.replyDueBy = moved.dueAt;
  }
  if (moveStep && pending) {
    const moved = extendDeadline(context.calendar, pending, request.by);
    // before any escalation the step's own deadline moves too; an escalated step stays overdue
    set.pending = {
      ...pending,
      dueAt: moved.dueAt,
      provisional: moved.provisional,
      ...(pending.escalationLevel === 0 ? { firstDueAt: moved.dueAt } : {}),
    };
    extension.stepDueFrom = pending.dueAt;
    extension.stepDueAt = moved.dueAt;
  }
  set.extensions = [...(c.extensions ?? []), extension];
  const event: ComplaintChange['event'] = {
    type: 'extended',
    actor: context.actor,
    data: {
      target: request.target,
      amount: request.by.amount,
      unit: request.by.unit,
      reason: request.reason,
      ...(extension.step ? { step: extension.step } : {}),
      ...(extension.stepDueAt ? { stepDueFrom: extension.stepDueFrom, stepDueAt: extension.stepDueAt } : {}),
      ...(extension.replyDueBy
        ? { replyDueFrom: extension.replyDueFrom, replyDueBy: extension.replyDueBy }
        : {}),
    },
  };
  return { set, event, extension };
}
