/**
 * Imported first by the journey harness: Powertools reads its log level when the shared
 * logger is built (and restores it on every invocation), so it must be set before
 * functions/runtime/powertools.ts loads. Metrics are silenced the same way.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
