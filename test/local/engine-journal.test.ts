/**
 * The local engine's write-ahead journal: what is on disk at any instant (a copy of the
 * journal file taken then, i.e. what `kill -9` leaves) is enough for a new engine to resume
 * every unfinished execution — answered callbacks included, waiting tasks with their token
 * and deadline, handlers not run again for a step already stored.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/domain/clock.js';
import { Journal, type JournalRecord } from '../../local/stepfunctions/journal.js';
import { callbackEngine } from '../support/callback-engine.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
  dirs.push(dir);
  return dir;
}

/** One engine on a journal file, with handlers that count what they were asked. */
function world(file: string, clock: ManualClock, compactAfterBytes?: number) {
  const journal = new Journal({ file, ...(compactAfterBytes ? { compactAfterBytes } : {}) });
  const { engine, calls } = callbackEngine({ clock, journal, timeoutSeconds: 3600, record: true });
  return { engine, journal, calls };
}

/** what a kill -9 leaves: the journal file as it is now */
function crashCopy(file: string, dir: string, n: number | string): string {
  const copy = join(dir, `crash-${n}.jsonl`);
  copyFileSync(file, copy);
  return copy;
}

const TRIALS = Number(process.env.TRIALS ?? 40);
const ticks = (n: number) =>
  (async () => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  })();

