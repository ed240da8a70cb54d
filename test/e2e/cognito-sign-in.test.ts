/**
 * The console's Cognito sign-in (oidc-client-ts: code + PKCE, web/console/cognito.js) in Chromium, against
 * a fake hosted UI (Playwright routes on an https domain): web/config.js is served with
 * `signIn: 'cognito'`, the fake token endpoint checks the PKCE verifier against the challenge
 * and hands out a local staff token as the ID token, which the local gateway accepts.
 */
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it, describe as vitestDescribe } from 'vitest';
import { launchChromium } from '../../local/chromium.js';
import { browserForTests, type E2EStack, startE2EStack } from './support.js';

const BROWSER = await browserForTests();
/** Every suite here needs the browser: skipped (with the one-line reason above) without one. */
const describe = vitestDescribe.skipIf(!BROWSER.ok);

const DOMAIN = 'https://staff-login.example.test';
const CLIENT_ID = 'test-console-client';
const CODE = 'auth-code-1234';
const REFRESH_TOKEN = 'refresh-token-5678';

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

interface HostedUi {
  authorize: URLSearchParams[];
  token: URLSearchParams[];
  tokenContentType: (string | undefined)[];
  logout: URLSearchParams[];
}

/** A context whose config.js says `signIn: 'cognito'` and whose hosted UI is fake. */
async function cognitoContext(idToken: string): Promise<{ context: BrowserContext; ui: HostedUi }> {
  const context = await browser.newContext({ locale: 'en-US' });
  const ui: HostedUi = { authorize: [], token: [], tokenContentType: [], logout: [] };
  await context.route('**/config.js', async (route: Route) => {
    const response = await route.fetch();
    const body = (await response.text())
      .replace("signIn: 'local'", "signIn: 'cognito'")
      .replace("domain: ''", `domain: '${DOMAIN}'`)
      .replace("clientId: ''", `clientId: '${CLIENT_ID}'`);
    expect(body).toContain(CLIENT_ID);
    await route.fulfill({ response, body });
  });
  let challenge = '';
  await context.route(`${DOMAIN}/**`, async (route: Route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/oauth2/authorize') {
      ui.authorize.push(url.searchParams);
      challenge = url.searchParams.get('code_challenge') ?? '';
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', CODE);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      await route.fulfill({ status: 302, headers: { location: back.href } });
    } else if (url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(route.request().postData() ?? '');
      ui.token.push(form);
      ui.tokenContentType.push(route.request().headers()['content-type']);
      const verifier = form.get('code_verifier') ?? '';
      const ok =
        form.get('grant_type') === 'refresh_token'
          ? form.get('refresh_token') === REFRESH_TOKEN
          : form.get('code') === CODE &&
            createHash('sha256').update(verifier).digest('base64url') === challenge;
      await route.fulfill({
        status: ok ? 200 : 400,
        headers: { 'access-control-allow-origin': '*' },
        contentType: 'application/json',
        body: JSON.stringify(
          ok
            ? { id_token: idToken, access_token: 'x.y.z', refresh_token: REFRESH_TOKEN, expires_in: 3600 }
            : { error: 'invalid_grant' },
        ),
      });
    } else if (url.pathname === '/logout') {
      ui.logout.push(url.searchParams);
      await route.fulfill({ status: 302, headers: { location: url.searchParams.get('logout_uri') ?? '' } });
    } else {
      await route.fulfill({ status: 404 });
    }
  });
  return { context, ui };
}

