/**
 * The building blocks of the journey's state machine (Amazon States Language), so that the
 * description (./journey.ts) says only what differs from state to state. Retry and Catch are
 * written once, here; `humanStep` emits the states of one human step of the step catalogue.
 * `npm run asl` writes ./complaint-journey.asl.json from the description.
 */
import type { TemplateId } from '../functions/domain/email/index.js';
import { STEPS, type Step } from '../functions/domain/steps/index.js';
import type { JOURNEY_TASKS } from '../functions/routes.js';

export type TaskKey = (typeof JOURNEY_TASKS)[number]['key'];
export type State = Record<string, unknown>;
export type States = Record<string, State>;

/** Every task retries Lambda's transient failures and its own errors, with backoff and jitter. */
const RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'States.TaskFailed',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 4,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

/** Where a task goes when it fails past its retries. */
export const NEEDS_ATTENTION = 'NeedsAttention';

const catchTo = (errors: string, next: string, resultPath = '$.error') => ({
  ErrorEquals: [errors],
  ResultPath: resultPath,
  Next: next,
});

export interface TaskOptions {
  comment?: string;
  /** the next state; absent: the execution ends here (succeeds) */
  next?: string;
  /**
   * What becomes of the Lambda's answer: `payload` replaces the state data with it, `discard`
   * keeps the state data unchanged, a path (`$.result`) stores it there.
   */
  output: 'payload' | 'discard' | `$.${string}`;
  /** a callback task: waits for SendTaskSuccess, at most `$.step.timeoutSeconds` */
  callback?: boolean;
  /** where a States.Timeout of the callback goes */
  onTimeout?: string;
  /** where any other failure goes (default: NeedsAttention, with the error at `$.error`) */
  onFailure?: { next: string; resultPath: string };
}

/** A Lambda task of JOURNEY_TASKS with its payload (complaintId first), Retry and Catch. */
export function task(key: TaskKey, payload: Record<string, unknown>, options: TaskOptions): State {
  return {
    Type: 'Task',
    ...(options.comment ? { Comment: options.comment } : {}),
    Resource: `arn:aws:states:::lambda:invoke${options.callback ? '.waitForTaskToken' : ''}`,
    Parameters: {
      FunctionName: `\${${key}FunctionArn}`,
      Payload: {
        ...(options.callback ? { 'taskToken.$': '$$.Task.Token' } : {}),
        'complaintId.$': '$.complaintId',
        ...payload,
      },
    },
    ...(options.callback ? { TimeoutSecondsPath: '$.step.timeoutSeconds' } : {}),
    ...(options.output === 'payload'
      ? { OutputPath: '$.Payload' }
      : { ResultPath: options.output === 'discard' ? null : options.output }),
    ...(options.next ? { Next: options.next } : { End: true }),
    Retry: RETRY,
    Catch: [
      ...(options.onTimeout ? [catchTo('States.Timeout', options.onTimeout)] : []),
      catchTo('States.ALL', options.onFailure?.next ?? NEEDS_ATTENTION, options.onFailure?.resultPath),
    ],
  };
}

/** An email of the notifier; the state data stays as it was. */
export function notify(template: string, next: string, options: { comment?: string; dueAt?: boolean } = {}) {
  return task(
    'Notify',
    { template, ...(options.dueAt ? { 'dueAt.$': '$.step.dueAt' } : {}) },
    {
      ...(options.comment ? { comment: options.comment } : {}),
      output: 'discard',
      next,
    },
  );
}

// ------------------------------------------------------------------ choices

type Condition = Record<string, unknown>;
/** `$.<path>` is true */
export const isTrue = (path: string): Condition => ({ Variable: path, BooleanEquals: true });
/** `$.<path>` is present and true */
export const presentAndTrue = (path: string): Condition => ({
  And: [{ Variable: path, IsPresent: true }, isTrue(path)],
});
export const and = (...conditions: Condition[]): Condition => ({ And: conditions });

/** A Choice: the first rule whose condition holds, else `otherwise`. */
export function choice(rules: [Condition, string][], otherwise: string, comment?: string): State {
  return {
    Type: 'Choice',
    ...(comment ? { Comment: comment } : {}),
    Choices: rules.map(([condition, next]) => ({ ...condition, Next: next })),
    Default: otherwise,
  };
}

