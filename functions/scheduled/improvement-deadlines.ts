import { notifyImprovement } from '../adapters/improvement-notifier.js';
import { getImprovementStore } from '../adapters/store.js';
import { loadCalendar } from '../domain/calendar/index.js';
import { clock as sharedClock } from '../domain/clock.js';
import {
  checkDeadline,
  type Improvement,
  type ImprovementClock,
  type ImprovementStore,
} from '../domain/improvements.js';
import { configDir } from '../runtime/env.js';
import { MetricName } from '../runtime/metric-names.js';
import { logger, metrics } from '../runtime/powertools.js';

/**
 * The improvement actions' deadlines (functions/domain/improvements.ts): every 5 minutes
 * (EventBridge schedule on AWS; the local stack runs it on the simulated clock) it queries
 * the due-date index for the actions whose next check (warning point, deadline, escalation
 * deadline) has passed — a Query, never a scan, and no timer per action — and records each
 * warning or escalation as an audit event and a metric. Idempotent: an action already
 * checked has a later `nextCheckAt` and is not returned again.
 *
 * Each warning emails the owner department and each escalation the journey's escalation
 * chain of its level (functions/adapters/improvement-notifier.ts): after the change is
 * stored, never blocking it (a failed send is an audit event of the action and a metric).
 */

export interface DeadlineCheckResult {
  due: number;
  reminded: number;
  escalated: number;
  failed: number;
}

export interface DeadlineCheckDeps {
  store: ImprovementStore;
  clock: () => Date;
  calendar: ImprovementClock;
  onEscalated?: (level: number) => void;
  /** emails the warning or escalation (never throws); none when absent */
  notify?: (
    improvement: Improvement,
    kind: 'improvement_reminder' | 'improvement_escalation',
    level: number,
  ) => Promise<void>;
}

export function createImprovementDeadlineCheck(deps: DeadlineCheckDeps): () => Promise<DeadlineCheckResult> {
  return async () => {
    const now = deps.clock();
    const ids = await deps.store.dueForCheck(now.toISOString());
    const result: DeadlineCheckResult = { due: ids.length, reminded: 0, escalated: 0, failed: 0 };
    for (const id of ids) {
      try {
        let type: string | undefined;
        let level = 0;
        const updated = await deps.store.update(id, (current) => {
          const change = checkDeadline(current, now, deps.calendar);
          type = change?.event.type;
          level = Number(change?.event.data?.level ?? 0);
          return change;
        });
        if (type === 'reminded') {
          result.reminded += 1;
          await deps.notify?.(updated, 'improvement_reminder', 0);
        }
        if (type === 'escalated') {
          result.escalated += 1;
          deps.onEscalated?.(level);
          await deps.notify?.(updated, 'improvement_escalation', level);
        }
      } catch {
        result.failed += 1;
      }
    }
    return result;
  };
}

let check: (() => Promise<DeadlineCheckResult>) | undefined;

/** The scheduled Lambda handler (`TABLE_NAME`). */
export const handler = async (): Promise<DeadlineCheckResult> => {
  if (!check) {
    const calendar = loadCalendar(configDir());
    check = createImprovementDeadlineCheck({
      store: getImprovementStore(),
      clock: () => sharedClock().now(),
      calendar: {
        addWorkingDays: (from, n) => calendar.addWorkingDays(from, n),
        workingHours: (a: number, b: number) => calendar.workingHoursBetween(a, b),
      },
      notify: (improvement, kind, level) => notifyImprovement(improvement, kind, { level }),
      onEscalated: (level) => {
        const single = metrics.singleMetric();
        single.addDimension('level', String(Math.min(level, 3)));
        single.addMetric(MetricName.ImprovementActionEscalations, 'Count', 1);
      },
    });
  }
  const result = await check();
  if (result.due > 0) logger.info('improvement action deadlines checked', { ...result });
  if (result.failed > 0) throw new Error(`${result.failed} improvement action(s) could not be checked`);
  return result;
};
