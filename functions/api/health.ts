import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import { apiHandler, json } from '../runtime/http.js';
import { logger } from '../runtime/powertools.js';

/**
 * GET /health → 200 `{status: "ok"}` when the service is ready (its configuration loads and
 * the complaints table answers a read), 503 `{status: "unavailable"}` otherwise.
 */
const PROBE_ID = 'C0001-0000-0000';

export const handler = apiHandler(async () => {
  try {
    await getStore().get(PROBE_ID);
  } catch (error) {
    logger.warn('health check failed', { errorName: error instanceof Error ? error.name : 'unknown' });
    return json(503, { status: 'unavailable', checkedAt: clock().now().toISOString() });
  }
  return json(200, { status: 'ok', checkedAt: clock().now().toISOString() });
});
