/**
 * A stop lets the running task handlers finish (local/journey.ts stop → engine.drain): a
 * handler cut between its email and the write that records it would send the email again
 * on the next start. While draining no new handler starts; a drain is bounded.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/domain/clock.js';
import { LocalStepFunctions } from '../../local/stepfunctions/engine.js';
import { callbackMachine } from '../support/callback-engine.js';

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** Plan → Await → Record; Record waits on `gate` and logs what it finished. */
function gatedEngine() {
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const started: string[] = [];
  const finished: string[] = [];
  const engine = new LocalStepFunctions({
    definition: callbackMachine({ record: true }),
    clock: new ManualClock('2026-11-30T02:00:00Z'),
    maxConcurrentTasks: 1,
    handlers: {
      Plan: (input: { id: string }) => ({ id: input.id, timeoutSeconds: 3600 }),
      Await: () => undefined,
      Record: async (input: { id: string }) => {
        started.push(input.id);
        await gate;
        finished.push(input.id);
        return { id: input.id };
      },
    },
  });
  return { engine, open, started, finished };
}

async function answerBoth(engine: LocalStepFunctions): Promise<void> {
  for (const id of ['a', 'b']) engine.startExecution({ name: id, input: { id } });
  for (const id of ['a', 'b']) {
    const task = await engine.waitForTask(id, 'Await');
    engine.sendTaskSuccess(task.token, { done: id });
  }
}

describe('draining the local engine before a stop', () => {
  it('waits for the running handler, and starts none of the queued ones', async () => {
    const { engine, open, started, finished } = gatedEngine();
    await answerBoth(engine);
    for (let i = 0; i < 100 && started.length === 0; i++) await ticks(1);
    expect(started).toHaveLength(1); // one at a time: the other Record waits its turn

    let drained: boolean | undefined;
    const draining = engine.drain(60_000).then((ok) => {
      drained = ok;
    });
    await ticks(20);
    expect(drained).toBeUndefined(); // its handler is still running

    open();
    await draining;
    expect(drained).toBe(true);
    expect(finished).toEqual(started);
    await ticks(20);
    expect(started).toHaveLength(1); // the queued Record never started: it resumes on the next start
    engine.close();
  });

  it('gives up after its bound when a handler does not finish', async () => {
    const { engine, started } = gatedEngine();
    await answerBoth(engine);
    for (let i = 0; i < 100 && started.length === 0; i++) await ticks(1);
    expect(await engine.drain(50)).toBe(false);
    engine.close();
  });

  it('answers at once when nothing runs', async () => {
    const { engine } = gatedEngine();
    expect(await engine.drain(60_000)).toBe(true);
    engine.close();
  });
});
