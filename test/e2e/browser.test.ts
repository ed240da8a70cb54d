/**
 * The pages in a real browser (Chromium through playwright-core, found by local/chromium.ts:
 * CHROMIUM_PATH, an installed one, or @sparticuz/chromium's): a customer files a complaint
 * through the form, then opens the status page from the acknowledgement email's link.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, describe as vitestDescribe } from 'vitest';
import { launchChromium } from '../../local/chromium.js';
import {
  browserForTests,
  type E2EStack,
  startE2EStack,
  statusLink,
  waitFor,
  waitForMail,
} from './support.js';

const BROWSER = await browserForTests();
/** Every suite here needs the browser: skipped (with the one-line reason above) without one. */
const describe = vitestDescribe.skipIf(!BROWSER.ok);

let e2e: E2EStack;
let browser: Browser;

beforeAll(async () => {
  if (!BROWSER.ok) return;
  [e2e, browser] = await Promise.all([startE2EStack(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await e2e?.dispose();
}, 60_000);

/** Files a complaint through the API and waits until its investigation step is open. */
async function complaintAtInvestigation(
  body: Record<string, unknown>,
): Promise<{ id: string; accessToken: string; agentToken: string }> {
  const created = await e2e.api.post('/complaints', body);
  expect(created.status).toBe(201);
  const { id, accessToken } = created.body;
  const agentToken = await e2e.api.signIn('agent');
  await e2e.api.waitForStep(id, 'investigation', agentToken);
  return { id, accessToken, agentToken };
}

/** Signs in on the console page with the local sign-in form. */
async function signInToConsole(page: Page, role: string, department?: string): Promise<void> {
  await page.selectOption('#role', role);
  if (department) await page.selectOption('#sign-in-department', department);
  await page.click('#local-sign-in button[type=submit]');
}

describe('the complaint form and the status page in Chromium', () => {
  it('shows field errors inline, files the complaint, and the email link opens its status', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    try {
      await page.goto(e2e.stack.urls.form);
      await expect.poll(() => page.locator('h1#form-title').textContent()).toBe('提交投诉');

      // switch to English; a phone number the API refuses shows its message next to the field
      await page.click('#lang');
      await expect.poll(() => page.locator('h1#form-title').textContent()).toBe('Make a complaint');
      await page.fill('#name', 'Sun Li');
      await page.fill('#phone', 'call me maybe');
      await page.fill('#subject', 'Wrong size delivered');
      await page.fill('#description', 'I ordered size M and received size XL (order 4471).');
      await page.selectOption('#category', 'product');
      await page.check('#privacy-consent');
      await page.click('#send');
      await expect.poll(() => page.locator('#phone-error').textContent()).toContain('phone number');
      expect(await page.getAttribute('#phone', 'aria-invalid')).toBe('true');

      // corrected, it goes through
      await page.fill('#phone', '');
      await page.fill('#email', 'sun.li@example.com');
      await page.selectOption('#language', 'en');
      await page.click('#send');
      await page.locator('#done-card').waitFor({ state: 'visible' });
      const reference = (await page.locator('#done-ref').textContent())?.trim() ?? '';
      expect(reference).toMatch(/^C\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

      // the acknowledgement email's link opens the status page, in a fresh browser context
      const ack = await waitForMail(
        e2e.stack.urls.mailbox,
        'sun.li@example.com',
        1,
        'the acknowledgement email',
      );
      const link = statusLink(ack);
      expect(link.searchParams.get('id')).toBe(reference);
      const reader = await browser.newContext({ locale: 'en-US' });
      try {
        const statusPage = await reader.newPage();
        await statusPage.goto(`${link.href.split('#')[0]}&lang=en#${link.hash.slice(1)}`);
        await statusPage.locator('#summary').waitFor({ state: 'visible' });
        expect(await statusPage.locator('#ref').textContent()).toBe(reference);
        expect(await statusPage.locator('#subject').textContent()).toBe('Wrong size delivered');
        expect(await statusPage.locator('#stage').textContent()).not.toBe('');
        expect(await statusPage.locator('#timeline li').count()).toBeGreaterThan(0);
        // the token left the address bar (kept in localStorage for this complaint)
        expect(new URL(statusPage.url()).hash).toBe('');
        await statusPage.reload();
        await statusPage.locator('#summary').waitFor({ state: 'visible' });
        expect(await statusPage.locator('#ref').textContent()).toBe(reference);
      } finally {
        await reader.close();
      }
    } finally {
      await page.close();
    }
  }, 90_000);
});

describe('the complaint form: switching language', () => {
  it('keeps what was typed and shows the field errors again in the new language, focus staying put', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      await page.goto(e2e.stack.urls.form);
      await page.fill('#subject', '发票开错了');
      await page.click('#send');
      await expect.poll(() => page.locator('#name-error').textContent()).toBe('请填写姓名。');
      expect(await page.locator('#description-error').textContent()).toBe('请描述发生的情况。');

      await page.click('#lang');
      await expect.poll(() => page.locator('#name-error').textContent()).toBe('Enter your name.');
      expect(await page.locator('#description-error').textContent()).toBe('Describe what happened.');
      expect(await page.locator('#subject-error').textContent()).toBe('');
      expect(await page.inputValue('#subject')).toBe('发票开错了');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('lang');

      // an error the API gave follows the language too, and one already corrected does not come back
      await page.fill('#name', 'Sun Li');
      await page.fill('#phone', 'call me maybe');
      await page.fill('#description', 'Wrong company name on the invoice.');
      await page.check('#privacy-consent');
      await page.click('#send');
      await expect.poll(() => page.locator('#phone-error').textContent()).toContain('phone number');
      await page.click('#lang');
      await expect.poll(() => page.locator('#phone-error').textContent()).toContain('手机号码格式不正确');
      await page.fill('#phone', '13800138000');
      await page.click('#lang');
      await expect.poll(() => page.locator('h1#form-title').textContent()).toBe('Make a complaint');
      expect(await page.locator('#phone-error').textContent()).toBe('');
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the complaint form when sending fails', () => {
  it('throttled or offline: a message in the page language, the same Idempotency-Key on retry, one request per click', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      const keys: string[] = [];
      let answer: 'throttle' | 'offline' | 'pass' = 'throttle';
      await page.route('**/complaints', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        keys.push(route.request().headers()['idempotency-key'] ?? '');
        if (answer === 'throttle') {
          // what API Gateway's throttling answers
          return route.fulfill({
            status: 429,
            contentType: 'application/json',
            body: '{"message":"Too Many Requests"}',
          });
        }
        if (answer === 'offline') return route.abort('internetdisconnected');
        return route.continue();
      });
      await page.goto(e2e.stack.urls.form);
      await page.fill('#name', '钱多多');
      await page.fill('#email', 'qian.duoduo@example.com');
      await page.fill('#subject', '快递延误');
      await page.fill('#description', '订单 8812 已经延误五天。');
      await page.check('#privacy-consent');
      await page.click('#send');
      await expect
        .poll(() => page.locator('#form-error').textContent())
        .toBe('请求过于频繁，请稍等片刻再试。');
      expect(await page.locator('#send').isEnabled()).toBe(true);

      answer = 'offline';
      await page.click('#send');
      await expect.poll(() => page.locator('#form-error').textContent()).toContain('无法连接服务');

      answer = 'pass';
      await page.locator('#send').dblclick();
      await page.locator('#done-card').waitFor({ state: 'visible' });
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the status page in Chromium', () => {
  it('a wrong token: one clear message, nothing of the complaint, the token out of the address', async () => {
    const created = await e2e.api.post('/complaints', {
      customer: { name: 'Wu Fang', email: 'wu.fang@example.com' },
      subject: 'Secret subject 7731',
      description: 'Nobody without the link may read this.',
    });
    expect(created.status).toBe(201);
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.urls.status}?id=${created.body.id}&lang=en#token=wrong-token`);
      await expect.poll(() => page.locator('#page-error').textContent()).not.toBe('');
      const text = (await page.locator('body').textContent()) ?? '';
      expect(text).not.toContain('Secret subject 7731');
      expect(await page.locator('#summary').isHidden()).toBe(true);
      expect(new URL(page.url()).hash).toBe('');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-error');
    } finally {
      await context.close();
    }
  }, 60_000);

  it("the survey: the API's rating error shows under the rating, not under the comment", async () => {
    const id = 'C2611-SURV-EY01';
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.route(`**/complaints/${id}`, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            id,
            subject: 'Late parcel',
            stage: 'follow_up',
            createdAt: '2026-11-23T01:00:00.000Z',
            replyDueBy: '2026-11-30T10:00:00.000Z',
            awaiting: { action: 'survey', dueAt: '2026-12-07T10:00:00.000Z' },
            timeline: [],
          }),
        }),
      );
      await page.route(`**/complaints/${id}/survey`, (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'validation_failed',
              message: 'The request is not valid.',
              details: [{ path: 'rating', code: 'too_big', message: 'Must be a whole number from 1 to 5.' }],
            },
          }),
        }),
      );
      await page.goto(`${e2e.stack.urls.status}?id=${id}&lang=en#token=t`);
      await page.locator('#survey').waitFor({ state: 'visible' });
      await page.click('#survey-form label:has(input[value="4"])');
      await page.click('#survey-send');
      await expect
        .poll(() => page.locator('#rating-error').textContent())
        .toBe('Choose a rating from 1 to 5.');
      expect(await page.locator('#survey-comment-error').textContent()).toBe('');
      expect(await page.getAttribute('#survey-comment', 'aria-invalid')).toBeNull();
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe(
        'rating',
      );
    } finally {
      await context.close();
    }
  }, 60_000);

  it('switches language on a link with ?lang=, and declining needs a reason shown inline; the plan is text, not HTML', async () => {
    const { api } = e2e;
    const email = 'he.jun@example.com';
    const {
      id,
      accessToken,
      agentToken: agent,
    } = await complaintAtInvestigation({
      customer: { name: 'He Jun', email, language: 'en' },
      subject: 'Broken kettle',
      description: 'The kettle leaks from the base after two days.',
    });
    const investigated = await api.post(
      `/staff/complaints/${id}/investigation`,
      {
        valid: true,
        category: 'product',
        severity: 'minor',
        department: 'quality',
        findings: 'Seal defect.',
      },
      agent,
    );
    expect(investigated.status).toBe(202);
    const quality = await api.signIn('department', 'quality');
    await api.waitForStep(id, 'proposal', quality);
    const plan = '<img src=x onerror="window.__xss=1">Replace the kettle';
    expect((await api.post(`/staff/complaints/${id}/proposal`, { plan }, quality)).status).toBe(202);
    const supervisor = await api.signIn('supervisor');
    await api.waitForStep(id, 'review', supervisor);
    expect((await api.post(`/staff/complaints/${id}/review`, { approved: true }, supervisor)).status).toBe(
      202,
    );
    await waitFor(async () => {
      const view = await api.get(`/complaints/${id}`, accessToken);
      return view.body.awaiting?.action === 'decision' || undefined;
    }, 'the customer view to await a decision');

    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.urls.status}?id=${id}&lang=en#token=${accessToken}`);
      await page.locator('#decision').waitFor({ state: 'visible' });
      expect(await page.locator('#plan').textContent()).toBe(plan);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator('#decision-title').textContent()).toBe('Proposed solution');

      // the language switch works although the address says lang=en, and keeps what was typed
      await page.fill('#decision-comment', 'draft');
      await page.click('#lang');
      await expect.poll(() => page.locator('#decision-title').textContent()).toBe('处理方案');
      expect(await page.locator('#decision-comment').inputValue()).toBe('draft');
      await page.reload();
      await page.locator('#decision').waitFor({ state: 'visible' });
      expect(await page.locator('#decision-title').textContent()).toBe('处理方案');
      await page.click('#lang');
      await expect.poll(() => page.locator('#decision-title').textContent()).toBe('Proposed solution');

      // declining without a reason: the message at the field, focus on it, nothing sent
      await page.fill('#decision-comment', '');
      await page.click('#decline');
      await expect.poll(() => page.locator('#decision-comment-error').textContent()).not.toBe('');
      expect(await page.getAttribute('#decision-comment', 'aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('decision-comment');
      expect((await api.get(`/complaints/${id}`, accessToken)).body.awaiting?.action).toBe('decision');

      // with a reason it goes through
      const reason = 'I would rather have a refund.';
      await page.fill('#decision-comment', reason);
      await page.click('#decline');
      await expect
        .poll(async () => (await api.staffGet(id, agent)).stage, { timeout: 15_000 })
        .toBe('proposal');

      // a second plan, approved: the conversation shows both plans and the reason, in order
      await api.waitForStep(id, 'proposal', quality);
      const plan2 = 'Refund the kettle in full (39.90 EUR).';
      expect((await api.post(`/staff/complaints/${id}/proposal`, { plan: plan2 }, quality)).status).toBe(202);
      await api.waitForStep(id, 'review', supervisor);
      expect((await api.post(`/staff/complaints/${id}/review`, { approved: true }, supervisor)).status).toBe(
        202,
      );
      await waitFor(async () => {
        const view = await api.get(`/complaints/${id}`, accessToken);
        return (view.body.awaiting?.action === 'decision' && view.body.proposal?.plan === plan2) || undefined;
      }, 'the second plan to await a decision');
      await page.reload();
      await page.locator('#conversation').waitFor({ state: 'visible' });
      const items = page.locator('#messages > li');
      await expect.poll(() => items.count()).toBe(3);
      expect(await page.locator('#conversation-title').textContent()).toBe('Our conversation');
      const first = (await items.nth(0).textContent()) ?? '';
      expect(first).toContain('Us');
      expect(first).toContain(plan);
      const second = (await items.nth(1).textContent()) ?? '';
      expect(second).toContain('You declined the solution.');
      expect(second).toContain(reason);
      expect(await items.nth(2).textContent()).toContain(plan2);
      // the local time of each message, as a machine-readable <time>
      expect(await items.nth(1).locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      await page.click('#lang');
      await expect.poll(() => page.locator('#conversation-title').textContent()).toBe('我们的沟通');
      const secondZh = (await items.nth(1).textContent()) ?? '';
      expect(secondZh).toContain('您没有接受该方案。');
      expect(secondZh).toContain('您的理由');
      expect(secondZh).toContain(reason);
      expect(await items.nth(0).textContent()).toContain('我们');
    } finally {
      await context.close();
    }
  }, 90_000);
});

