/**
 * The journey's task logic, one function per JOURNEY_TASKS key, written against ports
 * (store, notifier, deadline policy, metrics, clock) so the Lambda handlers stay thin and the
 * tests and the local stack can wire their own. Contract: docs/ARCHITECTURE.md, "The journey
 * contract". State data stays small: `{complaintId, step?, result?, facts?, error?}`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { NotifyContext } from '../adapters/ses-notifier.js';
import type { Clock } from '../domain/clock.js';
import { isCustomerTemplate, type TemplateId } from '../domain/email/index.js';
import { JourneyInputError } from '../domain/errors.js';
import type {
  Actor,
  AuditEvent,
  Complaint,
  Deadline,
  Outcome,
  PendingStep,
  Severity,
} from '../domain/model.js';
import { STAFF_STEPS } from '../domain/notifications-config.js';
import {
  type Facts,
  isStep,
  STAGE_OF_STEP,
  type Step,
  type StepDefinition,
  type StepTaskOutput,
  stepDefinition,
} from '../domain/steps/index.js';
import type { ChangeEvent, ComplaintChange, ComplaintStore } from '../domain/store.js';

export { JourneyInputError } from '../domain/errors.js';
export type { Facts } from '../domain/steps/index.js';

// ------------------------------------------------------------------ ports

export type JourneyTemplate = TemplateId;

/**
 * `notify(complaint, template, ctx?)` of functions/adapters/ses-notifier.ts. With
 * `ctx.deferRecord` it answers the notification event (`event`) instead of writing it, and
 * with `ctx.accessToken` it writes no token: the tasks record both in their own writes.
 */
export type NotifyPort = (
  complaint: Complaint,
  template: TemplateId,
  ctx?: NotifyContext,
) => Promise<{ sent: boolean; event?: ChangeEvent }>;

export interface MetricsPort {
  /** one data point with its own dimensions (besides the default `service`) */
  add(name: string, unit: 'Count' | 'None', value: number, dimensions?: Record<string, string>): void;
}

/**
 * What a complaint's deadlines depend on besides the step: its deadline profile (the name on
 * the complaint; absent = "default") and its promised reply date (as extended), which caps the
 * profile's `stepsWithinReply`.
 */
export interface ProfileContext {
  profile?: string;
  replyBy?: Deadline;
}

/** Deadlines of the journey's steps, from the business calendar and the operator's policy. */
export interface JourneyPolicy {
  /** the deadline of a step opened at `from` (the customer decision after a reminder: `reminder`) */
  stepDeadline(
    step: Step,
    from: Date,
    context: { severity?: Severity; reminder?: boolean } & ProfileContext,
  ): Deadline;
  /** the new deadline of escalation `level` (≥ 1), from `from` */
  escalationDeadline(step: Step, level: number, from: Date, context?: ProfileContext): Deadline;
  /** a decline or a reopen beyond this many escalates to the manager */
  repeatEscalationThreshold: number;
  /** a rating that closes as resolved (default: 4–5); lower reopens */
  isSatisfied?(rating: number): boolean;
  /** follow-up calls that may find nobody before closing as no response (default 2) */
  unreachableAttempts?: number;
  /**
   * the pre-breach warning instant of a staff step opened at `since`, due at `dueAt`
   * (policy `warning`); without it steps carry no warning time
   */
  warningAt?(since: Date, dueAt: string): string | undefined;
}

export interface JourneyDeps {
  store: ComplaintStore;
  notify: NotifyPort;
  policy: JourneyPolicy;
  metrics: MetricsPort;
  clock: () => Clock;
  /**
   * the staff steps whose opening sends an arrival notice (config/notifications.json
   * `arrivalNotices`); default: none
   */
  arrivalSteps?: readonly Step[];
}

// ------------------------------------------------------------------ state data

/** `$.step`: the human step being waited on. */
export interface StepState extends Deadline {
  step: Step;
  /** 0 until the first timeout; then the escalation level */
  level: number;
  /** seconds from the clock's now to dueAt (≥ 1): the task's TimeoutSecondsPath */
  timeoutSeconds: number;
  /** the customer decision's wait after the reminder */
  reminder: boolean;
}

