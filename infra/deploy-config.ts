/**
 * Deploy-time configuration of the CDK app: what differs between one operator's account
 * and another's, and is not read by the handlers at run time (that lives in the other
 * files of `config/`).
 *
 * Sources, later ones win key by key:
 *   1. `config/deploy.json` (or the file named by the context key `deployConfig`)
 *   2. CDK context: `npx cdk synth -c allowedOrigins=https://a.example,https://b.example`
 *      (lists as comma-separated strings or JSON arrays; numbers as strings are fine)
 *
 * Everything is validated here; a bad value fails synthesis with a message naming the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface DeployConfig {
  /**
   * The AWS region of the main stack (the edge stack with the WAF web ACL and the CloudFront log
   * bucket is always in us-east-1). Default: the CLI's region (`CDK_DEFAULT_REGION`, from
   * `AWS_REGION` or the profile); infra/app.ts stops when neither is set.
   */
  region?: string;
  /**
   * A custom domain for the pages and the API (e.g. `complaints.acme.com`), served by CloudFront
   * with the ACM certificate `siteCertificateArn` (in us-east-1). Without it the site is
   * `https://<id>.cloudfront.net` (stack output SiteUrl).
   */
  siteDomainName?: string;
  /** ACM certificate ARN in us-east-1 covering `siteDomainName`; required with it. */
  siteCertificateArn?: string;
  /**
   * Extra origins the browser may call the API from (CORS). The pages the stack hosts call the
   * API on their own origin and need none; e.g. `http://localhost:3000` to try local pages
   * against the deployed API. Default: none (no CORS configuration).
   */
  allowedOrigins: string[];
  /** Email addresses subscribed to the managers' alarm topic. At least one. */
  managerAlarmEmails: string[];
  /** The From address of every email the service sends. */
  senderEmail: string;
  /**
   * The SES identity to create and to scope `ses:SendEmail` to: a domain (recommended,
   * e.g. `example.com`) or an email address. Defaults to `senderEmail`. When it is a
   * domain, `senderEmail` must be an address in that domain.
   */
  sesIdentity: string;
  /**
   * Base URL of the status page in customer emails (`<base>/status.html`). Default: the site
   * the stack hosts (custom domain or CloudFront address). Set it only for pages hosted elsewhere.
   */
  statusPageBaseUrl?: string;
  /**
   * The staff console page exactly as the browser opens it: the Cognito app client's only
   * callback and sign-out URL. Default: `<site>/console.html` of the site the stack hosts. Set
   * it only for a console hosted elsewhere; its origin must then be `siteDomainName`'s or one of
   * `allowedOrigins`.
   */
  consoleUrl?: string;
  /**
   * Prefix of the Cognito hosted-UI domain `https://<prefix>.auth.<region>.amazoncognito.com`
   * (unique in the region; lowercase letters, digits, hyphens; no "aws", "amazon", "cognito").
   */
  cognitoDomainPrefix: string;
  /** API default-stage throttling: steady-state requests per second and burst. */
  apiThrottle: { rateLimit: number; burstLimit: number };
  /**
   * Throttling of each public POST route (no login: `POST /complaints`, the customer's
   * decision and survey). Far below `apiThrottle`: every new complaint emails an address
   * the caller chose and starts a journey.
   */
  publicWriteThrottle: { rateLimit: number; burstLimit: number };
  /**
   * Per-client limits (WAF rate-based rules on the CloudFront distribution, counted per client
   * IP over `windowSeconds`): `publicWrites` = POST requests outside `/staff/` (filing a
   * complaint, the customer's decision and survey); `publicRequests` = every request outside
   * `/staff/` (pages, status page reads). A client over a limit gets 429 until its rate drops;
   * other clients are not affected. Staff routes are left to the JWT authorizer and the stage
   * throttling (an office behind one address must not be limited as one client).
   */
  clientLimits: { publicWrites: number; publicRequests: number; windowSeconds: number };
  /** Retention of every log group the stack creates, in days (a CloudWatch Logs value). */
  logRetentionDays: number;
}

/** The keys a deploy config may carry (file or context). */
export const DEPLOY_CONFIG_KEYS = [
  'region',
  'siteDomainName',
  'siteCertificateArn',
  'allowedOrigins',
  'managerAlarmEmails',
  'senderEmail',
  'sesIdentity',
  'statusPageBaseUrl',
  'consoleUrl',
  'cognitoDomainPrefix',
  'apiThrottleRateLimit',
  'apiThrottleBurstLimit',
  'publicWriteThrottleRateLimit',
  'publicWriteThrottleBurstLimit',
  'clientPublicWriteLimit',
  'clientRequestLimit',
  'clientLimitWindowSeconds',
  'logRetentionDays',
] as const;
type DeployConfigKey = (typeof DEPLOY_CONFIG_KEYS)[number];

