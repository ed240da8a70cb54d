import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { type Branding, emailBranding, loadBranding } from '../domain/branding.js';
import { type CallTaskTemplate, openCallTask } from '../domain/call-tasks.js';
import { type Clock, clock as processClock } from '../domain/clock.js';
import {
  isCustomerTemplate,
  type RenderedEmail,
  render,
  type TemplateData,
  type TemplateId,
} from '../domain/email/index.js';
import {
  type Actor,
  type Complaint,
  customerPlanVersion,
  type Language,
  type Outcome,
  type Step,
} from '../domain/model.js';
import {
  escalationRecipients,
  loadNotificationsConfig,
  type NotificationsConfig,
  ownerRecipients,
  stepOwnerDepartment,
} from '../domain/notifications-config.js';
import type { ChangeEvent, ComplaintStore } from '../domain/store.js';
import { MetricName } from '../runtime/metric-names.js';
import { logger as sharedLogger, metrics as sharedMetrics } from '../runtime/powertools.js';
import { SES_LIMITS, sesClient } from './clients.js';
import { getStore } from './store.js';

/**
 * The notifier: renders an email (functions/domain/email), finds its recipients
 * (config/notifications.json), sends it with SES (v1 `SendEmail`, HTML + text, UTF-8) and
 * records an audit event. Contract: docs/ARCHITECTURE.md, "Notifications".
 *
 * - Customer emails go to `complaint.customer.email`. Each mints a fresh access token
 *   (32 random bytes, base64url), stores its SHA-256 with `store.addAccessToken` before
 *   sending (or takes `ctx.accessToken`, whose hash the caller stored in its own write), and links
 *   to `<statusPageBaseUrl>/status.html?id=<id>&lang=<language>#token=<token>`. A complaint without an email
 *   address (phone only) gets no email: the notice becomes a call task in the agents' queue
 *   with the email's subject and text (functions/domain/call-tasks.ts; audit
 *   `call_task_opened`), and the answer is `{sent:false, skipped:'no_email', callTask}`.
 * - Staff emails carry no complaint text and no customer contact details, and link to
 *   `<consoleBaseUrl>/console.html#<id>`.
 * - SES errors never throw: the SDK has retried them (its standard retry strategy, bounded by
 *   the client's timeouts, see SES_LIMITS in ./clients.ts, and by `sendDeadlineMs` over the
 *   whole send); then the notifier records `notification_failed` with the cause (error name,
 *   code, HTTP status, attempts), emits `NotificationFailures`, logs a warning and answers
 *   `{sent:false}`. Store errors do throw, so that Step Functions retries.
 * - Audit data and logs name the template, the recipient kind and error codes: never an
 *   address, a name or a text. Task tokens are never read.
 */

export interface NotifyContext {
  /** escalation: the overdue step (default: the pending step) */
  step?: Step;
  /** escalation: the level reached, ≥ 1 (default: the pending step's level, at least 1) */
  level?: number;
  /** escalation: why (default `timeout`); with declines/reopens, `count` says how many */
  reason?: 'timeout' | 'declines' | 'reopens';
  count?: number;
  /**
   * escalation: the new deadline; proposal / reminder: the customer's decision deadline;
   * survey_request: the survey deadline. Default: the pending step's deadline when it is
   * the step the email is about; otherwise the email names no date.
   */
  dueAt?: string;
  provisional?: boolean;
  /** survey_result: the rating reopened the complaint (default: the complaint is still open) */
  reopened?: boolean;
  /** closure: the outcome (default: `complaint.outcome`, else inferred, see closureOutcome) */
  outcome?: Outcome;
  /** who caused the email, for the audit event (default: system) */
  actor?: Actor;
  /** survey_result: overrides of `complaint.survey` (the journey may pass what it just recorded) */
  rating?: number;
  answeredAt?: string;
  by?: 'customer' | 'staff';
  /**
   * customer emails: the link's access token, whose hash the caller has already stored in its
   * own write (the notifier then writes no token); absent: the notifier mints one and stores
   * its hash before sending
   */
  accessToken?: string;
  /**
   * do not write the notification event: return it as `event`, for the caller to record in its
   * own write (with the events that belong to it). A call task (no email address) is still
   * written at once.
   */
  deferRecord?: boolean;
}

