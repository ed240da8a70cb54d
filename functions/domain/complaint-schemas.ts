import * as z from 'zod';
import { CALL_TASK_ID } from './call-tasks.js';
import { clock } from './clock.js';
import { SEARCH_MAX_LENGTH } from './search.js';
import { optionalText, text } from './text.js';
import {
  CATEGORIES,
  CHANNELS,
  LANGUAGES,
  NOTE_KINDS,
  PUBLIC_CHANNELS,
  SEVERITIES,
  STAGES,
} from './vocabulary.js';

/**
 * The request bodies of the public API, validated at the edge (functions/api/), and the field
 * rules every body shares (the step catalogue, functions/domain/steps/, builds the bodies of the
 * human steps from them).
 * Every message is written for the person filling the form. Strings are trimmed; unknown
 * keys are dropped. Every free text is a `text` / `optionalText` of ./text.ts, which refuses
 * what could not be delivered (lone surrogates, control characters, nothing visible).
 *
 * The exported schemas are built on their first parse (`z.lazy`), not when the module loads:
 * every Lambda bundle imports this module, and a cold start should build only the schemas its
 * handler uses.
 */

export const LIMITS = {
  name: 100,
  organization: 200,
  email: 254,
  subject: 200,
  description: 10_000,
  orderRef: 100,
  comment: 2_000,
  findings: 10_000,
  opinion: 2_000,
  plan: 10_000,
  result: 10_000,
  basis: 10_000,
  suggestions: 10_000,
  department: 64,
  note: 4_000,
} as const;

export const isMissing = (input: unknown) => input === undefined || input === null;

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => (isMissing(issue.input) ? 'Required.' : `Must be one of: ${values.join(', ')}.`),
  });
}

export function bool() {
  return z.boolean({ error: (issue) => (isMissing(issue.input) ? 'Required.' : 'Must be true or false.') });
}

export const emailSchema = z.lazy(() =>
  z
    .string({ error: 'Must be text.' })
    .trim()
    .max(LIMITS.email, `At most ${LIMITS.email} characters.`)
    .pipe(z.email({ error: 'Must be an email address, like name@example.com.' })),
);

/**
 * Phone numbers as people write them: digits with optional +country prefix, spaces, dashes,
 * dots and parentheses; 5 to 20 digits (landlines with extension, mobiles, +86 …).
 */
export const phoneSchema = z.lazy(() =>
  z
    .string({ error: 'Must be text.' })
    .trim()
    .refine((v) => /^\+?[0-9 ().-]+$/.test(v) && /^\d{5,20}$/.test(v.replace(/\D/g, '')), {
      message: 'Must be a phone number: digits, optionally starting with + and the country code.',
    }),
);

export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v),
    schema.optional(),
  );
}

/** An ISO date (2026-10-12) or instant with offset, not in the future (one day of slack). */
const occurredAtSchema = () =>
  z
    .string({ error: 'Must be a date like 2026-10-12 or an ISO date-time.' })
    .trim()
    .refine(
      (v) => z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success,
      {
        message: 'Must be a date like 2026-10-12 or an ISO date-time such as 2026-10-12T09:30:00+08:00.',
      },
    )
    .refine((v) => !(Date.parse(v) > clock().now().getTime() + 24 * 3600 * 1000), {
      message: 'Must not be in the future.',
    });

export const customerSchema = z.lazy(() =>
  z
    .object(
      {
        name: text(LIMITS.name, { singleLine: true }),
        email: optional(emailSchema),
        phone: optional(phoneSchema),
        organization: optionalText(LIMITS.organization, { singleLine: true }),
        language: oneOf(LANGUAGES).default('zh-CN'),
      },
      { error: (issue) => (isMissing(issue.input) ? 'Required.' : 'Must be an object.') },
    )
    .refine((c) => hasContact(c), {
      message: 'Give an email address or a phone number (at least one).',
      path: ['email'],
      // run even when another customer field is invalid, so that one answer names every problem
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    }),
);

