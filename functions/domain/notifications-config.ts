import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import * as z from 'zod';
import { LANGUAGES, type Language } from './model.js';
import { CATALOGUE, type Step } from './steps/index.js';

/**
 * `config/notifications.json`: who sends, who receives, and where the emails' links point.
 * Read once at load; an invalid file fails with a message naming every bad entry.
 *
 * Deploy-time overrides from the environment (CDK and the local stack set them):
 * - `SENDER_EMAIL` replaces the address of `from` (its display name stays);
 * - `STATUS_PAGE_BASE_URL` replaces `statusPageBaseUrl`;
 * - `CONSOLE_BASE_URL` replaces `consoleBaseUrl`. When neither sets it, the staff console
 *   is on the same site as the status page (the effective `statusPageBaseUrl`).
 */

/**
 * Who receives an escalation of a level:
 * - `stepOwnerSupervisor` / `stepOwnerDepartment`: the supervisor / shared mailbox of the
 *   department that owns the overdue step (investigation and agent follow-up: the customer
 *   service department; the other steps: the complaint's responsible department, falling
 *   back to customer service while none is assigned);
 * - `managers`, `seniorManagement`: those lists;
 * - or a literal email address.
 */
export const RECIPIENT_REFS = [
  'stepOwnerSupervisor',
  'stepOwnerDepartment',
  'managers',
  'seniorManagement',
] as const;
export type RecipientRef = (typeof RECIPIENT_REFS)[number] | `${string}@${string}`;

/**
 * Who is told that a staff step has opened (arrival notice) or is about to miss its deadline
 * (pre-breach warning):
 * - `owner`: the complaint's named owner when their address is known (they took it
 *   themselves), else the shared mailbox of the department that owns the step;
 * - `assignee`: the named owner only (nobody when there is none, or no address is known);
 * - `stepOwnerDepartment` / `stepOwnerSupervisor`: as for escalations;
 * - `agents`: the customer service department's mailbox;
 * - `managers`, `seniorManagement`, or a literal email address.
 */
export const OWNER_REFS = [
  'owner',
  'assignee',
  'stepOwnerDepartment',
  'stepOwnerSupervisor',
  'agents',
  'managers',
  'seniorManagement',
] as const;
export type OwnerRef = (typeof OWNER_REFS)[number] | `${string}@${string}`;

/** The steps staff take (the customer's own steps — decision, survey — are never announced to staff). */
export const STAFF_STEPS = CATALOGUE.filter((d) => d.customer === undefined).map((d) => d.step) as Step[];

/**
 * Default arrival notices (SPEC "Work finds its people"): the responsible department (or the
 * named owner) when a complaint is routed to it for a plan and when the plan is to be carried
 * out, the supervisor when a plan awaits review, the agents (or the named owner) when a
 * follow-up call is due. Investigation is not announced: every new complaint starts there.
 */
export const DEFAULT_ARRIVAL_NOTICES: Partial<Record<Step, OwnerRef[]>> = {
  proposal: ['owner'],
  review: ['stepOwnerSupervisor'],
  implementation: ['owner'],
  agent_follow_up: ['owner'],
};

/** Default pre-breach warnings: every staff step warns its owner. */
export const DEFAULT_WARNING_RECIPIENTS: OwnerRef[] = ['owner'];

export interface DepartmentRecipients {
  /** the department's shared mailbox (survey results, arrival notices, warnings) */
  email: string;
  /** the department's supervisor (escalation level 1) */
  supervisorEmail: string;
  /** display names from config/departments.json */
  name: Record<Language, string>;
  /** the time zone its staff read dates in (default: `staffTimeZone`) */
  timeZone: string;
}

