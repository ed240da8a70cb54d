/**
 * The journey side of the local stack: the local Step Functions engine
 * (local/stepfunctions/, the journey's own adapter) running the repository's ASL file with
 * the journey task handlers in this process, served over the Step Functions API so the
 * handlers' @aws-sdk/client-sfn reaches it through AWS_ENDPOINT_URL_SFN unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Clock } from '../functions/domain/clock.js';
import { JOURNEY_TASKS } from '../functions/routes.js';
import { type ResumeReport, resumeWaitingJourneys } from './persistence.js';
import { LocalStepFunctions, type TaskHandler } from './stepfunctions/engine.js';
import { serveSfn } from './stepfunctions/http.js';
import { Journal } from './stepfunctions/journal.js';

export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplaintJourney';

export interface LocalJourney {
  endpoint: string;
  stateMachineArn: string;
  engine: LocalStepFunctions;
  /** resumes the journal's unfinished executions and the journeys of waiting complaints */
  resumeWaiting(): Promise<ResumeReport>;
  stop(): Promise<void>;
}

/** How often (real ms) the engine looks for task deadlines passed on the simulated clock. */
const TIMER_INTERVAL_MS = 250;
/** At most this many journey task handlers at once (a restart resumes thousands). */
const MAX_CONCURRENT_TASKS = 16;
/** how long a stop waits for the running task handlers (an email and its record write) */
const DRAIN_TIMEOUT_MS = 10_000;

export async function startJourney(options: {
  port: number;
  host: string;
  rootDir: string;
  clock: Clock;
  log: (line: string) => void;
  /** the engine's write-ahead journal (DATA_DIR/stepfunctions/journal.jsonl); none: in memory only */
  journalFile?: string;
  /** real ms between retries of failed tasks; the ASL's own backoff when unset */
  retryDelayMs?: number;
}): Promise<LocalJourney> {
  const definition = readFileSync(
    resolve(options.rootDir, 'statemachines/complaint-journey.asl.json'),
    'utf8',
  );
  const handlers: Record<string, TaskHandler> = {};
  for (const task of JOURNEY_TASKS) {
    const module = (await import(pathToFileURL(resolve(options.rootDir, task.entry)).href)) as {
      handler?: unknown;
    };
    if (typeof module.handler !== 'function') throw new Error(`${task.entry} exports no handler`);
    handlers[task.key] = module.handler as TaskHandler;
  }
  // Validating the ASL takes seconds of CPU: once per version of the file and data folder.
  const marker = options.journalFile
    ? resolve(dirname(options.journalFile), 'validated-asl.sha256')
    : undefined;
  const hash = createHash('sha256').update(definition).digest('hex');
  const validated =
    marker !== undefined && existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash;
  const reported = new Set<string>();
  const engine = new LocalStepFunctions({
    definition,
    handlers,
    clock: options.clock,
    stateMachineArn: STATE_MACHINE_ARN,
    timerIntervalMs: TIMER_INTERVAL_MS,
    maxConcurrentTasks: MAX_CONCURRENT_TASKS,
    validate: !validated,
    ...(options.journalFile ? { journal: new Journal({ file: options.journalFile }) } : {}),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    onChange: (execution) => {
      if (execution.status === 'FAILED' && !reported.has(execution.executionArn)) {
        reported.add(execution.executionArn);
        options.log(
          `journey ${execution.name} failed: ${execution.error ?? ''} ${execution.cause ?? ''}`.trim(),
        );
      }
    },
  });
  if (marker && !validated) {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, `${hash}\n`);
  }
  let endpoint: Awaited<ReturnType<typeof serveSfn>>;
  try {
    endpoint = await serveSfn(engine, options.port, options.host);
  } catch (error) {
    engine.close();
    throw error;
  }
  return {
    endpoint: endpoint.endpoint,
    stateMachineArn: engine.stateMachineArn,
    engine,
    resumeWaiting: () => resumeWaitingJourneys(engine, options.clock, options.log),
    stop: async () => {
      // the handlers running now finish first (their writes need DynamoDB Local, stopped later)
      if (!(await engine.drain(DRAIN_TIMEOUT_MS))) {
        options.log(
          `journey tasks still running after ${DRAIN_TIMEOUT_MS / 1000} s; they resume on the next start`,
        );
      }
      engine.close();
      await endpoint.close();
    },
  };
}
