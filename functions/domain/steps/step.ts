/**
 * The shape of one human step of the journey, declared once in its own module
 * (functions/domain/steps/<step>.ts) and listed in ./index.ts. Everything else is derived
 * from these declarations: the API routes (functions/routes.ts), who may act
 * (functions/runtime/auth.ts), the request validation (functions/api/staff-action.ts,
 * customer-action.ts), the journey's Record task (functions/journey/tasks.ts), what the
 * customer sees (functions/domain/views.ts) and the pages' web/generated/catalogue.js.
 */
import * as z from 'zod';
import { bool, departmentSchema, isMissing, objectError, oneOf, optional } from '../complaint-schemas.js';
import type { Actor, Complaint, PendingStep } from '../model.js';
import type { Policy } from '../policy.js';
import type { ComplaintChange } from '../store.js';
import { optionalText, text } from '../text.js';
import type { CustomerView } from '../views.js';
import {
  CATEGORIES,
  type Category,
  LANGUAGES,
  type Language,
  SEVERITIES,
  type Severity,
  type StaffRole,
  type Stage,
} from '../vocabulary.js';

// ------------------------------------------------------------------ fields

/** The closed lists a `choice` field can take its options from (names of the generated exports). */
const CHOICES = { CATEGORIES, SEVERITIES, LANGUAGES } as const;
interface ChoiceValue {
  CATEGORIES: Category;
  SEVERITIES: Severity;
  LANGUAGES: Language;
  /** config/departments.json, known at load time only */
  DEPARTMENTS: string;
}
export type ChoiceOptions = keyof ChoiceValue;

interface FieldBase<N extends string, R extends boolean> {
  name: N;
  required: R;
}
export interface BooleanField<N extends string = string, R extends boolean = boolean>
  extends FieldBase<N, R> {
  kind: 'boolean';
}
export interface TextField<N extends string = string, R extends boolean = boolean> extends FieldBase<N, R> {
  kind: 'text';
  maxLength: number;
}
export interface ChoiceField<
  N extends string = string,
  R extends boolean = boolean,
  O extends ChoiceOptions = ChoiceOptions,
> extends FieldBase<N, R> {
  kind: 'choice';
  options: O;
}
export interface RatingField<N extends string = string, R extends boolean = boolean> extends FieldBase<N, R> {
  kind: 'rating';
  min: number;
  max: number;
}
export type Field = BooleanField | TextField | ChoiceField | RatingField;

export const field = {
  boolean: <const N extends string>(name: N): BooleanField<N, true> => ({
    name,
    kind: 'boolean',
    required: true,
  }),
  optionalBoolean: <const N extends string>(name: N): BooleanField<N, false> => ({
    name,
    kind: 'boolean',
    required: false,
  }),
  text: <const N extends string>(name: N, maxLength: number): TextField<N, true> => ({
    name,
    kind: 'text',
    required: true,
    maxLength,
  }),
  optionalText: <const N extends string>(name: N, maxLength: number): TextField<N, false> => ({
    name,
    kind: 'text',
    required: false,
    maxLength,
  }),
  choice: <const N extends string, const O extends ChoiceOptions>(
    name: N,
    options: O,
  ): ChoiceField<N, true, O> => ({
    name,
    kind: 'choice',
    required: true,
    options,
  }),
  optionalChoice: <const N extends string, const O extends ChoiceOptions>(
    name: N,
    options: O,
  ): ChoiceField<N, false, O> => ({ name, kind: 'choice', required: false, options }),
  rating: <const N extends string>(name: N, min: number, max: number): RatingField<N, true> => ({
    name,
    kind: 'rating',
    required: true,
    min,
    max,
  }),
  /** a rating that may be left out (its `requiredWhen` says when it is needed) */
  optionalRating: <const N extends string>(name: N, min: number, max: number): RatingField<N, false> => ({
    name,
    kind: 'rating',
    required: false,
    min,
    max,
  }),
};

type ValueOf<F extends Field> = F extends BooleanField
  ? boolean
  : F extends RatingField
    ? number
    : F extends ChoiceField<string, boolean, infer O>
      ? ChoiceValue[O]
      : string;

/** The validated body of a step with these fields (optional fields may be absent). */
export type BodyOf<Fs extends readonly Field[]> = {
  [F in Fs[number] as F['required'] extends true ? F['name'] : never]: ValueOf<F>;
} & {
  [F in Fs[number] as F['required'] extends true ? never : F['name']]?: ValueOf<F>;
};

/**
 * A field that becomes required when another field has a given value (`unless`: required
 * unless it has that value; `absent`: instead of required, it must be left out then).
 */
export interface RequiredWhen {
  field: string;
  when: { field: string; equals: unknown };
  unless?: true;
  absent?: true;
  message: string;
}

/** What a body's validation needs from the product configuration. */
export interface SchemaContext {
  /** configured department ids (config/departments.json); without them any department id passes */
  departments?: readonly string[];
}

