import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/domain/clock.js';
import type { LocalStepFunctions } from '../../local/stepfunctions/engine.js';
import { type RunningSfnEndpoint, serveSfn } from '../../local/stepfunctions/http.js';
import { type CallbackCalls, callbackEngine } from '../support/callback-engine.js';
import { localAwsConfig } from '../support/dynamodb-local.js';

const clock = new ManualClock('2026-11-23T02:00:00Z');
let engine: LocalStepFunctions;
let received: CallbackCalls['await'];
let http: RunningSfnEndpoint;
let sfn: SFNClient;

beforeAll(async () => {
  const world = callbackEngine({ clock, timeoutSeconds: 5 * 24 * 3600 });
  engine = world.engine;
  received = world.calls.await;
  http = await serveSfn(engine);
  sfn = new SFNClient({ ...localAwsConfig, endpoint: http.endpoint, maxAttempts: 1 });
});
afterAll(async () => {
  engine.close();
  sfn.destroy();
  await http.close();
});

const start = (name: string, input = { id: name }) =>
  sfn.send(
    new StartExecutionCommand({
      stateMachineArn: engine.stateMachineArn,
      name,
      input: JSON.stringify(input),
    }),
  );

describe('local Step Functions engine behind @aws-sdk/client-sfn', () => {
  it('passes an opaque task token to the callback handler and resumes on SendTaskSuccess', async () => {
    const { executionArn } = await start('exec-1');
    const task = await engine.waitForTask('exec-1', 'Await');
    const payload = received.find((r) => r.id === 'exec-1');
    expect(payload?.token).toBe(task.token);
    expect(task.token.length).toBeGreaterThan(40);
    expect(task.token.length).toBeLessThanOrEqual(2048);
    // the deadline is the TimeoutSecondsPath of the state input, on the injected clock
    expect(task.deadline).toBe('2026-11-28T02:00:00.000Z');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: task.token, output: JSON.stringify({ ok: 1 }) }));
    await engine.waitForCompletion('exec-1');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      id: 'exec-1',
      timeoutSeconds: 432000,
      result: { ok: 1 },
    });
    expect(described.startDate).toEqual(new Date('2026-11-23T02:00:00Z'));
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(
      history.events?.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails?.name),
    ).toEqual(['Plan', 'Await']);
    // a used token answers TaskTimedOut, like AWS
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: task.token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('is idempotent by name and input; another input is ExecutionAlreadyExists', async () => {
    const first = await start('exec-2');
    const again = await start('exec-2');
    expect(again.executionArn).toBe(first.executionArn);
    await expect(start('exec-2', { id: 'other' })).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(engine.listExecutions().filter((e) => e.name === 'exec-2')).toHaveLength(1);
    engine.stopExecution('exec-2');
  });

  it('times out on the injected clock only, with States.Timeout caught by the ASL', async () => {
    await start('exec-3');
    const task = await engine.waitForTask('exec-3', 'Await');
    clock.set('2026-11-28T01:59:59Z');
    expect(engine.fireDueTimeouts()).toBe(0);
    clock.set('2026-11-28T02:00:00Z');
    expect(engine.fireDueTimeouts()).toBe(1);
    const done = await engine.waitForCompletion('exec-3');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.statesVisited.map((s) => s.name)).toEqual(['Plan', 'Await', 'TimedOut']);
    expect((done.output as { error: { Error: string } }).error.Error).toBe('States.Timeout');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: task.token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('answers InvalidToken and TaskDoesNotExist for tokens it never issued', async () => {
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' })),
    ).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: `LSFN1.${'A'.repeat(64)}`, error: 'X' })),
    ).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(
      sfn.send(
        new DescribeExecutionCommand({
          executionArn: `${engine.stateMachineArn.replace(':stateMachine:', ':execution:')}:nope`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('fails the task on SendTaskFailure', async () => {
    await start('exec-4');
    const task = await engine.waitForTask('exec-4', 'Await');
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: task.token, error: 'Custom.Error', cause: 'because' }),
    );
    const done = await engine.waitForCompletion('exec-4');
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Custom.Error');
  });

  it('resumes an execution at a callback state with the deadline it had (local stack restart)', async () => {
    clock.set('2026-11-30T02:00:00Z');
    engine.resumeExecution({
      name: 'exec-5',
      startAt: 'Await',
      input: { id: 'exec-5', timeoutSeconds: 999 },
      deadline: '2026-11-30T03:00:00.000Z',
    });
    const task = await engine.waitForTask('exec-5', 'Await');
    expect(task.deadline).toBe('2026-11-30T03:00:00.000Z');
    expect(received.at(-1)).toEqual({ id: 'exec-5', token: task.token });
    clock.set('2026-11-30T03:00:00Z');
    expect(engine.fireDueTimeouts()).toBe(1);
    const done = await engine.waitForCompletion('exec-5');
    expect(done.statesVisited.map((s) => s.name)).toEqual(['Await', 'TimedOut']);
  });

  it('with timerIntervalMs, fires due timeouts by itself when the clock passes a deadline', async () => {
    const { engine: ticking } = callbackEngine({ clock, timeoutSeconds: 60, timerIntervalMs: 5 });
    try {
      ticking.startExecution({ name: 'tick', input: { id: 'tick' } });
      const task = await ticking.waitForTask('tick', 'Await');
      expect(ticking.describeExecution('tick').status).toBe('RUNNING');
      clock.set(task.deadline!);
      const done = await ticking.waitForCompletion('tick');
      expect(done.statesVisited.map((s) => s.name)).toEqual(['Plan', 'Await', 'TimedOut']);
    } finally {
      ticking.close();
    }
  });
});
