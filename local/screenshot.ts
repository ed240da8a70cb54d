/**
 * Takes docs/console.png (the staff console, for the README) with Chromium (local/chromium.ts):
 * `npx tsx local/screenshot.ts [out.png] [--lang zh-CN|en]`. Starts a fresh local stack in a
 * temporary folder on a manual clock, files a few complaints, lets one miss its
 * investigation deadline (escalated), moves others along, and photographs the console
 * signed in as a supervisor with the escalated complaint open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ManualClock } from '../functions/domain/clock.js';
import { launchChromium } from './chromium.js';
import { ROOT_DIR, startLocalStack } from './stack.js';

const { values, positionals } = parseArgs({
  options: { lang: { type: 'string', default: 'en' } },
  allowPositionals: true,
});
const out = resolve(positionals[0] ?? join(ROOT_DIR, 'docs/console.png'));

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
  const file = async (name: string, email: string, subject: string, description: string, category?: string) =>
    (
      await call('POST', '/complaints', {
        customer: { name, email, language: 'en' },
        subject,
        description,
        ...(category ? { category } : {}),
      })
    ).id as string;

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
  clock.advance(2 * 3600_000);

  const context = await browser.newContext({
    viewport: { width: 1440, height: 960 },
    deviceScaleFactor: 1,
    locale: values.lang,
  });
  const supervisor = await token('supervisor', undefined, 'Chen Hui');
  const page = await context.newPage();
  await context.addInitScript((t) => localStorage.setItem('complaints.staffToken', t), supervisor);
  await page.goto(`${base}/console.html?lang=${values.lang}#${late}`);
  await page.locator('#action-form').waitFor({ state: 'visible' });
  await page.locator('#queue li button').first().waitFor();
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
  await context.close();
} finally {
  await browser.close();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
