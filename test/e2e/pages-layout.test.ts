/**
 * Every page state at a desktop (1,280×800) and a phone (390×844) viewport, in zh-CN and en:
 * nothing wider than the screen (no horizontal scroll), and axe-core (injected into the page)
 * finds no violation of moderate impact or worse. One local stack and one browser for the file;
 * the complaints are filed and moved along once, through the API.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, describe as vitestDescribe } from 'vitest';
import { launchChromium } from '../../local/chromium.js';
import { browserForTests, type E2EStack, startE2EStack, waitFor } from './support.js';

const BROWSER = await browserForTests();
/** Every suite here needs the browser: skipped (with the one-line reason above) without one. */
const describe = vitestDescribe.skipIf(!BROWSER.ok);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const LANGUAGES = ['zh-CN', 'en'] as const;

let e2e: E2EStack;
let browser: Browser;
/** complaints waiting on the customer's decision, on their survey, closed, and found not valid */
const complaints: Record<'decision' | 'survey' | 'closed' | 'rejected', { id: string; token: string }> =
  {} as never;
/** the rejected complaint's opinion: one long unbroken word, which must wrap on a phone */
const LONG_OPINION = `经调查，该订单已按约定时间送达并签收。详见 https://example.com/${'a'.repeat(120)}`;
/** a phone-only customer's complaint, registered by an agent: its acknowledgement is a call task */
let phoneOnly: string;

async function fileAndWait(subject: string) {
  const { api } = e2e;
  const created = await api.post('/complaints', {
    customer: { name: '陈静', email: `${subject.replace(/\W/g, '')}@example.com`, language: 'zh-CN' },
    subject,
    description: '收到的商品外包装破损，里面的杯子碎了两个。订单号 A-20261123-0042。',
    channel: 'web',
  });
  expect(created.status).toBe(201);
  const agent = await api.signIn('agent');
  await api.waitForStep(created.body.id, 'investigation', agent);
  return { id: created.body.id as string, token: created.body.accessToken as string, agent };
}

/** Moves a complaint from its investigation to the customer's decision. */
async function toDecision(id: string, agent: string) {
  const { api } = e2e;
  const body = {
    valid: true,
    category: 'delivery',
    severity: 'general',
    department: 'logistics',
    findings: '运输途中挤压。',
  };
  expect((await api.post(`/staff/complaints/${id}/investigation`, body, agent)).status).toBe(202);
  const logistics = await api.signIn('department', 'logistics');
  await api.waitForStep(id, 'proposal', logistics);
  const plan = '补发两个同款杯子，并退还运费 12 元。';
  expect((await api.post(`/staff/complaints/${id}/proposal`, { plan }, logistics)).status).toBe(202);
  const supervisor = await api.signIn('supervisor');
  await api.waitForStep(id, 'review', supervisor);
  expect((await api.post(`/staff/complaints/${id}/review`, { approved: true }, supervisor)).status).toBe(202);
  await api.waitForStep(id, 'customer_decision', agent);
}

async function toSurvey(id: string, token: string, agent: string) {
  const { api } = e2e;
  expect((await api.post(`/complaints/${id}/decision`, { accept: true }, token)).status).toBe(202);
  const logistics = await api.signIn('department', 'logistics');
  await api.waitForStep(id, 'implementation', logistics);
  const done = {
    result: '已补发两个杯子（快递单号 SF1234567890），运费已退回。',
    basis: '《售后服务规范》第 4.2 条。',
  };
  expect((await api.post(`/staff/complaints/${id}/implementation`, done, logistics)).status).toBe(202);
  await waitFor(async () => {
    const view = await api.get(`/complaints/${id}`, token);
    return view.body.awaiting?.action === 'survey' || undefined;
  }, 'the survey to open');
  void agent;
}