export const DEFAULTS = {
  apiThrottleRateLimit: 50,
  apiThrottleBurstLimit: 100,
  publicWriteThrottleRateLimit: 2,
  publicWriteThrottleBurstLimit: 10,
  clientPublicWriteLimit: 20,
  clientRequestLimit: 1000,
  clientLimitWindowSeconds: 300,
  logRetentionDays: 90,
} as const;

/** WAF rate-based rules: evaluation windows AWS offers, and the smallest limit. */
const WAF_WINDOWS = [60, 120, 300, 600];
const WAF_MIN_LIMIT = 10;
const WAF_MAX_LIMIT = 2_000_000_000;
/** An AWS region name, e.g. ap-southeast-1, cn-north-1, us-gov-west-1. */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ACM_US_EAST_1 = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** CloudWatch Logs retention values (days). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export class DeployConfigError extends Error {
  constructor(problems: string[], source: string) {
    super(
      `Invalid deploy configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Set these keys in config/deploy.json or with `-c key=value` (see infra/deploy-config.ts).',
    );
    this.name = 'DeployConfigError';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Cognito's pattern for a prefix domain (CreateUserPoolDomain `Domain`). */
const COGNITO_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const COGNITO_PREFIX_RESERVED = ['aws', 'amazon', 'cognito'];

function asList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) ? parsed : [value];
      } catch {
        return [value];
      }
    }
    return text === '' ? [] : text.split(',').map((s) => s.trim());
  }
  return [value];
}

function asNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' ? value : Number(value);
}

function isLocalhost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1';
}

/**
 * Validates raw values (from a file and/or context) into a DeployConfig, or throws a
 * DeployConfigError listing every problem.
 */
export function parseDeployConfig(
  raw: Partial<Record<DeployConfigKey, unknown>>,
  source = 'deploy config',
): DeployConfig {
  const problems: string[] = [];

  const region = typeof raw.region === 'string' && raw.region.trim() ? raw.region.trim() : undefined;
  if (raw.region !== undefined && raw.region !== '' && !(region && REGION.test(region)))
    problems.push(`region: ${JSON.stringify(raw.region)} is not an AWS region (e.g. "ap-southeast-1")`);

  const siteDomainName =
    typeof raw.siteDomainName === 'string' && raw.siteDomainName.trim()
      ? raw.siteDomainName.trim().toLowerCase()
      : undefined;
  const siteCertificateArn =
    typeof raw.siteCertificateArn === 'string' && raw.siteCertificateArn.trim()
      ? raw.siteCertificateArn.trim()
      : undefined;
  if (siteDomainName && !DOMAIN.test(siteDomainName))
    problems.push(`siteDomainName: ${JSON.stringify(raw.siteDomainName)} is not a domain name`);
  if (siteDomainName && !siteCertificateArn)
    problems.push(
      'siteCertificateArn: required with siteDomainName (an ACM certificate in us-east-1 covering it)',
    );
  if (siteCertificateArn && !siteDomainName)
    problems.push('siteDomainName: required with siteCertificateArn (the name the certificate covers)');
  if (siteCertificateArn && !ACM_US_EAST_1.test(siteCertificateArn))
    problems.push(
      `siteCertificateArn: ${siteCertificateArn} is not an ACM certificate ARN in us-east-1 (CloudFront uses certificates from us-east-1 only)`,
    );

  const origins = asList(raw.allowedOrigins) ?? [];
  const allowedOrigins: string[] = [];
  for (const origin of origins) {
    if (typeof origin !== 'string' || origin.includes('*')) {
      problems.push(`allowedOrigins: ${JSON.stringify(origin)} is not an origin (no wildcards)`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      problems.push(`allowedOrigins: ${JSON.stringify(origin)} is not a URL`);
      continue;
    }
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLocalhost(url.hostname));
    if (!secure)
      problems.push(`allowedOrigins: ${JSON.stringify(origin)} must use https (http only for localhost)`);
    else if (url.origin !== origin.replace(/\/$/, '')) {
      problems.push(
        `allowedOrigins: ${JSON.stringify(origin)} must be a bare origin (scheme://host[:port], no path)`,
      );
    } else allowedOrigins.push(url.origin);
  }

  const emails = asList(raw.managerAlarmEmails) ?? [];
  if (emails.length === 0) problems.push('managerAlarmEmails: at least one email address is required');
  const managerAlarmEmails: string[] = [];
  for (const email of emails) {
    if (typeof email === 'string' && EMAIL.test(email)) managerAlarmEmails.push(email);
    else problems.push(`managerAlarmEmails: ${JSON.stringify(email)} is not an email address`);
  }

  const senderEmail = typeof raw.senderEmail === 'string' ? raw.senderEmail.trim() : '';
  if (!EMAIL.test(senderEmail))
    problems.push(`senderEmail: ${JSON.stringify(raw.senderEmail)} is not an email address`);

  const identityRaw = raw.sesIdentity ?? senderEmail;
  const sesIdentity = typeof identityRaw === 'string' ? identityRaw.trim() : '';
  if (EMAIL.test(sesIdentity)) {
    if (EMAIL.test(senderEmail) && sesIdentity.toLowerCase() !== senderEmail.toLowerCase()) {
      problems.push(
        `sesIdentity: the email identity ${sesIdentity} does not cover senderEmail ${senderEmail}`,
      );
    }
  } else if (DOMAIN.test(sesIdentity)) {
    const senderDomain = senderEmail.split('@')[1]?.toLowerCase();
    if (EMAIL.test(senderEmail) && senderDomain !== sesIdentity.toLowerCase()) {
      problems.push(`sesIdentity: senderEmail ${senderEmail} is not in the domain ${sesIdentity}`);
    }
  } else {
    problems.push(`sesIdentity: ${JSON.stringify(raw.sesIdentity)} is neither a domain nor an email address`);
  }

  let statusPageBaseUrl: string | undefined;
  if (raw.statusPageBaseUrl !== undefined && raw.statusPageBaseUrl !== '') {
    statusPageBaseUrl =
      typeof raw.statusPageBaseUrl === 'string' ? raw.statusPageBaseUrl.trim().replace(/\/+$/, '') : '';
    try {
      const url = new URL(statusPageBaseUrl);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalhost(url.hostname))) {
        problems.push(`statusPageBaseUrl: ${statusPageBaseUrl} must use https`);
      }
    } catch {
      problems.push(
        `statusPageBaseUrl: ${JSON.stringify(raw.statusPageBaseUrl)} is not a URL (e.g. "https://complaints.example.com"); leave it out to use the site the stack hosts`,
      );
    }
  }

  const consoleOrigins = [...allowedOrigins, ...(siteDomainName ? [`https://${siteDomainName}`] : [])];
  const consoleUrl =
    raw.consoleUrl !== undefined && raw.consoleUrl !== ''
      ? parseConsoleUrl(raw.consoleUrl, consoleOrigins, problems)
      : undefined;

  const prefix = typeof raw.cognitoDomainPrefix === 'string' ? raw.cognitoDomainPrefix.trim() : '';
  const reserved = COGNITO_PREFIX_RESERVED.filter((word) => prefix.includes(word));
  if (!COGNITO_PREFIX.test(prefix)) {
    problems.push(
      `cognitoDomainPrefix: ${JSON.stringify(raw.cognitoDomainPrefix)} must be 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen (e.g. "acme-complaints")`,
    );
  } else if (reserved.length > 0) {
    problems.push(
      `cognitoDomainPrefix: ${prefix} must not contain ${reserved.map((w) => `"${w}"`).join(', ')}`,
    );
  }

  const rateLimit = asNumber(raw.apiThrottleRateLimit) ?? DEFAULTS.apiThrottleRateLimit;
  const burstLimit = asNumber(raw.apiThrottleBurstLimit) ?? DEFAULTS.apiThrottleBurstLimit;
  if (!Number.isFinite(rateLimit) || rateLimit <= 0)
    problems.push('apiThrottleRateLimit: must be a positive number');
  if (!Number.isInteger(burstLimit) || burstLimit <= 0)
    problems.push('apiThrottleBurstLimit: must be a positive integer');
  const publicRate = asNumber(raw.publicWriteThrottleRateLimit) ?? DEFAULTS.publicWriteThrottleRateLimit;
  const publicBurst = asNumber(raw.publicWriteThrottleBurstLimit) ?? DEFAULTS.publicWriteThrottleBurstLimit;
  if (!Number.isFinite(publicRate) || publicRate <= 0)
    problems.push('publicWriteThrottleRateLimit: must be a positive number');
  if (!Number.isInteger(publicBurst) || publicBurst <= 0)
    problems.push('publicWriteThrottleBurstLimit: must be a positive integer');

  const windowSeconds = asNumber(raw.clientLimitWindowSeconds) ?? DEFAULTS.clientLimitWindowSeconds;
  if (!WAF_WINDOWS.includes(windowSeconds))
    problems.push(
      `clientLimitWindowSeconds: must be one of ${WAF_WINDOWS.join(', ')} (WAF evaluation windows)`,
    );
  const clientLimit = (key: 'clientPublicWriteLimit' | 'clientRequestLimit'): number => {
    const value = asNumber(raw[key]) ?? DEFAULTS[key];
    if (!Number.isInteger(value) || value < WAF_MIN_LIMIT || value > WAF_MAX_LIMIT)
      problems.push(
        `${key}: must be an integer from ${WAF_MIN_LIMIT} to ${WAF_MAX_LIMIT} (requests per client per window)`,
      );
    return value;
  };
  const clientLimits = {
    publicWrites: clientLimit('clientPublicWriteLimit'),
    publicRequests: clientLimit('clientRequestLimit'),
    windowSeconds,
  };

  const logRetentionDays = asNumber(raw.logRetentionDays) ?? DEFAULTS.logRetentionDays;
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    problems.push(
      `logRetentionDays: ${raw.logRetentionDays} is not a CloudWatch Logs retention (${RETENTION_DAYS.join(', ')})`,
    );
  }

  if (problems.length > 0) throw new DeployConfigError(problems, source);
  return {
    ...(region ? { region } : {}),
    ...(siteDomainName ? { siteDomainName } : {}),
    ...(siteCertificateArn ? { siteCertificateArn } : {}),
    allowedOrigins,
    managerAlarmEmails,
    senderEmail,
    sesIdentity,
    ...(statusPageBaseUrl !== undefined ? { statusPageBaseUrl } : {}),
    ...(consoleUrl !== undefined ? { consoleUrl } : {}),
    cognitoDomainPrefix: prefix,
    apiThrottle: { rateLimit, burstLimit },
    publicWriteThrottle: { rateLimit: publicRate, burstLimit: publicBurst },
    clientLimits,
    logRetentionDays,
  };
}

