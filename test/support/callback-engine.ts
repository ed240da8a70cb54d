/**
 * A local Step Functions engine (local/stepfunctions/engine.ts) on a small machine in the
 * journey's shape, with stub handlers that count what they were asked: Plan → Await
 * (waitForTaskToken, TimeoutSecondsPath, States.Timeout caught into TimedOut) and, with
 * `record`, → Record. For the tests of the engine alone (its HTTP API, its journal).
 */
import type { Clock } from '../../functions/domain/clock.js';
import { type LocalEngineOptions, LocalStepFunctions } from '../../local/stepfunctions/engine.js';

const lambda = (key: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `\${${key}FunctionArn}`, 'Payload.$': '$' },
  OutputPath: '$.Payload',
});

/** The machine's ASL text: Plan → Await → (Record when `record`), TimedOut on the timeout. */
export function callbackMachine(options: { record?: boolean } = {}): string {
  return JSON.stringify({
    StartAt: 'Plan',
    States: {
      Plan: { ...lambda('Plan'), Next: 'Await' },
      Await: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: '${AwaitFunctionArn}',
          Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' },
        },
        TimeoutSecondsPath: '$.timeoutSeconds',
        ResultPath: '$.result',
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' }],
        ...(options.record ? { Next: 'Record' } : { End: true }),
      },
      ...(options.record ? { Record: { ...lambda('Record'), End: true } } : {}),
      TimedOut: { Type: 'Pass', End: true },
    },
  });
}

/** What the stub handlers were asked, in order. */
export interface CallbackCalls {
  plan: number;
  await: { id: string; token: string }[];
  record: { id: string; result: unknown }[];
}

export interface CallbackEngineOptions extends Omit<LocalEngineOptions, 'definition' | 'handlers' | 'clock'> {
  clock: Clock;
  /** the Await state's timeout, in seconds, that Plan returns */
  timeoutSeconds: number;
  /** a Record state after Await */
  record?: boolean;
}

/** The engine on callbackMachine(), input `{id}`; its handlers log into `calls`. */
export function callbackEngine({ timeoutSeconds, record, ...options }: CallbackEngineOptions): {
  engine: LocalStepFunctions;
  calls: CallbackCalls;
} {
  const calls: CallbackCalls = { plan: 0, await: [], record: [] };
  const engine = new LocalStepFunctions({
    ...options,
    definition: callbackMachine({ record: record ?? false }),
    handlers: {
      Plan: (input: { id: string }) => {
        calls.plan++;
        return { id: input.id, timeoutSeconds };
      },
      Await: (payload: { token: string; id: string }) => {
        calls.await.push(payload);
      },
      ...(record
        ? {
            Record: (input: { id: string; result: unknown }) => {
              calls.record.push({ id: input.id, result: input.result });
              return { id: input.id, recorded: input.result };
            },
          }
        : {}),
    },
  });
  return { engine, calls };
}