function fieldSchema(f: Field, ctx: SchemaContext): z.ZodType {
  switch (f.kind) {
    case 'boolean':
      return f.required ? bool() : optional(bool());
    case 'text':
      return f.required ? text(f.maxLength) : optionalText(f.maxLength);
    case 'rating': {
      const message = `Must be a whole number from ${f.min} to ${f.max}.`;
      const rating = z
        .number({ error: (issue) => (isMissing(issue.input) ? 'Required.' : message) })
        .int(message)
        .min(f.min, message)
        .max(f.max, message);
      return f.required ? rating : optional(rating);
    }
    case 'choice': {
      const departments = ctx.departments;
      let schema: z.ZodType;
      if (f.options !== 'DEPARTMENTS') schema = oneOf(CHOICES[f.options]);
      else if (departments)
        schema = departmentSchema.refine((d) => departments.includes(d), {
          message: `Must be one of the departments: ${departments.join(', ')}.`,
        });
      else schema = departmentSchema;
      return f.required ? schema : optional(schema);
    }
  }
}

/** The request body schema of a step: its fields, then its conditional requirements. */
export function bodySchema(
  fields: readonly Field[],
  requiredWhen: readonly RequiredWhen[],
  ctx: SchemaContext = {},
): z.ZodType {
  let schema: z.ZodType<Record<string, unknown>> = z.object(
    Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f, ctx)])),
    objectError,
  );
  for (const rule of requiredWhen) {
    schema = schema.refine(
      (b) => {
        const holds = (b[rule.when.field] === rule.when.equals) !== (rule.unless === true);
        if (!holds) return true;
        const given = b[rule.field] !== undefined && b[rule.field] !== '';
        return rule.absent ? !given : given;
      },
      {
        message: rule.message,
        path: [rule.field],
        when: (payload) => typeof payload.value === 'object' && payload.value !== null,
      },
    );
  }
  return schema;
}

// ------------------------------------------------------------------ record rule

/** The facts a Record task returns for the state machine's next Choice. */
export interface Facts {
  serious?: boolean;
  valid?: boolean;
  seriousFound?: boolean;
  approved?: boolean;
  accept?: boolean;
  declines?: number;
  rating?: number;
  satisfied?: boolean;
  reopens?: number;
  /** too many declines / reopens: escalate to the manager */
  escalate?: boolean;
  /** the follow-up call found nobody (survey facts: always present, false otherwise) */
  unreachable?: boolean;
  /** follow-up calls in a row that found nobody */
  attempts?: number;
  /** the last allowed follow-up call found nobody: close as no response */
  giveUp?: boolean;
}

export interface RecordContext {
  actor: Actor;
  /** when the action was taken (ISO instant, business clock) */
  at: string;
  /** `{firstResponseAt}` when this is the complaint's first answer to the customer, else `{}` */
  firstResponse(c: Complaint, at: string): Partial<Complaint>;
  /** a survey rating that closes as resolved */
  isSatisfied(rating: number): boolean;
  /** follow-up calls that may find nobody before the complaint closes as no response */
  unreachableAttempts: number;
}

export interface FactsContext {
  /** a decline or a reopen beyond this many escalates to the manager */
  threshold: number;
  isSatisfied(rating: number): boolean;
  /** whether the manager already heard of a serious complaint at intake */
  seriousAtIntake(): Promise<boolean>;
  /** follow-up calls that may find nobody before the complaint closes as no response */
  unreachableAttempts: number;
}

/** A data point a recorded step adds (after the write happened). */
export interface StepMetric {
  name: string;
  unit: 'Count' | 'None';
  value: number;
}

export type Labels = Record<Language, string>;

/**
 * One human step. `S` is its id (the state machine's `step`), `A` the action that completes it
 * (the last path segment of its API route: two steps may share one, like the customer survey
 * and the agent's follow-up call), `Fs` the fields of its request body.
 */
export interface StepDefinition<
  S extends string = string,
  A extends string = string,
  Fs extends readonly Field[] = readonly Field[],
> {
  step: S;
  /** the stage a complaint shows while this step is pending */
  stage: Stage;
  action: A;
  /** who may take it on the staff route (the widest role acts; docs/ARCHITECTURE.md "Roles per action") */
  roles: readonly StaffRole[];
  /** the `department` role may only take it for its own department's complaints */
  ownDepartment: boolean;
  /** the customer answers it too, on POST /complaints/{id}/<action>; the 409 text when nothing waits */
  customer?: { notWaiting: string };
  /** its deadline in the policy (config/policy.json `steps.<key>`) */
  deadline: keyof Policy['steps'];
  /** what it is called in the staff 409 messages ("… is not waiting for <phrase>") */
  phrase: string;
  label: Labels;
  fields: Fs;
  requiredWhen?: readonly RequiredWhen[];
  /** how the action changes the complaint, with its audit event (the store runs it; it only computes) */
  record(c: Complaint, data: BodyOf<Fs>, ctx: RecordContext): ComplaintChange;
  /** the facts for the Choice after Record<Step> (default: none) */
  facts?(c: Complaint, ctx: FactsContext): Facts | Promise<Facts>;
  /** data points after the write, e.g. the satisfaction rating */
  metrics?(c: Complaint): StepMetric[];
  /**
   * What the customer may see of it: `whilePending` while the step waits (what they are asked to
   * do), `recorded` once its result is on the complaint.
   */
  customerView?: {
    whilePending?(c: Complaint, pending: PendingStep): Partial<CustomerView> | undefined;
    recorded?(c: Complaint): Partial<CustomerView> | undefined;
  };
}

/** Declares a step (identity: it only checks the declaration's types). */
export function defineStep<const S extends string, const A extends string, const Fs extends readonly Field[]>(
  definition: StepDefinition<S, A, Fs>,
): StepDefinition<S, A, Fs> {
  return definition;
}
