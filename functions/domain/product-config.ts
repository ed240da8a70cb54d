/**
 * The product configuration (`config/`: policy, business calendar, departments,
 * notifications), loaded and validated in one go. The Lambda handlers (through
 * functions/runtime/product-config.ts, once per process), the local stack and `cdk synth`
 * (infra/product-config.ts) all call this loader, so a mistake is reported the same way
 * everywhere: every file's problem in one ProductConfigError.
 */
import path from 'node:path';
import { type BusinessCalendar, loadCalendar } from './calendar/index.js';
import {
  type DepartmentDefinition,
  loadNotificationsConfig,
  type NotificationsConfig,
  parseDepartments,
  readJson,
} from './notifications-config.js';
import { loadPolicy, type Policy } from './policy.js';

export interface ProductConfig {
  policy: Policy;
  calendar: BusinessCalendar;
  departments: DepartmentDefinition[];
  notifications: NotificationsConfig;
}

export class ProductConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProductConfigError';
  }
}

/**
 * Loads every part of `configDir`, or throws ProductConfigError listing the problem of each
 * part that fails. `env` carries the deploy-time overrides of the notifications (SENDER_EMAIL,
 * STATUS_PAGE_BASE_URL, CONSOLE_BASE_URL); pass `{}` to check the files as written.
 */
export function loadProductConfig(configDir: string, env: NodeJS.ProcessEnv = process.env): ProductConfig {
  const problems: string[] = [];
  const part = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  const policy = part(() => loadPolicy(configDir));
  const calendar = part(() => loadCalendar(configDir));
  const file = path.join(configDir, 'departments.json');
  const departments = part(() => parseDepartments(readJson(file), file));
  // departments.json problems are reported once, above
  const notifications = departments ? part(() => loadNotificationsConfig({ configDir, env })) : undefined;
  if (!policy || !calendar || !departments || !notifications) throw new ProductConfigError(problems);
  return { policy, calendar, departments, notifications };
}
