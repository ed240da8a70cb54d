/**
 * The Lambda bundles as infra/constructs/lambda.ts builds them (settings in infra/bundling.ts):
 * what they leave out, and that the lazily required lunar-javascript is found beside the
 * bundle, where the deployment copies it, and only for a year without official data.
 * (Sizes and cold-import times are measured by `npm run bench -- bundles`, not here.)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptions, LAMBDA_NODE_OPTIONS, SHIPPED_MODULES } from '../../infra/bundling.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'bundling-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(entry: string, outfile: string): Promise<string> {
  await build(esbuildOptions(entry, outfile, { sourceMap: false }));
  return readFileSync(outfile, 'utf8');
}

describe('Lambda bundles', () => {
  it('leave out lunar-javascript, the X-Ray SDK and zod locales', async () => {
    const text = await bundle(
      path.join(ROOT, 'functions/journey/await-step.ts'),
      path.join(dir, 'await-step.cjs'),
    );
    expect(text).toContain('require("lunar-javascript")');
    expect(text).not.toContain('LunarMonth'); // lunar-javascript's own code
    expect(text).not.toMatch(/aws-xray|AWSXRay|cls-hooked/);
    expect(text).not.toContain('Eingabe'); // zod's German locale (all locales came with `import { z }`)
  }, 60_000);

  it('require lunar-javascript from beside the bundle, only for a year without official data', async () => {
    const lambdaDir = path.join(dir, 'task');
    const entry = path.join(ROOT, '.bundling-test-entry.ts');
    writeFileSync(entry, "export { loadCalendar } from './functions/domain/calendar/index.js';\n");
    try {
      await bundle(entry, path.join(lambdaDir, 'index.js'));
    } finally {
      rmSync(entry, { force: true });
    }
    // what lambda.ts's afterBundling hook does
    for (const name of SHIPPED_MODULES) {
      cpSync(path.join(ROOT, 'node_modules', name), path.join(lambdaDir, 'node_modules', name), {
        recursive: true,
      });
    }
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('lunar-javascript'));
      const calendar = require('./index.js').loadCalendar(${JSON.stringify(path.join(ROOT, 'config'))});
      const official = calendar.addWorkingDays(new Date('2026-03-02T10:00:00+08:00'), 5);
      const before = loaded();
      const projected = calendar.addWorkingDays(new Date('2030-09-30T10:00:00+08:00'), 5);
      process.stdout.write(JSON.stringify({ official, before, projected, after: loaded() }));`;
    const env = { ...process.env };
    delete env.NODE_PATH;
    const out = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: lambdaDir, env, encoding: 'utf8' }),
    );
    expect(out.official).toEqual({ dueAt: '2026-03-09T18:00:00+08:00', provisional: false });
    expect(out.before).toBe(false);
    // 国庆节 2030: Oct 1–3 (and 中秋 on Sep 12 is outside the span) → provisional, projected
    expect(out.projected).toEqual({ dueAt: '2030-10-10T18:00:00+08:00', provisional: true });
    expect(out.after).toBe(true);
  }, 60_000);

  it("carry a source map without the sources' text that still names the TypeScript file of a stack frame", async () => {
    const outDir = path.join(dir, 'mapped');
    const outfile = path.join(outDir, 'index.js');
    const entry = path.join(ROOT, '.bundling-test-throw.ts');
    writeFileSync(
      entry,
      "import { ValidationError } from './functions/domain/errors.js';\nexport function fail(): never {\n  throw new ValidationError('boom', []);\n}\n",
    );
    try {
      await build(esbuildOptions(entry, outfile));
    } finally {
      rmSync(entry, { force: true });
    }
    const map = JSON.parse(readFileSync(`${outfile}.map`, 'utf8')) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources.some((s) => s.endsWith('.bundling-test-throw.ts'))).toBe(true);
    writeFileSync(path.join(outDir, 'package.json'), '{"type":"commonjs"}');
    const script = "try { require('./index.js').fail() } catch (e) { process.stdout.write(e.stack) }";
    const stack = execFileSync(process.execPath, [...LAMBDA_NODE_OPTIONS.split(' '), '-e', script], {
      cwd: outDir,
      encoding: 'utf8',
    });
    // the throwing line of the TypeScript source (line 3), not a position in the minified bundle
    expect(stack).toMatch(/\.bundling-test-throw\.ts:3:\d+/);
  }, 60_000);
});
