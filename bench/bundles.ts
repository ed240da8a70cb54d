/**
 * Lambda bundles: size of each function's bundle (built as CDK builds it: esbuild, CommonJS,
 * node22, minified, AWS SDK v3 external, the lazily required SHIPPED_MODULES external:
 * infra/bundling.ts) and its cold import time, against a bare bundle that
 * only creates the same SDK clients, measured in the same run (ratios hold across machines).
 *
 * `npm run bench -- bundles`, or `tsx bench/bundles.ts` alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { JOURNEY_TASKS, ROUTES } from '../functions/routes.js';
import { BUNDLE_TARGET, RUNTIME_MODULES, SHIPPED_MODULES } from '../infra/bundling.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const SCHEDULED = ['functions/scheduled/stage-gauge.ts', 'functions/scheduled/start-stalled-journeys.ts'];
/** cold imports per bundle; the median is reported */
const RUNS = 5;

/** The SDK packages a bundle requires (they stay external, as on Lambda). */
function sdkPackagesOf(bundleText: string): string[] {
  const found = new Set<string>();
  for (const m of bundleText.matchAll(/require\("(@aws-sdk\/[a-z0-9-]+)"\)/g)) found.add(m[1] as string);
  return [...found].sort();
}

/** A bare handler that creates one client of each SDK package the real bundle uses. */
function bareSource(sdkPackages: string[]): string {
  const lines = sdkPackages.map((pkg, i) => `const m${i} = require(${JSON.stringify(pkg)});`);
  const clients = sdkPackages
    .map((pkg, i) => {
      if (pkg === '@aws-sdk/lib-dynamodb') return '';
      return `const c${i} = Object.values(m${i}).find((v) => typeof v === 'function' && /Client$/.test(v.name) && v.name !== 'Client'); if (c${i}) new c${i}({});`;
    })
    .join('\n');
  return `${lines.join('\n')}\n${clients}\nexports.handler = async () => ({ statusCode: 200 });\n`;
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    minify: true,
    external: [...RUNTIME_MODULES, ...SHIPPED_MODULES],
    logLevel: 'silent',
  });
}

/** Milliseconds to require the file in a fresh Node process. */
function coldImportOnce(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  return Number(
    execFileSync(process.execPath, ['-e', script], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        AWS_REGION: 'us-east-1',
        TABLE_NAME: 'bench',
        STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
        CONFIG_DIR: path.join(REPO_ROOT, 'config'),
        NODE_PATH: path.join(REPO_ROOT, 'node_modules'),
      },
      encoding: 'utf8',
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Cold imports of the real and the bare bundle, alternated so both see the same machine load. */
function coldImportPair(real: string, bare: string): { real: number; bare: number } {
  const r: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    r.push(coldImportOnce(real));
    b.push(coldImportOnce(bare));
  }
  return { real: median(r), bare: median(b) };
}

export async function benchBundles(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bundles-'));
  try {
    const entries = [
      ...new Set([...ROUTES.map((r) => r.entry), ...JOURNEY_TASKS.map((t) => t.entry), ...SCHEDULED]),
    ];
    console.log(
      `\nLambda bundles (esbuild cjs/node22/minified, @aws-sdk external; cold import median of ${RUNS})`,
    );
    console.log(
      `${'entry'.padEnd(48)} ${'KB'.padStart(7)} ${'import ms'.padStart(10)} ${'bare ms'.padStart(8)} ${'ratio'.padStart(6)}`,
    );
    let worstRatio = 0;
    let largest = 0;
    for (const entry of entries) {
      const name = entry.replace(/[/.]/g, '_');
      const out = path.join(dir, `${name}.cjs`);
      await bundle(path.join(REPO_ROOT, entry), out);
      const text = readFileSync(out, 'utf8');
      const bare = path.join(dir, `${name}.bare.cjs`);
      writeFileSync(bare, bareSource(sdkPackagesOf(text)));
      const kb = statSync(out).size / 1024;
      const { real, bare: base } = coldImportPair(out, bare);
      const ratio = real / base;
      worstRatio = Math.max(worstRatio, ratio);
      largest = Math.max(largest, kb);
      console.log(
        `${entry.padEnd(48)} ${kb.toFixed(0).padStart(7)} ${real.toFixed(1).padStart(10)} ${base.toFixed(1).padStart(8)} ${ratio.toFixed(2).padStart(6)}×`,
      );
    }
    console.log(
      `bundles: largest ${largest.toFixed(0)} KB (goal ≤ 400), worst cold-import ratio ${worstRatio.toFixed(2)}× (goal ≤ 1.4×)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await benchBundles();
}
