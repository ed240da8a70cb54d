import { startJourney as startExecution } from '../adapters/sfn-journey.js';
import { getStore } from '../adapters/store.js';
import { type Clock, clock } from '../domain/clock.js';
import type { ComplaintStore } from '../domain/store.js';
import { logger } from '../runtime/powertools.js';

/**
 * Heals stalled journeys (every 5 minutes, EventBridge schedule, infra/constructs/alarms.ts).
 *
 * `POST /complaints` stores the complaint, then starts its journey. When StartExecution
 * fails after the complaint was stored, nothing else would start it: the complaint stays in
 * stage `received` with no execution. This finds complaints still `received` more than
 * 5 minutes (by the clock) after they were created and starts their journey. Starting is
 * idempotent by execution name (the complaint id): an execution that exists already
 * (ExecutionAlreadyExists) counts as started before. Complaints flagged `needsAttention`
 * (their journey ran and failed) are left to the people the NeedsAttention alarm called.
 *
 * Logs counts only (no ids, no personal data). When some journey could not be started the
 * run fails after trying all of them, so the function's Errors alarm tells the managers.
 */

/** How long after creation a complaint still in stage `received` counts as stalled. */
export const STALLED_AFTER_MS = 5 * 60_000;
/** Page size of the store's list (its maximum). */
const PAGE_SIZE = 200;
/** A guard against a store that keeps answering with cursors. */
const MAX_PAGES = 500;
/** At most this many starts a run (the rest wait for the next run, 5 minutes later). */
export const MAX_STARTS_PER_RUN = 200;

export interface StalledJourneysResult {
  /** complaints in stage `received` */
  received: number;
  /** of those, created more than 5 minutes ago and not flagged needsAttention */
  stalled: number;
  /** journeys started by this run */
  started: number;
  /** an execution of that name existed already */
  alreadyStarted: number;
  /** StartExecution failed */
  failed: number;
  /** flagged needsAttention: not restarted */
  needsAttention: number;
  /** stalled but beyond this run's limit: the next run starts them */
  deferred: number;
}

export interface StalledJourneysDeps {
  store: Pick<ComplaintStore, 'list'>;
  /** functions/adapters/sfn-journey.ts startJourney: `{started: false}` when the execution exists */
  startJourney: (complaintId: string) => Promise<{ started: boolean }>;
  clock: () => Clock;
  log?: {
    info(message: string, extra?: Record<string, unknown>): void;
    warn(message: string, extra?: Record<string, unknown>): void;
  };
}

export class StalledJourneysError extends Error {
  constructor(readonly result: StalledJourneysResult) {
    super(`${result.failed} stalled journey(s) could not be started`);
    this.name = 'StalledJourneysError';
  }
}

export function createStalledJourneySweeper(deps: StalledJourneysDeps): () => Promise<StalledJourneysResult> {
  return async () => {
    const cutoff = deps.clock().now().getTime() - STALLED_AFTER_MS;
    const result: StalledJourneysResult = {
      received: 0,
      stalled: 0,
      started: 0,
      alreadyStarted: 0,
      failed: 0,
      needsAttention: 0,
      deferred: 0,
    };
    const failures = new Map<string, number>();
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new Error(`stage received: more than ${MAX_PAGES} pages`);
      const { items, nextCursor } = await deps.store.list({
        stage: 'received',
        status: 'open',
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      for (const complaint of items) {
        if (complaint.stage !== 'received') continue;
        result.received += 1;
        const createdAt = Date.parse(complaint.createdAt);
        if (!(createdAt < cutoff)) continue;
        if (complaint.needsAttention) {
          result.needsAttention += 1;
          continue;
        }
        result.stalled += 1;
        if (result.started + result.alreadyStarted + result.failed >= MAX_STARTS_PER_RUN) {
          result.deferred += 1;
          continue;
        }
        try {
          const { started } = await deps.startJourney(complaint.id);
          if (started) result.started += 1;
          else result.alreadyStarted += 1;
        } catch (error) {
          result.failed += 1;
          const name = error instanceof Error ? error.name : 'unknown';
          failures.set(name, (failures.get(name) ?? 0) + 1);
        }
      }
      if (!nextCursor) break;
      if (nextCursor === cursor) throw new Error('stage received: the store repeated a cursor');
      cursor = nextCursor;
    }
    const extra = { ...result, ...(failures.size ? { errors: Object.fromEntries(failures) } : {}) };
    if (result.started > 0 || result.failed > 0 || result.deferred > 0) {
      deps.log?.warn('stalled journeys found', extra);
    } else {
      deps.log?.info('no stalled journeys', extra);
    }
    if (result.failed > 0) throw new StalledJourneysError(result);
    return result;
  };
}

/** The scheduled Lambda handler (`TABLE_NAME`, `STATE_MACHINE_ARN`). */
export const handler = async (): Promise<StalledJourneysResult> =>
  createStalledJourneySweeper({
    store: getStore(),
    startJourney: startExecution,
    clock,
    log: {
      info: (message, extra) => logger.info(message, { ...extra }),
      warn: (message, extra) => logger.warn(message, { ...extra }),
    },
  })();
