/**
 * `npm run demo`: a fresh local stack (temporary data folder, free ports) on a fast
 * simulated clock plays one complaint through every stage — with one escalation, fired by
 * the clock when nobody investigates in time — and prints the complaint's timeline.
 *
 * CLOCK_START (default Monday 2026-11-23 09:00 Shanghai) and CLOCK_SPEED (default 20000:
 * a day passes in about four real seconds) may be set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../functions/domain/model.js';
import { PreflightError } from './preflight.js';
import { readMailbox } from './ses.js';
import { type LocalStack, startLocalStack } from './stack.js';

const CLOCK_START = process.env.CLOCK_START ?? '2026-11-23T09:00:00+08:00';
const CLOCK_SPEED = Number(process.env.CLOCK_SPEED ?? 20_000);
const CUSTOMER_EMAIL = 'demo.customer@example.com';

const time = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  weekday: 'short',
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const say = (line: string) => console.log(line);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

class Api {
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown, token?: string): Promise<any> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return data;
  }

  async signIn(role: string, department?: string): Promise<string> {
    return (await this.call('POST', '/local/sign-in', { role, ...(department ? { department } : {}) })).token;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function play(stack: LocalStack): Promise<void> {
  const api = new Api(stack.urls.api);
  const now = () => time.format(stack.clock.now());
  const staff = {
    agent: await api.signIn('agent'),
    department: await api.signIn('department', 'after-sales'),
    supervisor: await api.signIn('supervisor'),
  };
  /** waits until the complaint waits on `step` (not being taken right now), at `level` or above */
  const waitingOn = (id: string, step: string, level = 0) =>
    until(`the complaint to wait on ${step}`, async () => {
      const c = await api.call('GET', `/staff/complaints/${id}`, undefined, staff.agent);
      return c.pending?.step === step && !c.pending.claimed && c.pending.escalationLevel >= level
        ? c
        : undefined;
    });

  say(`\n[${now()}] A customer files a complaint through the web form.`);
  const created = await api.call('POST', '/complaints', {
    customer: { name: '李娜', email: CUSTOMER_EMAIL, phone: '+86 138 0013 8000', language: 'zh-CN' },
    subject: '洗衣机安装后漏水',
    description: '11月20日送货安装的洗衣机（订单 HX-20931）第一次使用就漏水，地板已被泡坏。',
    category: 'product',
    orderRef: 'HX-20931',
  });
  const id: string = created.id;
  say(`  reference ${id}; reply promised by ${time.format(new Date(created.replyDueBy))}`);

  const investigation = await waitingOn(id, 'investigation');
  say(
    `[${now()}] Acknowledged; investigation due ${time.format(new Date(investigation.pending.dueAt))}. ` +
      'Nobody investigates in time…',
  );
  const escalated = await waitingOn(id, 'investigation', 1);
  say(
    `[${now()}] ⚠ Deadline missed: escalated to level 1 (customer service supervisor); ` +
      `new deadline ${time.format(new Date(escalated.pending.dueAt))}.`,
  );

  await api.call(
    'POST',
    `/staff/complaints/${id}/investigation`,
    {
      valid: true,
      category: 'product',
      severity: 'general',
      department: 'after-sales',
      findings: 'Inlet hose not tightened at installation; installer confirmed.',
    },
    staff.agent,
  );
  say(`[${now()}] Agent: the complaint is valid (product, general); responsible department: after-sales.`);

  await waitingOn(id, 'proposal');
  await api.call(
    'POST',
    `/staff/complaints/${id}/proposal`,
    { plan: '上门免费检修并更换进水管；赔偿地板修复费用 800 元。' },
    staff.department,
  );
  say(`[${now()}] After-sales proposes a solution.`);

  await waitingOn(id, 'review');
  await api.call('POST', `/staff/complaints/${id}/review`, { approved: true }, staff.supervisor);
  say(`[${now()}] Supervisor approves it; the customer is emailed the proposal.`);

  await waitingOn(id, 'customer_decision');
  const proposalEmail = await until('the proposal email', async () => {
    const mails = (await readMailbox(stack.urls.mailbox)).filter((m) =>
      m.destination.to.includes(CUSTOMER_EMAIL),
    );
    return mails.length >= 2 ? mails.at(-1) : undefined;
  });
  const token = /#token=([A-Za-z0-9_-]+)/.exec(proposalEmail.body.text ?? '')?.[1];
  if (!token) throw new Error('the proposal email has no status link');
  await api.call('POST', `/complaints/${id}/decision`, { accept: true }, token);
  say(`[${now()}] The customer accepts, from the link in the email.`);

  await waitingOn(id, 'implementation');
  await api.call(
    'POST',
    `/staff/complaints/${id}/implementation`,
    {
      result: '已更换进水管并测试无渗漏；800 元赔偿已退回原支付账户。',
      basis: '《售后服务规范》第 4.2 条：安装责任导致的损失由公司承担。',
      suggestions: '安装完成后请试运行一次并检查接口。',
    },
    staff.department,
  );
  say(`[${now()}] After-sales implements it; the customer gets the result and a survey.`);

  await waitingOn(id, 'follow_up');
  await api.call('POST', `/complaints/${id}/survey`, { rating: 5, comment: '处理及时，满意。' }, token);
  say(`[${now()}] The customer rates it 5/5.`);

  const closed = await until('the complaint to close', async () => {
    const c = await api.call('GET', `/staff/complaints/${id}`, undefined, staff.agent);
    return c.stage === 'closed' ? c : undefined;
  });
  say(`[${now()}] Closed as ${closed.outcome}.`);

  printTimeline(closed.history as AuditEvent[]);
  const emails = await readMailbox(stack.urls.mailbox);
  say(`\nEmails sent (${emails.length}; the local mailbox keeps them):`);
  for (const email of emails) say(`  ${email.destination.to.join(', ').padEnd(42)} ${email.subject}`);
}

function printTimeline(history: AuditEvent[]): void {
  say('\nTimeline (simulated time, Asia/Shanghai):');
  for (const event of history) {
    const actor =
      event.actor.kind === 'staff'
        ? `${event.actor.role}${event.actor.department ? `/${event.actor.department}` : ''}`
        : event.actor.kind;
    const data = event.data ? summarize(event.data) : '';
    say(
      `  ${String(event.seq).padStart(2)}  ${time.format(new Date(event.at))}  ${event.stage.padEnd(17)} ${event.type.padEnd(18)} ${actor.padEnd(22)} ${data}`,
    );
  }
}

function summarize(data: Record<string, unknown>): string {
  const keep = [
    'step',
    'level',
    'dueAt',
    'template',
    'to',
    'valid',
    'approved',
    'accept',
    'rating',
    'outcome',
    'severity',
    'department',
  ];
  return keep
    .filter((k) => data[k] !== undefined)
    .map((k) => `${k}=${k === 'dueAt' ? time.format(new Date(String(data[k]))) : String(data[k])}`)
    .join(' ');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'complaints-demo-'));
  say(`Starting a fresh local stack (clock from ${CLOCK_START}, ×${CLOCK_SPEED})…`);
  let stack: LocalStack | undefined;
  let failed = false;
  try {
    stack = await startLocalStack({
      port: await freePort(),
      mailboxPort: await freePort(),
      dynamodbPort: await freePort(),
      sfnPort: await freePort(),
      dataDir,
      clockStart: CLOCK_START,
      clockSpeed: CLOCK_SPEED,
    });
    await play(stack);
  } catch (error) {
    failed = true;
    console.error(
      `\n${error instanceof PreflightError ? error.message : error instanceof Error ? error.stack : String(error)}`,
    );
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

await main();
