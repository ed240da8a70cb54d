import { LIMITS } from '../complaint-schemas.js';
import { type Complaint, type PendingStep, type Step, type Survey, withEntry } from '../model.js';
import type { ComplaintChange } from '../store.js';
import { type BodyOf, defineStep, type FactsContext, field, type RecordContext } from './step.js';

const fields = [field.rating('rating', 1, 5), field.optionalText('comment', LIMITS.comment)] as const;

/**
 * The agent's follow-up call also records that nobody answered (`unreachable: true`, no rating):
 * the rating is required otherwise, and must be left out then.
 */
const callFields = [
  field.optionalBoolean('unreachable'),
  field.optionalRating('rating', 1, 5),
  field.optionalText('comment', LIMITS.comment),
] as const;
const callRequiredWhen = [
  {
    field: 'rating',
    when: { field: 'unreachable', equals: true },
    unless: true,
    message: "Required: the customer's rating from 1 to 5 (or unreachable: true when nobody answered).",
  },
  {
    field: 'rating',
    when: { field: 'unreachable', equals: true },
    absent: true,
    message: 'Leave out the rating when nobody answered.',
  },
] as const;

/**
 * The survey answer, from the customer or recorded by staff: a satisfied rating closes, a lower
 * one reopens (back to a new proposal). Shared with the agent's follow-up call.
 */
export const survey = {
  action: 'survey',
  callFields,
  callRequiredWhen,
  stage: 'follow_up',
  roles: ['agent', 'manager'],
  ownDepartment: false,
  phrase: "the customer's survey answer",
  fields,
  record(
    c: Complaint,
    data: BodyOf<typeof callFields>,
    { actor, at, isSatisfied, unreachableAttempts }: RecordContext,
    step: string,
  ): ComplaintChange {
    const comment = data.comment ? String(data.comment) : undefined;
    if (data.unreachable === true && actor.kind !== 'customer') {
      // nobody answered the follow-up call: one more attempt in a row
      const attempt = (c.unreachableAttempts ?? 0) + 1;
      return {
        remove: ['pending'],
        set: {
          unreachableAttempts: attempt,
          record: withEntry(c, {
            kind: 'unreachable',
            at,
            actor,
            step: step as Step,
            attempt,
            ...(comment ? { comment } : {}),
          }),
        },
        event: {
          type: 'unreachable',
          actor,
          stage: 'follow_up',
          data: { step, attempt, of: unreachableAttempts },
        },
      };
    }
    const rating = Number(data.rating) as Survey['rating'];
    const answer: Survey = {
      rating,
      answeredAt: at,
      by: actor.kind === 'customer' ? 'customer' : 'staff',
      ...(comment ? { comment } : {}),
    };
    const satisfied = isSatisfied(rating);
    const record = withEntry(c, {
      kind: 'survey',
      at,
      actor,
      step: step as Step,
      rating,
      by: answer.by,
      ...(answer.comment ? { comment: answer.comment } : {}),
    });
    // an answer ends a run of calls that found nobody
    const reached = c.unreachableAttempts ? { unreachableAttempts: 0 } : {};
    return {
      remove: ['pending'],
      set: satisfied
        ? { survey: answer, record, ...reached }
        : { survey: answer, record, reopens: c.reopens + 1, ...reached },
      event: {
        type: satisfied ? 'surveyed' : 'reopened',
        actor,
        stage: 'follow_up',
        data: { step, rating, by: answer.by, ...(satisfied ? {} : { reopens: c.reopens + 1 }) },
      },
    };
  },
  /**
   * For SurveyOutcome. Every key is always present (a Choice on a missing path is a runtime
   * error). A run of unanswered calls (`unreachableAttempts` > 0: the last answer recorded was
   * "nobody answered") comes first: at the policy's limit `giveUp` closes as no response,
   * before it `unreachable` opens the follow-up call again.
   */
  facts(c: Complaint, { threshold, isSatisfied, unreachableAttempts }: FactsContext) {
    const attempts = c.unreachableAttempts ?? 0;
    if (attempts > 0) {
      return {
        rating: 0,
        satisfied: false,
        reopens: c.reopens,
        escalate: false,
        unreachable: true,
        attempts,
        giveUp: attempts >= unreachableAttempts,
      };
    }
    const rating = c.survey?.rating ?? 0;
    const satisfied = c.survey !== undefined && isSatisfied(rating);
    return {
      rating,
      satisfied,
      reopens: c.reopens,
      escalate: !satisfied && c.reopens > threshold,
      unreachable: false,
      attempts: 0,
      giveUp: false,
    };
  },
  customerView: {
    whilePending: (_c: Complaint, pending: PendingStep) => ({
      awaiting: { action: 'survey' as const, dueAt: pending.dueAt },
    }),
  },
  metrics: (c: Complaint) =>
    c.survey ? [{ name: 'SatisfactionRating', unit: 'None' as const, value: c.survey.rating }] : [],
} as const;

/** The satisfaction survey sent to the customer after the implementation. */
export const followUp = defineStep({
  ...survey,
  step: 'follow_up',
  customer: { notWaiting: 'This complaint is not waiting for your feedback.' },
  deadline: 'follow_up',
  label: { 'zh-CN': '客户回访', en: 'Customer survey' },
  record: (c, data, ctx) => survey.record(c, data, ctx, 'follow_up'),
  customerView: {
    ...survey.customerView,
    // the customer's own rating
    recorded: (c) => (c.survey ? { rating: c.survey.rating } : undefined),
  },
});