export interface NotifyResult {
  sent: boolean;
  /** nothing was attempted: the customer has no email address, or no staff recipient is configured */
  skipped?: 'no_email' | 'no_recipients';
  /**
   * why SES did not take the email, after the SDK's retries: the error's name (`TimeoutError`,
   * `Throttling`, `MessageRejected`…), or its code when the name says nothing (`ECONNREFUSED`)
   */
  failure?: string;
  messageId?: string;
  /** no email address: the id of the call task the notice became (functions/domain/call-tasks.ts) */
  callTask?: string;
  /** with `deferRecord`: the `notification_sent` / `notification_failed` event to record */
  event?: ChangeEvent;
}

export interface Notifier {
  notify(complaint: Complaint, template: TemplateId, ctx?: NotifyContext): Promise<NotifyResult>;
}

/** One data point, published at once (Powertools single metric), with its own dimensions. */
export interface NotifierMetrics {
  add(name: string, unit: 'Count', value: number, dimensions?: Record<string, string>): void;
}

export interface NotifierLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

export interface NotifierDeps {
  store: Pick<ComplaintStore, 'addAccessToken' | 'update'>;
  ses: Pick<SESClient, 'send'>;
  config: NotificationsConfig;
  /** default: the process clock (functions/domain/clock.ts) */
  clock?: () => Clock;
  /** default: Powertools single metrics on the shared `metrics` */
  metrics?: NotifierMetrics;
  /** default: the shared Powertools logger */
  logger?: NotifierLogger;
  /** the most one send may take, retries included (default SES_LIMITS.sendDeadlineMs) */
  sendDeadlineMs?: number;
  /** the operator's branding on every email (default: <CONFIG_DIR or ./config>/branding.json) */
  branding?: Branding;
}

type Recipient =
  | { kind: 'customer' }
  | { kind: 'staff'; to: string[]; audience: string; timeZone?: string; toAssignee?: boolean };

/** The longest part of the customer's description an arrival notice quotes. */
export const ARRIVAL_REQUEST_MAX_CHARS = 1000;

const SYSTEM: Actor = { kind: 'system' };