beforeAll(async () => {
  if (!BROWSER.ok) return;
  [e2e, browser] = await Promise.all([startE2EStack(), launchChromium()]);
  const [decision, survey, closed, rejected] = await Promise.all([
    fileAndWait('快递破损 decision'),
    fileAndWait('快递破损 survey'),
    fileAndWait('快递破损 closed'),
    fileAndWait('快递破损 rejected'),
  ]);
  const notValid = {
    valid: false,
    category: 'delivery',
    severity: 'minor',
    findings: '签收记录完整。',
    opinion: LONG_OPINION,
  };
  expect(
    (await e2e.api.post(`/staff/complaints/${rejected.id}/investigation`, notValid, rejected.agent)).status,
  ).toBe(202);
  await Promise.all([
    toDecision(decision.id, decision.agent),
    toDecision(survey.id, survey.agent),
    toDecision(closed.id, closed.agent),
  ]);
  await Promise.all([
    toSurvey(survey.id, survey.token, survey.agent),
    toSurvey(closed.id, closed.token, closed.agent),
  ]);
  expect((await e2e.api.post(`/complaints/${closed.id}/survey`, { rating: 5 }, closed.token)).status).toBe(
    202,
  );
  await waitFor(async () => {
    const view = await e2e.api.get(`/complaints/${closed.id}`, closed.token);
    return view.body.stage === 'closed' || undefined;
  }, 'the complaint to close');
  const registered = await e2e.api.post(
    '/staff/complaints',
    {
      customer: { name: '赵磊', phone: '+86 138 0013 8000', language: 'zh-CN' },
      subject: '电话投诉：安装师傅未按约上门',
      description: '约好周六上午安装空调，师傅没有来，也没有电话通知。',
      channel: 'phone',
    },
    decision.agent,
  );
  expect(registered.status).toBe(201);
  phoneOnly = registered.body.id;
  await waitFor(async () => {
    const queue = await e2e.api.get('/staff/call-tasks', decision.agent);
    return queue.body.items?.some((t: { complaintId: string }) => t.complaintId === phoneOnly) || undefined;
  }, "the phone-only customer's acknowledgement to become a call task");
  complaints.decision = { id: decision.id, token: decision.token };
  complaints.survey = { id: survey.id, token: survey.token };
  complaints.closed = { id: closed.id, token: closed.token };
  await waitFor(async () => {
    const view = await e2e.api.get(`/complaints/${rejected.id}`, rejected.token);
    return view.body.opinion === LONG_OPINION || undefined;
  }, "the rejected complaint's opinion");
  complaints.rejected = { id: rejected.id, token: rejected.token };
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await e2e?.dispose();
}, 60_000);

interface Finding {
  state: string;
  overflow?: { scrollWidth: number; clientWidth: number; widest: string[] };
  violations?: { id: string; impact: string; nodes: string[] }[];
}

/** Checks the page as it stands: horizontal overflow and axe's moderate-or-worse violations. */
async function check(page: Page, state: string, findings: Finding[]): Promise<void> {
  const overflow = await page.evaluate(() => {
    const doc = document.documentElement;
    const scrollWidth = Math.max(doc.scrollWidth, document.body.scrollWidth);
    const widest = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${Array.from(el.classList).join('.')}`,
      );
    return { scrollWidth, clientWidth: doc.clientWidth, widest };
  });
  if (overflow.scrollWidth > overflow.clientWidth) findings.push({ state, overflow });
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => ['moderate', 'serious', 'critical'].includes(v.impact))
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
  });
  if (violations.length > 0) findings.push({ state, violations });
}

async function visit(context: BrowserContext, lang: string, findings: Finding[]): Promise<void> {
  const urls = e2e.stack.urls;
  const page = await context.newPage();
  try {
    // the complaint form: empty, with field errors, filed
    await page.goto(`${urls.form}?lang=${lang}`);
    await page.locator('#complaint-form').waitFor();
    await check(page, 'form', findings);
    await page.click('#send');
    await page.locator('#name-error:not(:empty)').waitFor();
    await check(page, 'form with errors', findings);
    await page.fill('#name', '陈静');
    await page.fill('#email', 'chen.jing@example.com');
    await page.fill('#subject', '发票抬头错误');
    await page.fill('#description', '发票抬头应为“上海示例贸易有限公司”。');
    await page.check('#privacy-consent');
    await page.click('#send');
    await page.locator('#done-card').waitFor({ state: 'visible' });
    await check(page, 'form filed', findings);

    // the status page: without a link, awaiting the decision (declining shows its hint), survey, closed
    await page.goto(`${urls.status}?lang=${lang}`);
    await page.locator('#page-error:not(:empty)').waitFor();
    await check(page, 'status without a link', findings);
    for (const [state, c] of Object.entries(complaints)) {
      await page.goto(`${urls.status}?id=${c.id}&lang=${lang}#token=${c.token}`);
      await page.locator('#summary').waitFor({ state: 'visible' });
      if (state !== 'decision') await page.locator('#conversation').waitFor({ state: 'visible' });
      await check(page, `status: ${state}`, findings);
      if (state === 'decision') {
        await page.click('#decline');
        await page.locator('#decision-comment-error:not(:empty)').waitFor();
        await check(page, 'status: declining without a reason', findings);
      }
    }

    // the console: sign-in, queues, search, a complaint's record with its action form, registering, reports
    await page.goto(`${urls.console}?lang=${lang}`);
    await page.locator('#local-sign-in').waitFor({ state: 'visible' });
    await check(page, 'console sign-in', findings);
    await page.selectOption('#role', 'manager');
    await page.click('#local-sign-in button[type=submit]');
    await page.locator('#console-view').waitFor({ state: 'visible' });
    await page.locator('#queue li').first().waitFor();
    await check(page, 'console queues', findings);
    // the search box: a reference as typed finds the closed complaint among the queues' rows
    await page.fill('#search-q', complaints.closed.id.toLowerCase());
    await page.click('#search button[type=submit]');
    await page.locator('#search-list li button').first().waitFor();
    await check(page, 'console search', findings);
    await page.click('#search-results .link-button');
    await page.locator('#queue li').first().waitFor();
    // the calls to make, one opened to read the notice's text
    await page.locator('#call-list li.call-task summary').first().click();
    await page.locator('#call-list .call-text').first().waitFor({ state: 'visible' });
    await check(page, 'console calls to make', findings);
    await page.goto(`${urls.console}?lang=${lang}#${complaints.decision.id}`);
    await page.locator('#action-form').waitFor();
    await check(page, 'console record (decision)', findings);
    await page.goto(`${urls.console}?lang=${lang}#${complaints.closed.id}`);
    await page.locator('#detail h2').first().waitFor();
    await page.locator('.history-list li').first().waitFor();
    await check(page, 'console record (closed)', findings);
    await page.click('#open-register');
    await page.locator('#r-name').waitFor();
    await check(page, 'console register', findings);
    await page.click('#open-reports');
    await page.locator('table.report').first().waitFor();
    await check(page, 'console reports', findings);
  } finally {
    await page.close();
  }
}

