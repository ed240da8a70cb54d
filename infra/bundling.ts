/**
 * How each Lambda is bundled (infra/constructs/lambda.ts) — kept free of CDK imports so the
 * bundle benchmark (bench/bundles.ts) builds exactly as the deployment does.
 */

import type { BuildOptions } from 'esbuild';

/** The nodejs22.x runtime ships AWS SDK v3: it stays out of every bundle. */
export const RUNTIME_MODULES = ['@aws-sdk/*'] as const;

/**
 * Packages kept out of the bundle and copied whole next to it (`/var/task/node_modules/…`),
 * required only when needed: lunar-javascript (~320 KB) serves the holiday projection for
 * years without official data (functions/domain/calendar/lunar-loader.cjs), so a cold start
 * never parses it. Each must have no dependencies of its own.
 */
export const SHIPPED_MODULES = ['lunar-javascript'] as const;

/** esbuild settings shared by the deployment and the benchmark. */
export const BUNDLE_TARGET = 'node22';

/**
 * Source maps as the functions run with them: `NODE_OPTIONS=--enable-source-maps` (a stack
 * trace in the logs names the TypeScript file and line) makes Node read and parse the bundle's
 * `.map` when the bundle loads, at every cold start. Without the sources' own text in it
 * (`sourcesContent: false`: the traces need only the mappings) a journey bundle's map is
 * ~0.5 MB instead of ~1.8 MB and parsing it costs a few ms of CPU instead of ~27 ms
 * (`npm run bench -- bundles` measures the imports with the flag and the maps).
 */
export const SOURCE_MAP = { sourceMap: true, sourcesContent: false } as const;

/** NODE_OPTIONS of every function (infra/constructs/lambda.ts); the bundle benchmark runs with them too. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/**
 * esbuild's options for bundling `entry` into `outfile` as the deployment does (CDK's
 * NodejsFunction with the settings above): for the bundle benchmark and the bundling tests,
 * which call esbuild directly. `sourceMap: false` leaves the map out.
 */
export function esbuildOptions(
  entry: string,
  outfile: string,
  options: { sourceMap?: boolean } = {},
): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    minify: true,
    ...(options.sourceMap === false
      ? {}
      : { sourcemap: SOURCE_MAP.sourceMap, sourcesContent: SOURCE_MAP.sourcesContent }),
    external: [...RUNTIME_MODULES, ...SHIPPED_MODULES],
    logLevel: 'silent',
  };
}
