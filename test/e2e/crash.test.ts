/**
 * "An action answered 2xx is never lost" (SPEC, The record) against the real local stack:
 * a child process acting on complaints through the API, killed with SIGKILL at random
 * moments, then started again on the same data folder. After each restart every action
 * that was answered 202 is recorded (its audit event is there) and every complaint has an
 * open step or is closed (a journey moves it) — 0 lost, 0 stuck over ≥ 30 kills; the
 * mailbox keeps every email it had.
 *
 * The journeys loop investigation → proposal → review (returned) → proposal …, so that
 * there is always a staff action to take. Two ways to die: the stack's node process alone on
 * the test run's DynamoDB Local (which keeps running), and the whole process group — the
 * stack and its own DynamoDB Local's JVM, data in the same folder — as a `kill -9` of
 * `npm start`'s group does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ROOT_DIR } from '../../local/stack.js';
import { freePort } from '../support/free-port.js';
import { ApiClient, waitFor } from './support.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 30);
/** kills of the whole process group (the stack and its own DynamoDB Local's JVM) */
const GROUP_KILLS = Number(process.env.CRASH_GROUP_KILLS ?? 6);
const COMPLAINTS = 6;
/** the audit event each action leads to */
const EVENT_OF: Record<string, string> = {
  investigation: 'investigated',
  proposal: 'proposed',
  review: 'returned',
};

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) killGroup(child);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

async function startChild(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT_DIR, 'test/e2e/crash-child.ts')], {
    cwd: ROOT_DIR,
    // its own process group: a kill of the group also takes DynamoDB Local's JVM when it has one
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise((r) => child.once('exit', r));
  await waitFor(
    async () =>
      output.includes('READY') || (child.exitCode !== null ? Promise.reject(new Error(output)) : false),
    'the local stack to be ready',
    90_000,
  );
  return { child, output: () => output, exited };
}

function body(step: string, n: number): unknown {
  if (step === 'investigation')
    return {
      valid: true,
      category: 'service',
      severity: 'general',
      department: 'after-sales',
      findings: `finding ${n}`,
    };
  if (step === 'proposal') return { plan: `plan ${n}` };
  return { approved: false, comment: `comment ${n}` };
}

/** SIGKILL to the child's whole process group (it leads one: `detached`). */
function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

describe.each([
  {
    what: "the stack (the test run's DynamoDB Local keeps running)",
    kills: KILLS,
    ownDynamoDb: false,
  },
  {
    what: 'the whole process group, its own DynamoDB Local included',
    kills: GROUP_KILLS,
    ownDynamoDb: true,
  },
])('the local stack killed with kill -9 at random moments: $what', ({ kills: KILLS, ownDynamoDb }) => {
  it(`loses no answered action and leaves no complaint stuck over ${KILLS} kills`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crash-test-'));
    dirs.push(dataDir);
    const env: Record<string, string> = {
      PORT: String(await freePort()),
      MAILBOX_PORT: String(await freePort()),
      SFN_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      TABLE_NAME: `crash-${process.pid}-${Date.now()}`,
      LOG_LEVEL: 'ERROR',
      ...(ownDynamoDb
        ? { DYNAMODB_PORT: String(await freePort()) }
        : { DYNAMODB_ENDPOINT: inject('dynamoEndpoint') }),
    };
    let stack = await startChild(env);
    const api = new ApiClient(`http://127.0.0.1:${env.PORT}`);
    const mailbox = `http://127.0.0.1:${env.MAILBOX_PORT}`;
    const manager = await api.signIn('manager');

    const ids: string[] = [];
    for (let i = 0; i < COMPLAINTS; i++) {
      const created = await api.post('/complaints', {
        customer: { name: `Crash ${i}`, email: `crash${i}@example.com` },
        subject: 'Crash test',
        description: 'A complaint acted on while the stack is killed.',
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    for (const id of ids) await api.waitForStep(id, 'investigation', manager);
    /** actions answered 202, per complaint and audit event type */
    const answered = new Map<string, Record<string, number>>(ids.map((id) => [id, {}]));
    let lost = 0;
    let stuck = 0;
    let actions = 0;
    let n = 0;

    for (let kill = 0; kill < KILLS; kill++) {
      // act on every complaint as its step opens, until the kill
      let alive = true;
      const actors = ids.map(async (id) => {
        while (alive) {
          try {
            const view = await api.staffGet(id, manager);
            const step = view.pending?.step as string | undefined;
            if (step && !view.pending.claimed && EVENT_OF[step]) {
              const response = await api.post(`/staff/complaints/${id}/${step}`, body(step, ++n), manager);
              if (process.env.CRASH_DEBUG && response.status !== 202)
                console.log(step, response.status, JSON.stringify(response.body));
              if (response.status === 202) {
                const counts = answered.get(id)!;
                counts[EVENT_OF[step]!] = (counts[EVENT_OF[step]!] ?? 0) + 1;
                actions++;
              }
            } else {
              await new Promise((r) => setTimeout(r, 20));
            }
          } catch (error) {
            if (process.env.CRASH_DEBUG) console.log('actor', String(error));
            return; // the stack is gone
          }
        }
      });
      // a few actions answered, then the kill lands at a random moment after the last one
      const target = actions + 1 + Math.floor(Math.random() * 4);
      await waitFor(async () => actions >= target, 'actions to be answered', 60_000);
      await new Promise((r) => setTimeout(r, Math.random() * 400));
      const mailsBefore = ((await (await fetch(`${mailbox}/store`)).json()) as { emails: unknown[] }).emails
        .length;
      killGroup(stack.child);
      alive = false;
      await stack.exited;
      await Promise.all(actors);

      const t0 = Date.now();
      stack = await startChild(env);
      if (process.env.CRASH_DEBUG)
        console.log(`kill ${kill}: ${actions} actions so far, restart ${Date.now() - t0} ms`);
      const mailsAfter = ((await (await fetch(`${mailbox}/store`)).json()) as { emails: unknown[] }).emails
        .length;
      expect(mailsAfter).toBeGreaterThanOrEqual(mailsBefore);

      // every answered action recorded; every complaint with an open step (or closed)
      for (const id of ids) {
        const settled = await waitFor(
          async () => {
            const view = await api.staffGet(id, manager);
            const counts = answered.get(id)!;
            const recorded = Object.entries(counts).every(
              ([type, count]) =>
                view.history.filter((e: { type: string }) => e.type === type).length >= count,
            );
            return recorded && (view.pending || view.stage === 'closed') ? view : undefined;
          },
          `complaint ${id} to have its answered actions recorded and an open step`,
          20_000,
        ).catch(() => undefined);
        if (settled) continue;
        const view = await api.staffGet(id, manager);
        const counts = answered.get(id)!;
        for (const [type, count] of Object.entries(counts)) {
          lost += Math.max(0, count - view.history.filter((e: { type: string }) => e.type === type).length);
        }
        if (!view.pending && view.stage !== 'closed') stuck++;
      }
    }
    killGroup(stack.child);
    console.log(`crash test: ${KILLS} kills, ${actions} actions answered 202, lost ${lost}, stuck ${stuck}`);
    expect(actions).toBeGreaterThanOrEqual(2 * KILLS);
    expect({ lost, stuck }).toEqual({ lost: 0, stuck: 0 });
  }, 1_200_000);
});
