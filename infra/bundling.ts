/**
 * How each Lambda is bundled (infra/constructs/lambda.ts) — kept free of CDK imports so the
 * bundle benchmark (bench/bundles.ts) builds exactly as the deployment does.
 */

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
