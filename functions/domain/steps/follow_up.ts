import { LIMITS } from '../complaint-schemas.js';
import { type Complaint, type PendingStep, type Step, type Survey, withEntry } from '../model.js';
import type { ComplaintChange } from '../store.js';
import { type BodyOf, defineStep, type FactsContext, field, type RecordContext } from './step.js';

const fields = [field.rating('rating', 1, 5), field.optionalText('comment', LIMITS.comment)] as const;

/**
 * The survey answer, from the customer or recorded by staff: a satisfied rating closes, a lower
 * one reopens (back to a new proposal). Shared with the agent's follow-up call.
 */
export const survey = {
  action: 'survey',
  stage: 'follow_up',
  roles: ['agent', 'manager'],
  ownDepartment: false,
  phrase: "the customer's survey answer",
  fields,
  record(
    c: Complaint,
    data: BodyOf<typeof fields>,
    { actor, at, isSatisfied }: RecordContext,
    step: string,
  ): ComplaintChange {
    const rating = Number(data.rating) as Survey['rating'];
    const answer: Survey = {
      rating,
      answeredAt: at,
      by: actor.kind === 'customer' ? 'customer' : 'staff',
      ...(data.comment ? { comment: String(data.comment) } : {}),
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
    return {
      remove: ['pending'],
      set: satisfied ? { survey: answer, record } : { survey: answer, record, reopens: c.reopens + 1 },
      event: {
        type: satisfied ? 'surveyed' : 'reopened',
        actor,
        stage: 'follow_up',
        data: { step, rating, by: answer.by, ...(satisfied ? {} : { reopens: c.reopens + 1 }) },
      },
    };
  },
  facts(c: Complaint, { threshold, isSatisfied }: FactsContext) {
    const rating = c.survey?.rating ?? 0;
    const satisfied = c.survey !== undefined && isSatisfied(rating);
    return { rating, satisfied, reopens: c.reopens, escalate: !satisfied && c.reopens > threshold };
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
