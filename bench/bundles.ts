/**
 * Lambda bundles: size of each function's bundle (built as CDK builds it: esbuild, CommonJS,
 * node22, minified, AWS SDK v3 external, the lazily required SHIPPED_MODULES external, a linked
 * source map without the sources' text: infra/bundling.ts) and its cold import, against a bare
 * bundle that only requires the same @aws-sdk packages and creates one client of each, measured
 * in the same run (ratios hold across machines).
 *
 * Cold import: `require()` of the bundle in a fresh Node process started with the functions'
 * NODE_OPTIONS (`--enable-source-maps`, so the map is parsed as on Lambda), timed by the child
 * itself as its own CPU time (user + system, all threads) around the require, plus the wall
 * time for reference. Each bundle and its bare bundle are imported BENCH_BUNDLES_RUNS times
 * (default 21), alternated, after a discarded warm-up pair; the ratio is the median of the
 * runs' own ratios (each pair back to back), the spread their middle half. CPU time, not wall time: on a shared
 * machine the wall time also counts the time a process waited for a core (the small health
 * bundle read 1.14× and 1.77× in two wall-clock runs). A last row imports a bare bundle
 * against a byte-identical copy of itself: the noise floor, which should read 1.00×.
 *
 * `npm run bench -- bundles`, or `tsx bench/bundles.ts` alone; `BENCH_BUNDLES_ONLY=health,notify`
 * measures only the entries whose path contains one of the words.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { JOURNEY_TASKS, ROUTES } from '../functions/routes.js';
import { esbuildOptions, LAMBDA_NODE_OPTIONS, SHIPPED_MODULES } from '../infra/bundling.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** The scheduled functions infra/ deploys (complaint-stack.ts, constructs/alarms.ts, constructs/warnings.ts). */
const SCHEDULED = [
  'functions/scheduled/stage-gauge.ts',
  'functions/scheduled/start-stalled-journeys.ts',
  'functions/scheduled/improvement-deadlines.ts',
  'functions/scheduled/step-warnings.ts',
];
/** cold imports per bundle and per bare bundle (`BENCH_BUNDLES_RUNS`); medians are reported */
const RUNS = Number(process.env.BENCH_BUNDLES_RUNS ?? 21);
const GOAL_RATIO = 1.4;
const GOAL_KB = 400;

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
  // a linked `.map` beside the bundle, as the deployment writes it
  await build(esbuildOptions(entry, outfile));
}

/**
 * The child that measures one cold import: the same script for the real and the bare bundle,
 * so both processes are set up alike. It reports the process's own CPU time (user + system,
 * all its threads: the parse, compile and module-level code, GC) spent in the require, and
 * the wall time. CPU time is what the comparison uses: on a shared machine the wall time
 * also counts the time the process waited for a core.
 */
const MEASURE_SCRIPT = `const file = process.argv[2];
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
require(file);
const wall = Number(process.hrtime.bigint() - t0) / 1e6;
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall }));
`;

interface Sample {
  cpu: number;
  wall: number;
}

/** One cold import of `file` in a fresh Node process (milliseconds). */
function coldImportOnce(measureScript: string, file: string): Sample {
  // the functions' NODE_OPTIONS (--enable-source-maps: the bundle's map is parsed as it loads)
  const out = execFileSync(process.execPath, [...LAMBDA_NODE_OPTIONS.split(' '), measureScript, file], {
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
  });
  return JSON.parse(out) as Sample;
}

/** The q-quantile of xs (linear interpolation). */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (at - lo);
}
const median = (xs: number[]) => quantile(xs, 0.5);

export interface PairResult {
  /** medians over the runs (ms) */
  realCpu: number;
  bareCpu: number;
  realWall: number;
  bareWall: number;
  /**
   * the median of the runs' own real/bare CPU ratios (each run's pair imported back to back,
   * so a change of machine load between runs cancels out): the goal's figure
   */
  ratio: number;
  /** the middle half (25th–75th percentile) of the runs' own real/bare CPU ratios */
  spread: [number, number];
  wallRatio: number;
}

/**
 * `runs` cold imports of the real and of the bare bundle, alternated (and which goes first
 * alternated too) so both see the same machine load, after one discarded warm-up pair
 * (file cache).
 */
export function coldImportPair(measureScript: string, real: string, bare: string, runs = RUNS): PairResult {
  coldImportOnce(measureScript, real);
  coldImportOnce(measureScript, bare);
  const r: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      r.push(coldImportOnce(measureScript, real));
      b.push(coldImportOnce(measureScript, bare));
    } else {
      b.push(coldImportOnce(measureScript, bare));
      r.push(coldImportOnce(measureScript, real));
    }
  }
  const perRun = r.map((x, i) => x.cpu / (b[i] as Sample).cpu);
  const realCpu = median(r.map((x) => x.cpu));
  const bareCpu = median(b.map((x) => x.cpu));
  const realWall = median(r.map((x) => x.wall));
  const bareWall = median(b.map((x) => x.wall));
  return {
    realCpu,
    bareCpu,
    realWall,
    bareWall,
    ratio: median(perRun),
    spread: [quantile(perRun, 0.25), quantile(perRun, 0.75)],
    wallRatio: realWall / bareWall,
  };
}

