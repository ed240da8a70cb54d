/**
 * Takes the README's pictures with Chromium (local/chromium.ts): docs/console.png (the staff
 * console) and docs/status.png (the customer's status page).
 * `npx tsx local/screenshot.ts [--out-dir docs] [--lang en[,zh-CN]] [--width 1280[,390]]`:
 * with one language and one width the files are console.png and status.png; with more, each
 * is named `<page>-<lang>-<width>.png`. Starts a fresh local stack in a temporary folder on a
 * manual clock, files a few complaints, lets one miss its investigation deadline (escalated),
 * moves others along, and photographs the console signed in as a supervisor with the
 * escalated complaint open (taken by the supervisor, a call logged, the same customer's earlier
 * complaint linked, a phone-only customer's call to make), and the status page of a complaint
 * awaiting the customer's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ManualClock } from '../functions/domain/clock.js';
import { launchChromium } from './chromium.js';
import { ROOT_DIR, startLocalStack } from './stack.js';

const { values } = parseArgs({
  options: {
    lang: { type: 'string', default: 'en' },
    width: { type: 'string', default: '1280' },
    'out-dir': { type: 'string', default: join(ROOT_DIR, 'docs') },
  },
});
const languages = values.lang.split(',');
const widths = values.width.split(',').map(Number);
const outDir = resolve(values['out-dir']);
const fileName = (page: string, lang: string, width: number) =>
  join(outDir, languages.length * widths.length === 1 ? `${page}.png` : `${page}-${lang}-${width}.png`);

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'complaints-shot-'));
const clock = new ManualClock('2026-11-23T09:30:00+08:00');
const stack = await startLocalStack({
  port: await freePort(),
  mailboxPort: await freePort(),
  dynamodbPort: await freePort(),
  sfnPort: await freePort(),
  dataDir,
  clock,
});
const browser = await launchChromium();
try {
  const base = stack.urls.api;
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  const token = async (role: string, department?: string, name?: string) =>
    (await call('POST', '/local/sign-in', { role, department, name })).token as string;
  const agent = await token('agent', undefined, 'Zhou Min');
  const waiting = (id: string, step: string, level = 0) =>
    until(async () => {
      const c = await call('GET', `/staff/complaints/${id}`, undefined, agent);
      return c.pending?.step === step && !c.pending.claimed && c.pending.escalationLevel >= level
        ? c
        : undefined;
    }, `${id} at ${step}`);
  const tokens: Record<string, string> = {};
  const file = async (
    name: string,
    email: string,
    subject: string,
    description: string,
    category?: string,
  ) => {
    const created = await call('POST', '/complaints', {
      customer: { name, email, language: 'en' },
      subject,
      description,
      ...(category ? { category } : {}),
    });
    tokens[created.id] = created.accessToken;
    return created.id as string;
  };

  // the same customer complained before (the record links the two)
  await file(
    'Huang Lei',
    'huang.lei@example.com',
    'Wrong colour delivered',
    'I ordered the grey sofa cover and received a beige one.',
    'delivery',
  );
  // one that misses its investigation deadline and is escalated
  const late = await file(
    'Huang Lei',
    'huang.lei@example.com',
    'Refund for a cancelled order has not arrived',
    'I cancelled order 55102 on 10 November and was promised a refund within 3 days. Nothing has arrived.',
    'price',
  );
  const lateStep = await waiting(late, 'investigation');
  clock.set(new Date(Date.parse(lateStep.pending.dueAt) + 30 * 60_000));
  await waiting(late, 'investigation', 1);

  // others, at other stages
  const fresh = await file(
    'Lin Yu',
    'lin.yu@example.com',
    'Rude staff at the Xuhui store',
    'A staff member shouted at my mother at the checkout.',
    'service',
  );
  const atProposal = await file(
    'Guo Qiang',
    'guo.qiang@example.com',
    'Fridge delivered with a dent',
    'The fridge door has a large dent; the driver left before I could check.',
    'delivery',
  );
  const atReview = await file(
    'Ma Li',
    'ma.li@example.com',
    'Charged twice for one order',
    'My card was charged 2 × 1,299 CNY for order 66120.',
    'price',
  );
  for (const [id, dept, category] of [
    [atProposal, 'logistics', 'delivery'],
    [atReview, 'billing', 'price'],
  ] as const) {
    await waiting(id, 'investigation');
    await call(
      'POST',
      `/staff/complaints/${id}/investigation`,
      {
        valid: true,
        category,
        severity: 'general',
        department: dept,
        findings: 'Confirmed from the order records.',
      },
      agent,
    );
  }
  await waiting(atReview, 'proposal');
  await call(
    'POST',
    `/staff/complaints/${atReview}/proposal`,
    { plan: 'Refund the duplicate charge of 1,299 CNY within 2 working days.' },
    await token('department', 'billing'),
  );
  await waiting(atReview, 'review');
  await waiting(atProposal, 'proposal');
  await waiting(fresh, 'investigation');
  // a customer with a phone number only: what an email would tell them becomes a call to make
  const phoneOnly = await call('POST', '/complaints', {
    customer: { name: 'Zhou Min', phone: '+86 138 0013 8000', language: 'zh-CN' },
    subject: 'Warranty repair not booked',
    description: 'I asked for a repair visit twice by phone; nobody has called back.',
    category: 'product',
  });
  await waiting(phoneOnly.id, 'investigation');
  clock.advance(2 * 3600_000);

  const supervisor = await token('supervisor', undefined, 'Chen Hui');
  // the supervisor takes the late one and notes a call with the customer
  await call('POST', `/staff/complaints/${late}/assign`, { assignee: 'me' }, supervisor);
  await call(
    'POST',
    `/staff/complaints/${late}/notes`,
    { kind: 'call', text: 'Called Mr Huang: the refund is being traced with the payment provider.' },
    supervisor,
  );
  for (const lang of languages) {
    for (const width of widths) {
      const context = await browser.newContext({
        viewport: { width, height: width < 600 ? 844 : 900 },
        deviceScaleFactor: 1,
        locale: lang,
      });
      const page = await context.newPage();
      await context.addInitScript((t) => localStorage.setItem('complaints.staffToken', t), supervisor);
      await page.goto(`${base}/console.html?lang=${lang}#${late}`);
      await page.locator('#action-form').waitFor({ state: 'visible' });
      await page.locator('#queue li button').first().waitFor();
      await page.locator('.history-list li').first().waitFor();
      await page.screenshot({ path: fileName('console', lang, width), fullPage: true });
      console.log(`wrote ${fileName('console', lang, width)}`);
      await context.close();
    }
  }

  // the status page of a complaint waiting for the customer's answer to the plan
  await call('POST', `/staff/complaints/${atReview}/review`, { approved: true }, supervisor);
  await waiting(atReview, 'customer_decision');
  for (const lang of languages) {
    for (const width of widths) {
      const context = await browser.newContext({
        viewport: { width, height: width < 600 ? 844 : 900 },
        deviceScaleFactor: 1,
        locale: lang,
      });
      const page = await context.newPage();
      await page.goto(`${base}/status.html?id=${atReview}&lang=${lang}#token=${tokens[atReview]}`);
      await page.locator('#decision').waitFor({ state: 'visible' });
      await page.screenshot({ path: fileName('status', lang, width), fullPage: true });
      console.log(`wrote ${fileName('status', lang, width)}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
