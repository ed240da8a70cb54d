/**
 * The local Step Functions engine: runs the journey's ASL file, unchanged, with
 * `aws-local-stepfunctions`, each Task mapped in-process to the handler of its substitution
 * key (`${<Key>FunctionArn}`), and adds what that engine lacks, here and never in the ASL:
 *
 * - task tokens: `$$.Task.Token` resolves (through the context object) to a placeholder that
 *   the adapter replaces, per task attempt, by an opaque random token;
 * - callbacks: sendTaskSuccess / sendTaskFailure / sendTaskHeartbeat settle the waiting task;
 *   tokens of finished or timed-out tasks answer TaskTimedOut, like AWS;
 * - timeouts: `TimeoutSeconds` / `TimeoutSecondsPath` are enforced by the adapter against the
 *   injected Clock (a ManualClock in tests, the simulated clock in the local stack), with the
 *   path resolved against the state input as AWS does (the engine resolves it after
 *   `Parameters`); the engine's own 60 s default is neutralised. A due task fails with
 *   `States.Timeout`, which the ASL's Catch handles like a real timeout;
 * - Lambda service integration: `arn:aws:states:::lambda:invoke` gets `{Payload, StatusCode}`.
 *
 * Not emulated: HeartbeatSeconds, Map/Parallel-specific context fields, execution-level
 * TimeoutSeconds against the injected clock.
 */
import { randomBytes } from 'node:crypto';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type Clock, clock as processClock } from '../../functions/domain/clock.js';

/** A task handler: the Lambda handler of one JOURNEY_TASKS key (event, context) → result. */
export type TaskHandler = (event: any, context: LocalLambdaContext) => unknown;

export interface LocalLambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(): void;
  fail(): void;
  succeed(): void;
  /** the execution and state this invocation belongs to (local only) */
  execution: { name: string; stateName: string };
}

export interface LocalEngineOptions {
  /** the ASL text as in the repository, with `${...}` substitution placeholders */
  definition: string;
  /** key (e.g. `Intake`) → handler; every `${<Key>FunctionArn}` in the ASL needs one */
  handlers: Record<string, TaskHandler>;
  /** time for the deadlines; defaults to the process-wide clock() */
  clock?: Clock;
  stateMachineArn?: string;
  region?: string;
  account?: string;
  /**
   * Real milliseconds to pause before each Retry (overrides IntervalSeconds/BackoffRate so
   * tests do not wait real seconds). Undefined keeps the ASL's real backoff.
   */
  retryDelayMs?: number;
  /**
   * When set, the engine checks every this many real milliseconds for due task timeouts
   * (the local stack). Tests leave it unset and call fireDueTimeouts() after moving the clock.
   */
  timerIntervalMs?: number;
  /** Called after every recorded state entry and status change (e.g. for a UI or persistence). */
  onChange?: (execution: ExecutionSnapshot) => void;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface StateVisit {
  name: string;
  type: string;
  /** instant on the injected clock when the state was entered */
  enteredAt: string;
}

export interface HistoryEvent {
  id: number;
  /** AWS-like: ExecutionStarted, TaskStateEntered, ChoiceStateEntered, TaskStateExited, TaskFailed, ... */
  type: string;
  at: string;
  stateName?: string;
  error?: string;
  cause?: string;
}

export interface WaitingTask {
  token: string;
  executionName: string;
  stateName: string;
  /** the deadline on the injected clock (ISO), when the task has a timeout */
  deadline?: string;
  startedAt: string;
  /** the task's handler has returned (e.g. the pending step is stored): callbacks can come */
  handlerDone: boolean;
}

export interface ExecutionSnapshot {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate?: string;
  statesVisited: StateVisit[];
  history: HistoryEvent[];
  /** the task waiting for a callback, if any */
  waiting?: WaitingTask;
}

/** An error the Step Functions API would answer, with its AWS error code (`__type`). */
export class SfnApiError extends Error {
  constructor(
    readonly code:
      | 'TaskTimedOut'
      | 'InvalidToken'
      | 'TaskDoesNotExist'
      | 'ExecutionAlreadyExists'
      | 'ExecutionDoesNotExist'
      | 'InvalidOutput'
      | 'InvalidName'
      | 'InvalidExecutionInput'
      | 'StateMachineDoesNotExist'
      | 'ValidationException',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** The error a due callback task fails with; the ASL's Catch on States.Timeout takes it. */
class LocalTaskTimeoutError extends Error {
  /**
   * aws-local-stepfunctions lets a `States.TaskFailed` retrier match any error not of its own
   * timeout class; AWS never does that for States.Timeout. Marking the error not retryable
   * keeps it away from retriers (the journey has none for States.Timeout), so it goes to Catch.
   */
  readonly isRetryable = false;
  readonly isCatchable = true;
  constructor() {
    super('States.Timeout');
    this.name = 'States.Timeout';
  }
}

/** Ends the engine's run of a stopped execution: neither retried nor caught. */
class ExecutionStoppedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('execution stopped');
    this.name = 'States.Runtime';
  }
}

class TaskFailedError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

interface PendingCallback extends WaitingTask {
  deadlineMs?: number;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface ExecutionRecord extends ExecutionSnapshot {
  abort?: () => void;
  done: Promise<void>;
  /** the deadline to use for the first callback task of a resumed execution */
  resumeDeadline?: { stateName: string; deadlineMs: number };
}

const TOKEN_PLACEHOLDER = '__LOCAL_SFN_TASK_TOKEN__';
const TOKEN_PREFIX = 'LSFN1';
/** where a callback task's raw state input travels past `Parameters` to the adapter */
const STATE_INPUT = '__localStateInput';
/** The engine's setTimeout cannot hold more than 2^31-1 ms; the adapter owns real timeouts. */
const ENGINE_TIMEOUT_SECONDS = 2_147_483;
/** AWS's default Task timeout */
const AWS_DEFAULT_TIMEOUT_SECONDS = 99_999_999;
const SUBSTITUTION = /^\$\{(\w+)FunctionArn\}$/;

interface TaskPlan {
  key: string;
  kind: 'lambda' | 'invoke' | 'callback';
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
}

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly clock: Clock;
  private readonly definition: StateMachineDefinition;
  private readonly machine: StateMachine;
  private readonly tasks = new Map<string, TaskPlan>();
  private readonly executions = new Map<string, ExecutionRecord>();
  /** every token ever issued → its task while it waits; undefined once closed */
  private readonly tokens = new Map<string, PendingCallback | undefined>();
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly arnPrefix: string;

