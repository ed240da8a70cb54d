/**
 * The deploy guard: example values (example.com, the example-complaints Cognito prefix) stop
 * synthesis — and so `cdk deploy` — naming each field, unless -c allowPlaceholders=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployConfig, parseDeployConfig } from '../../infra/deploy-config.js';
import { findPlaceholders, isPlaceholder } from '../../infra/placeholders.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

describe('isPlaceholder', () => {
  it.each([
    ['no-reply@example.com', true],
    ['https://complaints.example.com/console.html', true],
    ['Customer Care <care@example.org>', true],
    ['example.net', true],
    ['ops@acme.example', true],
    ['no-reply@acme.com', false],
    ['https://myexample.com', false],
    ['example.community.cn', false],
  ])('%s → %s', (value, expected) => {
    expect(isPlaceholder(value)).toBe(expected);
  });
});

describe('findPlaceholders', () => {
  it('names every example value of the shipped configuration, not the ones the stack overrides', () => {
    const config = loadDeployConfig(REPO_ROOT, () => undefined);
    const found = findPlaceholders(config, path.join(REPO_ROOT, 'config'));
    for (const key of ['managerAlarmEmails', 'senderEmail', 'sesIdentity', 'cognitoDomainPrefix'])
      expect(
        found.some((f) => f.startsWith(`deploy config ${key} `)),
        key,
      ).toBe(true);
    expect(found).toContain('config/notifications.json replyTo[0]');
    expect(found).toContain('config/notifications.json managers[0]');
    expect(found).toContain('config/notifications.json departments.sales.email');
    // replaced at deploy by SENDER_EMAIL and STATUS_PAGE_BASE_URL
    expect(found).not.toContain('config/notifications.json from');
    expect(found).not.toContain('config/notifications.json statusPageBaseUrl');
  });

  it('is empty for a filled-in configuration', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'placeholders-'));
    writeFileSync(
      path.join(dir, 'notifications.json'),
      JSON.stringify({
        $comment: 'about example.com',
        from: 'Care <no-reply@example.com>',
        replyTo: ['care@acme.cn'],
        managers: ['boss@acme.cn'],
      }),
    );
    const config = parseDeployConfig({
      managerAlarmEmails: ['ops@acme.cn'],
      senderEmail: 'no-reply@acme.cn',
      sesIdentity: 'acme.cn',
      cognitoDomainPrefix: 'acme-complaints',
    });
    expect(findPlaceholders(config, dir)).toEqual([]);
    writeFileSync(
      path.join(dir, 'branding.json'),
      JSON.stringify({ privacyNoticeUrl: 'https://example.com/p' }),
    );
    expect(findPlaceholders(config, dir)).toEqual(['config/branding.json privacyNoticeUrl']);
  });
});

describe('infra/app.ts with the example configuration', () => {
  it('stops before building anything and names the fields to fill', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'guard-out-'));
    mkdirSync(outdir, { recursive: true });
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'infra/app.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: '{}',
        CDK_DEFAULT_REGION: 'ap-southeast-1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Not deploying: these fields still hold example values');
    expect(run.stderr).toContain('deploy config senderEmail (no-reply@example.com)');
    expect(run.stderr).toContain('deploy config cognitoDomainPrefix (example-complaints)');
    expect(run.stderr).toContain('config/notifications.json replyTo[0]');
    expect(run.stderr).toContain('docs/DEPLOY.md');
  }, 90_000);
});
