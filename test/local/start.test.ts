/**
 * `npm start` as a person runs it: one stack per data folder (a second start refuses with a
 * sentence, a stale lock is taken over), Ctrl-C while it is still starting stops what has
 * started (DynamoDB Local's java included) instead of leaving it behind, and Ctrl-C on a
 * running stack stops it cleanly and keeps its mailbox.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../local/data-lock.js';
import { checkPortFree, PreflightError } from '../../local/preflight.js';
import { ROOT_DIR } from '../../local/stack.js';
import { freePort } from '../support/free-port.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'start-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** a pid that is certainly not running: a child that has exited */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid ?? 999_999;
}

describe('the data folder lock', () => {
  it('refuses a second stack on the same folder, and frees the folder on release', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(PreflightError);
    expect(() => lockDataDir(dir)).toThrow(/Another local stack .* is using the data folder/);
    lock.release();
    expect(existsSync(join(dir, 'stack.lock'))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over a stale lock whose processes are gone, and an unreadable one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stack.lock'), JSON.stringify({ pid: await deadPid(), startedAt: 'x' }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
    writeFileSync(join(dir, 'stack.lock'), 'garbage');
    lockDataDir(dir).release();
  });

  it('stays locked while a DynamoDB Local left by a crashed stack still runs on the folder', async () => {
    const dir = tempDir();
    const java = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(java);
    writeFileSync(
      join(dir, 'stack.lock'),
      JSON.stringify({ pid: await deadPid(), dynamodbPid: java.pid, startedAt: 'x' }),
    );
    expect(() => lockDataDir(dir)).toThrow(
      new RegExp(`DynamoDB Local, process ${java.pid}.*kill ${java.pid}`),
    );
    java.kill('SIGKILL');
    await new Promise((r) => java.once('exit', r));
    lockDataDir(dir).release();
  });

  it('is free again once a DynamoDB Local killed with its stack has ended, even unreaped or still exiting', async () => {
    // a zombie: `sleep` that nobody reaps (its parent shell exec'd into another sleep)
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 60'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(parent);
    const zombie = Number(
      await new Promise<string>((r) => parent.stdout?.once('data', (c: Buffer) => r(c.toString()))),
    );
    for (let i = 0; i < 100 && !/\) Z/.test(readFileSync(`/proc/${zombie}/stat`, 'utf8')); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z/);
    const dir = tempDir();
    writeFileSync(
      join(dir, 'stack.lock'),
      JSON.stringify({ pid: await deadPid(), dynamodbPid: zombie, startedAt: 'x' }),
    );
    lockDataDir(dir).release();

    // still exiting when the next stack starts: waited for, not refused
    const exiting = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 700)']);
    children.push(exiting);
    writeFileSync(
      join(dir, 'stack.lock'),
      JSON.stringify({ pid: await deadPid(), dynamodbPid: exiting.pid, startedAt: 'x' }),
    );
    lockDataDir(dir).release();
  });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function npmStart(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT_DIR, 'local/start.ts')], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function ports(): Promise<{
  PORT: string;
  MAILBOX_PORT: string;
  DYNAMODB_PORT: string;
  SFN_PORT: string;
}> {
  return {
    PORT: String(await freePort()),
    MAILBOX_PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    SFN_PORT: String(await freePort()),
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 150_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const portFree = (port: string) =>
  checkPortFree({ label: 'x', port: Number(port), envVar: 'X' }, '127.0.0.1').then(
    () => true,
    () => false,
  );

describe('npm start', () => {
  it('Ctrl-C while starting stops DynamoDB Local and releases the data folder', async () => {
    const dataDir = tempDir();
    const env = { ...(await ports()), DATA_DIR: dataDir };
    const first = npmStart(env);
    await until('DynamoDB Local to be up', () => first.output().includes('DynamoDB Local is up'));
    first.child.kill('SIGINT');
    const { code } = await first.exited;
    // (the start goes on for seconds after DynamoDB Local is up: the interrupt lands in it)
    expect(first.output()).toContain('Stopped before it was ready');
    expect(code).toBe(130);
    // java is gone: its port is free again, and the folder is unlocked
    await until('the DynamoDB port to be free', () => portFree(env.DYNAMODB_PORT), 15_000);
    expect(existsSync(join(dataDir, 'stack.lock'))).toBe(false);
  }, 300_000);

  it('Ctrl-C on npm start stops cleanly every time: folder unlocked, DynamoDB Local stopped, mailbox kept', async () => {
    const dataDir = tempDir();
    const env = { ...(await ports()), DATA_DIR: dataDir };
    for (let attempt = 1; attempt <= 2; attempt++) {
      // as a terminal runs it: npm, its shell, node and java in one process group
      const child = spawn('npm', ['start'], {
        cwd: ROOT_DIR,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      children.push(child);
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise((done) => child.once('exit', done));
      await until('the stack to be ready', () => output.includes('Ready.'), 120_000);
      const mailbox = `http://127.0.0.1:${env.MAILBOX_PORT}/store`;
      const mails = async () =>
        ((await (await fetch(mailbox)).json()) as { emails: unknown[] }).emails.length;
      // the previous run's email is still there after the restart
      expect(await mails()).toBe(attempt - 1);
      const created = await fetch(`http://127.0.0.1:${env.PORT}/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customer: { name: 'Ctrl C', email: `ctrl.c.${attempt}@example.com` },
          subject: 'Stop test',
          description: 'A complaint filed before Ctrl-C.',
        }),
      });
      expect(created.status).toBe(201);
      await until('the acknowledgement email', async () => (await mails()) === attempt, 30_000);
      // Ctrl-C the instant the email is out: the investigation's opening may still be writing its record.
      // The stop lets it finish (DynamoDB Local ignores the Ctrl-C until then), so the next
      // start sends nothing again (checked by the count above on the second run).
      process.kill(-(child.pid as number), 'SIGINT');
      await exited;
      expect(output).toContain('Stopped. Data kept in');
      expect(output).not.toContain('Forced');
      expect(existsSync(join(dataDir, 'stack.lock'))).toBe(false);
      await until('the DynamoDB port to be free', () => portFree(env.DYNAMODB_PORT), 15_000);
      const kept = readFileSync(join(dataDir, 'mailbox.jsonl'), 'utf8').trim().split('\n');
      expect(kept).toHaveLength(attempt);
    }
  }, 300_000);

  it('a second start on the same data folder refuses with a sentence and changes nothing', async () => {
    const dataDir = tempDir();
    const env = { ...(await ports()), DATA_DIR: dataDir };
    const first = npmStart(env);
    await until('the first stack to be ready', () => first.output().includes('Ready.'));
    const lock = readFileSync(join(dataDir, 'stack.lock'), 'utf8');

    const second = npmStart({ ...(await ports()), DATA_DIR: dataDir });
    const refused = await second.exited;
    expect(refused.code).toBe(1);
    expect(second.output()).toContain(
      `Another local stack (process ${first.child.pid}) is using the data folder`,
    );
    expect(readFileSync(join(dataDir, 'stack.lock'), 'utf8')).toBe(lock);

    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
    await until('the DynamoDB port to be free', () => portFree(env.DYNAMODB_PORT), 15_000);
    expect(existsSync(join(dataDir, 'stack.lock'))).toBe(false);
  }, 300_000);
});