/**
 * The console page URL: https (Cognito accepts http only for localhost), no query, no
 * fragment, its origin among the CORS origins. Returns it normalized as the browser
 * spells `location.origin + location.pathname`.
 */
function parseConsoleUrl(value: unknown, allowedOrigins: string[], problems: string[]): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(
      `consoleUrl: ${JSON.stringify(value)} is not a URL (the console page, e.g. "https://complaints.example.com/console.html")`,
    );
    return '';
  }
  const before = problems.length;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && url.hostname === 'localhost'))
    problems.push(`consoleUrl: ${text} must use https (http only for localhost)`);
  if (url.search || url.hash || text.includes('?') || text.includes('#'))
    problems.push(`consoleUrl: ${text} must not have a query or a fragment (it is the OAuth redirect URI)`);
  if (url.username || url.password) problems.push(`consoleUrl: ${text} must not carry credentials`);
  if (url.href.length > 1024) problems.push('consoleUrl: at most 1024 characters');
  if (problems.length === before && !allowedOrigins.includes(url.origin)) {
    problems.push(
      `consoleUrl: its origin ${url.origin} is neither siteDomainName's nor one of allowedOrigins (the console calls the API from there); leave consoleUrl out to use the console the stack hosts`,
    );
  }
  return url.href;
}

