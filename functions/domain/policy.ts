/**
 * The deadline policy: every deadline of the journey (SPEC "The journey"), the escalation
 * chain, and the thresholds around them, as one typed, validated configuration
 * (config/policy.json). Deadlines are in working days of the business calendar.
 *
 *   const policy = loadPolicy();                          // once, at module load; throws if invalid
 *   deadlineFor('proposal', {}, now, calendar, policy)    // { dueAt, provisional }
 *   planStep('investigation', {}, now, calendar, policy)  // the Plan<Step> task output
 *
 * The `policy` argument defaults to `configuredPolicy()` (CONFIG_DIR's policy.json, read
 * once per process).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { BusinessCalendar } from './calendar/calendar.js';
import { secondsUntil } from './calendar/calendar.js';
import { type Deadline, SEVERITIES, type Severity, STEPS, type Step } from './model.js';

/** Who an escalation goes to: resolved to addresses by config/notifications.json. */
export const ESCALATION_TARGETS = ['supervisor', 'manager', 'senior_management'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

const MAX_WORKING_DAYS = 250;
const workingDays = z
  .int({ error: 'must be a whole number of working days' })
  .min(1, { error: `must be at least 1 working day` })
  .max(MAX_WORKING_DAYS, { error: `must be at most ${MAX_WORKING_DAYS} working days` });

export const PolicySchema = z.strictObject({
  /** the reply date promised in the acknowledgement (SPEC: 5 working days) */
  promisedReplyDays: workingDays,
  /** the deadline of each human step, from the moment it opens */
  steps: z.strictObject({
    investigation: workingDays,
    proposal: workingDays,
    review: workingDays,
    /** the customer's first wait; see customerDecisionReminderDays for the second */
    customer_decision: workingDays,
    /** by severity, set at investigation */
    implementation: z.strictObject({ minor: workingDays, general: workingDays, serious: workingDays }),
    /** the customer survey */
    follow_up: workingDays,
    /** the agent's phone follow-up when the survey is not answered */
    agent_follow_up: workingDays,
  }),
  /** after customer_decision times out: one reminder, then this wait, then closed as no_response */
  customerDecisionReminderDays: workingDays,
  escalation: z.strictObject({
    /** each escalation level's new deadline */
    intervalDays: workingDays,
    /** chain[0] is level 1, chain[1] level 2, …; the last entry serves every higher level */
    chain: z.array(z.enum(ESCALATION_TARGETS)).min(1, { error: 'needs at least one level' }),
    /** a complaint declined, or reopened, more than this many times is escalated to the manager */
    maxDeclinesOrReopens: z
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must be 0 or more' })
      .max(100, { error: 'must be at most 100' }),
  }),
  /** a survey rating at or above this closes the complaint as resolved; below it reopens */
  satisfiedRating: z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be 1–5' })
    .max(5, { error: 'must be 1–5' }),
});

export type Policy = z.infer<typeof PolicySchema>;

/** The defaults of SPEC's journey table (also in config/policy.json). */
export const DEFAULT_POLICY: Policy = deepFreeze({
  promisedReplyDays: 5,
  steps: {
    investigation: 1,
    proposal: 3,
    review: 1,
    customer_decision: 5,
    implementation: { minor: 3, general: 5, serious: 10 },
    follow_up: 5,
    agent_follow_up: 1,
  },
  customerDecisionReminderDays: 5,
  escalation: {
    intervalDays: 1,
    chain: ['supervisor', 'manager', 'senior_management'],
    maxDeclinesOrReopens: 2,
  },
  satisfiedRating: 4,
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The policy file is not valid. The message names the file and every bad field. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyConfigError';
  }
}

function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out;
}

/** Validates a policy object; `source` names it in messages. */
export function parsePolicy(content: unknown, source = 'policy'): Policy {
  const result = PolicySchema.safeParse(content, { reportInput: true });
  if (result.success) return deepFreeze(result.data);
  const problems = result.error.issues.map((issue) => {
    const where = formatPath(issue.path) || '(top level)';
    const got =
      'input' in issue && issue.input !== undefined && issue.code !== 'unrecognized_keys'
        ? ` (got ${JSON.stringify(issue.input)})`
        : '';
    return `${where}: ${issue.message}${got}`;
  });
  throw new PolicyConfigError(`${source} is not a valid deadline policy:\n  ${problems.join('\n  ')}`);
}

/**
 * Reads `<configDir>/policy.json` (CONFIG_DIR, default <cwd>/config). No file: the SPEC
 * defaults. A file that is not JSON or not valid: PolicyConfigError naming every problem.
 */