  constructor(private readonly options: LocalEngineOptions) {
    this.clock = options.clock ?? processClock();
    const region = options.region ?? 'us-east-1';
    const account = options.account ?? '000000000000';
    this.stateMachineArn =
      options.stateMachineArn ?? `arn:aws:states:${region}:${account}:stateMachine:ComplaintJourney`;
    this.arnPrefix = this.stateMachineArn.replace(':stateMachine:', ':execution:');
    const original = JSON.parse(options.definition) as StateMachineDefinition;
    this.definition = this.prepare(original, region, account);
    this.machine = new StateMachine(this.definition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    if (options.timerIntervalMs) {
      this.timer = setInterval(() => this.fireDueTimeouts(), options.timerIntervalMs);
      this.timer.unref();
    }
  }

  /**
   * Maps every Task state to its handler key and rewrites an in-memory copy for the engine:
   * substitutions become Lambda ARNs, timeouts move to the adapter, callback tasks also pass
   * their raw state input (to resolve TimeoutSecondsPath as AWS does).
   */
  private prepare(original: StateMachineDefinition, region: string, account: string): StateMachineDefinition {
    const copy = structuredClone(original) as StateMachineDefinition;
    for (const [name, state] of Object.entries(copy.States)) {
      if (state.Type !== 'Task') continue;
      const task = state as any;
      const resource: string = task.Resource;
      let kind: TaskPlan['kind'];
      let ref: unknown;
      if (resource === 'arn:aws:states:::lambda:invoke') {
        kind = 'invoke';
        ref = task.Parameters?.FunctionName;
      } else if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        kind = 'callback';
        ref = task.Parameters?.FunctionName;
      } else {
        kind = 'lambda';
        ref = resource;
      }
      const match = typeof ref === 'string' ? SUBSTITUTION.exec(ref) : null;
      if (!match?.[1])
        throw new Error(`State ${name}: no \${<Key>FunctionArn} substitution to map to a handler`);
      const key = match[1];
      if (!this.options.handlers[key]) throw new Error(`State ${name}: no local handler for ${key}`);
      const arn = `arn:aws:lambda:${region}:${account}:function:complaints-local-${key}`;
      if (kind === 'lambda') task.Resource = arn;
      else task.Parameters.FunctionName = arn;
      this.tasks.set(name, {
        key,
        kind,
        ...(task.TimeoutSeconds !== undefined ? { timeoutSeconds: task.TimeoutSeconds } : {}),
        ...(task.TimeoutSecondsPath !== undefined ? { timeoutSecondsPath: task.TimeoutSecondsPath } : {}),
      });
      delete task.TimeoutSecondsPath;
      delete task.HeartbeatSeconds;
      delete task.HeartbeatSecondsPath;
      task.TimeoutSeconds = ENGINE_TIMEOUT_SECONDS;
      if (kind === 'callback') task.Parameters = { ...(task.Parameters ?? {}), [`${STATE_INPUT}.$`]: '$' };
    }
    return copy;
  }

