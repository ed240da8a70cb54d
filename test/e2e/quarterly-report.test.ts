/**
 * The quarterly analysis report (web/reports/quarterly.html) on the local stack, in Chromium:
 * a quarter's complaints seeded directly into DynamoDB Local (the store's own writes, report
 * records included) and improvement actions opened and closed through the API; the page at
 * 1,280 and 390 px in zh-CN and en shows the API's figures (headline rates and verdicts
 * against config/targets.json, the months, the top categories, the actions), with no
 * horizontal scroll and no axe violation (moderate+); printed (print media emulated) it
 * hides its navigation, starts each section on a new page and draws its charts (SVG) at the
 * paper's width; the page's own CSP lets the charts draw.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, describe as vitestDescribe } from 'vitest';
import { DynamoComplaintStore } from '../../functions/adapters/dynamodb/complaint-store.js';
import type { Complaint } from '../../functions/domain/model.js';
import { launchChromium } from '../../local/chromium.js';
import { createInput, newComplaint } from '../functions/domain/store/fixtures.js';
import { localAwsConfig } from '../support/dynamodb-local.js';
import { browserForTests, type E2EStack, startE2EStack } from './support.js';

const BROWSER = await browserForTests();
const describe = vitestDescribe.skipIf(!BROWSER.ok);
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TARGETS = JSON.parse(readFileSync(new URL('../../config/targets.json', import.meta.url), 'utf8'));

let e2e: E2EStack;
let browser: Browser;
let manager: string;
let report: any;
let actions: { opened: string[]; closed: string[] };

const CATEGORIES = ['delivery', 'product', 'service', 'delivery', 'price', 'delivery', 'product'] as const;
const DEPARTMENTS = ['logistics', 'sales', 'quality'];
const H = 3_600_000;

/** 30 complaints over Oct 1 – Nov 20 2026: closed or open, rated or not, some late, some repeats. */
function complaints(): Omit<Complaint, 'version'>[] {
  return Array.from({ length: 30 }, (_, i) => {
    const created = Date.parse('2026-10-02T02:00:00Z') + i * 1.7 * 86_400_000;
    const createdAt = new Date(created).toISOString();
    const closed = i % 4 !== 3;
    const category = CATEGORIES[i % CATEGORIES.length] as (typeof CATEGORIES)[number];
    const department = DEPARTMENTS[i % 3] as string;
    const closedAt = new Date(created + (i % 5 === 0 ? 20 : 4) * 86_400_000).toISOString();
    return newComplaint({
      createdAt,
      category,
      severity: 'general',
      department,
      investigation: { valid: true, category, severity: 'general', department, findings: '已查明。' },
      stage: closed ? 'closed' : 'proposal',
      replyDueBy: new Date(created + 7 * 86_400_000).toISOString(),
      firstResponseAt: new Date(created + (i % 6 === 0 ? 200 : 20) * H).toISOString(),
      ...(closed ? { outcome: 'resolved' as const, closedAt } : {}),
      ...(closed && i % 3 !== 2
        ? {
            survey: {
              rating: ((i % 5) + 1) as 1 | 2 | 3 | 4 | 5,
              answeredAt: closedAt,
              by: 'customer' as const,
            },
          }
        : {}),
      escalations: i % 7 === 0 ? 1 : 0,
      maxEscalationLevel: i % 7 === 0 ? 1 : 0,
      repeat: i % 10 === 0,
    });
  });
}

beforeAll(async () => {
  if (!BROWSER.ok) return;
  [e2e, browser] = await Promise.all([startE2EStack(), launchChromium()]);
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint: e2e.stack.urls.dynamodb });
  try {
    const store = new DynamoComplaintStore({
      client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      tableName: 'complaints-local',
    });
    for (const complaint of complaints()) await store.create(createInput({ complaint }));
  } finally {
    client.destroy();
  }
  manager = await e2e.api.signIn('manager');
  const open = async (title: string) => {
    const r = await e2e.api.post(
      '/staff/improvements',
      { title, description: '分析发现的问题，需整改。', department: 'logistics', dueInWorkingDays: 10 },
      manager,
    );
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const kept = await open('快递外包装加固');
  const done = await open('破损件补发流程提速');
  const progress = await e2e.api.post(
    `/staff/improvements/${done}/progress`,
    { status: 'done', note: '已改为当天补发。' },
    manager,
  );
  expect(progress.status).toBe(200);
  const review = await e2e.api.post(
    `/staff/improvements/${done}/review`,
    { effective: true, note: '复查两周，无新增投诉。' },
    manager,
  );
  expect(review.status).toBe(200);
  actions = { opened: [kept, done].sort(), closed: [done] };
  const r = await e2e.api.get('/staff/reports?from=2026-10-01&to=2026-12-31&interval=month', manager);
  expect(r.status).toBe(200);
  report = r.body;
  expect(report.overall.complaints).toBe(30);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await e2e?.dispose();
}, 60_000);

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

async function openReport(context: BrowserContext, lang: string): Promise<Page> {
  await context.addInitScript(`localStorage.setItem('complaints.staffToken', ${JSON.stringify(manager)})`);
  const page = await context.newPage();
  await page.goto(`${e2e.stack.urls.app}/reports/quarterly.html?quarter=2026-Q4&lang=${lang}`);
  await page.locator('#qr[aria-busy=false]').waitFor();
  await page.locator('#qr-improvements').waitFor();
  await expect.poll(() => page.locator('.qr-chart svg').count(), { timeout: 20_000 }).toBe(3);
  return page;
}

