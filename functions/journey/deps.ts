/**
 * Wiring of the journey's Lambda handlers: the real ports (DynamoDB store, SES notifier,
 * Powertools metrics, the business calendar and the deadline policy), built once per
 * container. Tests and the local stack replace any of them with configureJourney().
 */
import { metrics as powertoolsMetrics } from '../commons/powertools.js';
import { getStore } from '../commons/store.js';
import { loadCalendar } from '../shared/calendar/index.js';
import { clock } from '../shared/clock.js';
import type { Deadline, Severity, Step } from '../shared/model.js';
import { createJourneyTasks, type JourneyDeps, type JourneyPolicy, type JourneyTasks, type MetricsPort } from './logic.js';

/** Working days per step (SPEC "The journey"); implementation by severity. */
export const DEFAULT_WORKING_DAYS = {
  investigation: 1,
  proposal: 3,
  review: 1,
  customer_decision: 5,
  /** the customer's wait after the one reminder */
  customer_decision_reminder: 2,
  implementation: { minor: 3, general: 5, serious: 10 } as Record<Severity, number>,
  follow_up: 5,
  agent_follow_up: 1,
  escalation: 1,
} as const;

/** A deadline policy over a calendar that answers addWorkingDays(from, n). */
export function calendarPolicy(
  calendar: { addWorkingDays(from: Date, n: number): Deadline },
  days = DEFAULT_WORKING_DAYS,
  repeatEscalationThreshold = 2,
): JourneyPolicy {
  return {
    stepDeadline(step: Step, from: Date, context: { severity?: Severity; reminder?: boolean }): Deadline {
      let n: number;
      if (step === 'implementation') n = days.implementation[context.severity ?? 'general'];
      else if (step === 'customer_decision' && context.reminder) n = days.customer_decision_reminder;
      else n = days[step];
      return calendar.addWorkingDays(from, n);
    },
    escalationDeadline(_step: Step, _level: number, from: Date): Deadline {
      return calendar.addWorkingDays(from, days.escalation);
    },
    repeatEscalationThreshold,
  };
}

export const powertoolsMetricsPort: MetricsPort = {
  add(name, unit, value, dimensions) {
    const single = powertoolsMetrics.singleMetric();
    for (const [key, v] of Object.entries(dimensions ?? {})) single.addDimension(key, v);
    single.addMetric(name, unit, value);
  },
};

let overrides: Partial<JourneyDeps> = {};
let tasks: JourneyTasks | undefined;
let policy: JourneyPolicy | undefined;

/** Replaces some ports (tests, the local stack); call before the first invocation. */
export function configureJourney(next: Partial<JourneyDeps>): void {
  overrides = next;
  tasks = undefined;
}

/** The journey tasks with the configured ports. */
export function journeyTasks(): JourneyTasks {
  tasks ??= createJourneyTasks({
    get store() {
      return overrides.store ?? getStore();
    },
    notify:
      overrides.notify ??
      (async () => {
        throw new Error('No notifier configured for the journey');
      }),
    get policy() {
      policy ??= calendarPolicy(loadCalendar());
      return overrides.policy ?? policy;
    },
    metrics: overrides.metrics ?? powertoolsMetricsPort,
    clock: overrides.clock ?? clock,
  });
  return tasks;
}
