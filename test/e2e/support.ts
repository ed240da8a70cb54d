/**
 * End-to-end helpers: a local stack on free ports with a temporary data folder and a
 * ManualClock, an HTTP client for its API, and the local mailbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../functions/domain/clock.js';
import { type FoundChromium, findChromium } from '../../local/chromium.js';
import { type MailboxEmail, readMailbox } from '../../local/ses.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';
import { freePort } from '../support/free-port.js';

/** Monday 2026-11-23 09:00 in Shanghai: a working day, no holiday near. */
export const E2E_START = '2026-11-23T09:00:00+08:00';

export interface E2EStack {
  stack: LocalStack;
  clock: ManualClock;
  dataDir: string;
  /** the options it was started with (ports, data folder): start again with these */
  options: LocalStackOptions;
  api: ApiClient;
  /** stops the stack (awaited) and removes the data folder */
  dispose(): Promise<void>;
}

/** Starts a local stack for one test file. */
export async function startE2EStack(overrides: Partial<LocalStackOptions> = {}): Promise<E2EStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'complaints-e2e-'));
  const clock = new ManualClock(E2E_START);
  const options: LocalStackOptions = {
    port: await freePort(),
    mailboxPort: await freePort(),
    dynamodbPort: await freePort(),
    sfnPort: await freePort(),
    dataDir,
    clock,
    ...overrides,
  };
  let stack = await startLocalStack(options);
  const e2e: E2EStack = {
    get stack() {
      return stack;
    },
    set stack(next) {
      stack = next;
    },
    clock,
    dataDir,
    options,
    api: new ApiClient(stack.urls.api),
    async dispose() {
      try {
        await stack.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return e2e;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = any>(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  get<T = any>(path: string, token?: string) {
    return this.call<T>('GET', path, token ? { token } : {});
  }

  post<T = any>(path: string, body: unknown, token?: string) {
    return this.call<T>('POST', path, { body, ...(token ? { token } : {}) });
  }

  async signIn(role: string, department?: string): Promise<string> {
    const response = await this.post<{ token: string }>('/local/sign-in', {
      role,
      ...(department ? { department } : {}),
    });
    if (response.status !== 200)
      throw new Error(`sign-in answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body.token;
  }

  /** The staff view of a complaint (any staff token that may read it). */
  async staffGet(id: string, token: string): Promise<any> {
    const response = await this.get(`/staff/complaints/${id}`, token);
    if (response.status !== 200) throw new Error(`GET /staff/complaints/${id} answered ${response.status}`);
    return response.body;
  }

  /** Resolves once the complaint waits on `step` (the journey runs in the background). */
  waitForStep(id: string, step: string, token: string, what = `waiting on ${step}`): Promise<any> {
    return waitFor(async () => {
      const c = await this.staffGet(id, token);
      return c.pending?.step === step && !c.pending.claimed ? c : undefined;
    }, what);
  }
}

/**
 * Polls `probe` until it returns something other than undefined/false, or fails after
 * `timeoutMs` with `what` and the last value seen.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Emails in the local mailbox to `address` (newest last). */
export async function mailTo(mailboxUrl: string, address: string): Promise<MailboxEmail[]> {
  const emails = await readMailbox(mailboxUrl);
  return emails.filter((e) =>
    [...e.destination.to, ...e.destination.cc, ...e.destination.bcc].includes(address),
  );
}

/** Waits for the `count`-th email to `address` and returns it. */
export function waitForMail(
  mailboxUrl: string,
  address: string,
  count = 1,
  what = `email #${count} to ${address}`,
): Promise<MailboxEmail> {
  return waitFor(async () => (await mailTo(mailboxUrl, address))[count - 1], what);
}

/** The status page link (`…/status.html?id=…&lang=…#token=…`) of a customer email. */
export function statusLink(email: MailboxEmail): URL {
  const text = `${email.body.text ?? ''}\n${email.body.html ?? ''}`;
  const match = /https?:\/\/[^\s"'<>]+\/status\.html\?id=[^\s"'<>#]+#token=[A-Za-z0-9_\-%]+/.exec(text);
  if (!match) throw new Error(`no status link in the email "${email.subject}"`);
  return new URL(match[0].replace(/&amp;/g, '&'));
}

/**
 * The browser the page tests drive (local/chromium.ts), looked up once per file. When none can
 * run, says why in one line; the caller then skips its suites with `describe.skipIf`.
 */
export async function browserForTests(): Promise<FoundChromium> {
  const found = await findChromium();
  if (!found.ok) console.warn(`browser tests skipped: ${found.reason}`);
  return found;
}