/** Emits one metric at once through Powertools' single-metric API (inherits namespace and service). */
export function powertoolsMetrics(source = sharedMetrics): NotifierMetrics {
  return {
    add(name, unit, value, dimensions = {}) {
      const single = source.singleMetric();
      for (const [key, dimensionValue] of Object.entries(dimensions))
        single.addDimension(key, dimensionValue);
      single.addMetric(name, unit, value);
    },
  };
}

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A call task's id: `T` and 10 random characters (functions/domain/call-tasks.ts CALL_TASK_ID). */
export function newCallTaskId(): string {
  return `T${[...randomBytes(10)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const { store, ses, config } = deps;
  const now = () => (deps.clock ?? processClock)().now();
  const metrics = deps.metrics ?? powertoolsMetrics();
  const log = deps.logger ?? sharedLogger;
  const sendDeadlineMs = deps.sendDeadlineMs ?? SES_LIMITS.sendDeadlineMs;
  const branding = emailBranding(
    deps.branding ??
      loadBranding(
        '',
        path.join(process.env.CONFIG_DIR ?? path.join(process.cwd(), 'config'), 'branding.json'),
      ),
    config.statusPageBaseUrl,
  );

  /**
   * The status page in the complaint's language (`lang=`), the token in the fragment. A call
   * task's text names the page without a token (a token is only ever delivered by email).
   */
  const statusUrl = (id: string, language: Language, token?: string) =>
    `${config.statusPageBaseUrl}/status.html?id=${encodeURIComponent(id)}&lang=${encodeURIComponent(language)}${token ? `#token=${token}` : ''}`;
  const consoleUrl = (id: string) => `${config.consoleBaseUrl}/console.html#${encodeURIComponent(id)}`;
  const departmentName = (id: string | undefined, language: Language) =>
    id ? config.departments[id]?.name[language] : undefined;

  function recipient(complaint: Complaint, template: TemplateId, ctx: NotifyContext): Recipient {
    if (isCustomerTemplate(template)) return { kind: 'customer' };
    switch (template) {
      case 'escalation': {
        const { step, level } = escalationOf(complaint, ctx);
        const owner = stepOwnerDepartment(config, step, complaint.department);
        return {
          kind: 'staff',
          to: escalationRecipients(config, level, owner, step),
          audience: `escalation_level_${level}`,
        };
      }
      case 'survey_result': {
        const department =
          (complaint.department && config.departments[complaint.department]) ||
          config.departments[config.customerServiceDepartment];
        return { kind: 'staff', to: department ? [department.email] : [], audience: 'department' };
      }
      case 'serious_intake':
        return { kind: 'staff', to: config.managers, audience: 'managers' };
      case 'arrival':
      case 'deadline_warning': {
        const step = ctx.step ?? complaint.pending?.step ?? 'investigation';
        const owner = stepOwnerDepartment(config, step, complaint.department);
        const refs =
          template === 'arrival'
            ? (config.arrivalNotices[step] ?? [])
            : (config.warnings.steps[step] ?? config.warnings.default);
        const r = ownerRecipients(config, refs, owner, complaint.assignee?.email);
        return {
          kind: 'staff',
          to: r.to,
          audience: r.audience || 'nobody',
          timeZone: r.timeZone,
          toAssignee: r.audience === 'assignee',
        };
      }
    }
  }

  /** The customer's data common to every customer email. */
  function customerBase(complaint: Complaint, url: string) {
    return {
      reference: complaint.id,
      customerName: complaint.customer.name,
      complaintSubject: complaint.subject,
      receivedAt: complaint.receivedAt ?? complaint.createdAt,
      statusUrl: url,
    };
  }

  /** The answer date a call task names: the decision or survey deadline of its notice. */
  function callDueAt(complaint: Complaint, template: TemplateId, ctx: NotifyContext): string | undefined {
    if (template === 'proposal' || template === 'reminder')
      return ctx.dueAt ?? pendingDue(complaint, 'customer_decision');
    if (template === 'survey_request') return ctx.dueAt ?? pendingDue(complaint, 'follow_up');
    return undefined;
  }

  /** The pending step's deadline when the pending step is `step`. */
  function pendingDue(complaint: Complaint, ...steps: Step[]): string | undefined {
    return complaint.pending && steps.includes(complaint.pending.step) ? complaint.pending.dueAt : undefined;
  }

  function customerEmail(
    complaint: Complaint,
    template: TemplateId,
    ctx: NotifyContext,
    url: string,
  ): RenderedEmail {
    const language = complaint.customer.language;
    const options = { signature: config.signature[language], branding };
    const base = customerBase(complaint, url);
    const data = ((): TemplateData[keyof TemplateData] => {
      switch (template) {
        case 'acknowledgement':
          return {
            ...base,
            description: complaint.description,
            replyDueBy: complaint.replyDueBy,
            replyDueProvisional: complaint.replyDueProvisional,
          };
        case 'rejected':
          // the customer never sees the findings: the opinion, or the template's standard text
          return { ...base, opinion: complaint.investigation?.opinion };
        case 'proposal':
          return {
            ...base,
            plan: complaint.proposal?.plan ?? '',
            round: customerPlanVersion(complaint),
            decisionDueBy: ctx.dueAt ?? pendingDue(complaint, 'customer_decision'),
          };
        case 'reminder':
          return {
            ...base,
            plan: complaint.proposal?.plan ?? '',
            decisionDueBy: ctx.dueAt ?? pendingDue(complaint, 'customer_decision'),
          };
        case 'result':
          return {
            ...base,
            result: complaint.implementation?.result ?? '',
            basis: complaint.implementation?.basis ?? '',
            suggestions: complaint.implementation?.suggestions,
          };
        case 'survey_request':
          return { ...base, surveyDueBy: ctx.dueAt ?? pendingDue(complaint, 'follow_up') };
        case 'extension': {
          const last = complaint.extensions?.at(-1);
          return {
            ...base,
            newDueBy: ctx.dueAt ?? last?.replyDueBy ?? last?.stepDueAt ?? complaint.replyDueBy,
            provisional: ctx.provisional,
            reason: last?.reason ?? '',
          };
        }
        case 'closure': {
          const outcome = closureOutcome(complaint, ctx);
          return {
            ...base,
            outcome,
            closedAt: complaint.closedAt ?? now().toISOString(),
            rating: outcome === 'resolved' ? complaint.survey?.rating : undefined,
          };
        }
        default:
          throw new Error(`not a customer template: ${template}`);
      }
    })();
    return render(template, data as never, language, options);
  }

  function staffEmail(
    complaint: Complaint,
    template: TemplateId,
    ctx: NotifyContext,
    target: Extract<Recipient, { kind: 'staff' }>,
  ): RenderedEmail {
    const language = config.staffLanguage;
    const base = { reference: complaint.id, consoleUrl: consoleUrl(complaint.id) };
    switch (template) {
      case 'escalation': {
        const { step, level } = escalationOf(complaint, ctx);
        return render(
          'escalation',
          {
            ...base,
            step,
            level,
            dueAt: ctx.dueAt ?? complaint.pending?.dueAt ?? now().toISOString(),
            provisional: ctx.provisional ?? (ctx.dueAt ? undefined : complaint.pending?.provisional),
            reason: ctx.reason,
            count: ctx.count,
            departmentName: departmentName(complaint.department, language),
          },
          language,
          { branding },
        );
      }
      case 'survey_result':
        return render(
          'survey_result',
          {
            ...base,
            rating: ctx.rating ?? complaint.survey?.rating ?? 0,
            comment: complaint.survey?.comment,
            answeredAt: ctx.answeredAt ?? complaint.survey?.answeredAt ?? now().toISOString(),
            by: ctx.by ?? complaint.survey?.by ?? 'customer',
            reopened: ctx.reopened ?? complaint.stage !== 'closed',
            departmentName: departmentName(complaint.department, language),
          },
          language,
          { branding },
        );
      case 'serious_intake':
        return render(
          'serious_intake',
          {
            ...base,
            identifiedAt: complaint.investigation ? 'investigation' : 'intake',
            channel: complaint.channel,
            category: complaint.category,
            severity: complaint.severity ?? 'serious',
            receivedAt: complaint.receivedAt ?? complaint.createdAt,
            replyDueBy: complaint.replyDueBy,
            departmentName: departmentName(complaint.department, language),
          },
          language,
          { branding },
        );
      case 'arrival': {
        const step = ctx.step ?? complaint.pending?.step ?? 'investigation';
        const description = complaint.description.trim();
        return render(
          'arrival',
          {
            ...base,
            step,
            dueAt: ctx.dueAt ?? pendingDue(complaint, step) ?? now().toISOString(),
            provisional: ctx.provisional ?? (ctx.dueAt ? undefined : complaint.pending?.provisional),
            ...(target.timeZone ? { timeZone: target.timeZone } : {}),
            departmentName: departmentName(complaint.department, language),
            channel: complaint.channel,
            category: complaint.category,
            severity: complaint.severity,
            receivedAt: complaint.createdAt,
            subject: complaint.subject,
            request:
              description.length > ARRIVAL_REQUEST_MAX_CHARS
                ? `${description.slice(0, ARRIVAL_REQUEST_MAX_CHARS)}…`
                : description,
            toAssignee: target.toAssignee === true,
          },
          language,
        );
      }
      case 'deadline_warning': {
        const step = ctx.step ?? complaint.pending?.step ?? 'investigation';
        return render(
          'deadline_warning',
          {
            ...base,
            step,
            level: Math.max(0, Math.trunc(ctx.level ?? complaint.pending?.escalationLevel ?? 0)),
            dueAt: ctx.dueAt ?? pendingDue(complaint, step) ?? now().toISOString(),
            provisional: ctx.provisional ?? (ctx.dueAt ? undefined : complaint.pending?.provisional),
            ...(target.timeZone ? { timeZone: target.timeZone } : {}),
            departmentName: departmentName(complaint.department, language),
            toAssignee: target.toAssignee === true,
          },
          language,
        );
      }
      default:
        throw new Error(`not a staff template: ${template}`);
    }
  }

  /** Records the notification event, or (deferRecord) returns it for the caller's write. */
  async function record(
    complaint: Complaint,
    ctx: NotifyContext,
    type: 'notification_sent' | 'notification_failed',
    actor: Actor,
    data: Record<string, unknown>,
  ): Promise<{ event?: ChangeEvent }> {
    const event: ChangeEvent = { type, actor, data };
    if (ctx.deferRecord) return { event };
    await store.update(complaint.id, () => ({ set: {}, event }));
    return {};
  }

  return {
    async notify(complaint, template, ctx = {}) {
      const actor = ctx.actor ?? SYSTEM;
      const target = recipient(complaint, template, ctx);
      const audience = target.kind === 'customer' ? 'customer' : target.audience;
      const logContext = { complaintId: complaint.id, template, audience };

      let to: string[];
      let email: RenderedEmail;
      if (target.kind === 'customer') {
        const address = complaint.customer.email?.trim();
        if (!address) {
          // phone only: the notice becomes a call task in the agents' queue, with the email's text
          const draft = customerEmail(
            complaint,
            template,
            ctx,
            statusUrl(complaint.id, complaint.customer.language),
          );
          const taskId = newCallTaskId();
          let opened: string | undefined;
          await store.update(complaint.id, (c) => {
            const result = openCallTask(
              c,
              {
                id: taskId,
                template: template as CallTaskTemplate,
                subject: draft.subject,
                text: draft.text,
                ...(callDueAt(c, template, ctx) ? { dueAt: callDueAt(c, template, ctx) } : {}),
              },
              now().toISOString(),
              actor,
            );
            opened =
              result?.taskId ?? c.callTasks?.find((t) => t.status === 'open' && t.template === template)?.id;
            return result?.change;
          });
          log.info('notification became a call task: the customer has no email address', logContext);
          return { sent: false, skipped: 'no_email', ...(opened ? { callTask: opened } : {}) };
        }
        // the link works from the moment the email leaves: its hash is stored first
        let token = ctx.accessToken;
        if (!token) {
          token = randomBytes(32).toString('base64url');
          await store.addAccessToken(complaint.id, sha256Hex(token));
        }
        to = [address];
        email = customerEmail(
          complaint,
          template,
          ctx,
          statusUrl(complaint.id, complaint.customer.language, token),
        );
      } else {
        if (target.to.length === 0) {
          // an arrival notice nobody is configured to receive is not a problem
          if (template === 'arrival') log.info('notification skipped: no recipients configured', logContext);
          else log.warn('notification skipped: no recipients configured', logContext);
          return { sent: false, skipped: 'no_recipients' };
        }
        to = target.to;
        email = staffEmail(complaint, template, ctx, target);
      }

      const sent = await sendEmail(ses, config, to, () => email, template, sendDeadlineMs);
      if ('cause' in sent) {
        const { cause } = sent;
        log.warn('notification failed after retries', { ...logContext, ...cause });
        metrics.add(MetricName.NotificationFailures, 'Count', 1);
        const recorded = await record(complaint, ctx, 'notification_failed', actor, {
          template,
          to: audience,
          ...cause,
        });
        return { sent: false, failure: cause.error, ...recorded };
      }
      const { messageId } = sent;

      const recorded = await record(complaint, ctx, 'notification_sent', actor, {
        template,
        to: audience,
        channel: 'email',
        ...(messageId ? { messageId } : {}),
      });
      log.info('notification sent', { ...logContext, messageId });
      return { sent: true, ...(messageId ? { messageId } : {}), ...recorded };
    },
  };
}

