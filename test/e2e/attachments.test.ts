/**
 * Evidence in a real browser on the local stack (s3rver as the bucket): a customer attaches a
 * photo on the complaint form, and the status page lists it with a working download.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../local/chromium.js';
import { type E2EStack, startE2EStack } from './support.js';

let e2e: E2EStack;
let browser: Browser;

beforeAll(async () => {
  [e2e, browser] = await Promise.all([startE2EStack(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await e2e?.dispose();
}, 60_000);

/** A small JPEG: its signature, then filler. */
function photo(size = 4096): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  return bytes;
}

describe('attachments in Chromium', () => {
  it('a photo attached on the form is listed on the status page and downloads as an attachment', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true });
    try {
      const page = await context.newPage();
      await page.goto(e2e.stack.urls.form);
      await page.fill('#name', '周敏');
      await page.fill('#email', 'zhou.min@example.com');
      await page.fill('#subject', '收到的杯子有裂纹');
      await page.fill('#description', '订单 5521 的杯子到货时已有裂纹，照片见附件。');
      await page.setInputFiles('#attachments input[type=file]', {
        name: '裂纹照片.jpg',
        mimeType: 'image/jpeg',
        buffer: photo(),
      });
      await expect.poll(() => page.locator('#attachments li').count()).toBe(1);
      await page.check('#privacy-consent');
      await page.click('#send');
      await page.locator('#done-card').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await page.locator('#attachments li[data-uploaded=true]').count()).toBe(1);
      const id = (await page.locator('#done-ref').textContent())?.trim() ?? '';

      // the status page (the link on the confirmation) lists the photo
      await page.click('#done-link');
      await page.locator('#attachments-card li[data-attachment-id]').waitFor({ timeout: 20_000 });
      const item = page.locator('#attachments-card li[data-attachment-id]');
      expect(await item.count()).toBe(1);
      expect(await item.locator('.file-name').textContent()).toBe('裂纹照片.jpg');

      const [download] = await Promise.all([page.waitForEvent('download'), item.locator('button').click()]);
      expect(download.suggestedFilename()).toBe('裂纹照片.jpg');

      // the same file over the API, with its real size; the history has the event without the name
      const agent = await e2e.api.signIn('agent');
      const staff = await e2e.api.staffGet(id, agent);
      expect(staff.attachments).toEqual([
        expect.objectContaining({
          fileName: '裂纹照片.jpg',
          contentType: 'image/jpeg',
          size: 4096,
          by: 'customer',
        }),
      ]);
      const added = staff.history.filter((e: { type: string }) => e.type === 'attachment_added');
      expect(added).toHaveLength(1);
      expect(JSON.stringify(staff.history)).not.toContain('裂纹照片');
    } finally {
      await context.close();
    }
  });

  it('staff attach on the console, internal unless marked visible; the customer sees only the visible one', async () => {
    const created = await e2e.api.post('/complaints', {
      customer: { name: 'Chen Yu', email: 'chen.yu@example.com', language: 'en' },
      subject: 'Broken kettle',
      description: 'The kettle stopped working after two days.',
    });
    expect(created.status).toBe(201);
    const { id, accessToken } = created.body;
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.urls.console}?lang=en#${id}`);
      await page.selectOption('#role', 'agent');
      await page.click('#local-sign-in button[type=submit]');
      const card = page.locator('#attachments-card');
      await card.waitFor({ state: 'visible', timeout: 15_000 });

      await card.locator('input[type=file]').setInputFiles({
        name: 'lab-report.jpg',
        mimeType: 'image/jpeg',
        buffer: photo(1000),
      });
      await expect
        .poll(() => page.locator('#attachments-card li[data-attachment-id]').count(), { timeout: 15_000 })
        .toBe(1);
      await page.locator('#attachments-card input[type=checkbox]').check();
      await page.locator('#attachments-card input[type=file]').setInputFiles({
        name: 'repair-receipt.jpg',
        mimeType: 'image/jpeg',
        buffer: photo(1200),
      });
      await expect
        .poll(() => page.locator('#attachments-card li[data-attachment-id]').count(), { timeout: 15_000 })
        .toBe(2);
      const text = (await page.locator('#attachments-card').textContent()) ?? '';
      expect(text).toContain('Internal only');
      expect(text).toContain('Visible to the customer');
    } finally {
      await context.close();
    }
    const view = await e2e.api.get(`/complaints/${id}`, accessToken);
    expect(view.body.attachments.map((a: { fileName: string; by: string }) => [a.fileName, a.by])).toEqual([
      ['repair-receipt.jpg', 'staff'],
    ]);
  }, 90_000);
});
