/**
 * The deadline policy: every deadline of the journey (SPEC "The journey"), the escalation
 * chain, the thresholds around them, and the named profiles that replace some of those
 * deadlines for some complaints (SPEC "Working days": a `banking` profile for complaints
 * referred by a financial regulator), as one typed, validated configuration
 * (config/policy.json). Every deadline names its unit: `{ "amount": 3, "unit": "workingDays" }`
 * (workingDays, calendarDays, hours, workingHours; see calendar/calendar.ts).
 *
 *   const policy = loadPolicy();                          // once, at module load; throws if invalid
 *   const profile = selectProfile(policy, { channel: 'regulator', category: 'service' });
 *   replyDeadline(profile, receivedAt, calendar)          // the promised reply date
 *   stepDeadline(profile, 'proposal', openedAt, { calendar, replyBy })  // { dueAt, provisional }
 *   extensionAllowed(profile, 0, { amount: 10, unit: 'calendarDays' }) // { ok: true }
 *
 * The older entry points (deadlineFor, planStep, promisedReply, journeyDeadlines) use the
 * default profile (the top level of policy.json) unless given another one. Their `policy`
 * argument defaults to `configuredPolicy()` (CONFIG_DIR's policy.json, read once per process).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { BusinessCalendar, Duration } from './calendar/calendar.js';
import { DURATION_UNITS, describeDuration, secondsUntil } from './calendar/calendar.js';
import {
  CATEGORIES,
  type Category,
  CHANNELS,
  type Channel,
  type Deadline,
  SEVERITIES,
  type Severity,
  STEPS,
  type Step,
} from './model.js';

/** Who an escalation goes to: resolved to addresses by config/notifications.json. */
export const ESCALATION_TARGETS = ['supervisor', 'manager', 'senior_management'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** The longest deadline the policy accepts, per unit (about a year of each). */
export const POLICY_MAX: Readonly<Record<Duration['unit'], number>> = {
  workingDays: 250,
  calendarDays: 366,
  hours: 8784,
  workingHours: 2250,
};

const UNIT_EXAMPLE = '{ "amount": 5, "unit": "workingDays" }';

/** The steps with a deadline: the keys of the deadline table (the step catalogue names each step's key). */
const DEADLINE_KEYS = [
  'investigation',
  'proposal',
  'review',
  'customer_decision',
  'implementation',
  'follow_up',
  'agent_follow_up',
] as const;

const MAX_EXTENSIONS = 10;

/**
 * The policy file's schema. Built on its first parse (`PolicySchema` is a `z.lazy`), not when
 * a bundle loads: most handlers never parse the policy, and a cold start should build only
 * the schemas its handler uses.
 */
function buildPolicySchema() {
  /** `{ "amount": N, "unit": "…" }`, N a whole number from 1 to the unit's POLICY_MAX. */
  const duration = z
    .strictObject(
      {
        amount: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }),
        unit: z.enum(DURATION_UNITS, { error: `must be one of ${DURATION_UNITS.join(', ')}` }),
      },
      {
        error: (issue) =>
          issue.code === 'invalid_type'
            ? typeof issue.input === 'number'
              ? `must name its unit, e.g. ${UNIT_EXAMPLE}`
              : `must be a deadline such as ${UNIT_EXAMPLE}`
            : undefined,
      },
    )
    .superRefine((d, ctx) => {
      const max = POLICY_MAX[d.unit];
      if (d.amount > max)
        ctx.addIssue({
          code: 'custom',
          path: ['amount'],
          message: `must be at most ${describeDuration({ amount: max, unit: d.unit })}`,
          input: d.amount,
        });
    });

  const stepDeadlines = {
    investigation: duration,
    proposal: duration,
    review: duration,
    /** the customer's first wait; see customerDecisionReminder for the second */
    customer_decision: duration,
    /** by severity, set at investigation */
    implementation: z.strictObject({ minor: duration, general: duration, serious: duration }),
    /** the customer survey */
    follow_up: duration,
    /** the agent's phone follow-up when the survey is not answered */
    agent_follow_up: duration,
  } satisfies Record<(typeof DEADLINE_KEYS)[number], z.ZodType>;

  /** How many times, and by how much at most each time, a deadline of the profile may be extended. */
  const extensions = z
    .strictObject({
      count: z
        .int({ error: 'must be a whole number' })
        .min(0, { error: 'must be 0 or more' })
        .max(MAX_EXTENSIONS, { error: `must be at most ${MAX_EXTENSIONS}` }),
      /** the longest single extension; required when count > 0 */
      max: duration.optional(),
    })
    .superRefine((e, ctx) => {
      if (e.count > 0 && !e.max)
        ctx.addIssue({ code: 'custom', path: ['max'], message: 'is required when count is more than 0' });
    });

  const stepName = z.enum(DEADLINE_KEYS, { error: `must be a step: ${DEADLINE_KEYS.join(', ')}` });

  const profile = z.strictObject({
    /** lower case, e.g. "banking"; "default" is the top level of the file */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,39}$/, {
        error: 'must be lower-case letters, digits, - or _ (e.g. banking)',
      })
      .refine((n) => n !== 'default', { error: '"default" is the top level of the file' }),
    description: z.string().optional(),
    /** complaints this profile applies to: every criterion given must hold */
    match: z
      .strictObject({
        channels: z.array(z.enum(CHANNELS)).min(1, { error: 'lists no channel' }).optional(),
        categories: z.array(z.enum(CATEGORIES)).min(1, { error: 'lists no category' }).optional(),
      })
      .refine((m) => m.channels !== undefined || m.categories !== undefined, {
        error: 'needs channels and/or categories',
      }),
    promisedReply: duration.optional(),
    stepsWithinReply: z.array(stepName).optional(),
    /** replaces these step deadlines; the others are the default profile's */
    steps: z
      .strictObject({
        ...stepDeadlines,
        implementation: z.strictObject({ minor: duration, general: duration, serious: duration }).partial(),
      })
      .partial()
      .optional(),
    customerDecisionReminder: duration.optional(),
    escalationInterval: duration.optional(),
    extensions: extensions.optional(),
  });

  const schema = z
    .strictObject({
      /** the reply date promised in the acknowledgement, from receipt (SPEC: 5 working days) */
      promisedReply: duration,
      /** steps whose deadline never goes past the promised reply date (as extended) */
      stepsWithinReply: z.array(stepName).default([]),
      /** the deadline of each human step, from the moment it opens */
      steps: z.strictObject(stepDeadlines),
      /** after customer_decision times out: one reminder, then this wait, then closed as no_response */
      customerDecisionReminder: duration,
      escalation: z.strictObject({
        /** each escalation level's new deadline */
        interval: duration,
        /** chain[0] is level 1, chain[1] level 2, …; the last entry serves every higher level */
        chain: z.array(z.enum(ESCALATION_TARGETS)).min(1, { error: 'needs at least one level' }),
        /** a complaint declined, or reopened, more than this many times is escalated to the manager */
        maxDeclinesOrReopens: z
          .int({ error: 'must be a whole number' })
          .min(0, { error: 'must be 0 or more' })
          .max(100, { error: 'must be at most 100' }),
      }),
      /** extensions (延期) of a step or of the promised reply date under the default profile */
      extensions: extensions.default({ count: 0 }),
      /** a survey rating at or above this closes the complaint as resolved; below it reopens */
      satisfiedRating: z
        .int({ error: 'must be a whole number' })
        .min(1, { error: 'must be 1–5' })
        .max(5, { error: 'must be 1–5' }),
      /**
       * follow-up calls that may find nobody (`unreachable`) before the complaint closes as
       * no response; each one before that opens the agent's follow-up call again
       */
      unreachableAttempts: z
        .int({ error: 'must be a whole number' })
        .min(1, { error: 'must be 1 or more' })
        .max(10, { error: 'must be at most 10' })
        .default(2),
      /** named profiles, tried in order; the first that matches a complaint applies */
      profiles: z.array(profile).default([]),
      /** staff may register a complaint received (`receivedAt`) at most this many days ago */
      receiptMaxAgeDays: z
        .int({ error: 'must be a whole number' })
        .min(1, { error: 'must be at least 1' })
        .max(3660, { error: 'must be at most 3660' })
        .default(365),
      /**
       * when a staff step's owner is warned before its deadline: at `fraction` of the step's
       * working time (default 0.8), or `workingHoursBefore` the deadline (a step with no more
       * working hours than that warns at the default fraction)
       */
      warning: z
        .union(
          [
            z.strictObject({
              fraction: z
                .number({ error: 'must be a number' })
                .gt(0, { error: 'must be more than 0' })
                .lt(1, { error: 'must be less than 1' }),
            }),
            z.strictObject({
              workingHoursBefore: z
                .number({ error: 'must be a number' })
                .gt(0, { error: 'must be more than 0' })
                .max(1000, { error: 'must be at most 1000' }),
            }),
          ],
          { error: 'must be {"fraction": 0 < f < 1} or {"workingHoursBefore": hours}' },
        )
        .default({ fraction: 0.8 }),
    })
    .superRefine((p, ctx) => {
      const seen = new Map<string, number>();
      p.profiles.forEach((pr, i) => {
        const first = seen.get(pr.name);
        if (first !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['profiles', i, 'name'],
            message: `"${pr.name}" is already the name of profiles[${first}]`,
          });
        else seen.set(pr.name, i);
      });
    });
  return schema;
}