export function loadPolicy(
  configDir: string = process.env.CONFIG_DIR ?? path.join(process.cwd(), 'config'),
): Policy {
  const file = path.join(configDir, 'policy.json');
  const name = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_POLICY;
    throw new PolicyConfigError(`${name}: cannot read (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PolicyConfigError(`${name}: not valid JSON (${(e as Error).message})`);
  }
  return parsePolicy(json, name);
}

let configured: Policy | undefined;

/** The policy of CONFIG_DIR, loaded on first use and kept for the life of the process. */
export function configuredPolicy(): Policy {
  configured ??= loadPolicy();
  return configured;
}

/** Replaces the process-wide policy (tests, local stack); `undefined` reloads from CONFIG_DIR on next use. */
export function setPolicy(next: Policy | undefined): void {
  configured = next;
}

/** What a step's deadline depends on besides the step. */
export interface DeadlineOptions {
  /** the complaint's severity: required for `implementation` */
  severity?: Severity | undefined;
  /** escalation level: 0 (default) = the step's own deadline; ≥ 1 = escalation.intervalDays */
  level?: number | undefined;
  /** customer_decision only: the wait after the reminder */
  reminder?: boolean | undefined;
}

/** The number of working days a step (or its escalation, or the reminder wait) gets. */
export function workingDaysFor(
  step: Step,
  options: DeadlineOptions = {},
  policy: Policy = configuredPolicy(),
): number {
  if (!(STEPS as readonly string[]).includes(step)) throw new RangeError(`unknown step "${step}"`);
  const level = options.level ?? 0;
  if (!Number.isInteger(level) || level < 0)
    throw new RangeError(`escalation level must be a whole number ≥ 0, got ${level}`);
  if (options.reminder && step !== 'customer_decision')
    throw new RangeError(`only customer_decision has a reminder wait, not ${step}`);
  if (level > 0) return policy.escalation.intervalDays;
  if (options.reminder) return policy.customerDecisionReminderDays;
  if (step === 'implementation') {
    const severity = options.severity;
    if (!severity || !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new RangeError(
        `the implementation deadline depends on severity (minor, general, serious), got ${String(severity)}`,
      );
    }
    return policy.steps.implementation[severity];
  }
  return policy.steps[step];
}

/** The deadline of a step opened (or escalated, or reminded) at `from`. */
export function deadlineFor(
  step: Step,
  options: DeadlineOptions,
  from: Date,
  calendar: BusinessCalendar,
  policy: Policy = configuredPolicy(),
): Deadline {
  return calendar.addWorkingDays(from, workingDaysFor(step, options, policy));
}

/** The promised reply date of the acknowledgement (`replyDueBy`). */
export function promisedReply(
  receivedAt: Date,
  calendar: BusinessCalendar,
  policy: Policy = configuredPolicy(),
): Deadline {
  return calendar.addWorkingDays(receivedAt, policy.promisedReplyDays);
}

/** The output of a Plan<Step> task (docs/ARCHITECTURE.md), and of Escalate<Step>. */
export interface StepPlan extends Deadline {
  step: Step;
  level: number;
  /** whole seconds from now to dueAt, at least 1: the Await task's TimeoutSecondsPath */
  timeoutSeconds: number;
}

/** Plans a step opened now: its deadline and the callback task's timeout. */
export function planStep(
  step: Step,
  options: DeadlineOptions,
  now: Date,
  calendar: BusinessCalendar,
  policy: Policy = configuredPolicy(),
): StepPlan {
  const deadline = deadlineFor(step, options, now, calendar, policy);
  return { step, level: options.level ?? 0, ...deadline, timeoutSeconds: secondsUntil(deadline.dueAt, now) };
}

/**
 * The policy over a calendar, in the shape the journey tasks take (`JourneyPolicy` in
 * functions/journey/tasks.ts): drop-in for a hand-written table of working days.
 */
export function journeyDeadlines(calendar: BusinessCalendar, policy: Policy = configuredPolicy()) {
  return {
    stepDeadline(step: Step, from: Date, context: { severity?: Severity; reminder?: boolean }): Deadline {
      return deadlineFor(
        step,
        { severity: context.severity, reminder: context.reminder },
        from,
        calendar,
        policy,
      );
    },
    escalationDeadline(step: Step, level: number, from: Date): Deadline {
      return deadlineFor(step, { level: Math.max(1, level) }, from, calendar, policy);
    },
    repeatEscalationThreshold: policy.escalation.maxDeclinesOrReopens,
  };
}

/** Who escalation level `level` (≥ 1) goes to. */
export function escalationTarget(level: number, policy: Policy = configuredPolicy()): EscalationTarget {
  if (!Number.isInteger(level) || level < 1)
    throw new RangeError(`escalation levels start at 1, got ${level}`);
  const chain = policy.escalation.chain;
  return chain[Math.min(level, chain.length) - 1] as EscalationTarget;
}

/** SPEC: a proposal declined, or a complaint reopened, more than N times goes to the manager. */
export function repeatsNeedManager(
  counts: { declines: number; reopens: number },
  policy: Policy = configuredPolicy(),
): boolean {
  const max = policy.escalation.maxDeclinesOrReopens;
  return counts.declines > max || counts.reopens > max;
}

/** A rating that closes the complaint as resolved (SPEC: 4–5); lower reopens it. */
export function isSatisfied(rating: number, policy: Policy = configuredPolicy()): boolean {
  return rating >= policy.satisfiedRating;
}

export { secondsUntil };