/**
 * Reads the deploy config file (when present) and overlays CDK context values.
 * `tryGetContext` is `app.node.tryGetContext`.
 */
export function loadDeployConfig(repoRoot: string, tryGetContext: (key: string) => unknown): DeployConfig {
  const fileKey = tryGetContext('deployConfig');
  const file = path.resolve(repoRoot, typeof fileKey === 'string' ? fileKey : 'config/deploy.json');
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new DeployConfigError([`cannot parse ${file}: ${(error as Error).message}`], file);
    }
    const unknown = Object.keys(fromFile).filter(
      (k) => !k.startsWith('$') && !(DEPLOY_CONFIG_KEYS as readonly string[]).includes(k),
    );
    if (unknown.length > 0) throw new DeployConfigError([`unknown keys ${unknown.join(', ')}`], file);
  } else if (typeof fileKey === 'string') {
    throw new DeployConfigError([`the file ${file} (context deployConfig) does not exist`], file);
  }
  const raw: Partial<Record<DeployConfigKey, unknown>> = { ...fromFile };
  const fromContext: string[] = [];
  for (const key of DEPLOY_CONFIG_KEYS) {
    const value = tryGetContext(key);
    if (value !== undefined) {
      raw[key] = value;
      fromContext.push(key);
    }
  }
  const source = [
    existsSync(file) ? path.relative(repoRoot, file) : undefined,
    fromContext.length ? `context: ${fromContext.join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join(' + ');
  return parseDeployConfig(raw, source || 'no config/deploy.json and no context');
}
