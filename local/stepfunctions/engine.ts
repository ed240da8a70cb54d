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
import type { Journal, JournaledExecution, JournalRecord } from './journal.js';

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
  /** key (e.g. `PlanStep`) → handler; every `${<Key>FunctionArn}` in the ASL needs one */
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
  /**
   * The write-ahead journal (./journal.ts) that makes executions survive a restart: call
   * `recover()` once after construction to resume what it holds. Without it, executions
   * live in memory only.
   */
  journal?: Journal;
  /** At most this many task handlers run at once (others queue); unlimited when unset. */
  maxConcurrentTasks?: number;
  /**
   * Validate the ASL on construction (default true). Validation compiles the ASL schema,
   * seconds of CPU: the local stack skips it for a definition it validated before.
   */
  validate?: boolean;
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

/** How a resumed execution's first callback task continues. */
interface ResumeCallback {
  stateName: string;
  /** the deadline to keep instead of recomputing it */
  deadlineMs?: number;
  /** the token to keep (the one the pending step holds) instead of a fresh one */
  token?: string;
  /** the task's handler already ran with that token: wait without running it again */
  handlerDone?: boolean;
  /** an answered callback the execution had not consumed yet: continue with it at once */
  outcome?: JournaledExecution['outcome'];
}

interface ExecutionRecord extends ExecutionSnapshot {
  abort?: () => void;
  done: Promise<void>;
  resumeCallback?: ResumeCallback;
  /** what the journal holds for this execution (rewritten by a compaction) */
  journaled: {
    input?: unknown;
    enter?: { s: string; i: unknown; tok?: string; dl?: number };
    ready?: boolean;
    outcome?: JournalRecord;
  };
}