export const PolicySchema = z.lazy(buildPolicySchema);

export type Policy = z.infer<typeof PolicySchema>;
export type PolicyProfileEntry = Policy['profiles'][number];
export type ExtensionAllowance = Policy['extensions'];
export type StepDeadlines = Policy['steps'];

const wd = (amount: number): Duration => ({ amount, unit: 'workingDays' });

/** The defaults of SPEC's journey table and the `banking` profile (also in config/policy.json). */
export const DEFAULT_POLICY: Policy = deepFreeze({
  promisedReply: wd(5),
  stepsWithinReply: [],
  steps: {
    investigation: wd(1),
    proposal: wd(3),
    review: wd(1),
    customer_decision: wd(5),
    implementation: { minor: wd(3), general: wd(5), serious: wd(10) },
    follow_up: wd(5),
    agent_follow_up: wd(1),
  },
  customerDecisionReminder: wd(5),
  escalation: {
    interval: wd(1),
    chain: ['supervisor', 'manager', 'senior_management'],
    maxDeclinesOrReopens: 2,
  },
  extensions: { count: 1, max: wd(5) },
  satisfiedRating: 4,
  unreachableAttempts: 2,
  warning: { fraction: 0.8 },
  profiles: [
    {
      name: 'banking',
      description:
        '银行保险机构消费投诉处理管理办法: complaints referred by a financial regulator are decided within 15 days of receipt, extendable once by at most 15 days with the reason told to the complainant',
      match: { channels: ['regulator'] },
      promisedReply: { amount: 15, unit: 'calendarDays' },
      stepsWithinReply: ['investigation', 'proposal', 'review'],
      extensions: { count: 1, max: { amount: 15, unit: 'calendarDays' } },
    },
  ],
  receiptMaxAgeDays: 365,
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
  const profiles = (content as { profiles?: unknown } | null)?.profiles;
  const problems = result.error.issues.map((issue) => {
    let where = formatPath(issue.path) || '(top level)';
    // name the profile entry: profiles[0] (banking).steps.review.amount
    const name =
      issue.path[0] === 'profiles' && typeof issue.path[1] === 'number' && Array.isArray(profiles)
        ? (profiles[issue.path[1]] as { name?: unknown } | undefined)?.name
        : undefined;
    if (typeof name === 'string') where = where.replace(/^profiles\[\d+\]/, (m) => `${m} (${name})`);
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

// ------------------------------------------------------------------ profiles

/** A profile with every deadline filled in: a named profile over the default one. */
export interface Profile {
  /** "default" for the top level of policy.json */
  name: string;
  description?: string | undefined;
  /** the promised reply date, from receipt */
  promisedReply: Duration;
  /** steps whose deadline never goes past the promised reply date (as extended) */
  stepsWithinReply: readonly Step[];
  steps: StepDeadlines;
  customerDecisionReminder: Duration;
  escalationInterval: Duration;
  extensions: ExtensionAllowance;
}

const defaultProfiles = new WeakMap<Policy, Profile>();
const namedProfiles = new WeakMap<PolicyProfileEntry, Profile>();

/** The top level of the policy as a profile. */
export function defaultProfile(policy: Policy = configuredPolicy()): Profile {
  let p = defaultProfiles.get(policy);
  if (!p) {
    p = Object.freeze({
      name: 'default',
      promisedReply: policy.promisedReply,
      stepsWithinReply: policy.stepsWithinReply,
      steps: policy.steps,
      customerDecisionReminder: policy.customerDecisionReminder,
      escalationInterval: policy.escalation.interval,
      extensions: policy.extensions,
    });
    defaultProfiles.set(policy, p);
  }
  return p;
}

function resolve(policy: Policy, entry: PolicyProfileEntry): Profile {
  let p = namedProfiles.get(entry);
  if (!p) {
    const base = defaultProfile(policy);
    p = deepFreeze({
      name: entry.name,
      description: entry.description,
      promisedReply: entry.promisedReply ?? base.promisedReply,
      stepsWithinReply: entry.stepsWithinReply ?? base.stepsWithinReply,
      steps: {
        ...base.steps,
        ...entry.steps,
        implementation: { ...base.steps.implementation, ...entry.steps?.implementation },
      } as StepDeadlines,
      customerDecisionReminder: entry.customerDecisionReminder ?? base.customerDecisionReminder,
      escalationInterval: entry.escalationInterval ?? base.escalationInterval,
      extensions: entry.extensions ?? base.extensions,
    });
    namedProfiles.set(entry, p);
  }
  return p;
}

/** What a profile is selected by. */
export interface ProfileSubject {
  channel?: Channel | undefined;
  category?: Category | undefined;
}

/**
 * The profile of a complaint: the first profile of the policy (file order) whose `match`
 * holds — every criterion it gives (channels, categories) contains the complaint's value —
 * or the default profile.
 */
export function selectProfile(policy: Policy, subject: ProfileSubject): Profile {
  for (const entry of policy.profiles) {
    const { channels, categories } = entry.match;
    if (channels && !(subject.channel !== undefined && channels.includes(subject.channel))) continue;
    if (categories && !(subject.category !== undefined && categories.includes(subject.category))) continue;
    return resolve(policy, entry);
  }
  return defaultProfile(policy);
}

/** A profile by name ("default" or a profile's name), e.g. the one recorded on a complaint. */
export function profileNamed(policy: Policy, name: string): Profile {
  if (name === 'default') return defaultProfile(policy);
  const entry = policy.profiles.find((p) => p.name === name);
  if (!entry) {
    const known = ['default', ...policy.profiles.map((p) => p.name)].join(', ');
    throw new RangeError(`no deadline profile "${name}" (the policy has ${known})`);
  }
  return resolve(policy, entry);
}

/** What a step's deadline depends on besides the step. */
export interface DeadlineOptions {
  /** the complaint's severity: required for `implementation` */
  severity?: Severity | undefined;
  /** escalation level: 0 (default) = the step's own deadline; ≥ 1 = the escalation interval */
  level?: number | undefined;
  /** customer_decision only: the wait after the reminder */
  reminder?: boolean | undefined;
}

/** The length of time a step (or its escalation, or the reminder wait) gets under a profile. */
export function durationFor(profile: Profile, step: Step, options: DeadlineOptions = {}): Duration {
  if (!(STEPS as readonly string[]).includes(step)) throw new RangeError(`unknown step "${step}"`);
  const level = options.level ?? 0;
  if (!Number.isInteger(level) || level < 0)
    throw new RangeError(`escalation level must be a whole number ≥ 0, got ${level}`);
  if (options.reminder && step !== 'customer_decision')
    throw new RangeError(`only customer_decision has a reminder wait, not ${step}`);
  if (level > 0) return profile.escalationInterval;
  if (options.reminder) return profile.customerDecisionReminder;
  if (step === 'implementation') {
    const severity = options.severity;
    if (!severity || !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new RangeError(
        `the implementation deadline depends on severity (minor, general, serious), got ${String(severity)}`,
      );
    }
    return profile.steps.implementation[severity];
  }
  return profile.steps[step];
}

/** Everything besides the profile, the step and the start that a step's deadline depends on. */
export interface StepDeadlineContext extends DeadlineOptions {
  calendar: BusinessCalendar;
  /**
   * The complaint's promised reply date (as extended). A step of the profile's
   * `stepsWithinReply` is due no later than this, unless it opens after it (then it gets its
   * own deadline: a deadline already past would escalate at once, level after level).
   */
  replyBy?: Deadline | undefined;
}

/**
 * The deadline of `step` opened (or escalated, or reminded) at `from` under `profile`: the
 * step's own length in its unit, capped at the promised reply date for the profile's
 * `stepsWithinReply` (the `banking` profile's decision within 15 days of receipt).
 */
export function stepDeadline(
  profile: Profile,
  step: Step,
  from: Date,
  context: StepDeadlineContext,
): Deadline {
  const own = context.calendar.due(from, durationFor(profile, step, context));
  const replyBy = context.replyBy;
  if (replyBy && profile.stepsWithinReply.includes(step)) {
    const cap = Date.parse(replyBy.dueAt);
    if (cap > from.getTime() && cap < Date.parse(own.dueAt)) return { ...replyBy };
  }
  return own;
}

/**
 * The promised reply date of a complaint received at `receivedAt` under `profile`, moved by
 * the extensions granted so far (each counted from the date it extends).
 */
export function replyDeadline(
  profile: Profile,
  receivedAt: Date,
  calendar: BusinessCalendar,
  extensions: readonly Duration[] = [],
): Deadline {
  let deadline = calendar.due(receivedAt, profile.promisedReply);
  for (const by of extensions) deadline = extendDeadline(calendar, deadline, by);
  return deadline;
}

/**
 * A deadline moved by an extension: `by` counted from the current deadline (an extension of
 * 15 calendar days of a reply due on day 15 is due on day 30, or the next working day).
 */
export function extendDeadline(calendar: BusinessCalendar, deadline: Deadline, by: Duration): Deadline {
  const moved = calendar.due(deadline.dueAt, by);
  return { dueAt: moved.dueAt, provisional: moved.provisional || deadline.provisional };
}

/** Whether one more extension may be granted, and if not, why (a sentence for the 409). */
export type ExtensionVerdict = { ok: true } | { ok: false; reason: string };

/**
 * May a deadline under `profile`, already extended `usedExtensions` times, be extended by
 * `requested`? The allowance's `max` fixes the unit: a request in another unit is refused
 * (15 calendar days and 11 working days do not compare without a date).
 */
export function extensionAllowed(
  profile: Profile,
  usedExtensions: number,
  requested: Duration,
): ExtensionVerdict {
  const { count, max } = profile.extensions;
  const under = `the ${profile.name} deadline profile`;
  if (!Number.isInteger(usedExtensions) || usedExtensions < 0)
    throw new RangeError(`extensions used must be a whole number ≥ 0, got ${usedExtensions}`);
  if (count === 0 || !max) return { ok: false, reason: `${under} allows no extension` };
  if (usedExtensions >= count)
    return {
      ok: false,
      reason: `${under} allows ${count === 1 ? 'one extension' : `${count} extensions`}, and ${usedExtensions === 1 ? 'it has' : `${usedExtensions} have`} been used`,
    };
  if (!(DURATION_UNITS as readonly string[]).includes(requested.unit))
    return {
      ok: false,
      reason: `"${String(requested.unit)}" is not a unit: use ${DURATION_UNITS.join(', ')}`,
    };
  if (!Number.isInteger(requested.amount) || requested.amount < 1)
    return { ok: false, reason: `an extension is a whole number ≥ 1, got ${requested.amount}` };
  if (requested.unit !== max.unit)
    return {
      ok: false,
      reason: `extensions under ${under} are counted in ${describeDuration({ amount: 2, unit: max.unit }).slice(2)}, not ${describeDuration({ amount: 2, unit: requested.unit }).slice(2)}`,
    };
  if (requested.amount > max.amount)
    return {
      ok: false,
      reason: `${under} allows an extension of at most ${describeDuration(max)}, not ${describeDuration(requested)}`,
    };
  return { ok: true };
}

// ------------------------------------------------------------------ the default profile's API

/**
 * The number of working days a step gets under the default profile (kept for callers that
 * count in working days). A RangeError when the policy writes that deadline in another unit:
 * use durationFor.
 */
export function workingDaysFor(
  step: Step,
  options: DeadlineOptions = {},
  policy: Policy = configuredPolicy(),
): number {
  const d = durationFor(defaultProfile(policy), step, options);
  if (d.unit !== 'workingDays')
    throw new RangeError(`the ${step} deadline is ${describeDuration(d)}, not working days: use durationFor`);
  return d.amount;
}

/** Options of deadlineFor / planStep: the profile (default: the policy's default) and the reply date it caps at. */
export interface ProfileOptions extends DeadlineOptions {
  profile?: Profile | undefined;
  replyBy?: Deadline | undefined;
}

/** The deadline of a step opened (or escalated, or reminded) at `from`. */
export function deadlineFor(
  step: Step,
  options: ProfileOptions,
  from: Date,
  calendar: BusinessCalendar,
  policy: Policy = configuredPolicy(),
): Deadline {
  return stepDeadline(options.profile ?? defaultProfile(policy), step, from, { ...options, calendar });
}

/** The promised reply date of the acknowledgement (`replyDueBy`); the default profile's unless given one. */
export function promisedReply(
  receivedAt: Date,
  calendar: BusinessCalendar,
  policy: Policy = configuredPolicy(),
  profile: Profile = defaultProfile(policy),
): Deadline {
  return replyDeadline(profile, receivedAt, calendar);
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
  options: ProfileOptions,
  now: Date,
  calendar: BusinessCalendar,
  policy: Policy = configuredPolicy(),
): StepPlan {
  const deadline = deadlineFor(step, options, now, calendar, policy);
  return { step, level: options.level ?? 0, ...deadline, timeoutSeconds: secondsUntil(deadline.dueAt, now) };
}

/**
 * The policy over a calendar, in the shape the journey tasks take (`JourneyPolicy` in
 * functions/journey/tasks.ts), for the default profile unless given another. A context's
 * `replyBy` (the complaint's promised reply date) caps the profile's `stepsWithinReply`.
 */
export function journeyDeadlines(
  calendar: BusinessCalendar,
  policy: Policy = configuredPolicy(),
  profile: Profile = defaultProfile(policy),
) {
  return {
    stepDeadline(
      step: Step,
      from: Date,
      context: { severity?: Severity; reminder?: boolean; replyBy?: Deadline },
    ): Deadline {
      return stepDeadline(profile, step, from, {
        calendar,
        severity: context.severity,
        reminder: context.reminder,
        replyBy: context.replyBy,
      });
    },
    escalationDeadline(
      step: Step,
      level: number,
      from: Date,
      context: { replyBy?: Deadline } = {},
    ): Deadline {
      return stepDeadline(profile, step, from, {
        calendar,
        level: Math.max(1, level),
        replyBy: context.replyBy,
      });
    },
    repeatEscalationThreshold: policy.escalation.maxDeclinesOrReopens,
    /** the pre-breach warning instant of a step opened at `since`, due at `dueAt` */
    warningAt(since: Date, dueAt: string): string | undefined {
      return warningInstant(calendar, policy.warning, since, dueAt);
    },
  };
}

/** The default share of a step's working time after which its owner is warned. */
export const DEFAULT_WARNING_FRACTION = 0.8;

/**
 * The working hours after a step's opening at which its owner is warned, for a step of `total`
 * working hours: `fraction` of them, or `workingHoursBefore` its deadline (the default fraction
 * when the step is not longer than that). The reports' "at risk" uses the same point.
 */
export function warningHours(warning: Policy['warning'], total: number): number {
  if ('workingHoursBefore' in warning && total > warning.workingHoursBefore)
    return total - warning.workingHoursBefore;
  return total * warningFraction(warning);
}

/** The share of natural time used for a step with no working hours in it (and by `warningHours`). */
export function warningFraction(warning: Policy['warning']): number {
  return 'fraction' in warning ? warning.fraction : DEFAULT_WARNING_FRACTION;
}

/**
 * When the owner of a step opened at `since` and due at `dueAt` is warned: `fraction` of the
 * step's working hours after `since` (natural time when the step has no working hours in
 * it), or `workingHoursBefore` working hours before `dueAt` (the default fraction when the step
 * is not longer than that). Undefined when the deadline is not after `since`.
 */
export function warningInstant(
  calendar: Pick<BusinessCalendar, 'workingHoursBetween'>,
  warning: Policy['warning'],
  since: Date,
  dueAt: string,
): string | undefined {
  const due = Date.parse(dueAt);
  if (!Number.isFinite(due) || due <= since.getTime()) return undefined;
  const total = calendar.workingHoursBetween(since, new Date(due));
  const hours = warningHours(warning, total);
  if (total <= 0) {
    return new Date(since.getTime() + warningFraction(warning) * (due - since.getTime())).toISOString();
  }
  // the first minute by which `hours` working hours have passed (bisection: fractions of hours)
  let lo = since.getTime();
  let hi = due;
  while (hi - lo > 60_000) {
    const mid = Math.floor((lo + hi) / 2);
    if (calendar.workingHoursBetween(since, new Date(mid)) >= hours) hi = mid;
    else lo = mid;
  }
  return new Date(hi).toISOString();
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