describe('the staff console in Chromium', () => {
  it('signs in locally, shows the queue, and takes the step the role is allowed to take', async () => {
    const { api } = e2e;
    const { id, agentToken } = await complaintAtInvestigation({
      customer: { name: 'Qian Wei', email: 'qian.wei@example.com' },
      subject: 'Courier left the parcel in the rain',
      description: 'The box was soaked and the books inside are ruined.',
    });

    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.urls.console}?lang=en`);
      await signInToConsole(page, 'agent');
      const row = page.locator('#queue li button', { hasText: id });
      await row.waitFor();
      await row.click();
      await page.locator('#action-form').waitFor({ state: 'visible' });
      expect(await page.locator('#detail h2').first().textContent()).toContain(id);

      // submitted empty, the API's field errors show next to the fields
      await page.click('#action-form button[type=submit]');
      await expect.poll(() => page.locator('#f-findings-error').textContent()).not.toBe('');

      await page.check('#action-form input[name="valid"][value="true"]');
      await page.selectOption('#f-category', 'delivery');
      await page.selectOption('#f-severity', 'minor');
      await page.selectOption('#f-department', 'logistics');
      await page.fill('#f-findings', 'Left outside during a storm; courier admitted it.');
      await page.click('#action-form button[type=submit]');
      // the journey moves on: the agent may not propose, so no form, and the history has the investigation
      await expect
        .poll(async () => (await api.staffGet(id, agentToken)).pending?.step, { timeout: 15_000 })
        .toBe('proposal');
      await expect
        .poll(() => page.locator('#detail').textContent(), { timeout: 15_000 })
        .toContain('Another role takes this step');
      expect(await page.locator('#detail').textContent()).toContain('recorded the investigation');

      // the responsible department sees it in its proposal queue, with the form
      await page.click('#sign-out');
      await signInToConsole(page, 'department', 'logistics');
      await page.click('#tab-proposal');
      await page.locator('#queue li button', { hasText: id }).click();
      await page.locator('#f-plan').waitFor({ state: 'visible' });
    } finally {
      await context.close();
    }
  }, 90_000);

  it("shows a 409 as the API's message (which step, what stage), not a generic line", async () => {
    const { id } = await complaintAtInvestigation({
      customer: { name: 'Lin Tao', email: 'lin.tao@example.com' },
      subject: 'Wrong colour',
      description: 'Ordered blue, got green.',
    });
    const apiMessage =
      'This complaint is at proposal, not investigation: the investigation was already recorded.';

    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      // the answer another agent's earlier investigation would give
      await page.route(`**/staff/complaints/${id}/investigation`, (route) =>
        route.fulfill({
          status: 409,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'wrong_stage', message: apiMessage } }),
        }),
      );
      await page.goto(`${e2e.stack.urls.console}?lang=en#${id}`);
      await signInToConsole(page, 'agent');
      await page.locator('#action-form').waitFor({ state: 'visible' });
      await page.check('#action-form input[name="valid"][value="true"]');
      await page.selectOption('#f-category', 'product');
      await page.selectOption('#f-severity', 'minor');
      await page.selectOption('#f-department', 'quality');
      await page.fill('#f-findings', 'Picking error.');
      await page.click('#action-form button[type=submit]');
      await expect.poll(() => page.locator('#detail').textContent()).toContain(apiMessage);

      // in Chinese: a line for the kind of conflict, then the API's words
      await page.click('#lang');
      await page.locator('#action-form').waitFor({ state: 'visible' });
      await page.check('#action-form input[name="valid"][value="true"]');
      await page.selectOption('#f-category', 'product');
      await page.selectOption('#f-severity', 'minor');
      await page.selectOption('#f-department', 'quality');
      await page.fill('#f-findings', 'Picking error.');
      await page.click('#action-form button[type=submit]');
      await expect.poll(() => page.locator('#detail').textContent()).toContain('投诉当前不在这一步');
      expect(await page.locator('#detail').textContent()).toContain(apiMessage);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('registering while offline or on a server error: a sentence in the page language, not "network error"', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      let answer: 'offline' | 'crash' = 'offline';
      await page.route('**/staff/complaints', (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        if (answer === 'offline') return route.abort('internetdisconnected');
        return route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: '{"message":"Internal Server Error"}',
        });
      });
      await page.goto(`${e2e.stack.urls.console}?lang=zh-CN`);
      await signInToConsole(page, 'agent');
      await page.click('#open-register');
      await page.fill('#r-name', '赵雷');
      await page.fill('#r-phone', '13800138000');
      await page.fill('#r-subject', '电话投诉：安装人员迟到');
      await page.fill('#r-description', '约定上午十点，下午三点才到。');
      await page.click('#detail button[type=submit]');
      await expect
        .poll(() => page.locator('#detail .notice').first().textContent())
        .toBe('无法连接服务，请检查网络后重试。');
      answer = 'crash';
      await page.click('#detail button[type=submit]');
      await expect
        .poll(() => page.locator('#detail .notice').first().textContent())
        .toBe('服务暂时不可用，请稍后重试。');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('counts and lists every page of a queue, not only the first 100', async () => {
    const item = (n: number) => ({
      id: `C2611-Q${String(n).padStart(3, '0')}-AAAA`,
      subject: `Queued ${n}`,
      stage: 'review',
      customerName: 'X',
      pending: { step: 'review', dueAt: '2026-11-24T10:00:00.000Z', escalationLevel: 0, overdue: false },
    });
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.route('**/staff/complaints?*', (route) => {
        const url = new URL(route.request().url());
        if (url.searchParams.get('stage') !== 'review') return route.continue();
        const second = url.searchParams.get('cursor') === 'page-2';
        const items = second
          ? Array.from({ length: 30 }, (_, i) => item(100 + i))
          : Array.from({ length: 100 }, (_, i) => item(i));
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ items, ...(second ? {} : { nextCursor: 'page-2' }) }),
        });
      });
      await page.goto(`${e2e.stack.urls.console}?lang=en`);
      await signInToConsole(page, 'supervisor');
      await expect.poll(() => page.locator('#tab-review .count').textContent()).toBe('130');
      await page.click('#tab-review');
      await expect.poll(() => page.locator('#queue li').count()).toBe(130);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows the highest escalation level and each escalation (timeouts, repeated declines and reopens), past ones too', async () => {
    const id = 'C2611-ESC0-AAAA';
    const at = (d: number) => `2026-11-2${d}T02:00:00.000Z`;
    const escalations = [
      { at: at(3), level: 1, reason: 'timeout', step: 'review', missedDueAt: at(2), dueAt: at(4) },
      { at: at(4), level: 2, reason: 'timeout', step: 'review', missedDueAt: at(4), dueAt: at(5) },
      { at: at(6), level: 2, reason: 'declines', count: 3 },
      { at: at(7), level: 2, reason: 'reopens', count: 3 },
    ];
    const record = {
      id,
      subject: 'Escalated',
      description: 'x',
      stage: 'proposal',
      status: 'open',
      channel: 'web',
      customer: { name: 'Li Na', email: 'li.na@example.com', language: 'en' },
      createdAt: at(1),
      replyDueBy: at(9),
      replyDueProvisional: false,
      escalations: 4,
      maxEscalationLevel: 2,
      // the current step has not escalated: level 0 now, 2 at most
      pending: {
        step: 'proposal',
        stage: 'proposal',
        dueAt: at(9),
        firstDueAt: at(9),
        escalationLevel: 0,
        overdue: false,
        provisional: false,
        since: at(8),
        claimed: false,
      },
      escalationHistory: escalations,
      history: escalations.map((e, i) => ({
        seq: i + 2,
        at: e.at,
        type: 'escalated',
        actor: { kind: 'system' },
        stage: 'review',
        data: e,
      })),
    };
    for (const [locale, lang, expected] of [
      [
        'en-US',
        'en',
        [
          'Highest escalation level',
          'Escalations (4)',
          'declined the solution 3 times',
          'reopened 3 times',
          'escalated to level 2',
        ],
      ],
      [
        'zh-CN',
        'zh-CN',
        [
          '最高升级级别',
          '升级记录（4）'.replace('（4）', ' (4)'),
          '3 次不接受处理方案',
          '3 次重新打开',
          '升级到第 2 级',
        ],
      ],
    ] as const) {
      const context = await browser.newContext({ locale });
      try {
        const page = await context.newPage();
        await page.route(`**/staff/complaints/${id}`, (route) =>
          route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(record) }),
        );
        await page.goto(`${e2e.stack.urls.console}?lang=${lang}#${id}`);
        await signInToConsole(page, 'manager');
        await expect
          .poll(() => page.locator('#detail').textContent(), { timeout: 15_000 })
          .toContain(expected[0]);
        const detail = (await page.locator('#detail').textContent()) ?? '';
        for (const text of expected) expect(detail).toContain(text);
        // the highest level is 2 although the open step is at level 0
        const facts = await page.locator('#detail dl.facts').allTextContents();
        expect(facts.join(' ')).toMatch(lang === 'en' ? /Highest escalation level\s*2/ : /最高升级级别\s*2/);
      } finally {
        await context.close();
      }
    }
  }, 90_000);

  it('shows the opinion given to the customer next to the internal findings, and the customer sees it on the status page', async () => {
    const { api } = e2e;
    const { id, accessToken, agentToken } = await complaintAtInvestigation({
      customer: { name: 'Zhou Min', email: 'zhou.min@example.com' },
      subject: 'Charged twice',
      description: 'My card shows two charges for order 5120.',
    });
    const opinion = 'The second charge is a pre-authorisation that your bank releases within 7 days.';
    const investigated = await api.post(
      `/staff/complaints/${id}/investigation`,
      {
        valid: false,
        category: 'price',
        severity: 'minor',
        findings: 'Bank hold, not a second capture.',
        opinion,
      },
      agentToken,
    );
    expect(investigated.status).toBe(202);
    await waitFor(
      async () => (await api.staffGet(id, agentToken)).investigation?.opinion === opinion || undefined,
      'the stored opinion',
    );

    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.urls.console}?lang=en#${id}`);
      await signInToConsole(page, 'agent');
      await expect
        .poll(() => page.locator('#detail').textContent(), { timeout: 15_000 })
        .toContain('Opinion given to the customer');
      const detail = (await page.locator('#detail').textContent()) ?? '';
      expect(detail).toContain(opinion);
      expect(detail).toContain('Bank hold, not a second capture.');

      // the customer's status page: the opinion as the result, and in the conversation; never the findings
      await page.goto(`${e2e.stack.urls.status}?id=${id}&lang=en#token=${accessToken}`);
      await page.locator('#conversation').waitFor({ state: 'visible' });
      expect(await page.locator('#opinion-text').textContent()).toBe(opinion);
      expect(await page.locator('#opinion').isVisible()).toBe(true);
      expect(await page.locator('#result-text').isVisible()).toBe(false);
      const message = (await page.locator('#messages > li').allTextContents()).join(' ');
      expect(message).toContain(opinion);
      expect(message).toContain('Our opinion after looking into your complaint');
      expect(await page.locator('main').textContent()).not.toContain('Bank hold');
      await page.click('#lang');
      await expect.poll(() => page.locator('#opinion-title').textContent()).toBe('我们的调查意见');
      expect(await page.locator('#conversation-title').textContent()).toBe('我们的沟通');
      expect((await page.locator('#messages > li').allTextContents()).join(' ')).toContain(opinion);
    } finally {
      await context.close();
    }
  }, 90_000);
});