function row(label: string, kb: string, p: PairResult): string {
  const spread = `${p.spread[0].toFixed(2)}–${p.spread[1].toFixed(2)}`;
  return `${label.padEnd(48)} ${kb.padStart(5)} ${p.realCpu.toFixed(1).padStart(8)} ${p.bareCpu.toFixed(1).padStart(8)} ${`${p.ratio.toFixed(2)}×`.padStart(6)} ${spread.padStart(10)} ${p.realWall.toFixed(0).padStart(5)}/${p.bareWall.toFixed(0).padEnd(4)} ${`${p.wallRatio.toFixed(2)}×`.padStart(6)}`;
}

/**
 * The entries to measure: every route's, journey task's and scheduled function's entry;
 * `BENCH_BUNDLES_ONLY=health,notify` keeps those whose path contains one of the words.
 */
function entriesToMeasure(): string[] {
  const all = [
    ...new Set([...ROUTES.map((r) => r.entry), ...JOURNEY_TASKS.map((t) => t.entry), ...SCHEDULED]),
  ];
  const only = process.env.BENCH_BUNDLES_ONLY?.split(',').filter(Boolean);
  return only ? all.filter((e) => only.some((w) => e.includes(w))) : all;
}

export async function benchBundles(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bundles-'));
  try {
    const measureScript = path.join(dir, 'measure.cjs');
    writeFileSync(measureScript, MEASURE_SCRIPT);
    console.log(
      `\nLambda bundles (esbuild cjs/node22/minified, @aws-sdk external, linked source map: as infra/bundling.ts builds them)` +
        `\ncold import = require() of the bundle in a fresh Node ${process.version} process (${LAMBDA_NODE_OPTIONS}): the child's own CPU time` +
        `\n(user+system), ${RUNS} runs, each importing it and its bare bundle (one requiring the same @aws-sdk packages` +
        `\nand creating one client of each) back to back; cpu ms and bare ms: medians; ratio: the median of the runs'` +
        `\nown real/bare ratios, spread: their middle half; wall medians for reference (they also count waiting for a core)`,
    );
    console.log(
      `${'entry'.padEnd(48)} ${'KB'.padStart(5)} ${'cpu ms'.padStart(8)} ${'bare ms'.padStart(8)} ${'ratio'.padStart(6)} ${'spread'.padStart(10)} ${'wall ms'.padStart(10)} ${'wall'.padStart(6)}`,
    );
    let worst = { ratio: 0, entry: '' };
    let largest = { kb: 0, entry: '' };
    let over = 0;
    const entries = entriesToMeasure();
    let control: string | undefined;
    for (const entry of entries) {
      const name = entry.replace(/[/.]/g, '_');
      const out = path.join(dir, `${name}.cjs`);
      await bundle(path.join(REPO_ROOT, entry), out);
      const text = readFileSync(out, 'utf8');
      const bare = path.join(dir, `${name}.bare.cjs`);
      writeFileSync(bare, bareSource(sdkPackagesOf(text)));
      control ??= bare;
      const kb = statSync(out).size / 1024;
      const p = coldImportPair(measureScript, out, bare);
      if (p.ratio > worst.ratio) worst = { ratio: p.ratio, entry };
      if (kb > largest.kb) largest = { kb, entry };
      if (p.ratio > GOAL_RATIO) over++;
      console.log(row(entry, kb.toFixed(0), p));
    }
    if (control) {
      // the noise floor: a bare bundle against a byte-identical copy of itself must read 1.00
      const copy = control.replace(/\.bare\.cjs$/, '.control.cjs');
      writeFileSync(copy, readFileSync(control));
      console.log(
        row('(control: a bare bundle vs a copy of itself)', '', coldImportPair(measureScript, copy, control)),
      );
    }
    console.log(
      `bundles: largest ${largest.kb.toFixed(0)} KB (${largest.entry}; goal ≤ ${GOAL_KB}), worst cold-import CPU ratio ` +
        `${worst.ratio.toFixed(2)}× (${worst.entry}; goal ≤ ${GOAL_RATIO}×), ${over} of ${entries.length} over: ` +
        (largest.kb <= GOAL_KB && worst.ratio <= GOAL_RATIO ? 'met' : 'NOT met'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await benchBundles();
}