export interface NotificationsConfig {
  /** SES `Source`, ready to use (a non-ASCII display name is RFC 2047 encoded) */
  from: string;
  replyTo: string[];
  /** no trailing slash */
  statusPageBaseUrl: string;
  /** no trailing slash */
  consoleBaseUrl: string;
  /** the language of staff emails */
  staffLanguage: Language;
  /** the time zone of dates in staff emails (IANA), unless the department sets its own */
  staffTimeZone: string;
  /** per staff step: who gets the arrival notice when it opens (absent: nobody) */
  arrivalNotices: Partial<Record<Step, OwnerRef[]>>;
  /** who gets a step's pre-breach warning (per step; steps not listed use `default`) */
  warnings: { default: OwnerRef[]; steps: Partial<Record<Step, OwnerRef[]>> };
  /** signature under customer emails, per language (template default when absent) */
  signature: Partial<Record<Language, string>>;
  /** the department of the agents: owns investigation and agent follow-up */
  customerServiceDepartment: string;
  departments: Record<string, DepartmentRecipients>;
  managers: string[];
  seniorManagement: string[];
  /** index 0 = level 1; levels beyond the last entry use the last entry */
  escalationChain: RecipientRef[][];
  /**
   * A step's own chain, in place of `escalationChain` (same shape). The supervisor's own
   * review step escalates level 1 to the complaints manager, not to the supervisor who owns it
   * (SPEC "The journey"): `review` defaults to DEFAULT_REVIEW_ESCALATION_CHAIN.
   */
  stepEscalationChains: Record<string, RecipientRef[][]>;
}

export class NotificationsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotificationsConfigError';
  }
}

export const DEFAULT_ESCALATION_CHAIN: RecipientRef[][] = [
  ['stepOwnerSupervisor'],
  ['managers'],
  ['seniorManagement'],
];

/** The review step is the supervisor's own: its level 1 is the complaints manager. */
export const DEFAULT_REVIEW_ESCALATION_CHAIN: RecipientRef[][] = [
  ['managers'],
  ['managers'],
  ['seniorManagement'],
];

/**
 * The schemas of notifications.json and departments.json, built on first use, not when a
 * bundle loads: most handlers never parse these files, and a cold start should build only the
 * schemas its handler uses.
 */
function buildSchemas() {
  const email = z.email({ error: 'Must be an email address.' });
  const emails = z.array(email).min(1, 'Must list at least one email address.');
  const departmentId = z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Must be a department id such as after-sales.');

  /** `addr@example.com` or `Display Name <addr@example.com>` */
  const mailbox = z
    .string()
    .trim()
    .refine((value) => parseMailbox(value) !== undefined, 'Must be an email address, or "Name <address>".');

  const timeZone = z
    .string()
    .refine((value) => IANAZone.isValidZone(value), 'Must be an IANA time zone such as Asia/Shanghai.');

  const ownerRef = z
    .string()
    .refine(
      (value) => (OWNER_REFS as readonly string[]).includes(value) || email.safeParse(value).success,
      `Must be one of ${OWNER_REFS.join(', ')}, or an email address.`,
    );
  const ownerRefs = z.array(ownerRef);
  /** `{<staff step>: [owner refs]}`, each unknown or customer step named */
  const byStaffStep = z.record(z.string(), ownerRefs).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!(STAFF_STEPS as readonly string[]).includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `Must be a staff step: ${STAFF_STEPS.join(', ')}.`,
        });
    }
  });

  const baseUrl = z
    .url({ protocol: /^https?$/, error: 'Must be an http(s) URL.' })
    .refine((value) => !/[?#]/.test(value), 'Must be a base URL without query or fragment.')
    .transform((value) => value.replace(/\/+$/, ''));

  const recipientRef = z
    .string()
    .refine(
      (value) => (RECIPIENT_REFS as readonly string[]).includes(value) || email.safeParse(value).success,
      `Must be one of ${RECIPIENT_REFS.join(', ')}, or an email address.`,
    );

  const escalationChain = z
    .array(z.array(recipientRef).min(1, 'Each level needs at least one recipient.'))
    .min(1, 'Must have at least one level.');

  const notificationsFile = z
    .object({
      $comment: z.string().optional(),
      from: mailbox,
      replyTo: z
        .union([email, z.array(email)])
        .optional()
        .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
      statusPageBaseUrl: baseUrl,
      consoleBaseUrl: baseUrl.optional(),
      staffLanguage: z.enum(LANGUAGES).default('zh-CN'),
      staffTimeZone: timeZone.default('Asia/Shanghai'),
      arrivalNotices: byStaffStep.optional(),
      warnings: z
        .object({ default: ownerRefs.optional(), steps: byStaffStep.optional() })
        .strict()
        .optional(),
      signature: z
        .object({ 'zh-CN': z.string().trim().min(1).optional(), en: z.string().trim().min(1).optional() })
        .strict()
        .default({}),
      customerServiceDepartment: departmentId.default('customer-service'),
      departments: z.record(
        departmentId,
        z.object({ email, supervisorEmail: email, timeZone: timeZone.optional() }).strict(),
      ),
      managers: emails,
      seniorManagement: emails,
      escalationChain: escalationChain.default(DEFAULT_ESCALATION_CHAIN),
      stepEscalationChains: z
        .record(
          z.string().regex(/^[a-z][a-z_]{0,63}$/, 'Must be a step name such as review.'),
          escalationChain,
        )
        .default({}),
    })
    .strict();

  const departmentsFile = z.object({
    departments: z
      .array(
        z.object({ id: departmentId, name: z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) }) }),
      )
      .min(1),
  });
  return { email, baseUrl, notificationsFile, departmentsFile };
}

