/**
 * Wiring of the journey's Lambda handlers: the real ports (DynamoDB store, SES notifier,
 * Powertools metrics, the business calendar with the operator's deadline policy), built on
 * first use per container. Tests and the local stack replace any of them with
 * configureJourney().
 */
import { notify as sesNotify } from '../adapters/ses-notifier.js';
import { getStore } from '../adapters/store.js';
import { loadCalendar } from '../domain/calendar/index.js';
import { clock } from '../domain/clock.js';
import type { Step } from '../domain/model.js';
import type { NotificationsConfig } from '../domain/notifications-config.js';
import {
  configuredPolicy,
  isSatisfied,
  journeyDeadlines,
  profileNamed,
  warningInstant,
} from '../domain/policy.js';
import type { ComplaintStore } from '../domain/store.js';
import { metrics as powertoolsMetrics } from '../runtime/powertools.js';
import { productConfig } from '../runtime/product-config.js';
import {
  createJourneyTasks,
  type JourneyDeps,
  type JourneyPolicy,
  type JourneyTasks,
  type MetricsPort,
} from './tasks.js';

/**
 * The deadline policy (config/policy.json) over the business calendar (config/calendar/):
 * each deadline under the complaint's profile (the name recorded at registration).
 */
export function configuredJourneyPolicy(calendar = loadCalendar()): JourneyPolicy {
  const policy = configuredPolicy();
  const byProfile = new Map<string, ReturnType<typeof journeyDeadlines>>();
  const under = (name = 'default') => {
    let port = byProfile.get(name);
    if (!port) {
      port = journeyDeadlines(calendar, policy, profileNamed(policy, name));
      byProfile.set(name, port);
    }
    return port;
  };
  return {
    stepDeadline: (step, from, context) => under(context.profile).stepDeadline(step, from, context),
    escalationDeadline: (step, level, from, context = {}) =>
      under(context.profile).escalationDeadline(step, level, from, context),
    repeatEscalationThreshold: policy.escalation.maxDeclinesOrReopens,
    isSatisfied: (rating: number) => isSatisfied(rating, policy),
    unreachableAttempts: policy.unreachableAttempts,
    warningAt: (since, dueAt) => warningInstant(calendar, policy.warning, since, dueAt),
  };
}

/** The steps with at least one arrival-notice recipient reference configured. */
export function arrivalStepsOf(config: NotificationsConfig): Step[] {
  return (Object.entries(config.arrivalNotices) as [Step, unknown[]][])
    .filter(([, refs]) => refs.length > 0)
    .map(([step]) => step);
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

/** Replaces some ports (tests, the local stack); takes effect on the next invocation. */
export function configureJourney(next: Partial<JourneyDeps>): void {
  overrides = next;
  tasks = undefined;
}

/**
 * The store of every call: the override, else functions/adapters/store.ts's getStore() looked
 * up per call (so a later setStore(), e.g. by the local stack, applies).
 */
const liveStore = new Proxy({} as ComplaintStore, {
  get(_target, property) {
    const store = overrides.store ?? getStore();
    const value = Reflect.get(store, property, store) as unknown;
    return typeof value === 'function' ? value.bind(store) : value;
  },
});

function journeyPolicy(): JourneyPolicy {
  if (overrides.policy) return overrides.policy;
  policy ??= configuredJourneyPolicy();
  return policy;
}

/** The journey tasks with the configured ports. */
export function journeyTasks(): JourneyTasks {
  tasks ??= createJourneyTasks({
    store: liveStore,
    notify: overrides.notify ?? sesNotify,
    policy: journeyPolicy(),
    metrics: overrides.metrics ?? powertoolsMetricsPort,
    clock: overrides.clock ?? clock,
    arrivalSteps: overrides.arrivalSteps ?? arrivalStepsOf(productConfig().notifications),
  });
  return tasks;
}