  // ---------------------------------------------------------------- executions

  /**
   * Starts an execution. Idempotent like AWS: the same name and input while it runs return
   * the running execution; another input, or a finished execution, → ExecutionAlreadyExists.
   */
  startExecution(params: { name?: string; input?: unknown }): { executionArn: string; startDate: string } {
    const name = params.name ?? `local-${randomBytes(8).toString('hex')}`;
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
      throw new SfnApiError('InvalidName', `Invalid execution name: ${name}`);
    const input = params.input ?? {};
    const existing = this.executions.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) {
        return { executionArn: existing.executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    return this.run(name, input, this.definition);
  }

  /**
   * Runs an execution from a given state with a given state input, keeping `deadline` for the
   * first callback task (for a local stack that restarts and resumes waiting complaints at
   * their Await state). Replaces a finished record of the same name.
   */
  resumeExecution(params: { name: string; startAt: string; input: unknown; deadline?: string }): {
    executionArn: string;
    startDate: string;
  } {
    if (!this.definition.States[params.startAt]) throw new Error(`No state ${params.startAt}`);
    const existing = this.executions.get(params.name);
    if (existing?.status === 'RUNNING')
      throw new SfnApiError('ExecutionAlreadyExists', `${params.name} is running`);
    this.executions.delete(params.name);
    return this.run(
      params.name,
      params.input,
      { ...this.definition, StartAt: params.startAt },
      params.deadline ? { stateName: params.startAt, deadlineMs: Date.parse(params.deadline) } : undefined,
    );
  }

  private run(
    name: string,
    input: unknown,
    definition: StateMachineDefinition,
    resumeDeadline?: ExecutionRecord['resumeDeadline'],
  ) {
    const now = this.clock.now().toISOString();
    const machine =
      definition === this.definition
        ? this.machine
        : new StateMachine(definition, { validationOptions: { noValidate: true } });
    const record: ExecutionRecord = {
      executionArn: `${this.arnPrefix}:${name}`,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      input,
      startDate: now,
      statesVisited: [],
      history: [],
      done: Promise.resolve(),
      ...(resumeDeadline ? { resumeDeadline } : {}),
    };
    this.executions.set(name, record);
    this.addHistory(record, { type: 'ExecutionStarted' });
    const overrides: NonNullable<RunOptions['overrides']> = { taskResourceLocalHandlers: {} };
    for (const [stateName, plan] of this.tasks) {
      overrides.taskResourceLocalHandlers![stateName] = (taskInput) =>
        this.runTask(record, stateName, plan, taskInput) as Promise<any>;
    }
    if (this.options.retryDelayMs !== undefined) {
      overrides.retryIntervalOverrides = {};
      for (const [stateName, state] of Object.entries(definition.States)) {
        if ('Retry' in state && state.Retry)
          overrides.retryIntervalOverrides[stateName] = this.options.retryDelayMs;
      }
    }
    const execution = machine.run(input as any, {
      overrides,
      noThrowOnAbort: true,
      context: {
        Execution: { Id: record.executionArn, Name: name, RoleArn: 'arn:aws:iam::000000000000:role/local' },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(':').pop() },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    record.abort = execution.abort;
    // The event log carries every state entry; the result settles the status. Both are
    // consumed before the execution counts as finished, so its history is complete.
    const consumeEvents = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') {
          record.statesVisited.push({
            name: event.state.name,
            type: event.state.type,
            enteredAt: this.clock.now().toISOString(),
          });
          this.addHistory(record, { type: `${event.state.type}StateEntered`, stateName: event.state.name });
        } else if (event.type === 'StateExited') {
          this.addHistory(record, { type: `${event.state.type}StateExited`, stateName: event.state.name });
        } else if (
          event.type === 'StateFailed' ||
          event.type === 'StateRetried' ||
          event.type === 'StateCaught'
        ) {
          const info = event as { Error?: string; Cause?: unknown };
          this.addHistory(record, {
            type: event.type === 'StateFailed' ? 'TaskFailed' : event.type,
            stateName: event.state.name,
            ...(info.Error ? { error: info.Error } : {}),
            ...(info.Cause !== undefined ? { cause: String(info.Cause) } : {}),
          });
        }
        this.changed(record);
      }
    })();
    const settle = execution.result.then(
      (output) => {
        if (record.status !== 'RUNNING') return;
        record.status = 'SUCCEEDED';
        record.output = output;
      },
      (error: Error & { cause?: any }) => {
        if (record.status !== 'RUNNING') return;
        record.status = 'FAILED';
        const inner = error.cause ?? error;
        record.error = inner?.name ?? 'States.Runtime';
        record.cause = inner?.message ?? String(inner);
      },
    );
    record.done = Promise.all([consumeEvents, settle]).then(() => {
      record.stopDate = this.clock.now().toISOString();
      this.addHistory(record, {
        type: `Execution${record.status === 'SUCCEEDED' ? 'Succeeded' : record.status === 'FAILED' ? 'Failed' : 'Aborted'}`,
        ...(record.error ? { error: record.error, cause: record.cause } : {}),
      });
      this.closeTokensOf(record.name);
      this.changed(record);
    });
    return { executionArn: record.executionArn, startDate: record.startDate };
  }