/**
 * The outcome a closure email announces. The journey's Close task sends it once the complaint
 * is closed (`outcome` set); a complaint without one (an email sent before its close) still
 * waiting on the customer's decision, or whose last follow-up calls found nobody, is closing
 * for no response; otherwise it is resolved.
 */
function closureOutcome(complaint: Complaint, ctx: NotifyContext): Outcome {
  if (ctx.outcome) return ctx.outcome;
  if (complaint.outcome) return complaint.outcome;
  if ((complaint.unreachableAttempts ?? 0) > 0) return 'no_response';
  return complaint.stage === 'customer_decision' ? 'no_response' : 'resolved';
}

function escalationOf(complaint: Complaint, ctx: NotifyContext): { step: Step; level: number } {
  const step = ctx.step ?? complaint.pending?.step ?? 'investigation';
  const level = Math.max(1, Math.trunc(ctx.level ?? complaint.pending?.escalationLevel ?? 1));
  return { step, level };
}

/** What a failed send records: identifiers only, never a message (SES messages can quote addresses). */
export interface FailureCause {
  /** the error's name, or its code when the name is a bare `Error` (`ECONNREFUSED`) */
  error: string;
  /** the system or SDK code when it adds to the name (`ETIMEDOUT` under `TimeoutError`) */
  code?: string;
  httpStatus?: number;
  /** attempts the SDK made, retries included */
  attempts?: number;
}

