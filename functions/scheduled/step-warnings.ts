import { notify as sesNotify } from '../adapters/ses-notifier.js';
import { getStore } from '../adapters/store.js';
import { clock as sharedClock } from '../domain/clock.js';
import type { Actor, Complaint } from '../domain/model.js';
import { STAGE_OF_STEP } from '../domain/steps/index.js';
import type { ComplaintStore } from '../domain/store.js';
import type { NotifyPort } from '../journey/tasks.js';
import { MetricName } from '../runtime/metric-names.js';
import { logger, metrics } from '../runtime/powertools.js';

/**
 * Pre-breach warnings (SPEC "Work finds its people"): every 15 minutes (EventBridge on AWS;
 * the local stack on the simulated clock) one keyed Query of the sparse warnings index
 * (GSI6 `gsi6pk = WARN`, sorted by the open step's `warnAt`) over [now − lookback, now]
 * finds the steps whose warning time has come — no scan, no timer per complaint. For each,
 * one conditional write (the store's version check) marks the warning sent on the pending
 * step (`warnedAt`, which also takes it out of the index) with its audit event `warned`
 * `{step, level, dueAt, warnAt}`; only the run that wrote it emails the owner
 * (`deadline_warning`: the named owner, else the department / role of
 * `config/notifications.json` `warnings`) and emits `DeadlineWarnings{stage, level}`. So one
 * warning goes out per step and escalation level, whatever runs overlap. A step already past
 * its deadline is left to the escalation (which re-opens it with the next level's warning time).
 */

/** Warnings older than this are not looked for (the job runs every 15 minutes). */
export const WARNING_LOOKBACK_MS = 2 * 86_400_000;

export interface StepWarningResult {
  due: number;
  warned: number;
  skipped: number;
  failed: number;
}

export interface StepWarningDeps {
  store: Pick<ComplaintStore, 'dueWarnings' | 'update'>;
  notify: NotifyPort;
  clock: () => Date;
  onWarned?: (stage: string, level: number) => void;
}

const SYSTEM: Actor = { kind: 'system' };

export function createStepWarningCheck(deps: StepWarningDeps): () => Promise<StepWarningResult> {
  return async () => {
    const now = deps.clock();
    const ids = await deps.store.dueWarnings(
      new Date(now.getTime() - WARNING_LOOKBACK_MS).toISOString(),
      now.toISOString(),
    );
    const result: StepWarningResult = { due: ids.length, warned: 0, skipped: 0, failed: 0 };
    for (const id of ids) {
      try {
        let wrote = false;
        const updated: Complaint = await deps.store.update(id, (c) => {
          wrote = false;
          const p = c.pending;
          if (c.stage === 'closed' || !p?.warnAt || p.warnedAt) return undefined;
          if (Date.parse(p.warnAt) > now.getTime() || Date.parse(p.dueAt) <= now.getTime()) return undefined;
          wrote = true;
          return {
            set: { pending: { ...p, warnedAt: now.toISOString() } },
            event: {
              type: 'warned',
              actor: SYSTEM,
              stage: p.stage,
              data: { step: p.step, level: p.escalationLevel, dueAt: p.dueAt, warnAt: p.warnAt },
            },
          };
        });
        if (!wrote || !updated.pending) {
          result.skipped += 1;
          continue;
        }
        result.warned += 1;
        deps.onWarned?.(STAGE_OF_STEP[updated.pending.step], updated.pending.escalationLevel);
        await deps.notify(updated, 'deadline_warning', {
          step: updated.pending.step,
          level: updated.pending.escalationLevel,
          dueAt: updated.pending.dueAt,
          provisional: updated.pending.provisional,
        });
      } catch {
        result.failed += 1;
      }
    }
    return result;
  };
}

let check: (() => Promise<StepWarningResult>) | undefined;

/** The scheduled Lambda handler (`TABLE_NAME`, the notifier's settings). */
export const handler = async (): Promise<StepWarningResult> => {
  check ??= createStepWarningCheck({
    store: {
      dueWarnings: (from, to) => getStore().dueWarnings(from, to),
      update: (id, change) => getStore().update(id, change),
    },
    notify: sesNotify,
    clock: () => sharedClock().now(),
    onWarned: (stage, level) => {
      const single = metrics.singleMetric();
      single.addDimension('stage', stage);
      single.addDimension('level', String(Math.min(level, 3)));
      single.addMetric(MetricName.DeadlineWarnings, 'Count', 1);
    },
  });
  const result = await check();
  if (result.due > 0) logger.info('step warnings checked', { ...result });
  if (result.failed > 0) throw new Error(`${result.failed} step warning(s) could not be checked`);
  return result;
};