const TOKEN_PLACEHOLDER = '__LOCAL_SFN_TASK_TOKEN__';
/** definitions (as prepared) this process has validated already */
const validatedDefinitions = new Set<string>();
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
  /** one engine machine per state a resumed execution starts at */
  private readonly machines = new Map<string, StateMachine>();
  /** names of executions that finished (kept by the journal: a name is used once) */
  private readonly endedNames = new Set<string>();
  private readonly journal: Journal | undefined;
  private closed = false;
  /** set by drain(): no handler starts any more */
  private draining = false;
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** called when the last running handler has finished */
  private readonly idle: (() => void)[] = [];

  constructor(private readonly options: LocalEngineOptions) {
    this.clock = options.clock ?? processClock();
    const region = options.region ?? 'us-east-1';
    const account = options.account ?? '000000000000';
    this.stateMachineArn =
      options.stateMachineArn ?? `arn:aws:states:${region}:${account}:stateMachine:ComplaintJourney`;
    this.arnPrefix = this.stateMachineArn.replace(':stateMachine:', ':execution:');
    const original = JSON.parse(options.definition) as StateMachineDefinition;
    this.definition = this.prepare(original, region, account);
    // validation compiles the ASL schema (seconds): once per definition and process
    const key = JSON.stringify(this.definition);
    this.machine = new StateMachine(this.definition, {
      validationOptions:
        validatedDefinitions.has(key) || options.validate === false
          ? { noValidate: true }
          : { checkArn: true, checkPaths: true },
    });
    validatedDefinitions.add(key);
    this.journal = options.journal;
    if (this.journal) this.journal.snapshot = () => this.journalSnapshot();
    if (options.timerIntervalMs) {
      this.timer = setInterval(() => this.fireDueTimeouts(), options.timerIntervalMs);
      this.timer.unref();
    }
  }

  // ---------------------------------------------------------------- durability

  /**
   * Resumes every unfinished execution the journal holds (call once, before serving): each
   * from its last Task state with that state's input; a callback task keeps its token and
   * deadline (and is not run again when its handler had returned), and a callback answered
   * before the stop continues at once with its answer. One execution that cannot be resumed
   * (e.g. its state is gone from the ASL) is reported in `failed`, never thrown.
   */
  recover(): { resumed: string[]; failed: { name: string; error: string }[]; records: number } {
    const resumed: string[] = [];
    const failed: { name: string; error: string }[] = [];
    if (!this.journal) return { resumed, failed, records: 0 };
    const { executions, records } = this.journal.read();
    this.journal.open();
    for (const entry of executions.values()) {
      if (entry.ended) {
        this.endedNames.add(entry.name);
        continue;
      }
      if (this.executions.get(entry.name)?.status === 'RUNNING') continue;
      try {
        if (entry.enter) {
          const { s, i, tok, dl } = entry.enter;
          this.resumeAt(
            entry.name,
            s,
            i,
            {
              stateName: s,
              ...(dl !== undefined ? { deadlineMs: dl } : {}),
              ...(tok !== undefined ? { token: tok, handlerDone: entry.ready } : {}),
              ...(entry.outcome ? { outcome: entry.outcome } : {}),
            },
            entry.input,
          );
        } else if (entry.input !== undefined) {
          this.run(entry.name, entry.input, this.definition);
          this.executions.get(entry.name)!.journaled.input = entry.input;
        } else {
          throw new Error('the journal holds neither its input nor a state to resume at');
        }
        resumed.push(entry.name);
      } catch (error) {
        failed.push({ name: entry.name, error: error instanceof Error ? error.message : String(error) });
      }
    }
    this.journal.compact();
    return { resumed, failed, records };
  }

  /** true when this engine (or its journal) has an execution of this name, running or finished. */
  knows(name: string): boolean {
    return this.executions.has(name) || this.endedNames.has(name);
  }

  /** true while an execution of this name runs (O(1); no listing). */
  isRunning(name: string): boolean {
    return this.executions.get(name)?.status === 'RUNNING';
  }

  private journalAppend(record: JournalRecord): void {
    if (this.closed || !this.journal?.isOpen) return;
    this.journal.append(record);
  }

  /**
   * Resolves once every journal record written so far is on disk (fsync, shared by the
   * answers waiting at the same time). The API awaits it before answering StartExecution,
   * SendTaskSuccess and SendTaskFailure, as AWS answers once the request is durable.
   */
  durable(): Promise<void> {
    if (this.closed || !this.journal?.isOpen) return Promise.resolve();
    return this.journal.sync();
  }

  /** The live state, for a compaction: what a recovery needs and nothing else. */
  private journalSnapshot(): JournalRecord[] {
    const out: JournalRecord[] = [];
    for (const name of this.endedNames) out.push({ t: 'end', n: name, st: 'ENDED' });
    for (const record of this.executions.values()) {
      if (record.status !== 'RUNNING') {
        if (!this.endedNames.has(record.name)) out.push({ t: 'end', n: record.name, st: record.status });
        continue;
      }
      const j = record.journaled;
      if (j.input !== undefined) out.push({ t: 'start', n: record.name, i: j.input });
      if (j.enter) {
        out.push({ t: 'enter', n: record.name, ...j.enter });
        if (j.enter.tok && j.ready) out.push({ t: 'ready', tok: j.enter.tok });
        if (j.outcome) out.push(j.outcome);
      }
    }
    return out;
  }

  /**
   * Runs `task` when fewer than maxConcurrentTasks handlers are running. While the engine
   * drains, a task does not start: it stays unanswered, and its execution resumes it on the
   * next start (its state was journaled before it was asked for).
   */
  private async limited<T>(task: () => T | Promise<T>): Promise<T> {
    const max = this.options.maxConcurrentTasks ?? Number.POSITIVE_INFINITY;
    while (this.draining || this.running >= max) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      if (this.running === 0) for (const done of this.idle.splice(0)) done();
      if (!this.draining) this.queue.shift()?.();
    }
  }

  /**
   * Before a stop: starts no more task handlers and waits (at most `timeoutMs`) until the
   * running ones have finished, so that none is cut between what it does outside (an email)
   * and the write that records it. True when they all finished in time.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.running === 0) return true;
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
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
      if (kind !== 'lambda') task.Parameters = { ...(task.Parameters ?? {}), [`${STATE_INPUT}.$`]: '$' };
    }
    return copy;
  }

  // ---------------------------------------------------------------- executions

  /**
   * Starts an execution. Idempotent like AWS: the same name and input while it runs return
   * the running execution; another input, or a finished execution, → ExecutionAlreadyExists.
   */
  startExecution(params: { name?: string; input?: unknown }): { executionArn: string; startDate: string } {
    if (this.closed) throw new SfnApiError('ValidationException', 'The local engine is stopping');
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
    if (this.endedNames.has(name))
      throw new SfnApiError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${this.arnPrefix}:${name}'`,
      );
    // durable before the API answers (durable()), as on AWS
    this.journalAppend({ t: 'start', n: name, i: input });
    const started = this.run(name, input, this.definition);
    this.executions.get(name)!.journaled.input = input;
    return started;
  }

  /**
   * Runs an execution from a given state with a given state input, keeping `deadline` for the
   * first callback task (for a local stack that restarts and resumes waiting complaints at
   * their Await state). Replaces a finished record of the same name.
   */
  resumeExecution(params: {
    name: string;
    startAt: string;
    input: unknown;
    deadline?: string;
    /**
     * the first callback task keeps this token (e.g. the one the complaint's pending step
     * holds); with `handlerDone` its handler is not run again (nothing is rewritten)
     */
    token?: string;
    handlerDone?: boolean;
  }): {
    executionArn: string;
    startDate: string;
  } {
    if (params.token !== undefined && !validTokenShape(params.token))
      throw new SfnApiError('InvalidToken', 'Invalid Token');
    return this.resumeAt(params.name, params.startAt, params.input, {
      stateName: params.startAt,
      ...(params.deadline ? { deadlineMs: Date.parse(params.deadline) } : {}),
      ...(params.token !== undefined
        ? { token: params.token, handlerDone: params.handlerDone === true }
        : {}),
    });
  }

  private resumeAt(
    name: string,
    startAt: string,
    input: unknown,
    resume: ResumeCallback,
    startInput?: unknown,
  ): { executionArn: string; startDate: string } {
    if (this.closed) throw new SfnApiError('ValidationException', 'The local engine is stopping');
    const state = this.definition.States[startAt];
    if (!state) throw new Error(`No state ${startAt} in the state machine`);
    const existing = this.executions.get(name);
    if (existing?.status === 'RUNNING') throw new SfnApiError('ExecutionAlreadyExists', `${name} is running`);
    this.executions.delete(name);
    this.endedNames.delete(name);
    const plan = this.tasks.get(startAt);
    const started = this.run(name, input, this.definitionAt(startAt), resume);
    const record = this.executions.get(name)!;
    if (startInput !== undefined) record.journaled.input = startInput;
    // what a compaction before the first task runs must keep
    if (plan) {
      record.journaled.enter = {
        s: startAt,
        i: input,
        ...(resume.token !== undefined ? { tok: resume.token } : {}),
        ...(resume.deadlineMs !== undefined && plan.kind === 'callback' ? { dl: resume.deadlineMs } : {}),
      };
      record.journaled.ready = resume.handlerDone === true;
      if (resume.outcome && resume.token)
        record.journaled.outcome = outcomeRecord(resume.token, resume.outcome);
    }
    return started;
  }

  private definitionAt(startAt: string): StateMachineDefinition {
    return startAt === this.definition.StartAt ? this.definition : { ...this.definition, StartAt: startAt };
  }

  private run(
    name: string,
    input: unknown,
    definition: StateMachineDefinition,
    resumeCallback?: ResumeCallback,
  ) {
    const now = this.clock.now().toISOString();
    let machine = definition === this.definition ? this.machine : this.machines.get(definition.StartAt);
    if (!machine) {
      machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
      this.machines.set(definition.StartAt, machine);
    }
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
      journaled: {},
      ...(resumeCallback ? { resumeCallback } : {}),
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
      // a shutdown (close()) leaves the execution to be resumed: nothing is journaled then
      if (!this.closed) {
        this.journalAppend({ t: 'end', n: record.name, st: record.status });
        record.journaled = {};
      }
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
    if (plan.kind === 'lambda') return await this.limited(() => handler(taskInput, context));
    const { [STATE_INPUT]: stateInput, ...parameters } = taskInput as Record<string, unknown>;
    if (plan.kind === 'invoke') {
      this.journalEnter(record, { s: stateName, i: stateInput });
      const payload = await this.limited(() =>
        handler((parameters as { Payload?: unknown }).Payload, context),
      );
      return { ExecutedVersion: '$LATEST', Payload: payload ?? null, StatusCode: 200 };
    }
    // callback task
    let resume: ResumeCallback | undefined;
    if (record.resumeCallback?.stateName === stateName) {
      resume = record.resumeCallback;
      record.resumeCallback = undefined;
    }
    if (resume?.outcome) {
      // answered before the stop and journaled: continue with the answer (its token is spent)
      if (resume.token) this.tokens.set(resume.token, undefined);
      if (resume.outcome.ok) return resume.outcome.output;
      throw new TaskFailedError(resume.outcome.error ?? 'States.TaskFailed', resume.outcome.cause ?? '');
    }
    const token = resume?.token ?? `${TOKEN_PREFIX}.${randomBytes(48).toString('base64url')}`;
    const withToken = replaceDeep(parameters, TOKEN_PLACEHOLDER, token) as { Payload?: unknown };
    const startedMs = this.clock.now().getTime();
    let deadlineMs: number | undefined;
    if (resume?.deadlineMs !== undefined) {
      deadlineMs = resume.deadlineMs;
    } else {
      const seconds = this.timeoutSeconds(plan, stateInput, stateName);
      deadlineMs = startedMs + seconds * 1000;
    }
    const handlerDone = resume?.token !== undefined && resume.handlerDone === true;
    // journaled before the handler stores the token anywhere (a resume journaled it already)
    if (!(resume && record.journaled.enter?.tok === token && record.journaled.enter.s === stateName)) {
      this.journalEnter(record, { s: stateName, i: stateInput, tok: token, dl: deadlineMs });
    }
    const waiting = new Promise<unknown>((resolve, reject) => {
      const pending: PendingCallback = {
        token,
        executionName: record.name,
        stateName,
        startedAt: new Date(startedMs).toISOString(),
        deadline: new Date(deadlineMs).toISOString(),
        handlerDone,
        deadlineMs,
        resolve,
        reject,
      };
      // registered before the handler runs: a callback may arrive before it returns
      this.tokens.set(token, pending);
      record.waiting = publicTask(pending);
    });
    waiting.catch(() => undefined);
    if (!handlerDone) {
      try {
        await this.limited(() => handler(withToken.Payload, context));
      } catch (error) {
        this.closeToken(token);
        throw error;
      }
      const pending = this.tokens.get(token);
      if (pending) {
        pending.handlerDone = true;
        if (record.waiting?.token === token) record.waiting = publicTask(pending);
      }
      if (record.journaled.enter?.tok === token) {
        record.journaled.ready = true;
        this.journalAppend({ t: 'ready', tok: token });
      }
    }
    this.changed(record);
    return await waiting;
  }

  private journalEnter(record: ExecutionRecord, enter: NonNullable<ExecutionRecord['journaled']['enter']>) {
    if (this.closed || record.status !== 'RUNNING') return;
    record.journaled.enter = enter;
    record.journaled.ready = false;
    delete record.journaled.outcome;
    this.journalAppend({ t: 'enter', n: record.name, ...enter });
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

  /** Settles the waiting task; journaled before it returns (the API answers after durable()). */
  sendTaskSuccess(taskToken: string, output: unknown): void {
    const pending = this.peekToken(taskToken);
    this.journalOutcome(pending, { t: 'ok', tok: taskToken, o: output });
    this.closeToken(taskToken);
    pending.resolve(output);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const pending = this.peekToken(taskToken);
    this.journalOutcome(pending, {
      t: 'fail',
      tok: taskToken,
      ...(error !== undefined ? { e: error } : {}),
      ...(cause !== undefined ? { c: cause } : {}),
    });
    this.closeToken(taskToken);
    pending.reject(new TaskFailedError(error ?? 'States.TaskFailed', cause ?? ''));
  }

  private journalOutcome(pending: PendingCallback, outcome: JournalRecord): void {
    const record = this.executions.get(pending.executionName);
    if (this.closed) throw new SfnApiError('ValidationException', 'The local engine is stopping');
    this.journalAppend(outcome);
    if (record?.journaled.enter?.tok === pending.token) record.journaled.outcome = outcome;
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
    if (!validTokenShape(taskToken)) throw new SfnApiError('InvalidToken', 'Invalid Token');
    if (!this.tokens.has(taskToken)) throw new SfnApiError('TaskDoesNotExist', 'Task does not exist');
    const pending = this.tokens.get(taskToken);
    if (!pending) throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
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

  /**
   * Stops the timer and every running execution. With a journal, the journal is compacted
   * and closed first: the executions stopped here resume on the next start.
   */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.journal?.isOpen && !this.closed) {
      try {
        this.journal.compact();
      } finally {
        this.journal.close();
      }
    }
    this.closed = true;
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
  const { abort: _abort, done: _done, resumeCallback: _resume, journaled: _journaled, ...rest } = record;
  return {
    ...rest,
    statesVisited: [...record.statesVisited],
    history: [...record.history],
    ...(record.waiting ? { waiting: { ...record.waiting } } : {}),
  };
}

function validTokenShape(taskToken: unknown): taskToken is string {
  return (
    typeof taskToken === 'string' &&
    taskToken.length > 0 &&
    taskToken.length <= 2048 &&
    taskToken.startsWith(`${TOKEN_PREFIX}.`)
  );
}

function outcomeRecord(token: string, outcome: NonNullable<JournaledExecution['outcome']>): JournalRecord {
  return outcome.ok
    ? { t: 'ok', tok: token, o: outcome.output }
    : {
        t: 'fail',
        tok: token,
        ...(outcome.error !== undefined ? { e: outcome.error } : {}),
        ...(outcome.cause !== undefined ? { c: outcome.cause } : {}),
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