describe('the local engine journal', () => {
  it('resumes a waiting callback with its token and deadline, without running its handler again', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    const a = world(join(dir, 'journal.jsonl'), clock);
    a.engine.recover();
    a.engine.startExecution({ name: 'c1', input: { id: 'c1' } });
    const task = await a.engine.waitForTask('c1', 'Await');
    const copy = crashCopy(a.journal.file, dir, 1);
    a.engine.close();

    clock.advance(60_000);
    const b = world(copy, clock);
    expect(b.engine.recover().resumed).toEqual(['c1']);
    const resumed = await b.engine.waitForTask('c1', 'Await');
    expect(resumed.token).toBe(task.token);
    expect(resumed.deadline).toBe(task.deadline);
    expect(b.calls.await).toEqual([]); // the step was stored already: nothing rewritten
    expect(b.calls.plan).toBe(0);
    b.engine.sendTaskSuccess(task.token, { action: 'x' });
    const done = await b.engine.waitForCompletion('c1');
    expect(done.status).toBe('SUCCEEDED');
    expect(b.calls.record).toEqual([{ id: 'c1', result: { action: 'x' } }]);
    b.engine.close();
  });

  it('keeps an answered callback that the execution had not consumed when the process died', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    const a = world(join(dir, 'journal.jsonl'), clock);
    a.engine.recover();
    a.engine.startExecution({ name: 'c2', input: { id: 'c2' } });
    const task = await a.engine.waitForTask('c2', 'Await');
    a.engine.sendTaskSuccess(task.token, { action: 'answered' });
    // the API has its 200 now; the process dies before the engine moves on
    const copy = crashCopy(a.journal.file, dir, 2);
    a.engine.close();

    const b = world(copy, clock);
    b.engine.recover();
    const done = await b.engine.waitForCompletion('c2');
    expect(done.status).toBe('SUCCEEDED');
    expect(b.calls.record).toEqual([{ id: 'c2', result: { action: 'answered' } }]);
    // the answered token is spent
    expect(() => b.engine.sendTaskSuccess(task.token, {})).toThrow(/Task Timed Out/);
    b.engine.close();
  });

  it('loses no answered callback and leaves no execution stuck, whatever the moment of the crash', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    let lost = 0;
    let stuck = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const t0 = Date.now();
      const a = world(join(dir, `journal-${trial}.jsonl`), clock);
      a.engine.recover();
      const names = ['p', 'q', 'r'].map((x) => `${x}${trial}`);
      const answered = new Map<string, unknown>();
      for (const name of names) a.engine.startExecution({ name, input: { id: name } });
      // act on each as soon as it waits, and crash after a random number of event-loop turns
      const crashAfter = Math.floor(Math.random() * 12);
      let copy: string | undefined;
      for (let turn = 0; turn <= 12 && !copy; turn++) {
        for (const pending of a.engine.waitingTasks()) {
          if (pending.handlerDone && Math.random() < 0.7) {
            const output = { action: 'x', by: pending.executionName, turn };
            a.engine.sendTaskSuccess(pending.token, output);
            answered.set(pending.executionName, output);
          }
        }
        if (turn === crashAfter) copy = crashCopy(a.journal.file, dir, `t${trial}`);
        await ticks(1);
      }
      copy ??= crashCopy(a.journal.file, dir, `t${trial}`);
      a.engine.close();

      const b = world(copy, clock);
      b.engine.recover();
      for (const name of names) {
        if (!b.engine.isRunning(name)) continue;
        const view = await b.engine.waitFor(
          name,
          (e) => e.status !== 'RUNNING' || e.waiting?.handlerDone === true,
          5_000,
        );
        if (view.status === 'RUNNING') {
          if (answered.has(name))
            lost++; // answered before the crash, waiting again after it
          else b.engine.sendTaskSuccess(view.waiting!.token, { action: 'x', by: name, after: true });
        }
      }
      for (const name of names) {
        const done = b.engine.isRunning(name) ? await b.engine.waitForCompletion(name) : undefined;
        if (done && done.status !== 'SUCCEEDED') stuck++;
        const expected = answered.get(name);
        if (expected !== undefined) {
          const recordedHere = b.calls.record.some(
            (r) => JSON.stringify(r) === JSON.stringify({ id: name, result: expected }),
          );
          const recordedBefore = a.calls.record.some(
            (r) => JSON.stringify(r) === JSON.stringify({ id: name, result: expected }),
          );
          if (!recordedHere && !recordedBefore) lost++;
        }
      }
      b.engine.close();
      if (process.env.TRIALS) console.log('trial', trial, Date.now() - t0, 'ms', { lost, stuck });
    }
    expect({ lost, stuck }).toEqual({ lost: 0, stuck: 0 });
  });

  it('compacts: the file stays bounded while executions come and go, and still resumes the waiting ones', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    const file = join(dir, 'journal.jsonl');
    const a = world(file, clock, 20_000);
    a.engine.recover();
    const waiting = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      const name = `k${i}`;
      a.engine.startExecution({ name, input: { id: name, padding: 'x'.repeat(200) } });
      const task = await a.engine.waitForTask(name, 'Await');
      if (i % 50 === 0) {
        waiting.set(name, task.token);
        continue;
      }
      a.engine.sendTaskSuccess(task.token, { action: 'done' });
      await a.engine.waitForCompletion(name);
    }
    // 200 executions journaled ~1 KB each; compaction keeps the 6 waiting ones and the names
    expect(statSync(file).size).toBeLessThan(50_000);
    const copy = crashCopy(file, dir, 'compacted');
    a.engine.close();
    const b = world(copy, clock);
    const { resumed } = b.engine.recover();
    expect(resumed.sort()).toEqual([...waiting.keys()].sort());
    for (const [name, token] of waiting) expect(b.engine.waitingTasks(name)[0]?.token).toBe(token);
    // a finished name stays taken, as on AWS
    expect(() => b.engine.startExecution({ name: 'k1', input: { id: 'k1' } })).toThrow(/Already Exists/);
    b.engine.close();
  });

  it('a stop (close) leaves every running execution to resume on the next start', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    const file = join(dir, 'journal.jsonl');
    const a = world(file, clock);
    a.engine.recover();
    a.engine.startExecution({ name: 's1', input: { id: 's1' } });
    const task = await a.engine.waitForTask('s1', 'Await');
    a.engine.close();
    await a.engine.waitForCompletion('s1');
    const b = world(file, clock);
    expect(b.engine.recover().resumed).toEqual(['s1']);
    expect(b.engine.waitingTasks('s1')[0]?.token).toBe(task.token);
    b.engine.close();
  });

  it('one execution that cannot be resumed is reported, and the others resume', async () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    const file = join(dir, 'journal.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ t: 'enter', n: 'gone', s: 'NoSuchState', i: { id: 'gone' } }),
        JSON.stringify({ t: 'start', n: 'fine', i: { id: 'fine' } }),
        '{"t":"enter","n":"torn", "s":', // a write cut by the crash
      ].join('\n'),
    );
    const b = world(file, clock);
    const { resumed, failed } = b.engine.recover();
    expect(resumed).toEqual(['fine']);
    expect(failed).toEqual([{ name: 'gone', error: expect.stringContaining('NoSuchState') }]);
    await b.engine.waitForTask('fine', 'Await');
    b.engine.close();
  });
});

describe('the journal fsync the API answers after (group commit)', () => {
  it('resolves every concurrent sync once what was appended before it is written, across a compaction, and refuses after close', async () => {
    const file = join(tempDir(), 'journal.jsonl');
    const journal = new Journal({ file, compactAfterBytes: 200 });
    // the live state a compaction rewrites from: what was appended so far
    const live: JournalRecord[] = [{ t: 'end', n: 'compacted', st: 'SUCCEEDED' }];
    journal.snapshot = () => [...live];
    journal.open();
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const record: JournalRecord = { t: 'start', n: `e${i}`, i: { complaintId: `C${i}` } };
      live.push(record);
      journal.append(record);
      waits.push(journal.sync());
    }
    await Promise.all(waits);
    const { executions } = journal.read();
    expect(executions.get('compacted')?.ended).toBe(true);
    expect(executions.get('e19')?.input).toEqual({ complaintId: 'C19' });
    journal.close();
    await expect(journal.sync()).rejects.toThrow('closed');
  });
});