  /** Stops a running execution (its waiting task's token then answers TaskTimedOut). */
  stopExecution(executionArnOrName: string, error?: string, cause?: string): { stopDate: string } {
    const record = this.find(executionArnOrName);
    if (record.status === 'RUNNING') {
      record.status = 'ABORTED';
      if (error) record.error = error;
      if (cause) record.cause = cause;
      record.abort?.();
      this.closeTokensOf(record.name);
    }
    return { stopDate: this.clock.now().toISOString() };
  }

  private async runTask(
    record: ExecutionRecord,
    stateName: string,
    plan: TaskPlan,
    taskInput: any,
  ): Promise<unknown> {
    const handler = this.options.handlers[plan.key]!;
    const context = this.lambdaContext(plan.key, record.name, stateName);
    if (plan.kind === 'lambda') return await handler(taskInput, context);
    if (plan.kind === 'invoke') {
      const payload = await handler(taskInput?.Payload, context);
      return { ExecutedVersion: '$LATEST', Payload: payload ?? null, StatusCode: 200 };
    }
    // callback task
    const { [STATE_INPUT]: stateInput, ...parameters } = taskInput as Record<string, unknown>;
    const token = `${TOKEN_PREFIX}.${randomBytes(48).toString('base64url')}`;
    const withToken = replaceDeep(parameters, TOKEN_PLACEHOLDER, token) as { Payload?: unknown };
    const startedMs = this.clock.now().getTime();
    let deadlineMs: number | undefined;
    if (record.resumeDeadline?.stateName === stateName) {
      deadlineMs = record.resumeDeadline.deadlineMs;
      record.resumeDeadline = undefined;
    } else {
      const seconds = this.timeoutSeconds(plan, stateInput, stateName);
      deadlineMs = startedMs + seconds * 1000;
    }
    const waiting = new Promise<unknown>((resolve, reject) => {
      const pending: PendingCallback = {
        token,
        executionName: record.name,
        stateName,
        startedAt: new Date(startedMs).toISOString(),
        deadline: new Date(deadlineMs).toISOString(),
        handlerDone: false,
        deadlineMs,
        resolve,
        reject,
      };
      // registered before the handler runs: a callback may arrive before it returns
      this.tokens.set(token, pending);
      record.waiting = publicTask(pending);
    });
    waiting.catch(() => undefined);
    try {
      await handler(withToken.Payload, context);
    } catch (error) {
      this.closeToken(token);
      throw error;
    }
    const pending = this.tokens.get(token);
    if (pending) {
      pending.handlerDone = true;
      if (record.waiting?.token === token) record.waiting = publicTask(pending);
    }
    this.changed(record);
    return await waiting;
  }