/** Horizontal overflow and axe's moderate-or-worse violations of the page as it stands. */
async function findings(page: Page): Promise<unknown[]> {
  const out: unknown[] = [];
  const overflow = await page.evaluate(() => {
    const doc = document.documentElement;
    const widest = Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${Array.from(e.classList).join('.')}`);
    return {
      scrollWidth: Math.max(doc.scrollWidth, document.body.scrollWidth),
      clientWidth: doc.clientWidth,
      widest,
    };
  });
  if (overflow.scrollWidth > overflow.clientWidth) out.push(overflow);
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(d: Document, o: object): Promise<any> } };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => ['moderate', 'serious', 'critical'].includes(v.impact))
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
  });
  out.push(...violations);
  return out;
}

describe('the quarterly report page', () => {
  for (const width of [1280, 390]) {
    for (const lang of ['zh-CN', 'en']) {
      it(`${width} px, ${lang}: the API's figures, no horizontal scroll, no axe violation; printed without navigation`, async () => {
        const context = await browser.newContext({
          viewport: { width, height: 900 },
          locale: lang === 'en' ? 'en-US' : 'zh-CN',
          bypassCSP: true, // axe is injected as an inline script
        });
        try {
          const page = await openReport(context, lang);
          expect(await page.locator('html').getAttribute('lang')).toBe(lang);
          // headline figures and verdicts against the configured targets
          for (const [key, target] of Object.entries(TARGETS).filter(([k]) => !k.startsWith('$'))) {
            const rate = report.overall[key].rate as number | null;
            const row = page.locator(`[data-kpi=${key}]`);
            expect(await row.locator('.qr-value').textContent()).toBe(
              `${pct(rate)} (${report.overall[key].count}/${report.overall[key].of})`,
            );
            const { min, max } = target as { min?: number; max?: number };
            const ok =
              rate !== null && (min === undefined || rate >= min) && (max === undefined || rate <= max);
            expect(await row.getAttribute('data-verdict')).toBe(rate === null ? 'none' : ok ? 'ok' : 'bad');
            // the verdict reads without colour: a symbol and a word
            expect(await row.locator('.qr-verdict').textContent()).toMatch(
              rate === null ? /^—/ : ok ? /^✔ \S/ : /^✘ \S/,
            );
          }
          expect(await page.locator('[data-count=complaints] strong').textContent()).toBe('30');
          // the months of the quarter
          const months = await page
            .locator('[data-month]')
            .evaluateAll((rows) =>
              rows.map((r) => [r.getAttribute('data-month'), r.children[1]?.textContent]),
            );
          expect(months).toEqual(
            report.series.map((p: { start: string; measures: { complaints: number } }) => [
              p.start,
              String(p.measures.complaints),
            ]),
          );
          expect(months.map(([m]) => m)).toEqual(['2026-10-01', '2026-11-01', '2026-12-01']);
          // top categories, most complaints first
          const categories = await page
            .locator('[data-category]')
            .evaluateAll((rows) =>
              rows.map((r) => [r.getAttribute('data-category'), r.children[1]?.textContent]),
            );
          const expected = Object.entries(report.byCategory as Record<string, { complaints: number }>)
            .sort((a, b) => b[1].complaints - a[1].complaints || a[0].localeCompare(b[0]))
            .slice(0, 5)
            .map(([k, v]) => [k, String(v.complaints)]);
          expect(categories).toEqual(expected);
          expect(categories[0]?.[0]).toBe('delivery');
          // improvement actions opened and closed in the quarter
          const ids = (attr: string) =>
            page
              .locator(`[${attr}]`)
              .evaluateAll((rows, a) => rows.map((r) => r.getAttribute(a)).sort(), attr);
          expect(await ids('data-opened')).toEqual(actions.opened);
          expect(await ids('data-closed')).toEqual(actions.closed);

          expect(await findings(page)).toEqual([]);

          // printed: no navigation, a page per section, charts at the paper's width
          expect(await page.locator('#qr-nav').isVisible()).toBe(true);
          await page.emulateMedia({ media: 'print' });
          expect(await page.locator('#qr-nav').isVisible()).toBe(false);
          const breaks = await page
            .locator('.qr-section')
            .evaluateAll((sections) => sections.map((s) => getComputedStyle(s).breakBefore));
          expect(breaks).toEqual(['auto', 'page', 'page', 'page']);
          // 180 mm = 680 px
          await expect
            .poll(
              () =>
                page
                  .locator('.qr-chart svg')
                  .first()
                  .evaluate((svg) => Math.round(svg.getBoundingClientRect().width)),
              {
                timeout: 10_000,
              },
            )
            .toBe(680);
        } finally {
          await context.close();
        }
      }, 120_000);
    }
  }

  it('draws its charts under its own Content-Security-Policy, and asks to sign in without a token', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      const refused: string[] = [];
      (window as unknown as { cspRefused: string[] }).cspRefused = refused;
      document.addEventListener('securitypolicyviolation', (e) =>
        refused.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    try {
      const page = await openReport(context, 'en');
      // every refusal the page's CSP made while it loaded and drew (listening from the start)
      const violations = await page.evaluate(
        () => (window as unknown as { cspRefused: string[] }).cspRefused,
      );
      expect(violations).toEqual([]);
      expect(await page.locator('.qr-chart svg path').count()).toBeGreaterThan(3);
      const anonymous = await browser.newContext();
      try {
        const p = await anonymous.newPage();
        await p.goto(`${e2e.stack.urls.app}/reports/quarterly.html?lang=en`);
        await expect.poll(() => p.locator('#qr-status').textContent()).toMatch(/^Sign in on the console/);
        expect(await p.locator('#qr-nav a[href="../console.html"]').count()).toBe(1);
      } finally {
        await anonymous.close();
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});
