/**
 * The local gateway sends the pages the security headers CloudFront's response-headers policy
 * sends on AWS (both from functions/runtime/security-headers.ts); API answers keep their own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/domain/clock.js';
import { ROUTES } from '../../functions/routes.js';
import { CONTENT_SECURITY_POLICY, PAGE_SECURITY_HEADERS } from '../../functions/runtime/security-headers.js';
import { createLocalAuth } from '../../local/auth.js';
import { type RunningGateway, startGateway } from '../../local/gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'security-headers-'));
let gateway: RunningGateway;

beforeAll(async () => {
  mkdirSync(join(dir, 'web'));
  writeFileSync(join(dir, 'web', 'index.html'), '<h1>form</h1>');
  writeFileSync(join(dir, 'web', 'form.js'), 'export {};');
  gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    routes: ROUTES,
    handlerFor: async () => async () => ({ statusCode: 200, body: '{"ok":true}' }),
    auth: createLocalAuth({ keyFile: join(dir, 'key'), departments: ['sales'] }),
    webDir: join(dir, 'web'),
    clock: new ManualClock('2026-11-23T09:00:00+08:00'),
  });
});

afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('local gateway security headers', () => {
  it.each(['/', '/index.html', '/form.js'])('sends the shared CSP and headers with %s', async (path) => {
    const response = await fetch(`${gateway.url}${path}`);
    expect(response.status).toBe(200);
    for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS))
      expect(response.headers.get(name), name).toBe(value);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});