/**
 * One email through SES, cut short at `deadlineMs` (a hanging SES costs at most that): its
 * MessageId, or the cause of the failure. `render` runs inside, so a template that throws is a
 * failed send like any other. Shared by the complaint and the improvement notifiers.
 */
export async function sendEmail(
  ses: Pick<SESClient, 'send'>,
  sender: { from: string; replyTo: readonly string[] },
  to: string[],
  render: () => { subject: string; html: string; text: string },
  template: string,
  deadlineMs: number,
): Promise<{ messageId?: string } | { cause: FailureCause }> {
  const deadline = AbortSignal.timeout(deadlineMs);
  try {
    const email = render();
    const output = await ses.send(
      new SendEmailCommand({
        Source: sender.from,
        ...(sender.replyTo.length ? { ReplyToAddresses: [...sender.replyTo] } : {}),
        Destination: { ToAddresses: to },
        Message: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Html: { Data: email.html, Charset: 'UTF-8' },
            Text: { Data: email.text, Charset: 'UTF-8' },
          },
        },
        Tags: [{ Name: 'template', Value: template }],
      }),
      { abortSignal: deadline },
    );
    return output.MessageId ? { messageId: output.MessageId } : {};
  } catch (error) {
    return { cause: failureCause(error, deadline.aborted) };
  }
}