  private timeoutSeconds(plan: TaskPlan, stateInput: unknown, stateName: string): number {
    if (plan.timeoutSeconds !== undefined) return plan.timeoutSeconds;
    if (plan.timeoutSecondsPath !== undefined) {
      const value = readPath(stateInput, plan.timeoutSecondsPath);
      if (!Number.isInteger(value) || (value as number) < 1) {
        throw new TaskFailedError(
          'States.Runtime',
          `State ${stateName}: TimeoutSecondsPath ${plan.timeoutSecondsPath} does not point to a positive integer`,
        );
      }
      return value as number;
    }
    return AWS_DEFAULT_TIMEOUT_SECONDS;
  }

  // ---------------------------------------------------------------- callbacks

  sendTaskSuccess(taskToken: string, output: unknown): void {
    const pending = this.takeToken(taskToken);
    pending.resolve(output);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const pending = this.takeToken(taskToken);
    pending.reject(new TaskFailedError(error ?? 'States.TaskFailed', cause ?? ''));
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.peekToken(taskToken);
  }

  /**
   * Fails every waiting task whose deadline (on the injected clock) has passed with
   * States.Timeout. Returns how many timed out.
   */
  fireDueTimeouts(): number {
    const now = this.clock.now().getTime();
    let fired = 0;
    for (const [token, pending] of this.tokens) {
      if (pending?.deadlineMs !== undefined && pending.deadlineMs <= now) {
        this.closeToken(token);
        pending.reject(new LocalTaskTimeoutError());
        fired++;
      }
    }
    return fired;
  }

  private peekToken(taskToken: string): PendingCallback {
    if (
      typeof taskToken !== 'string' ||
      taskToken.length < 1 ||
      taskToken.length > 2048 ||
      !taskToken.startsWith(`${TOKEN_PREFIX}.`)
    ) {
      throw new SfnApiError('InvalidToken', 'Invalid Token');
    }
    if (!this.tokens.has(taskToken)) throw new SfnApiError('TaskDoesNotExist', 'Task does not exist');
    const pending = this.tokens.get(taskToken);
    if (!pending) throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    return pending;
  }

  private takeToken(taskToken: string): PendingCallback {
    const pending = this.peekToken(taskToken);
    this.closeToken(taskToken);
    return pending;
  }

  private closeToken(token: string): void {
    const pending = this.tokens.get(token);
    this.tokens.set(token, undefined);
    if (!pending) return;
    const record = this.executions.get(pending.executionName);
    if (record?.waiting?.token === token) record.waiting = undefined;
  }

  private closeTokensOf(executionName: string): void {
    for (const [token, pending] of this.tokens) {
      if (pending?.executionName === executionName) {
        this.closeToken(token);
        pending.reject(new ExecutionStoppedError());
      }
    }
  }

  // ---------------------------------------------------------------- reading

  describeExecution(executionArnOrName: string): ExecutionSnapshot {
    return snapshot(this.find(executionArnOrName));
  }

  listExecutions(status?: ExecutionStatus): ExecutionSnapshot[] {
    return [...this.executions.values()].filter((e) => !status || e.status === status).map(snapshot);
  }

  statesVisited(executionArnOrName: string): string[] {
    return this.find(executionArnOrName).statesVisited.map((s) => s.name);
  }

  /** Callback tasks waiting now (all executions, or one). */
  waitingTasks(executionName?: string): WaitingTask[] {
    const out: WaitingTask[] = [];
    for (const pending of this.tokens.values()) {
      if (pending && (!executionName || pending.executionName === executionName))
        out.push(publicTask(pending));
    }
    return out;
  }