function hasContact(c: { email?: unknown; phone?: unknown }): boolean {
  const given = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  return given(c.email) || given(c.phone);
}

const complaintFields = () => ({
  customer: customerSchema,
  subject: text(LIMITS.subject, { singleLine: true }),
  description: text(LIMITS.description),
  category: optional(oneOf(CATEGORIES)),
  orderRef: optionalText(LIMITS.orderRef, { singleLine: true }),
  occurredAt: optional(occurredAtSchema()),
});

export const objectError = {
  error: (issue: { input: unknown }) => (isMissing(issue.input) ? 'Required.' : 'Must be a JSON object.'),
};

/**
 * POST /complaints (a customer, anonymous): only the public channels `web` (the default) and
 * `app`; a complaint by phone, letter, a regulator… is registered by staff.
 */
export const customerComplaintBody = z.lazy(() =>
  z.object(
    {
      ...complaintFields(),
      channel: optional(oneOf(PUBLIC_CHANNELS)).default('web'),
      // a customer's complaint is received when it is sent: only staff date a registration back
      receivedAt: z
        .undefined({ error: 'Not accepted here: only staff registering a letter or referral give it.' })
        .optional(),
    },
    objectError,
  ),
);
export type CustomerComplaintBody = z.output<typeof customerComplaintBody>;

/** How far ahead of the server's clock a `receivedAt` may be (the registering PC's clock skew). */
export const RECEIPT_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * When a letter or a regulator's referral actually arrived: an ISO date-time with offset, not
 * in the future (beyond RECEIPT_CLOCK_SKEW_MS) and at most `maxAgeDays` ago. Normalized to UTC.
 */
export function receivedAtSchema(maxAgeDays: number) {
  const message = 'Must be an ISO date-time such as 2026-10-12T09:30:00+08:00.';
  return z
    .string({ error: message })
    .trim()
    .pipe(z.iso.datetime({ offset: true, error: message }))
    .refine((v) => !(Date.parse(v) > clock().now().getTime() + RECEIPT_CLOCK_SKEW_MS), {
      message: 'Must not be in the future.',
    })
    .refine((v) => !(Date.parse(v) < clock().now().getTime() - maxAgeDays * 24 * 3600 * 1000), {
      message: `Must be within the last ${maxAgeDays} days.`,
    })
    .transform((v) => new Date(v).toISOString());
}

/**
 * POST /staff/complaints (an agent registers a complaint received on another channel), with
 * `receivedAt` at most `receiptMaxAgeDays` ago (config/policy.json; default 365).
 */
export function staffComplaintBodyFor(receiptMaxAgeDays: number) {
  return z.lazy(() => staffComplaintObject(receiptMaxAgeDays));
}
function staffComplaintObject(receiptMaxAgeDays: number) {
  return z.object(
    {
      ...complaintFields(),
      channel: oneOf(CHANNELS),
      severity: optional(oneOf(SEVERITIES)),
      receivedAt: optional(receivedAtSchema(receiptMaxAgeDays)),
    },
    objectError,
  );
}
export const staffComplaintBody = staffComplaintBodyFor(365);
export type StaffComplaintBody = z.output<typeof staffComplaintBody>;

/** A department id as configured (config/departments.json): lower-case slug. */
export const departmentSchema = z.lazy(() =>
  z
    .string({ error: (issue) => (isMissing(issue.input) ? 'Required.' : 'Must be text.') })
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Must be a department id such as after-sales.'),
);

/** GET /staff/complaints query parameters. */
const listLimit = () =>
  optional(
    z.coerce
      .number({ error: 'Must be a whole number from 1 to 100.' })
      .int('Must be a whole number from 1 to 100.')
      .min(1, 'Must be a whole number from 1 to 100.')
      .max(100, 'Must be a whole number from 1 to 100.'),
  );
const listCursor = () => optional(z.string().max(2048, 'Not a cursor returned by this API.'));

