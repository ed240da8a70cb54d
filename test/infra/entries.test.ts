/**
 * The real files CDK deploys: every entry named in functions/routes.ts exists and exports
 * `handler` (NodejsFunction uses handler "index.handler"), and the real ASL file uses exactly
 * the substitutions the journey construct provides. The stack tests use stubs; these don't.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNEY_TASKS, ROUTES } from '../../functions/routes.js';
import { ASL_FILE, REPO_ROOT, STAGE_GAUGE_ENTRY } from '../../infra/complaint-stack.js';
import { STALLED_JOURNEYS_ENTRY } from '../../infra/constructs/alarms.js';
import { API_ACCESS } from '../../infra/constructs/api.js';
import { JOURNEY_ACCESS, substitutionKey } from '../../infra/constructs/journey.js';

/** `export const handler`, `export async function handler`, `export { handler }`, `export { x as handler }`. */
function exportsHandler(source: string): boolean {
  return (
    /export\s+(const|let|var)\s+handler\b/.test(source) ||
    /export\s+(async\s+)?function\s+handler\b/.test(source) ||
    /export\s*\{[^}]*\b(as\s+)?handler\b[^}]*\}/.test(source)
  );
}

describe('exportsHandler', () => {
  it('recognises the export forms and rejects a file without one', () => {
    expect(exportsHandler('export const handler = async () => {}')).toBe(true);
    expect(exportsHandler('export async function handler(e) {}')).toBe(true);
    expect(exportsHandler('const h = 1;\nexport { h as handler };')).toBe(true);
    expect(exportsHandler('export { handler, other } from "./x.js";')).toBe(true);
    expect(exportsHandler('export const main = async () => {}; // handler')).toBe(false);
    expect(exportsHandler('export const handlerFactory = () => {}')).toBe(false);
  });
});

const entries = [
  ...new Set([...ROUTES.map((r) => r.entry), ...JOURNEY_TASKS.map((t) => t.entry), STALLED_JOURNEYS_ENTRY]),
];
const gaugeFile = path.join(REPO_ROOT, STAGE_GAUGE_ENTRY);

describe('handler entries', () => {
  it.each(entries)('%s exists and exports handler', (entry) => {
    const file = path.join(REPO_ROOT, entry);
    expect(existsSync(file), `${entry} is missing`).toBe(true);
    expect(exportsHandler(readFileSync(file, 'utf8')), `${entry} has no handler export`).toBe(true);
  });

  // Optional: the stack schedules the stage gauge only when its file exists.
  it.skipIf(!existsSync(gaugeFile))(`${STAGE_GAUGE_ENTRY} (when present) exports handler`, () => {
    expect(exportsHandler(readFileSync(gaugeFile, 'utf8'))).toBe(true);
  });

  it('gives every API entry and journey task an access policy in CDK, and no stale ones', () => {
    expect(Object.keys(API_ACCESS).sort()).toEqual([...new Set(ROUTES.map((r) => r.entry))].sort());
    expect(Object.keys(JOURNEY_ACCESS).sort()).toEqual(JOURNEY_TASKS.map((t) => t.key).sort());
  });

  it('grants SES exactly to the journey tasks whose handlers can send email', () => {
    const logic = readFileSync(path.join(REPO_ROOT, 'functions/journey/tasks.ts'), 'utf8');
    // Each task is `async <Key>(event...) { ... }` in createJourneyTasks; find the ones calling
    // notify( or the tasks' helpers that call it: email(, sendAndRecord(, notifySafely(.
    const bodies = logic.split(/\n\s{4}async (?=[A-Z]\w*\()/).slice(1);
    const emailing = bodies
      .filter((body) => /\b(notify|email|sendAndRecord|notifySafely)\(/.test(body))
      .map((body) => body.slice(0, body.indexOf('(')));
    expect(
      emailing.length,
      'no task calling notify( found: update this test to the new layout of functions/journey/tasks.ts',
    ).toBeGreaterThan(0);
    const granted = Object.entries(JOURNEY_ACCESS)
      .filter(([, access]) => access.email)
      .map(([key]) => key);
    expect(granted.sort()).toEqual(emailing.sort());
  });
});

describe('ASL file', () => {
  it('uses exactly the <key>FunctionArn substitutions of JOURNEY_TASKS', () => {
    const file = path.join(REPO_ROOT, ASL_FILE);
    expect(existsSync(file), `${ASL_FILE} is missing`).toBe(true);
    const text = readFileSync(file, 'utf8');
    JSON.parse(text);
    const used = new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(JOURNEY_TASKS.map(substitutionKey).sort());
  });
});
