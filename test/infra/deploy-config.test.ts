import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  DeployConfigError,
  loadDeployConfig,
  parseDeployConfig,
} from '../../infra/deploy-config.js';

const valid = {
  allowedOrigins: ['https://complaints.example.com'],
  managerAlarmEmails: ['boss@example.com'],
  senderEmail: 'no-reply@example.com',
  sesIdentity: 'example.com',
  statusPageBaseUrl: 'https://complaints.example.com/',
  consoleUrl: 'https://complaints.example.com/console.html',
  cognitoDomainPrefix: 'acme-complaints',
};

function problemsOf(raw: Record<string, unknown>): string {
  try {
    parseDeployConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(DeployConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a DeployConfigError');
}

describe('parseDeployConfig', () => {
  it('accepts a valid config and applies the defaults', () => {
    expect(parseDeployConfig(valid)).toEqual({
      allowedOrigins: ['https://complaints.example.com'],
      managerAlarmEmails: ['boss@example.com'],
      senderEmail: 'no-reply@example.com',
      sesIdentity: 'example.com',
      statusPageBaseUrl: 'https://complaints.example.com',
      consoleUrl: 'https://complaints.example.com/console.html',
      cognitoDomainPrefix: 'acme-complaints',
      clientLimits: {
        publicWrites: DEFAULTS.clientPublicWriteLimit,
        publicRequests: DEFAULTS.clientRequestLimit,
        windowSeconds: DEFAULTS.clientLimitWindowSeconds,
      },
      apiThrottle: { rateLimit: DEFAULTS.apiThrottleRateLimit, burstLimit: DEFAULTS.apiThrottleBurstLimit },
      publicWriteThrottle: {
        rateLimit: DEFAULTS.publicWriteThrottleRateLimit,
        burstLimit: DEFAULTS.publicWriteThrottleBurstLimit,
      },
      logRetentionDays: DEFAULTS.logRetentionDays,
    });
  });

  it('defaults the SES identity to the sender address', () => {
    const { sesIdentity: _, ...rest } = valid;
    expect(parseDeployConfig(rest).sesIdentity).toBe('no-reply@example.com');
  });

  it('names every missing key', () => {
    const message = problemsOf({});
    for (const key of ['managerAlarmEmails', 'senderEmail', 'cognitoDomainPrefix'])
      expect(message).toContain(key);
  });

  it('needs no origins, status page or console URL: the stack hosts the pages and derives them', () => {
    const config = parseDeployConfig({
      managerAlarmEmails: ['boss@acme.test'],
      senderEmail: 'no-reply@acme.test',
      cognitoDomainPrefix: 'acme-complaints',
    });
    expect(config.allowedOrigins).toEqual([]);
    expect(config.statusPageBaseUrl).toBeUndefined();
    expect(config.consoleUrl).toBeUndefined();
    expect(config.siteDomainName).toBeUndefined();
  });

  it('takes a custom domain with its us-east-1 certificate, and a console on it', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
    const config = parseDeployConfig({
      ...valid,
      allowedOrigins: [],
      siteDomainName: 'Complaints.Acme.test',
      siteCertificateArn: arn,
      consoleUrl: 'https://complaints.acme.test/console.html',
    });
    expect(config.siteDomainName).toBe('complaints.acme.test');
    expect(config.siteCertificateArn).toBe(arn);
    expect(problemsOf({ ...valid, siteDomainName: 'complaints.acme.test' })).toContain(
      'siteCertificateArn: required with siteDomainName',
    );
    expect(problemsOf({ ...valid, siteCertificateArn: arn })).toContain('siteDomainName: required');
    expect(
      problemsOf({
        ...valid,
        siteDomainName: 'complaints.acme.test',
        siteCertificateArn: arn.replace('us-east-1', 'ap-east-1'),
      }),
    ).toContain('not an ACM certificate ARN in us-east-1');
  });

  it('takes a region, and the per-client limits within what WAF allows', () => {
    expect(parseDeployConfig({ ...valid, region: 'ap-east-1' }).region).toBe('ap-east-1');
    expect(problemsOf({ ...valid, region: 'Hong Kong' })).toContain(
      'region: "Hong Kong" is not an AWS region',
    );
    const limits = parseDeployConfig({
      ...valid,
      clientPublicWriteLimit: '30',
      clientRequestLimit: 2000,
      clientLimitWindowSeconds: 60,
    }).clientLimits;
    expect(limits).toEqual({ publicWrites: 30, publicRequests: 2000, windowSeconds: 60 });
    expect(problemsOf({ ...valid, clientPublicWriteLimit: 9 })).toContain('clientPublicWriteLimit');
    expect(problemsOf({ ...valid, clientRequestLimit: 10.5 })).toContain('clientRequestLimit');
    expect(problemsOf({ ...valid, clientLimitWindowSeconds: 30 })).toContain('clientLimitWindowSeconds');
  });

  it.each([
    ['*', 'no wildcards'],
    ['http://complaints.example.com', 'must use https'],
    ['https://complaints.example.com/path', 'bare origin'],
    ['not a url', 'not a URL'],
  ])('rejects the origin %s', (origin, problem) => {
    expect(problemsOf({ ...valid, allowedOrigins: [origin] })).toContain(problem);
  });

  it('allows http only for localhost', () => {
    const local = {
      ...valid,
      allowedOrigins: ['http://localhost:3000'],
      consoleUrl: 'http://localhost:3000/',
    };
    expect(parseDeployConfig(local).allowedOrigins).toEqual(['http://localhost:3000']);
  });

  it('rejects a sender outside the SES identity, and bad emails', () => {
    expect(problemsOf({ ...valid, sesIdentity: 'other.example' })).toContain(
      'not in the domain other.example',
    );
    expect(problemsOf({ ...valid, sesIdentity: 'x@example.com' })).toContain('does not cover senderEmail');
    expect(problemsOf({ ...valid, managerAlarmEmails: ['boss'] })).toContain('managerAlarmEmails: "boss"');
  });

  it.each([
    ['http://complaints.example.com/console.html', 'must use https (http only for localhost)'],
    ['http://127.0.0.1:3000/console.html', 'must use https (http only for localhost)'],
    ['https://complaints.example.com/console.html?x=1', 'must not have a query or a fragment'],
    ['https://complaints.example.com/console.html#C-1', 'must not have a query or a fragment'],
    ['https://complaints.example.com/console.html?', 'must not have a query or a fragment'],
    ['https://user:pw@complaints.example.com/console.html', 'must not carry credentials'],
    [
      'https://staff.example.com/console.html',
      "https://staff.example.com is neither siteDomainName's nor one of allowedOrigins",
    ],
    ['console.html', '"console.html" is not a URL'],
  ])('rejects the console URL %s', (consoleUrl, problem) => {
    expect(problemsOf({ ...valid, consoleUrl })).toMatch(/consoleUrl: /);
    expect(problemsOf({ ...valid, consoleUrl })).toContain(problem);
  });

  it('accepts an http://localhost console URL (local tests) and normalizes it', () => {
    const config = parseDeployConfig({
      ...valid,
      allowedOrigins: ['https://complaints.example.com', 'http://localhost:3000'],
      consoleUrl: ' http://LOCALHOST:3000/console.html ',
    });
    expect(config.consoleUrl).toBe('http://localhost:3000/console.html');
    expect(parseDeployConfig({ ...valid, consoleUrl: 'https://complaints.example.com' }).consoleUrl).toBe(
      'https://complaints.example.com/',
    );
  });

  it.each([
    ['', 'must be 1-63 lowercase letters'],
    ['Acme', 'must be 1-63 lowercase letters'],
    ['acme_complaints', 'must be 1-63 lowercase letters'],
    ['-acme', 'not starting or ending with a hyphen'],
    ['acme-', 'not starting or ending with a hyphen'],
    ['a'.repeat(64), 'must be 1-63'],
    ['acme-aws-complaints', 'must not contain "aws"'],
    ['amazonian', 'must not contain "amazon"'],
    ['my-cognito', 'must not contain "cognito"'],
  ])('rejects the Cognito domain prefix %j', (cognitoDomainPrefix, problem) => {
    expect(problemsOf({ ...valid, cognitoDomainPrefix })).toContain(problem);
  });

  it('accepts Cognito domain prefixes of 1 and 63 characters', () => {
    expect(parseDeployConfig({ ...valid, cognitoDomainPrefix: 'x' }).cognitoDomainPrefix).toBe('x');
    const long = `a${'-0'.repeat(31)}`;
    expect(long).toHaveLength(63);
    expect(parseDeployConfig({ ...valid, cognitoDomainPrefix: long }).cognitoDomainPrefix).toBe(long);
  });

  it('throttles the public write routes far below the rest of the API by default', () => {
    expect(DEFAULTS.publicWriteThrottleRateLimit).toBeLessThanOrEqual(5);
    expect(DEFAULTS.publicWriteThrottleBurstLimit).toBeLessThanOrEqual(10);
    const config = parseDeployConfig({
      ...valid,
      publicWriteThrottleRateLimit: '2',
      publicWriteThrottleBurstLimit: 4,
    });
    expect(config.publicWriteThrottle).toEqual({ rateLimit: 2, burstLimit: 4 });
  });

  it('rejects bad throttling and retention values', () => {
    expect(problemsOf({ ...valid, apiThrottleRateLimit: 0 })).toContain('apiThrottleRateLimit');
    expect(problemsOf({ ...valid, apiThrottleBurstLimit: 1.5 })).toContain('apiThrottleBurstLimit');
    expect(problemsOf({ ...valid, publicWriteThrottleRateLimit: -1 })).toContain(
      'publicWriteThrottleRateLimit',
    );
    expect(problemsOf({ ...valid, publicWriteThrottleBurstLimit: 0 })).toContain(
      'publicWriteThrottleBurstLimit',
    );
    expect(problemsOf({ ...valid, logRetentionDays: 10 })).toContain('logRetentionDays');
  });
});

describe('loadDeployConfig', () => {
  const root = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deploy-config-'));
    return dir;
  };

  it('reads config/deploy.json and lets context override keys (comma lists, numbers as strings)', () => {
    const dir = root();
    writeFileSync(path.join(dir, 'deploy.json'), JSON.stringify({ ...valid, $comment: 'ignored' }));
    const context: Record<string, unknown> = {
      deployConfig: 'deploy.json',
      allowedOrigins: 'https://a.example.com, https://b.example.com',
      apiThrottleRateLimit: '7',
      consoleUrl: 'https://b.example.com/console.html',
    };
    const config = loadDeployConfig(dir, (key) => context[key]);
    expect(config.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(config.apiThrottle.rateLimit).toBe(7);
    expect(config.consoleUrl).toBe('https://b.example.com/console.html');
    expect(config.cognitoDomainPrefix).toBe('acme-complaints');
    expect(config.managerAlarmEmails).toEqual(['boss@example.com']);
  });

  it('accepts JSON arrays from context and works without a file', () => {
    const context: Record<string, unknown> = {
      ...valid,
      managerAlarmEmails: '["a@example.com","b@example.com"]',
    };
    expect(loadDeployConfig(root(), (key) => context[key]).managerAlarmEmails).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
  });

  it('fails clearly on unknown keys, a missing named file, or nothing at all', () => {
    const dir = root();
    writeFileSync(
      path.join(dir, 'deploy.json'),
      JSON.stringify({ ...valid, alarmEmails: ['x@example.com'] }),
    );
    expect(() =>
      loadDeployConfig(dir, (key) => (key === 'deployConfig' ? 'deploy.json' : undefined)),
    ).toThrow(/unknown keys alarmEmails/);
    expect(() => loadDeployConfig(dir, (key) => (key === 'deployConfig' ? 'nope.json' : undefined))).toThrow(
      /does not exist/,
    );
    expect(() => loadDeployConfig(root(), () => undefined)).toThrow(
      /no config\/deploy\.json and no context[\s\S]*managerAlarmEmails/,
    );
  });

  it('accepts the repository config/deploy.json', () => {
    const repoRoot = path.resolve(import.meta.dirname, '../..');
    expect(() => loadDeployConfig(repoRoot, () => undefined)).not.toThrow();
  });
});
