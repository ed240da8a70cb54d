/**
 * The step catalogue: every human step of the journey, in journey order. One module per step
 * declares it (./step.ts says what a declaration holds); this list is the only place the steps
 * are enumerated. To add a step: write its module, list it here, give it its states in
 * statemachines/journey.ts and a deadline in config/policy.json (docs/ARCHITECTURE.md,
 * "Adding a step").
 */
import type { Actor } from '../model.js';
import type { StaffRole, Stage } from '../vocabulary.js';
import { agentFollowUp } from './agent_follow_up.js';
import { customerDecision } from './customer_decision.js';
import { followUp } from './follow_up.js';
import { implementation } from './implementation.js';
import { investigation } from './investigation.js';
import { proposal } from './proposal.js';
import { review } from './review.js';
import { type BodyOf, bodySchema, type Field, type SchemaContext, type StepDefinition } from './step.js';

export const CATALOGUE = [
  investigation,
  proposal,
  review,
  customerDecision,
  implementation,
  followUp,
  agentFollowUp,
] as const;

type Definition = (typeof CATALOGUE)[number];
export type Step = Definition['step'];
/** The actions that complete steps: the last path segment of their API routes. */
export type ApiAction = Definition['action'];
/** The validated body of an action. */
export type ActionData<A extends ApiAction = ApiAction> = {
  [D in Definition as D['action']]: D extends StepDefinition<string, string, infer Fs> ? BodyOf<Fs> : never;
}[A];

export const STEPS: readonly Step[] = CATALOGUE.map((d) => d.step);

const BY_STEP = new Map<string, StepDefinition>(CATALOGUE.map((d) => [d.step, d as StepDefinition]));

/** The declaration of `step`; undefined for anything else. */
export function stepDefinition(step: string): StepDefinition | undefined {
  return BY_STEP.get(step);
}

export function isStep(value: unknown): value is Step {
  return typeof value === 'string' && BY_STEP.has(value);
}

/** The stage a complaint shows while a step is pending. */
export const STAGE_OF_STEP = Object.fromEntries(CATALOGUE.map((d) => [d.step, d.stage])) as Record<
  Step,
  Stage
>;

/**
 * One action of the API and what it resumes: the steps it completes (a survey answer completes
 * the customer survey or the agent's follow-up call), who may take it, and its body.
 */
export interface ActionSpec {
  action: ApiAction;
  steps: readonly Step[];
  /** the stage the action belongs to (its first step's) */
  stage: Stage;
  /** every role allowed on one of its steps */
  roles: readonly StaffRole[];
  ownDepartment: boolean;
  phrase: string;
  /** the customer route's 409 text; undefined when customers cannot take this action */
  customer?: { notWaiting: string };
  /** the staff route's fields: every field of its steps (a later step's field of the same name wins) */
  fields: readonly Field[];
  /** the staff route's body schema, with the configured departments when the step has a department field */
  schema(ctx?: SchemaContext): ReturnType<typeof bodySchema>;
  /** the customer route's body schema: the fields of the step the customer answers, only */
  customerSchema(ctx?: SchemaContext): ReturnType<typeof bodySchema>;
}

function actionSpecs(): ActionSpec[] {
  const specs = new Map<ApiAction, ActionSpec>();
  for (const d of CATALOGUE as readonly StepDefinition<Step, ApiAction>[]) {
    const known = specs.get(d.action);
    if (known) {
      // a shared action (the survey: the customer's, and the agent's follow-up call) takes
      // every field of its steps on the staff route; the customer's route keeps its own step's
      const fields = [...known.fields.filter((f) => !d.fields.some((g) => g.name === f.name)), ...d.fields];
      const requiredWhen = d.requiredWhen ?? [];
      specs.set(d.action, {
        ...known,
        steps: [...known.steps, d.step],
        roles: [...new Set([...known.roles, ...d.roles])],
        ownDepartment: known.ownDepartment || d.ownDepartment,
        ...(known.customer || !d.customer ? {} : { customer: d.customer }),
        fields,
        schema: (ctx) => bodySchema(fields, requiredWhen, ctx),
        ...(known.customer || !d.customer
          ? {}
          : { customerSchema: (ctx) => bodySchema(d.fields, d.requiredWhen ?? [], ctx) }),
      });
      continue;
    }
    specs.set(d.action, {
      action: d.action,
      steps: [d.step],
      stage: d.stage,
      roles: d.roles,
      ownDepartment: d.ownDepartment,
      phrase: d.phrase,
      ...(d.customer ? { customer: d.customer } : {}),
      fields: d.fields,
      schema: (ctx) => bodySchema(d.fields, d.requiredWhen ?? [], ctx),
      customerSchema: (ctx) => bodySchema(d.fields, d.requiredWhen ?? [], ctx),
    });
  }
  return [...specs.values()];
}

/** The API's actions, in journey order. */
export const ACTIONS: readonly ActionSpec[] = actionSpecs();

export function actionSpec(action: string): ActionSpec | undefined {
  return ACTIONS.find((a) => a.action === action);
}

export type { Facts, StepDefinition } from './step.js';

/**
 * What the API sends with SendTaskSuccess, and what `Record<Step>` receives as `$.result`
 * (docs/ARCHITECTURE.md, "Task output of a human step").
 */
export interface StepTaskOutput<A extends ApiAction = ApiAction> {
  action: A;
  data: ActionData<A>;
  actor: Actor;
  /** ISO instant (business clock) */
  at: string;
}