const SYSTEM: Actor = { kind: 'system' };

/**
 * A customer email's link token minted by the task, so that its hash rides in the task's own
 * write before the email is sent (the notifier then stores none): 32 random bytes, base64url,
 * and its SHA-256 (as functions/runtime/access.ts checks it).
 */
function linkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: createHash('sha256').update(token, 'utf8').digest('hex') };
}

/** The journey's own event of an email, recorded right after its notification event. */
function emailEventType(template: TemplateId): 'reminded' | 'result_notified' | undefined {
  return template === 'reminder' ? 'reminded' : template === 'result' ? 'result_notified' : undefined;
}

/** The complaint's profile and promised reply date, as the policy port takes them. */
function profileContext(c: Complaint): ProfileContext {
  return {
    ...(c.profile ? { profile: c.profile } : {}),
    replyBy: { dueAt: c.replyDueBy, provisional: c.replyDueProvisional },
  };
}

function requireId(event: { complaintId?: unknown }): string {
  if (typeof event?.complaintId !== 'string' || event.complaintId === '') {
    throw new JourneyInputError('complaintId is required');
  }
  return event.complaintId;
}

function requireStep(value: unknown): Step {
  if (!isStep(value)) throw new JourneyInputError(`unknown step ${String(value)}`);
  return value;
}

/** AWS's largest Task timeout (TimeoutSeconds / TimeoutSecondsPath). */
const MAX_TIMEOUT_SECONDS = 99_999_999;

/**
 * The callback task's TimeoutSecondsPath value: whole seconds to `dueAt`, from 1 to AWS's
 * maximum. Anything else would be a `States.Runtime` error on AWS, which no Catch takes (the
 * execution would fail without NeedsAttention), so a bad deadline fails this task instead.
 */
function secondsUntil(dueAt: string, now: Date): number {
  const ms = Date.parse(dueAt) - now.getTime();
  if (!Number.isFinite(ms)) throw new JourneyInputError(`not a deadline: ${String(dueAt)}`);
  return Math.min(MAX_TIMEOUT_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}

/** A notification event of `template` recorded after audit event `seq` (a retry need not send again). */
function notifiedAfter(events: readonly AuditEvent[], template: TemplateId, seq: number): boolean {
  return events.some(
    (e) =>
      (e.type === 'notification_sent' || e.type === 'notification_failed') &&
      e.seq > seq &&
      e.data?.template === template,
  );
}

/**
 * The templates notified since `step` opened at level 0 for the wait that is now pending (after
 * the earliest of the step_opened events of that step at level 0, not the reminder's, that end
 * the audit trail: a retry of the opening, an extension's wait), each with whether it was sent.
 */
function sentSinceOpening(events: readonly AuditEvent[], step: Step): Map<TemplateId, boolean> {
  let opening = Number.POSITIVE_INFINITY;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as AuditEvent;
    if (e.type !== 'step_opened') continue;
    if (e.data?.step !== step || (e.data?.level ?? 0) !== 0 || e.data?.reminder === true) break;
    opening = e.seq;
  }
  return new Map(
    events
      .filter((e) => (e.type === 'notification_sent' || e.type === 'notification_failed') && e.seq > opening)
      .map((e) => [e.data?.template as TemplateId, e.type === 'notification_sent']),
  );
}