const GENERIC_NAMES = new Set(['Error', 'AggregateError', 'SystemError']);
const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,100}$/;
const identifier = (value: unknown) =>
  typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;

/**
 * The cause of a failed send: `{error: 'TimeoutError', code: 'ETIMEDOUT', attempts: 2}` for a
 * hanging endpoint, `{error: 'ECONNREFUSED', attempts: 2}` for a closed port,
 * `{error: 'MessageRejected', httpStatus: 400, attempts: 1}` for a refusal. `overDeadline`: the
 * notifier's own deadline cut the send short (`code: 'SendDeadlineExceeded'`).
 */
export function failureCause(thrown: unknown, overDeadline = false): FailureCause {
  const e = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
  };
  const name = identifier(e.name);
  const code = identifier(e.code);
  const httpStatus = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const extra = {
    ...(typeof httpStatus === 'number' ? { httpStatus } : {}),
    ...(typeof attempts === 'number' ? { attempts } : {}),
  };
  if (overDeadline) return { error: 'TimeoutError', code: 'SendDeadlineExceeded', ...extra };
  const error = name && !GENERIC_NAMES.has(name) ? name : (code ?? name ?? 'UnknownError');
  return { error, ...(code && code !== error ? { code } : {}), ...extra };
}

// --- the default instance ---------------------------------------------------------------

let current: Notifier | undefined;

/**
 * The notifier the handlers use: SES client from ./clients.ts, the store from ./store.ts
 * (looked up on every call, so setStore() applies), config/notifications.json (read once,
 * on first use; an invalid file fails that call with a message naming every bad entry).
 */
export function getNotifier(): Notifier {
  current ??= createNotifier({
    store: {
      addAccessToken: (id, hash) => getStore().addAccessToken(id, hash),
      update: (id, change) => getStore().update(id, change),
    },
    ses: sesClient,
    config: loadNotificationsConfig(),
  });
  return current;
}

/** Replaces the default notifier (tests, the local stack); `undefined` goes back to the default. */
export function setNotifier(next: Notifier | undefined): void {
  current = next;
}

/** `notify(complaint, template, ctx?)` on the default notifier. */
export function notify(
  complaint: Complaint,
  template: TemplateId,
  ctx?: NotifyContext,
): Promise<NotifyResult> {
  return getNotifier().notify(complaint, template, ctx);
}
