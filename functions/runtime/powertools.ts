import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE, SERVICE_NAME } from './metric-names.js';

/**
 * One Logger and Metrics for every handler (service `complaints`).
 *
 * - Never log personal data (customer name, email, phone, complaint text) or task tokens:
 *   log ids, stages, codes and counts only.
 * - No X-Ray SDK in the bundles: the functions run with active tracing (infra/constructs/
 *   lambda.ts), so the Lambda runtime records each invocation's segment itself; the
 *   Powertools Tracer (aws-xray-sdk-core, ~110 KB per bundle) would only add subsegments.
 * - Metrics are written as EMF to stdout when published; `POWERTOOLS_METRICS_DISABLED=true`
 *   silences them.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });

export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAME, logger });

/** Publishes the metrics added during this invocation, if any (no "empty metrics" warnings). */
export function publishMetricsIfAny(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
