import { getStore } from '../adapters/store.js';
import type { ComplaintStore } from '../domain/store.js';
import { MetricName } from '../runtime/metric-names.js';
import { logger, metrics } from '../runtime/powertools.js';

/**
 * The `OpenComplaints{stage}` gauge (docs/ARCHITECTURE.md, "Metrics"): every 5 minutes
 * (EventBridge schedule, infra/constructs/alarms.ts) it counts the complaints that are not
 * closed, per stage, and publishes one data point per stage, zeros included, so that the
 * dashboard and alarms see a continuous line.
 *
 * It counts through the store port (`list` by stage, page by page). That reads every open
 * complaint; a count-only query (`Select: COUNT` on GSI1) in the store would be cheaper
 * once the queues grow large.
 */

import { OPEN_STAGES, type OpenStage } from '../domain/vocabulary.js';

export { OPEN_STAGES, type OpenStage };

/** Page size of the store's list (its maximum). */
const PAGE_SIZE = 200;
/** A guard against a store that keeps answering with cursors: 2,000 pages = 400,000 complaints a stage. */
const MAX_PAGES = 2_000;

export async function countOpenByStage(
  store: Pick<ComplaintStore, 'list'>,
  pageSize = PAGE_SIZE,
): Promise<Record<OpenStage, number>> {
  const counts = await Promise.all(
    OPEN_STAGES.map(async (stage) => {
      let count = 0;
      let cursor: string | undefined;
      for (let page = 0; ; page++) {
        if (page >= MAX_PAGES) throw new Error(`stage ${stage}: more than ${MAX_PAGES} pages`);
        const result = await store.list({
          stage,
          status: 'open',
          limit: pageSize,
          ...(cursor ? { cursor } : {}),
        });
        count += result.items.length;
        if (!result.nextCursor) break;
        if (result.nextCursor === cursor) throw new Error(`stage ${stage}: the store repeated a cursor`);
        cursor = result.nextCursor;
      }
      return [stage, count] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<OpenStage, number>;
}

/** One data point with its dimensions, published at once. */
export interface GaugeMetrics {
  add(name: string, unit: 'Count', value: number, dimensions: Record<string, string>): void;
}

/** Powertools single metrics: one EMF line per stage, with the shared namespace and service. */
const singleMetrics: GaugeMetrics = {
  add(name, unit, value, dimensions) {
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, unit, value);
  },
};

export interface StageGaugeDeps {
  store: Pick<ComplaintStore, 'list'>;
  metrics: GaugeMetrics;
  log?: { info(message: string, extra?: Record<string, unknown>): void };
}

/** Counts and publishes; returns the counts (also logged: numbers only). */
export function createStageGauge(deps: StageGaugeDeps): () => Promise<Record<OpenStage, number>> {
  return async () => {
    const counts = await countOpenByStage(deps.store);
    for (const stage of OPEN_STAGES) {
      deps.metrics.add(MetricName.OpenComplaints, 'Count', counts[stage], { stage });
    }
    deps.log?.info('open complaints per stage', { counts });
    return counts;
  };
}

/** The scheduled Lambda handler (`TABLE_NAME`). */
export const handler = async (): Promise<Record<OpenStage, number>> =>
  createStageGauge({
    store: getStore(),
    metrics: singleMetrics,
    log: { info: (message, extra) => logger.info(message, { ...extra }) },
  })();
