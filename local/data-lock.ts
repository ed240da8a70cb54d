/**
 * One local stack per data folder. Two stacks on one folder would run two DynamoDB Locals on
 * the same database file and overwrite each other's clock and mailbox, so `npm start` claims
 * the folder with a lock file (`DATA_DIR/stack.lock`: the pids of the stack and of its
 * DynamoDB Local) and refuses with a sentence when another live process holds it. A lock
 * whose processes are all gone (a crash, kill -9) is stale and taken over.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PreflightError } from './preflight.js';

interface LockContent {
  pid: number;
  /** DynamoDB Local's java process, once started */
  dynamodbPid?: number;
  startedAt: string;
}

export interface DataLock {
  file: string;
  /** records DynamoDB Local's pid: a java left running after a crash keeps the folder locked */
  setDynamoDbPid(pid: number | undefined): void;
  release(): void;
}

/** lock files this process holds (a second stack in the same process is refused too) */
const held = new Set<string>();

export function lockDataDir(dataDir: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const file = resolve(dataDir, 'stack.lock');
  const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(content), { flag: 'wx', mode: 0o644 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = readLock(file);
    const live = holder ? liveHolder(holder, file) : undefined;
    if (live) {
      throw new PreflightError(
        `Another local stack (${live}) is using the data folder ${dataDir}. Stop it first (Ctrl-C in its terminal), ` +
          `or start this one with its own folder, e.g. DATA_DIR=.local-2 npm start. ` +
          `If no such process is running, delete ${file}.`,
      );
    }
    // stale: its processes are gone
    rmSync(file, { force: true });
  }
  held.add(file);
  let released = false;
  const releaseOnExit = () => release();
  function release(): void {
    if (released) return;
    released = true;
    held.delete(file);
    process.off('exit', releaseOnExit);
    // only our own lock: never one a later process took over
    if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
  }
  process.once('exit', releaseOnExit);
  return {
    file,
    setDynamoDbPid(pid) {
      if (released || pid === undefined) return;
      content.dynamodbPid = pid;
      writeFileSync(file, JSON.stringify(content));
    },
    release,
  };
}

function readLock(file: string): LockContent | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    return Number.isInteger(value.pid) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** "process 123" / "DynamoDB Local, process 456, left from a stopped stack" or undefined */
function liveHolder(lock: LockContent, file: string): string | undefined {
  if (lock.pid === process.pid) {
    if (held.has(file)) return `this process, ${lock.pid}`;
  } else if (alive(lock.pid)) return `process ${lock.pid}`;
  if (lock.dynamodbPid !== undefined && alive(lock.dynamodbPid)) {
    // our own DynamoDB Local on this folder, orphaned by a stack killed with kill -9: end it
    if (ownDynamoDb(lock.dynamodbPid, dirname(file)) && endProcess(lock.dynamodbPid)) return undefined;
    // killed with its stack's group an instant ago: still exiting (its /proc entry already
    // empty) — wait for it to go rather than refuse
    if (gone(lock.dynamodbPid, 5_000)) return undefined;
    return `DynamoDB Local, process ${lock.dynamodbPid}, left running by a stack that ended; kill ${lock.dynamodbPid}`;
  }
  return undefined;
}

/** true when `pid` is DynamoDB Local's java started on `dataDir`'s database (Linux: /proc). */
function ownDynamoDb(pid: number, dataDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return (
      args.some((a) => a.includes('DynamoDBLocal')) &&
      args.some((a) => resolve(a) === resolve(dataDir, 'dynamodb'))
    );
  } catch {
    return false;
  }
}

/** SIGKILLs `pid` and waits (up to 5 s) until it is gone. */
function endProcess(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return !alive(pid);
  }
  return gone(pid, 5_000);
}

/** Waits (blocking, up to `ms`) until `pid` is gone; true when it is. */
function gone(pid: number, ms: number): boolean {
  const until = Date.now() + ms;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (alive(pid) && Date.now() < until) Atomics.wait(pause, 0, 0, 50);
  return !alive(pid);
}

/** A process that exists and has not ended (Linux: a zombie, ended but not reaped, is gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!HAS_PROC) return true; // macOS: the signal's answer stands
  try {
    // /proc/<pid>/stat: "pid (comm) S …" — the state follows the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // reaped meanwhile
  }
}

const HAS_PROC = existsSync('/proc/self/stat');