  /**
   * Resolves once `predicate` holds for the execution (checked on every change), or rejects
   * after `timeoutMs` real milliseconds with what the execution looked like.
   */
  waitFor(
    executionName: string,
    predicate: (execution: ExecutionSnapshot) => boolean,
    timeoutMs = 10_000,
    what = 'condition',
  ): Promise<ExecutionSnapshot> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const record = this.executions.get(executionName);
        if (!record) return false;
        const view = snapshot(record);
        if (predicate(view)) {
          cleanup();
          resolve(view);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        const record = this.executions.get(executionName);
        reject(
          new Error(
            `Execution ${executionName}: ${what} not reached within ${timeoutMs} ms; status ${record?.status}, ` +
              `waiting ${record?.waiting?.stateName}, states ${record?.statesVisited.map((s) => s.name).join(' > ')}, ` +
              `error ${record?.error ?? ''} ${record?.cause ?? ''}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => {
        check();
      };
      this.listeners.add(listener);
      check();
    });
  }

  /**
   * Resolves with the waiting task once the execution waits in `stateName` and the task's
   * handler has returned; `notToken` skips a task already seen (e.g. before a timeout).
   */
  async waitForTask(
    executionName: string,
    stateName: string,
    options: { notToken?: string; timeoutMs?: number } = {},
  ): Promise<WaitingTask> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const view = await this.waitFor(
      executionName,
      (e) =>
        (e.waiting?.stateName === stateName &&
          e.waiting.handlerDone &&
          e.waiting.token !== options.notToken) ||
        e.status !== 'RUNNING',
      timeoutMs,
      `waiting in ${stateName}`,
    );
    if (!view.waiting || view.waiting.stateName !== stateName) {
      throw new Error(
        `Execution ${executionName} ended (${view.status} ${view.error ?? ''} ${view.cause ?? ''}) instead of waiting in ${stateName}; states ${view.statesVisited.map((s) => s.name).join(' > ')}`,
      );
    }
    return view.waiting;
  }

  /** Resolves once the execution has finished and its history is complete. */
  async waitForCompletion(executionName: string, timeoutMs = 10_000): Promise<ExecutionSnapshot> {
    const record = this.executions.get(executionName);
    if (!record) throw new SfnApiError('ExecutionDoesNotExist', `Execution does not exist: ${executionName}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Execution ${executionName} still ${record.status} after ${timeoutMs} ms, waiting in ${record.waiting?.stateName}; states ${record.statesVisited.map((s) => s.name).join(' > ')}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([record.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return snapshot(record);
  }

  /** Stops the timer and aborts every running execution. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const record of this.executions.values()) {
      if (record.status === 'RUNNING') this.stopExecution(record.name, 'Local.Shutdown');
    }
  }

  // ---------------------------------------------------------------- internals

  private find(executionArnOrName: string): ExecutionRecord {
    const name = executionArnOrName.startsWith('arn:')
      ? executionArnOrName.split(':').pop()!
      : executionArnOrName;
    const record = this.executions.get(name);
    if (!record || (executionArnOrName.startsWith('arn:') && record.executionArn !== executionArnOrName)) {
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArnOrName}'`);
    }
    return record;
  }

  private addHistory(record: ExecutionRecord, event: Omit<HistoryEvent, 'id' | 'at'>): void {
    record.history.push({ id: record.history.length + 1, at: this.clock.now().toISOString(), ...event });
  }

  private changed(record: ExecutionRecord): void {
    for (const listener of [...this.listeners]) listener();
    this.options.onChange?.(snapshot(record));
  }

  private lambdaContext(key: string, executionName: string, stateName: string): LocalLambdaContext {
    const functionName = `complaints-local-${key}`;
    return {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
      memoryLimitInMB: '512',
      awsRequestId: randomBytes(16).toString('hex'),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => 30_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
      execution: { name: executionName, stateName },
    };
  }
}

function publicTask(pending: PendingCallback): WaitingTask {
  return {
    token: pending.token,
    executionName: pending.executionName,
    stateName: pending.stateName,
    startedAt: pending.startedAt,
    handlerDone: pending.handlerDone,
    ...(pending.deadline ? { deadline: pending.deadline } : {}),
  };
}

function snapshot(record: ExecutionRecord): ExecutionSnapshot {
  const { abort: _abort, done: _done, resumeDeadline: _resume, ...rest } = record;
  return {
    ...rest,
    statesVisited: [...record.statesVisited],
    history: [...record.history],
    ...(record.waiting ? { waiting: { ...record.waiting } } : {}),
  };
}

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
}

/** Resolves a simple reference path (`$`, `$.a.b`, `$.a[0]`) as used by TimeoutSecondsPath. */
function readPath(input: unknown, path: string): unknown {
  if (path === '$') return input;
  if (!path.startsWith('$')) return undefined;
  const parts = path
    .slice(1)
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '');
  let current: any = input;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[/^\d+$/.test(part) && Array.isArray(current) ? Number(part) : part];
  }
  return current;
}
