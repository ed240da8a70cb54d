/**
 * Checks the operator configuration that is copied into every Lambda bundle (`config/`:
 * policy, calendar files, departments, notifications) with the very loaders the handlers
 * use, so a mistake stops `cdk synth` with the loader's message instead of deploying
 * functions that would fail on their first invocation.
 */
import { loadCalendar } from '../functions/domain/calendar/index.js';
import { loadNotificationsConfig } from '../functions/domain/notifications-config.js';
import { loadPolicy } from '../functions/domain/policy.js';

export class ProductConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProductConfigError';
  }
}

/** Throws ProductConfigError listing the problem of every file that fails to load. */
export function validateProductConfig(configDir: string): void {
  const problems: string[] = [];
  const check = (load: () => unknown) => {
    try {
      load();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  };
  check(() => loadPolicy(configDir));
  check(() => loadCalendar(configDir));
  // the file as written: deploy-time overrides (SENDER_EMAIL, …) are checked by deploy-config.ts
  check(() => loadNotificationsConfig({ configDir, env: {} }));
  if (problems.length > 0) throw new ProductConfigError(problems);
}
