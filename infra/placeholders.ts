/**
 * The deploy guard: the repository ships example values (`example.com` addresses, the
 * `example-complaints` Cognito prefix) that must never reach a real deployment. infra/app.ts
 * stops synthesis — and so `cdk deploy` — listing every field still holding one, unless the
 * context flag `allowPlaceholders=true` is given (`npm run synth` and the tests: they only build
 * templates).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DeployConfig } from './deploy-config.js';

/** The context key that lets synthesis go on with example values (never for a deploy). */
export const ALLOW_PLACEHOLDERS = 'allowPlaceholders';

/** The reserved example domains (RFC 2606/6761) and the shipped Cognito prefix. */
const EXAMPLE_DOMAIN =
  /(^|[@./\s<])example\.(com|org|net)($|[/:>\s])|(^|[@./\s<])[a-z0-9-]+\.example($|[/:>\s])/i;

export function isPlaceholder(value: string): boolean {
  return EXAMPLE_DOMAIN.test(value);
}

/** `a.b[0].c` paths of every string in a JSON value holding a placeholder. */
function placeholderPaths(value: unknown, at: string, out: string[]): void {
  if (typeof value === 'string') {
    if (isPlaceholder(value)) out.push(at);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      placeholderPaths(item, `${at}[${i}]`, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$')) continue;
      placeholderPaths(item, at ? `${at}.${key}` : key, out);
    }
  }
}

/**
 * config/notifications.json fields the stack replaces at deploy (SENDER_EMAIL replaces the address of `from`,
 * STATUS_PAGE_BASE_URL, CONSOLE_BASE_URL): an example value there never reaches an email.
 */
const OVERRIDDEN_AT_DEPLOY = new Set(['from', 'statusPageBaseUrl', 'consoleBaseUrl']);

/**
 * Every field still holding an example value: deploy config keys (as the operator writes them),
 * then `config/notifications.json` and `config/branding.json` fields. Empty when ready.
 */
export function findPlaceholders(config: DeployConfig, configDir: string): string[] {
  const found: string[] = [];
  const deployKeys: [string, unknown][] = [
    ['allowedOrigins', config.allowedOrigins],
    ['managerAlarmEmails', config.managerAlarmEmails],
    ['senderEmail', config.senderEmail],
    ['sesIdentity', config.sesIdentity],
    ['statusPageBaseUrl', config.statusPageBaseUrl],
    ['consoleUrl', config.consoleUrl],
    ['siteDomainName', config.siteDomainName],
  ];
  for (const [key, value] of deployKeys) {
    const paths: string[] = [];
    placeholderPaths(value, key, paths);
    if (paths.length > 0) found.push(`deploy config ${key} (${[value].flat().join(', ')})`);
  }
  if (/^example\b/.test(config.cognitoDomainPrefix))
    found.push(`deploy config cognitoDomainPrefix (${config.cognitoDomainPrefix})`);

  for (const file of ['notifications.json', 'branding.json']) {
    const full = path.join(configDir, file);
    if (!existsSync(full)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(full, 'utf8'));
    } catch {
      continue; // product-config.ts reports unreadable files with the loader's message
    }
    const paths: string[] = [];
    placeholderPaths(json, '', paths);
    const kept = paths.filter((p) => !(file === 'notifications.json' && OVERRIDDEN_AT_DEPLOY.has(p)));
    for (const p of kept) found.push(`config/${file} ${p}`);
  }
  return found;
}

export class PlaceholderError extends Error {
  constructor(fields: string[]) {
    super(
      `Not deploying: these fields still hold example values (example.com, example-complaints):\n${fields
        .map((f) => `  - ${f}`)
        .join('\n')}\n` +
        'Fill them with your own addresses (docs/DEPLOY.md, "Configuration checklist"), then run the command again.\n' +
        `(To only build the templates with the examples, as \`npm run synth\` does: -c ${ALLOW_PLACEHOLDERS}=true.)`,
    );
    this.name = 'PlaceholderError';
  }
}