describe('pages at 1,280 and 390 px, zh-CN and en: no horizontal scroll, no axe violation (moderate+)', () => {
  it('the check itself sees a page wider than the screen and an image without a text alternative', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const findings: Finding[] = [];
    try {
      const page = await context.newPage();
      await page.setContent(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1><img src="data:,"><p id="wide" style="width:600px">x</p></main></body></html>',
      );
      await check(page, 'broken on purpose', findings);
    } finally {
      await context.close();
    }
    expect(findings.map((f) => f.overflow?.widest ?? f.violations?.map((v) => v.id))).toEqual([
      ['p#wide.'],
      ['image-alt'],
    ]);
  });

  for (const viewport of VIEWPORTS) {
    for (const lang of LANGUAGES) {
      it(`${viewport.name} ${viewport.width}×${viewport.height}, ${lang}`, async () => {
        const context = await browser.newContext({
          viewport: { width: viewport.width, height: viewport.height },
          locale: lang === 'en' ? 'en-US' : 'zh-CN',
          // axe is injected as an inline script, which the pages' CSP would refuse
          bypassCSP: true,
        });
        const findings: Finding[] = [];
        try {
          await visit(context, lang, findings);
        } finally {
          await context.close();
        }
        expect(findings).toEqual([]);
      }, 120_000);
    }
  }
});

describe('the calls to make', () => {
  it("one click logs the call: the task leaves the list and the complaint's history shows both", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.urls.console}?lang=zh-CN`);
      await page.locator('#local-sign-in').waitFor({ state: 'visible' });
      await page.selectOption('#role', 'agent');
      await page.click('#local-sign-in button[type=submit]');
      const task = page.locator('#call-list li.call-task', { hasText: phoneOnly });
      await task.waitFor();
      await task.locator('a[href^="tel:"]').waitFor();
      expect(await task.locator('a[href^="tel:"]').getAttribute('href')).toBe('tel:+8613800138000');
      await task.getByRole('button', { name: /已致电/ }).click();
      await task.waitFor({ state: 'detached' });
      await page.goto(`${e2e.stack.urls.console}?lang=zh-CN#${phoneOnly}`);
      await page.locator('.history-list li', { hasText: '电话任务已完成' }).waitFor();
      await page.locator('.history-list li', { hasText: '已生成电话任务' }).waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});