let built: ReturnType<typeof buildSchemas> | undefined;
function schemas(): ReturnType<typeof buildSchemas> {
  built ??= buildSchemas();
  return built;
}

export type NotificationsFile = z.input<ReturnType<typeof buildSchemas>['notificationsFile']>;

export interface DepartmentDefinition {
  id: string;
  name: Record<Language, string>;
}

function describe(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${issue.path.length ? issue.path.join('.') : '(file)'}: ${issue.message.replace(/\.$/, '')}`,
    )
    .join('; ');
}

/**
 * Validates the content of notifications.json against the configured departments, applies
 * the environment overrides, and returns the configuration the notifier uses.
 */
export function parseNotificationsConfig(
  raw: unknown,
  departments: readonly DepartmentDefinition[],
  env: NodeJS.ProcessEnv = process.env,
  source = 'config/notifications.json',
): NotificationsConfig {
  const parsed = schemas().notificationsFile.safeParse(raw);
  if (!parsed.success) throw new NotificationsConfigError(`Invalid ${source}: ${describe(parsed.error)}`);
  const file = parsed.data;

  const problems: string[] = [];
  const known = new Set(departments.map((d) => d.id));
  for (const d of departments) {
    if (!file.departments[d.id])
      problems.push(`departments.${d.id}: missing (every department in departments.json needs recipients)`);
  }
  for (const id of Object.keys(file.departments)) {
    if (!known.has(id)) problems.push(`departments.${id}: not a department in departments.json`);
  }
  if (!known.has(file.customerServiceDepartment)) {
    problems.push(
      `customerServiceDepartment: "${file.customerServiceDepartment}" is not a department in departments.json`,
    );
  }

  let from = file.from;
  const senderOverride = env.SENDER_EMAIL?.trim();
  if (senderOverride) {
    if (!schemas().email.safeParse(senderOverride).success)
      problems.push('SENDER_EMAIL (environment): must be an email address');
    else from = withAddress(file.from, senderOverride);
  }
  const statusPageBaseUrl =
    overrideUrl(env.STATUS_PAGE_BASE_URL, 'STATUS_PAGE_BASE_URL', problems) ?? file.statusPageBaseUrl;
  const consoleBaseUrl =
    overrideUrl(env.CONSOLE_BASE_URL, 'CONSOLE_BASE_URL', problems) ??
    file.consoleBaseUrl ??
    statusPageBaseUrl;

  if (problems.length) throw new NotificationsConfigError(`Invalid ${source}: ${problems.join('; ')}`);

  return {
    from: encodeMailbox(from),
    replyTo: file.replyTo,
    statusPageBaseUrl,
    consoleBaseUrl,
    staffLanguage: file.staffLanguage,
    staffTimeZone: file.staffTimeZone,
    arrivalNotices: (file.arrivalNotices ?? DEFAULT_ARRIVAL_NOTICES) as Partial<Record<Step, OwnerRef[]>>,
    warnings: {
      default: (file.warnings?.default ?? DEFAULT_WARNING_RECIPIENTS) as OwnerRef[],
      steps: (file.warnings?.steps ?? {}) as Partial<Record<Step, OwnerRef[]>>,
    },
    signature: file.signature,
    customerServiceDepartment: file.customerServiceDepartment,
    departments: Object.fromEntries(
      departments.map((d) => {
        const recipients = file.departments[d.id] as {
          email: string;
          supervisorEmail: string;
          timeZone?: string;
        };
        return [
          d.id,
          {
            email: recipients.email,
            supervisorEmail: recipients.supervisorEmail,
            name: d.name,
            timeZone: recipients.timeZone ?? file.staffTimeZone,
          },
        ];
      }),
    ),
    managers: file.managers,
    seniorManagement: file.seniorManagement,
    escalationChain: file.escalationChain as RecipientRef[][],
    stepEscalationChains: {
      review: DEFAULT_REVIEW_ESCALATION_CHAIN,
      ...(file.stepEscalationChains as Record<string, RecipientRef[][]>),
    },
  };
}

function overrideUrl(value: string | undefined, name: string, problems: string[]): string | undefined {
  if (!value?.trim()) return undefined;
  const parsed = schemas().baseUrl.safeParse(value.trim());
  if (!parsed.success) {
    problems.push(`${name} (environment): must be an http(s) base URL`);
    return undefined;
  }
  return parsed.data;
}

/** Reads `<configDir>/notifications.json` and `<configDir>/departments.json`. */
export function loadNotificationsConfig(
  options: { configDir?: string; env?: NodeJS.ProcessEnv } = {},
): NotificationsConfig {
  const env = options.env ?? process.env;
  const dir = options.configDir ?? env.CONFIG_DIR ?? path.join(process.cwd(), 'config');
  const departments = parseDepartments(
    readJson(path.join(dir, 'departments.json')),
    path.join(dir, 'departments.json'),
  );
  const file = path.join(dir, 'notifications.json');
  return parseNotificationsConfig(readJson(file), departments, env, file);
}

/** The departments of `config/departments.json` (its parsed content), or NotificationsConfigError. */
export function parseDepartments(content: unknown, source = 'departments.json'): DepartmentDefinition[] {
  const parsed = schemas().departmentsFile.safeParse(content);
  if (!parsed.success) throw new NotificationsConfigError(`Invalid ${source}: ${describe(parsed.error)}`);
  return parsed.data.departments;
}

/** A JSON file of the configuration, or NotificationsConfigError naming it. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new NotificationsConfigError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NotificationsConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The department that owns a step (see RecipientRef). */
export function stepOwnerDepartment(
  config: NotificationsConfig,
  step: string,
  responsibleDepartment?: string,
): string {
  if (step === 'investigation' || step === 'agent_follow_up') return config.customerServiceDepartment;
  if (responsibleDepartment && config.departments[responsibleDepartment]) return responsibleDepartment;
  return config.customerServiceDepartment;
}

/**
 * The recipients of an escalation of `level` (≥ 1) for a step owned by `ownerDepartment`;
 * with `step`, that step's own chain when it has one (`stepEscalationChains`).
 */
export function escalationRecipients(
  config: NotificationsConfig,
  level: number,
  ownerDepartment: string,
  step?: string,
): string[] {
  const chain = (step !== undefined && config.stepEscalationChains?.[step]) || config.escalationChain;
  const entry = chain[Math.min(Math.max(level, 1), chain.length) - 1] ?? [];
  const owner = config.departments[ownerDepartment] ?? config.departments[config.customerServiceDepartment];
  const out: string[] = [];
  for (const ref of entry) {
    if (ref === 'stepOwnerSupervisor') out.push(...(owner ? [owner.supervisorEmail] : []));
    else if (ref === 'stepOwnerDepartment') out.push(...(owner ? [owner.email] : []));
    else if (ref === 'managers') out.push(...config.managers);
    else if (ref === 'seniorManagement') out.push(...config.seniorManagement);
    else out.push(ref);
  }
  return [...new Set(out)];
}

/** What an owner reference resolves to: addresses and the recipient kind the audit trail names. */
export interface OwnerRecipients {
  to: string[];
  /** e.g. `assignee`, `department`, `supervisor+managers`: kinds only, never an address */
  audience: string;
  /** the time zone to show dates in: the named owner's department's, else the owner department's */
  timeZone: string;
}

/**
 * The recipients of an arrival notice or a warning for `step` of a complaint owned by
 * `ownerDepartment`, `assigneeEmail` being the named owner's address when known.
 */
export function ownerRecipients(
  config: NotificationsConfig,
  refs: readonly OwnerRef[],
  ownerDepartment: string,
  assigneeEmail?: string,
): OwnerRecipients {
  const owner = config.departments[ownerDepartment] ?? config.departments[config.customerServiceDepartment];
  const agents = config.departments[config.customerServiceDepartment];
  const to: string[] = [];
  const kinds: string[] = [];
  const add = (kind: string, addresses: readonly (string | undefined)[]) => {
    const known = addresses.filter((a): a is string => typeof a === 'string' && a !== '');
    if (!known.length) return;
    to.push(...known);
    if (!kinds.includes(kind)) kinds.push(kind);
  };
  for (const ref of refs) {
    if (ref === 'owner') {
      if (assigneeEmail) add('assignee', [assigneeEmail]);
      else add('department', [owner?.email]);
    } else if (ref === 'assignee') add('assignee', [assigneeEmail]);
    else if (ref === 'stepOwnerDepartment') add('department', [owner?.email]);
    else if (ref === 'stepOwnerSupervisor') add('supervisor', [owner?.supervisorEmail]);
    else if (ref === 'agents') add('agents', [agents?.email]);
    else if (ref === 'managers') add('managers', config.managers);
    else if (ref === 'seniorManagement') add('senior_management', config.seniorManagement);
    else add('address', [ref]);
  }
  return {
    to: [...new Set(to)],
    audience: kinds.join('+'),
    timeZone: owner?.timeZone ?? config.staffTimeZone,
  };
}

// --- mailboxes --------------------------------------------------------------------------

function parseMailbox(value: string): { name?: string; address: string } | undefined {
  const angle = /^(.*?)\s*<([^<>\s]+)>$/.exec(value);
  const address = angle ? angle[2] : value;
  if (!address || !schemas().email.safeParse(address).success) return undefined;
  const name = angle?.[1]?.trim().replace(/^"(.*)"$/, '$1');
  return name ? { name, address } : { address };
}

function withAddress(mailboxValue: string, address: string): string {
  const parsed = parseMailbox(mailboxValue);
  return parsed?.name ? `${parsed.name} <${address}>` : address;
}

/**
 * A mailbox as SES v1 wants it in `Source`: ASCII only, so a non-ASCII display name becomes
 * an RFC 2047 encoded word; an ASCII one is quoted when it has specials.
 */
export function encodeMailbox(value: string): string {
  const parsed = parseMailbox(value);
  if (!parsed) throw new NotificationsConfigError(`Not a mailbox: ${JSON.stringify(value)}`);
  if (!parsed.name) return parsed.address;
  if (/^[\x20-\x7e]*$/.test(parsed.name)) {
    const needsQuotes = /[()<>@,;:\\".[\]]/.test(parsed.name);
    const name = needsQuotes ? `"${parsed.name.replace(/(["\\])/g, '\\$1')}"` : parsed.name;
    return `${name} <${parsed.address}>`;
  }
  return `=?UTF-8?B?${Buffer.from(parsed.name, 'utf8').toString('base64')}?= <${parsed.address}>`;
}