export function createJourneyTasks(deps: JourneyDeps) {
  const { store, notify, policy, metrics } = deps;
  const arrivalSteps = new Set((deps.arrivalSteps ?? []).filter((s) => STAFF_STEPS.includes(s)));
  const now = () => deps.clock().now();
  const satisfied = (rating: number) => (policy.isSatisfied ? policy.isSatisfied(rating) : rating >= 4);
  const unreachableAttempts = policy.unreachableAttempts ?? 2;

  async function load(id: string): Promise<Complaint> {
    const complaint = await store.get(id);
    if (!complaint) throw new JourneyInputError(`no complaint ${id}`);
    return complaint;
  }

  function stepState(step: Step, level: number, deadline: Deadline, reminder: boolean, at: Date): StepState {
    return {
      step,
      level,
      dueAt: deadline.dueAt,
      provisional: deadline.provisional,
      timeoutSeconds: secondsUntil(deadline.dueAt, at),
      reminder,
    };
  }

  /**
   * An email that must not stop the journey: the notifier already answers SES failures with
   * `{sent:false}`; anything else it throws (a store error while recording, a broken
   * configuration) is recorded here as `notification_failed` when the store takes it.
   */
  async function notifySafely(complaint: Complaint, template: TemplateId, ctx: NotifyContext) {
    try {
      return await notify(complaint, template, ctx);
    } catch (error) {
      const name =
        error instanceof Error && /^[A-Za-z0-9_.:-]{1,100}$/.test(error.name) ? error.name : 'Error';
      metrics.add('NotificationFailures', 'Count', 1);
      await store
        .update(complaint.id, () => ({
          set: {},
          event: { type: 'notification_failed', actor: SYSTEM, data: { template, error: name } },
        }))
        .catch(() => undefined);
      return { sent: false };
    }
  }

  /** The step's warning time; a calendar that cannot say gives no warning rather than a failed step. */
  function warningAt(since: Date, dueAt: string): string | undefined {
    try {
      return policy.warningAt?.(since, dueAt);
    } catch {
      return undefined;
    }
  }

  /** The deadline of `step` opening now for `complaint`: the `$.step` its Await state waits with. */
  function plan(complaint: Complaint, step: Step, reminder = false): StepState {
    const at = now();
    // the first step of a letter or referral registered after it arrived counts from its receipt
    const received = complaint.receivedAt ? new Date(complaint.receivedAt) : undefined;
    const from =
      complaint.stage === 'received' && !complaint.pending && received && received < at ? received : at;
    const deadline = policy.stepDeadline((stepDefinition(step) as StepDefinition).deadline, from, {
      ...(complaint.severity ? { severity: complaint.severity } : {}),
      reminder,
      ...profileContext(complaint),
    });
    return stepState(step, 0, deadline, reminder, at);
  }

  /** `{step}` planned for the state data when the task was asked to plan the next step. */
  function planned(complaint: Complaint, next: unknown): { step?: StepState } {
    return next === undefined ? {} : { step: plan(complaint, requireStep(next)) };
  }

  /**
   * Sends `emails` in order, then records in ONE write what they leave: each email's
   * notification event followed by its own event where it has one (`result_notified`,
   * `reminded`), then `after` (given the answers). Emails are at least once: a task that fails
   * before the write is retried and sends them again.
   */
  async function sendAndRecord(
    complaint: Complaint,
    emails: readonly { template: JourneyTemplate; ctx?: NotifyContext }[],
    after?: (answers: { sent: boolean }[]) => ChangeEvent | undefined,
  ): Promise<{ sent: boolean }[]> {
    const events: ChangeEvent[] = [];
    const answers: { sent: boolean }[] = [];
    for (const { template, ctx } of emails) {
      const { event, ...answer } = await notify(complaint, template, { ...ctx, deferRecord: true });
      answers.push(answer);
      if (event) events.push(event);
      const type = emailEventType(template);
      if (type) events.push({ type, actor: SYSTEM, data: { sent: answer.sent } });
    }
    const last = after?.(answers);
    if (last) events.push(last);
    const [first, ...also] = events;
    // `complaint` is what the task just read or wrote: the store starts from it without reading
    if (first)
      await store.update(complaint.id, () => ({ set: {}, event: first, ...(also.length ? { also } : {}) }), {
        current: complaint,
      });
    return answers;
  }

  /** One email of the journey, with its own audit event where it has one (reminded, result_notified). */
  async function email(complaint: Complaint, template: JourneyTemplate, dueAt?: string) {
    const [answer] = await sendAndRecord(complaint, [{ template, ...(dueAt ? { ctx: { dueAt } } : {}) }]);
    return answer ?? { sent: false };
  }

  return {
    /** The deadline of a step about to open: `{complaintId, step: StepState}`. */
    async PlanStep(event: { complaintId: string; step: Step; reminder?: boolean }) {
      const id = requireId(event);
      const step = requireStep(event.step);
      const complaint = await load(id);
      return { complaintId: id, step: plan(complaint, step, event.reminder === true) };
    },

    /**
     * Records the pending step (token, deadline, level) and the stage; the execution then
     * waits. When the step first opens (level 0, not the wait after the reminder) it sends
     * `emails`, in order, each with the step's deadline (the proposal, the survey request), once:
     * the same step and level again (a retry of this task, an extension's wait) sends only what
     * the opening did not record. The acknowledgement (the investigation's opening email)
     * brings the manager's alert for a complaint registered as serious, and the `acknowledged`
     * event. Its arrival notice goes to its owners (config/notifications.json `arrivalNotices`)
     * when it opens afresh, after the write. An email that fails is recorded and never fails
     * the task.
     */
    async AwaitStep(event: {
      taskToken: string;
      complaintId: string;
      step: StepState;
      emails?: JourneyTemplate[];
    }) {
      const id = requireId(event);
      if (typeof event.taskToken !== 'string' || event.taskToken === '')
        throw new JourneyInputError('taskToken is required');
      const step = requireStep(event.step?.step);
      const at = now();
      const since = at.toISOString();
      const warnAt = STAFF_STEPS.includes(step) ? warningAt(at, event.step.dueAt) : undefined;
      const pending: PendingStep = {
        step,
        stage: STAGE_OF_STEP[step],
        taskToken: event.taskToken,
        dueAt: event.step.dueAt,
        provisional: event.step.provisional,
        escalationLevel: event.step.level,
        since,
        ...(warnAt ? { warnAt } : {}),
        ...(step === 'customer_decision' ? { reminder: event.step.reminder === true } : {}),
      };
      let opened = false;
      // the opening emails' link tokens ride in this write (stored before the emails leave)
      const emails = event.step.level === 0 && event.step.reminder !== true ? (event.emails ?? []) : [];
      const tokens = new Map<TemplateId, { token: string; hash: string }>(
        emails.filter(isCustomerTemplate).map((t) => [t, linkToken()]),
      );
      let tokensStored = false;
      const updated = await store.update(id, (c) => {
        opened = !(c.pending?.step === step && c.pending.escalationLevel === pending.escalationLevel);
        tokensStored = tokens.size > 0 && Boolean(c.customer.email?.trim());
        // one warning per step and level: waiting again at the same level keeps it sent
        const warnedAt = opened ? undefined : c.pending?.warnedAt;
        // an escalation waits again for the same step: its first deadline stays
        const firstDueAt =
          pending.escalationLevel > 0 && c.pending?.step === step
            ? (c.pending.firstDueAt ?? c.pending.dueAt)
            : pending.dueAt;
        return {
          set: {
            stage: pending.stage,
            pending: { ...pending, firstDueAt, ...(warnedAt ? { warnedAt } : {}) },
          },
          event: {
            type: 'step_opened',
            actor: SYSTEM,
            stage: pending.stage,
            data: {
              step,
              level: pending.escalationLevel,
              dueAt: pending.dueAt,
              ...(event.step.reminder ? { reminder: true } : {}),
            },
          },
          ...(tokensStored ? { addAccessTokens: [...tokens.values()].map((t) => t.hash) } : {}),
        };
      });
      if (emails.length > 0) {
        let acknowledge = emails.includes('acknowledgement');
        const serious = acknowledge && updated.severity === 'serious';
        let due: TemplateId[] = [...emails, ...(serious ? (['serious_intake'] as const) : [])];
        let acknowledgedBefore: boolean | undefined;
        // the same step and level again: what its opening recorded is not sent again
        if (!opened) {
          const events = await store.events(id);
          const sent = sentSinceOpening(events, step);
          due = due.filter((template) => !sent.has(template));
          acknowledgedBefore = sent.get('acknowledgement');
          if (events.some((e) => e.type === 'acknowledged')) acknowledge = false;
        }
        await sendAndRecord(
          updated,
          due.map((template) => {
            const token = tokensStored ? tokens.get(template)?.token : undefined;
            return { template, ctx: { dueAt: pending.dueAt, ...(token ? { accessToken: token } : {}) } };
          }),
          (answers) =>
            acknowledge
              ? {
                  type: 'acknowledged',
                  actor: SYSTEM,
                  data: {
                    sent: answers[due.indexOf('acknowledgement')]?.sent ?? acknowledgedBefore === true,
                    serious,
                  },
                }
              : undefined,
        );
      }
      if (opened && pending.escalationLevel === 0 && arrivalSteps.has(step)) {
        await notifySafely(updated, 'arrival', {
          step,
          dueAt: pending.dueAt,
          provisional: pending.provisional,
        });
      }
      return { recorded: true };
    },

    /**
     * A missed deadline (`step`): next level of the chain, a new deadline, audit, metrics,
     * email; returns the new `{complaintId, step}` to wait again. Or a repeat alert
     * (`reason`: declines / reopens): the manager (level 2) is told; returns `{complaintId}`.
     */
    async Escalate(event: { complaintId: string; step?: StepState; reason?: 'declines' | 'reopens' }) {
      const id = requireId(event);
      const at = now();
      if (event.reason) {
        const reason = event.reason;
        const current = await load(id);
        const count = reason === 'declines' ? current.declines : current.reopens;
        // Idempotent under Lambda retries: this decline / reopen escalated already?
        const events = await store.events(id);
        const earlier = events.find(
          (e) => e.type === 'escalated' && e.data?.reason === reason && e.data?.count === count,
        );
        let updated = current;
        if (!earlier) {
          updated = await store.update(id, (c) => ({
            set: { escalations: c.escalations + 1, maxEscalationLevel: Math.max(c.maxEscalationLevel, 2) },
            event: { type: 'escalated', actor: SYSTEM, data: { reason, level: 2, count } },
          }));
          metrics.add('Escalations', 'Count', 1, { stage: 'proposal', level: '2' });
          metrics.add('HighLevelEscalations', 'Count', 1);
        }
        // back to the department for a new plan: the proposal step is what the manager follows
        if (!earlier || !notifiedAfter(events, 'escalation', earlier.seq)) {
          await notify(updated, 'escalation', { step: 'proposal', level: 2, reason, count });
        }
        return { complaintId: id };
      }
      const missed = event.step;
      if (!missed) throw new JourneyInputError('step or reason is required');
      const step = requireStep(missed.step);
      // Extended in flight (POST /staff/complaints/{id}/extension): the callback task's timeout
      // cannot move on AWS, so it fires at the old deadline and lands here. The pending step's
      // deadline is the truth: still ahead → wait again, same level, for the remaining time,
      // without escalating (docs/ARCHITECTURE.md, "Extensions").
      const current = await load(id);
      const pending = current.pending;
      if (
        pending &&
        pending.step === step &&
        pending.escalationLevel === (Number.isInteger(missed.level) ? missed.level : 0) &&
        Date.parse(pending.dueAt) > Date.parse(missed.dueAt) &&
        Date.parse(pending.dueAt) > at.getTime()
      ) {
        return {
          complaintId: id,
          step: stepState(
            step,
            pending.escalationLevel,
            { dueAt: pending.dueAt, provisional: pending.provisional },
            missed.reminder === true,
            at,
          ),
        };
      }
      const level = (Number.isInteger(missed.level) ? missed.level : 0) + 1;
      // Idempotent under Lambda retries: the same missed deadline escalates once (one audit
      // event, one count, one set of metrics) and keeps the deadline it was given then.
      const events = await store.events(id);
      const earlier = events.find(
        (e) =>
          e.type === 'escalated' &&
          e.data?.step === step &&
          e.data?.level === level &&
          e.data?.missedDueAt === missed.dueAt,
      );
      let deadline: Deadline;
      let updated: Complaint;
      if (earlier && typeof earlier.data?.dueAt === 'string') {
        deadline = {
          dueAt: earlier.data.dueAt,
          provisional:
            typeof earlier.data.provisional === 'boolean'
              ? earlier.data.provisional
              : policy.escalationDeadline(step, level, new Date(earlier.at), profileContext(current))
                  .provisional,
        };
        updated = await load(id);
      } else {
        deadline = policy.escalationDeadline(step, level, at, profileContext(current));
        updated = await store.update(id, (c) => ({
          set: { escalations: c.escalations + 1, maxEscalationLevel: Math.max(c.maxEscalationLevel, level) },
          event: {
            type: 'escalated',
            actor: SYSTEM,
            stage: STAGE_OF_STEP[step],
            data: {
              step,
              level,
              dueAt: deadline.dueAt,
              provisional: deadline.provisional,
              missedDueAt: missed.dueAt,
            },
          },
        }));
        metrics.add('Escalations', 'Count', 1, { stage: STAGE_OF_STEP[step], level: String(level) });
        if (level === 1) metrics.add('DeadlinesMissed', 'Count', 1);
        if (level >= 2) metrics.add('HighLevelEscalations', 'Count', 1);
      }
      if (!earlier || !notifiedAfter(events, 'escalation', earlier.seq)) {
        await notify(updated, 'escalation', {
          step,
          level,
          reason: 'timeout',
          dueAt: deadline.dueAt,
          provisional: deadline.provisional,
        });
      }
      return { complaintId: id, step: stepState(step, level, deadline, missed.reminder === true, at) };
    },

    /**
     * Persists a step's action (sent by the API with SendTaskSuccess) with its audit event and
     * stage change, and returns the facts for the next Choice. Idempotent: a retry after a
     * write finds no pending step and only recomputes the facts.
     */
    async Record(event: { complaintId: string; step: Step; result: StepTaskOutput; plan?: Step }) {
      const id = requireId(event);
      const step = requireStep(event.step);
      const definition = stepDefinition(step) as StepDefinition;
      const result = event.result;
      if (!result || result.action !== definition.action || typeof result.data !== 'object') {
        throw new JourneyInputError(`step ${step} cannot record action ${String(result?.action)}`);
      }
      const at = typeof result.at === 'string' ? result.at : now().toISOString();
      const actor: Actor = result.actor ?? SYSTEM;
      // The store may run this change more than once (a lost race is retried), so it only
      // computes; the metrics follow the write that happened.
      let wrote = false;
      let timely: number | undefined;
      const firstResponse = (c: Complaint, answeredAt: string): Partial<Complaint> => {
        if (c.firstResponseAt) return {};
        timely = Date.parse(answeredAt) <= Date.parse(c.replyDueBy) ? 1 : 0;
        return { firstResponseAt: answeredAt };
      };
      const updated = await store.update(id, (c) => {
        wrote = false;
        timely = undefined;
        if (c.pending?.step !== step) return undefined; // already recorded (a retry)
        wrote = true;
        return definition.record(c, result.data as never, {
          actor,
          at,
          firstResponse,
          isSatisfied: satisfied,
          unreachableAttempts,
        });
      });
      if (wrote && timely !== undefined) metrics.add('TimelyHandling', 'None', timely);
      if (wrote) for (const m of definition.metrics?.(updated) ?? []) metrics.add(m.name, m.unit, m.value);
      const facts: Facts = definition.facts
        ? await definition.facts(updated, {
            threshold: policy.repeatEscalationThreshold,
            isSatisfied: satisfied,
            unreachableAttempts,
            seriousAtIntake: async () =>
              (await store.events(id)).some((e) => e.type === 'acknowledged' && e.data?.serious === true),
          })
        : {};
      return { complaintId: id, facts, ...planned(updated, event.plan) };
    },

    /** One email; never fails the journey for an email (the notifier answers sent:false). */
    async Notify(event: { complaintId: string; template: JourneyTemplate; dueAt?: string }) {
      const id = requireId(event);
      return email(await load(id), event.template, event.dueAt);
    },

    /**
     * Closes with `outcome`, tells the customer (`notify`: the closure or rejection email),
     * returns the survey result to the department, and archives. Idempotent: a retry after
     * the close finishes what is missing (customer email, survey result, archive).
     */
    async Close(event: { complaintId: string; outcome: Outcome; notify?: JourneyTemplate }) {
      const id = requireId(event);
      if (!['resolved', 'rejected', 'no_response'].includes(event.outcome)) {
        throw new JourneyInputError(`unknown outcome ${String(event.outcome)}`);
      }
      const at = now().toISOString();
      let closedNow = false;
      // the customer email's link token rides in the close (stored before the email leaves)
      const token = event.notify && isCustomerTemplate(event.notify) ? linkToken() : undefined;
      let tokenStored = false;
      const closed = await store.update(id, (c): ComplaintChange | undefined => {
        closedNow = false;
        tokenStored = false;
        if (c.stage === 'closed') return undefined;
        closedNow = true;
        tokenStored = token !== undefined && Boolean(c.customer.email?.trim());
        return {
          set: { stage: 'closed', outcome: event.outcome, closedAt: at },
          remove: ['pending'],
          event: { type: 'closed', actor: SYSTEM, stage: 'closed', data: { outcome: event.outcome } },
          ...(tokenStored && token ? { addAccessTokens: [token.hash] } : {}),
        };
      });
      let surveyReturned = false;
      let customerTold = false;
      if (closedNow) {
        metrics.add('ComplaintsClosed', 'Count', 1, { outcome: event.outcome });
      } else {
        // Already closed: a retry after a partial close finishes the archive it did not reach.
        const events = await store.events(id);
        if (events.some((e) => e.type === 'archived')) return { complaintId: id, outcome: closed.outcome };
        const closedEvent = events.findLast((e) => e.type === 'closed');
        surveyReturned = notifiedAfter(events, 'survey_result', closedEvent?.seq ?? 0);
        customerTold = event.notify ? notifiedAfter(events, event.notify, closedEvent?.seq ?? 0) : true;
      }
      // the emails' notification events and `archived` in one write
      const emails: { template: JourneyTemplate; ctx?: NotifyContext }[] = [];
      if (event.notify && !customerTold) {
        emails.push({
          template: event.notify,
          ...(tokenStored && token ? { ctx: { accessToken: token.token } } : {}),
        });
      }
      if (closed.survey && !surveyReturned) {
        emails.push({
          template: 'survey_result',
          ctx: { rating: closed.survey.rating, answeredAt: closed.survey.answeredAt, by: closed.survey.by },
        });
      }
      await sendAndRecord(closed, emails, () => ({
        type: 'archived',
        actor: SYSTEM,
        stage: 'closed',
        data: {
          outcome: closed.outcome,
          proposalRounds: closed.proposalRounds,
          declines: closed.declines,
          reopens: closed.reopens,
          escalations: closed.escalations,
          ...(closed.survey ? { rating: closed.survey.rating } : {}),
        },
      }));
      return { complaintId: id, outcome: closed.outcome };
    },

    /** A task failed past its retries: flag the complaint (alarmed metric); the execution then fails. */
    async NeedsAttention(event: { complaintId: string; error?: { Error?: string; Cause?: string } }) {
      const id = requireId(event);
      const errorName = typeof event.error?.Error === 'string' ? event.error.Error.slice(0, 200) : 'unknown';
      metrics.add('NeedsAttention', 'Count', 1);
      await store.update(id, () => ({
        set: { needsAttention: true },
        event: { type: 'needs_attention', actor: SYSTEM, data: { error: errorName } },
      }));
      return { complaintId: id, needsAttention: true };
    },
  };
}

export type JourneyTasks = ReturnType<typeof createJourneyTasks>;
