import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRIC_NAMESPACE, SERVICE_NAME } from './metric-names.js';

/**
 * One Logger, Metrics and Tracer for every handler (service `complaints`).
 *
 * - Never log personal data (customer name, email, phone, complaint text) or task tokens:
 *   log ids, stages, codes and counts only.
 * - The Tracer turns itself off outside Lambda (no AWS_EXECUTION_ENV, SAM or Amplify CLI),
 *   so the local stack and the tests can import it freely.
 * - Metrics are written as EMF to stdout when published; `POWERTOOLS_METRICS_DISABLED=true`
 *   silences them.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });

export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAME, logger });

export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/** Publishes the metrics added during this invocation, if any (no "empty metrics" warnings). */
export function publishMetricsIfAny(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