export const staffListQuery = z.lazy(() =>
  z.object({
    status: optional(oneOf(['open', 'closed'] as const)),
    stage: optional(oneOf(STAGES)),
    department: optional(departmentSchema),
    overdue: optional(oneOf(['true', 'false'] as const)).transform((v) => v === 'true'),
    /** the signed-in staff member's own open complaints */
    assignee: optional(oneOf(['me'] as const)),
    limit: listLimit(),
    cursor: listCursor(),
    /**
     * search: a reference, a customer's email or phone (any format), or an order reference;
     * exact matches. Given but empty, too long or with control characters is refused.
     */
    q: text(SEARCH_MAX_LENGTH, { singleLine: true }).optional(),
  }),
);
export type StaffListQuery = z.output<typeof staffListQuery>;

/** GET /staff/call-tasks query parameters (unknown ones are refused, like a typo'd filter). */
export const callTasksQuery = z.lazy(() =>
  z.strictObject({ limit: listLimit(), cursor: listCursor() }, objectError),
);

/** GET /staff/reports query: calendar dates (business time zone), both inclusive. */
export const reportQuery = z.lazy(() =>
  z
    .object({
      from: optional(z.iso.date({ error: 'Must be a date like 2026-07-01.' })),
      to: optional(z.iso.date({ error: 'Must be a date like 2026-09-30.' })),
    })
    .refine((q) => !q.from || !q.to || q.from <= q.to, {
      message: 'Must not be after `to`.',
      path: ['from'],
    }),
);
export type ReportQuery = z.output<typeof reportQuery>;

/** An instant with offset, not in the future (a minute of slack for clock skew). */
export const pastInstantSchema = z.lazy(() =>
  z
    .string({ error: 'Must be an ISO date-time such as 2026-10-12T09:30:00+08:00.' })
    .trim()
    .pipe(
      z.iso.datetime({ offset: true, error: 'Must be an ISO date-time such as 2026-10-12T09:30:00+08:00.' }),
    )
    .refine((v) => !(Date.parse(v) > clock().now().getTime() + 60 * 1000), {
      message: 'Must not be in the future.',
    }),
);

/**
 * POST /staff/complaints/{id}/notes: an internal note, or a contact with the customer (`kind`
 * call, visit, letter, email) that happened `at` (default: now). `callTask`: the call task
 * (functions/domain/call-tasks.ts) this call completes; only with kind `call`.
 */
export const noteBody = z.lazy(() =>
  z
    .object(
      {
        text: text(LIMITS.note),
        kind: optional(oneOf(NOTE_KINDS)).default('note'),
        at: optional(pastInstantSchema),
        callTask: optional(
          z
            .string({ error: 'Must be the id of a call task, like T3fK9x0AbCd.' })
            .regex(CALL_TASK_ID, 'Must be the id of a call task, like T3fK9x0AbCd.'),
        ),
      },
      objectError,
    )
    .refine((b) => b.callTask === undefined || b.kind === 'call', {
      message: 'A call task is completed by logging a call: kind must be "call".',
      path: ['kind'],
    }),
);
export type NoteBody = z.output<typeof noteBody>;

/** A staff member's id as the identity provider issues it (Cognito `sub`, a local user name). */
export const staffIdSchema = z.lazy(() =>
  z
    .string({ error: 'Must be "me", null, or a staff id.' })
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9@._:+-]{0,127}$/, 'Must be "me", null, or a staff id.'),
);

/**
 * POST /staff/complaints/{id}/assign `{assignee: "me" | null | "<staff id>"}`: take ("me"),
 * release (null) or assign to a colleague.
 */
export const assignBody = z.lazy(() =>
  z.object(
    {
      assignee: z.union([z.literal('me'), z.null(), staffIdSchema], {
        error: (issue) => (issue.input === undefined ? 'Required.' : 'Must be "me", null, or a staff id.'),
      }),
    },
    objectError,
  ),
);
export type AssignBody = z.output<typeof assignBody>;
