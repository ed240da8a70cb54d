/**
 * web/reports/managers-view.js in Chromium: the managers' view rendered from a real
 * analysis (functions/domain/reports.ts) with ECharts from /vendor, at 1,280 px and 390 px,
 * in zh-CN and en — charts drawn, targets red or green, the risk list linking to each
 * complaint, and no horizontal scrolling.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../functions/domain/calendar/index.js';
import { analyse } from '../../functions/domain/reports.js';
import { reportRecordOf } from '../../functions/domain/reports-record.js';
import { launchChromium } from '../../local/chromium.js';
import { newComplaint } from '../functions/domain/store/fixtures.js';
import { freePort } from '../support/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const vendor = JSON.parse(await readFile(path.join(ROOT, 'web/vendor.json'), 'utf8')) as Record<
  string,
  string
>;

function fixture() {
  const now = new Date('2026-11-25T03:00:00Z');
  const records = Array.from({ length: 40 }, (_, i) => {
    const createdAt = new Date(Date.parse('2026-10-01T02:00:00Z') + i * 1.3 * 86_400_000).toISOString();
    const closed = i % 3 !== 0;
    return reportRecordOf({
      ...newComplaint({
        createdAt,
        category: (['service', 'product', 'delivery', 'price', 'other'] as const)[i % 5],
        department: ['logistics', 'sales', 'quality'][i % 3] as string,
        stage: closed ? 'closed' : 'proposal',
        ...(closed ? { outcome: 'resolved' as const, closedAt: createdAt } : {}),
        firstResponseAt: createdAt,
        escalations: i % 7 === 0 ? 1 : 0,
        maxEscalationLevel: i % 7 === 0 ? 1 + (i % 3) : 0,
        ...(closed
          ? {
              survey: {
                rating: ((i % 5) + 1) as 1 | 2 | 3 | 4 | 5,
                answeredAt: createdAt,
                by: 'customer' as const,
              },
            }
          : {}),
        ...(closed
          ? {}
          : {
              pending: {
                step: 'proposal' as const,
                stage: 'proposal' as const,
                taskToken: 't',
                dueAt: new Date(now.getTime() + (i % 2 ? -3_600_000 : 3_600_000)).toISOString(),
                provisional: false,
                escalationLevel: 0,
                since: new Date(now.getTime() - 30 * 3_600_000).toISOString(),
              },
            }),
      }),
      version: 1,
    });
  });
  const calendar = defaultCalendar();
  const report = analyse({
    records,
    open: records.filter((r) => r.pending),
    period: { from: '2026-10-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
    now,
    calendar,
    workingHours: (a: number, b: number) => calendar.workingHoursBetween(a, b),
    interval: 'week',
  });
  return {
    ...report,
    dates: { from: '2026-10-01', to: '2026-12-31', timeZone: 'Asia/Shanghai' },
    targets: { timelyHandling: { min: 0.95 }, satisfaction: { min: 0.9 }, repeat: { max: 0.05 } },
  };
}

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      const file = url.pathname.startsWith('/vendor/')
        ? path.join(ROOT, 'node_modules', vendor[url.pathname.slice('/vendor/'.length)] ?? 'missing')
        : path.join(ROOT, 'web', path.normalize(url.pathname));
      const body =
        url.pathname === '/harness.html'
          ? '<!doctype html><html><body><main id="out"></main></body></html>'
          : await readFile(file);
      const type = url.pathname.endsWith('.js')
        ? 'text/javascript'
        : url.pathname.endsWith('.css')
          ? 'text/css'
          : 'text/html';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("the managers' view in Chromium", () => {
  for (const [lang, width] of [
    ['zh-CN', 1280],
    ['en', 390],
    ['zh-CN', 390],
  ] as const) {
    it(`renders charts and figures in ${lang} at ${width} px without horizontal scrolling`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(`${base}/harness.html`);
        const report = fixture();
        // a string, so that the test runner does not rewrite the page's dynamic import
        await page.evaluate(`(async () => {
          const css = document.createElement('link');
          css.rel = 'stylesheet';
          css.href = '/reports/reports.css';
          document.head.append(css);
          const view = await import('/reports/managers-view.js');
          document.getElementById('out').append(view.renderReportCards(${JSON.stringify(report)}, [], ${JSON.stringify(lang)}));
        })()`);
        // every chart drawn by ECharts (SVG renderer)
        await expect.poll(() => page.locator('.mv-chart svg').count(), { timeout: 20_000 }).toBe(5);
        const verdicts = await page
          .locator('[data-kpi]')
          .evaluateAll((els) =>
            Object.fromEntries(els.map((e) => [e.getAttribute('data-kpi'), e.getAttribute('data-verdict')])),
          );
        const rate = (key: 'timelyHandling' | 'satisfaction' | 'repeat') =>
          report.overall[key].rate as number;
        expect(verdicts.timelyHandling).toBe(rate('timelyHandling') >= 0.95 ? 'ok' : 'bad');
        expect(verdicts.satisfaction).toBe(rate('satisfaction') >= 0.9 ? 'ok' : 'bad');
        expect(verdicts.repeat).toBe(rate('repeat') <= 0.05 ? 'ok' : 'bad');
        expect(verdicts.escalation).toBe('none');
        const links = await page
          .locator('.mv-card a[href^="console.html#"]')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(links).toEqual(report.risk?.items.map((i) => `console.html#${i.id}`));
        expect(links.length).toBeGreaterThan(0);
        const text = await page.locator('#out').textContent();
        expect(text).toContain(lang === 'zh-CN' ? '考核指标' : 'Targets');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await page.close();
      }
    });
  }
});