// ------------------------------------------------------------------ human steps

/** `customer_decision` → `CustomerDecision`: the state names of a step. */
export const stateName = (step: Step) =>
  step.replace(/(^|_)([a-z])/g, (_m, _sep, letter: string) => letter.toUpperCase());

/** The state a transition into `step` goes to when nothing planned it: its Plan state. */
export const enter = (step: Step) => `Plan${stateName(step)}`;

/**
 * The state a transition into `step` goes to when the task before planned it (`$.step`, see
 * `plans`): its Await state, without a Plan state in between.
 */
export const open = (step: Step) => `Await${stateName(step)}`;

export interface HumanStepOptions {
  /** the state after Record<Step> (a Choice on its facts, or the next step) */
  next: string;
  /**
   * the step Record<Step> plans for the state after it (returns `$.step` with its deadline),
   * so that `open(step)` enters it without a Plan state
   */
  plans?: Step;
  /**
   * `false`: every way into this step is planned by the task before it (`open(step)`), so it
   * has no Plan state
   */
  planState?: false;
  /** the Plan state's comment (default: what it computes) */
  planComment?: string;
  /** where a missed deadline goes (default: Escalate<Step>, then wait again) */
  onTimeout?: string;
  /**
   * emails the Await task sends, in order, once the step is open (the first time: not on the
   * wait after an escalation or the reminder), each with the step's deadline
   */
  emails?: TemplateId[];
}

/**
 * The states of one human step of the catalogue: [Plan (its deadline), unless the task before
 * planned it] → Await (a callback task whose timeout is the deadline; it opens the step and
 * sends the step's emails; States.Timeout → Escalate, which sets the next level's deadline
 * and waits again) → Record (the action, the facts for `next`, and the plan of the next step).
 */
export function humanStep(step: Step, options: HumanStepOptions): States {
  if (!STEPS.includes(step)) throw new Error(`${step} is not in the step catalogue`);
  if (options.plans && !STEPS.includes(options.plans)) throw new Error(`${options.plans} is not a step`);
  const name = stateName(step);
  const awaitState = open(step);
  const escalate = `Escalate${name}`;
  return {
    ...(options.planState === false
      ? {}
      : {
          [enter(step)]: task(
            'PlanStep',
            { step },
            {
              comment:
                options.planComment ?? `Deadline of the ${step} step from the calendar and the policy.`,
              output: 'payload',
              next: awaitState,
            },
          ),
        }),
    [awaitState]: task(
      'AwaitStep',
      { 'step.$': '$.step', ...(options.emails ? { emails: options.emails } : {}) },
      {
        comment:
          `Opens the ${step} step and waits for its action (callback); the deadline is the timeout.` +
          (options.emails ? ` Opening sends: ${options.emails.join(', ')}.` : ''),
        callback: true,
        output: '$.result',
        next: `Record${name}`,
        onTimeout: options.onTimeout ?? escalate,
      },
    ),
    ...(options.onTimeout
      ? {}
      : {
          [escalate]: task(
            'Escalate',
            { 'step.$': '$.step' },
            {
              comment:
                'Deadline missed: next level of the escalation chain, a new deadline, then wait again. If the pending step was extended (延期) past this timeout, no escalation: wait again, same level, for the remaining time.',
              output: 'payload',
              next: awaitState,
            },
          ),
        }),
    [`Record${name}`]: task(
      'Record',
      { step, 'result.$': '$.result', ...(options.plans ? { plan: options.plans } : {}) },
      {
        comment:
          `Persists the ${step} action; returns facts for the next choice` +
          (options.plans ? ` and plans the ${options.plans} step.` : '.'),
        output: 'payload',
        next: options.next,
      },
    ),
  };
}

/**
 * The Close task: closes with `outcome`, emails the customer (`notify`), returns the survey
 * result to the department and archives; the execution then succeeds.
 */
export function close(outcome: string, notify: TemplateId, comment?: string): State {
  return task('Close', { outcome, notify }, { ...(comment ? { comment } : {}), output: 'discard' });
}