describe('the console signs in with Cognito (code + PKCE)', () => {
  it('goes through the hosted UI, keeps the ID token, cleans the address and signs out there', async () => {
    const token = await e2e.api.signIn('manager');
    const { context, ui } = await cognitoContext(token);
    try {
      const page = await context.newPage();
      const consoleUrl = e2e.stack.urls.console;
      await page.goto(`${consoleUrl}#C2026-TEST-0001`);
      await page.locator('#cognito-sign-in').waitFor({ state: 'visible' });
      expect(await page.locator('#local-sign-in').isHidden()).toBe(true);

      await page.click('#cognito-button');
      await page.locator('#console-view').waitFor({ state: 'visible' });

      expect(ui.authorize).toHaveLength(1);
      const authorize = Object.fromEntries(ui.authorize[0] ?? []);
      expect(authorize).toMatchObject({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: new URL(consoleUrl).href.split('#')[0],
        scope: 'openid email profile',
        code_challenge_method: 'S256',
      });
      expect(authorize.state).toMatch(/^[0-9a-f]{32}$/);
      expect(authorize.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

      expect(ui.token).toHaveLength(1);
      expect(ui.tokenContentType[0]).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(ui.token[0] ?? [])).toMatchObject({
        grant_type: 'authorization_code',
        client_id: CLIENT_ID,
        code: CODE,
        redirect_uri: authorize.redirect_uri,
      });

      // signed in with the ID token; no code or state left in the address; the fragment came back
      await expect.poll(() => page.locator('#who').textContent()).toContain('Manager (local)');
      const address = new URL(page.url());
      expect(address.search).toBe('');
      expect(address.hash).toBe('#C2026-TEST-0001');
      expect(await page.evaluate(() => localStorage.getItem('complaints.staffToken'))).toBe(token);
      // the sign-in state (PKCE verifier) is gone once used
      expect(
        await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.'))),
      ).toEqual([]);

      // Sign out: the hosted UI's /logout, back to the console, signed out
      await page.click('#sign-out');
      await page.locator('#cognito-sign-in').waitFor({ state: 'visible' });
      expect(ui.logout).toHaveLength(1);
      expect(Object.fromEntries(ui.logout[0] ?? [])).toEqual({
        client_id: CLIENT_ID,
        logout_uri: authorize.redirect_uri,
      });
      expect(await page.evaluate(() => localStorage.getItem('complaints.staffToken'))).toBeNull();
    } finally {
      await context.close();
    }
  }, 60_000);

  it('renews the ID token with the refresh token on a 401 and sends the half-filled form again', async () => {
    const token = await e2e.api.signIn('agent');
    const { context, ui } = await cognitoContext(token);
    try {
      const page = await context.newPage();
      await page.goto(e2e.stack.urls.console);
      await page.click('#cognito-button');
      await page.locator('#console-view').waitFor({ state: 'visible' });
      await page.click('#open-register');
      await page.selectOption('#r-channel', 'phone');
      await page.fill('#r-name', 'Qian Yu');
      await page.fill('#r-phone', '13800138000');
      await page.fill('#r-subject', 'Token ran out while typing');
      await page.fill('#r-description', 'Half an hour of notes from the call.');
      // the ID token has expired meanwhile: the API answers 401 once
      let refused = 0;
      await page.route('**/staff/complaints', async (route) => {
        if (route.request().method() === 'POST' && refused === 0) {
          refused++;
          await route.fulfill({
            status: 401,
            contentType: 'application/json',
            body: '{"message":"Unauthorized"}',
          });
        } else await route.fallback();
      });
      await page.click('#detail button[type=submit]');
      await expect
        .poll(() => page.locator('#detail .notice.ok').textContent(), { timeout: 15_000 })
        .toMatch(/C\d{4}-/);
      expect(refused).toBe(1);
      expect(ui.token.map((form) => form.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
      expect(await page.locator('#sign-in-view').isHidden()).toBe(true);
      const id = /C\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(
        (await page.locator('#detail .notice.ok').textContent()) ?? '',
      )?.[0];
      const registered = await e2e.api.staffGet(id ?? '', token);
      expect(registered).toMatchObject({ subject: 'Token ran out while typing', channel: 'phone' });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a callback whose state it did not issue, on the page, without a token request', async () => {
    const { context, ui } = await cognitoContext(await e2e.api.signIn('agent'));
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.urls.console}?code=${CODE}&state=forged`);
      await page.locator('#cognito-sign-in').waitFor({ state: 'visible' });
      await expect.poll(() => page.locator('#sign-in-error').textContent()).toContain('state_mismatch');
      expect(new URL(page.url()).search).toBe('');
      expect(ui.token).toHaveLength(0);
      expect(await page.evaluate(() => localStorage.getItem('complaints.staffToken'))).toBeNull();
    } finally {
      await context.close();
    }
  }, 60_000);
});
