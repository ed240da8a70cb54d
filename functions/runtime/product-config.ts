import path from 'node:path';
import { loadCalendar } from '../domain/calendar/index.js';
import { type DepartmentDefinition, parseDepartments, readJson } from '../domain/notifications-config.js';
import { loadPolicy } from '../domain/policy.js';
import { loadProductConfig, type ProductConfig } from '../domain/product-config.js';
import { configDir } from './env.js';

let loaded: ProductConfig | undefined;

/** The product configuration of CONFIG_DIR, loaded and validated once per process. */
export function productConfig(): ProductConfig {
  loaded ??= loadProductConfig(configDir());
  return loaded;
}

let departments: DepartmentDefinition[] | undefined;

/**
 * The configured departments (config/departments.json), read once per process: from the whole
 * configuration when it is loaded, else from that file alone, so that a handler needing only
 * them (the staff actions' department choices) does not load the calendar, the policy and the
 * notifications at its cold start.
 */
export function configuredDepartments(): DepartmentDefinition[] {
  if (loaded) return loaded.departments;
  if (!departments) {
    const file = path.join(configDir(), 'departments.json');
    departments = parseDepartments(readJson(file), file);
  }
  return departments;
}

let deadlines: Pick<ProductConfig, 'policy' | 'calendar'> | undefined;

/**
 * The deadline policy and the business calendar (config/policy.json, config/calendar/), read
 * once per process: from the whole configuration when it is loaded, else those two alone, so
 * that registering a complaint does not also load the notifications at its cold start.
 */
export function deadlineConfig(): Pick<ProductConfig, 'policy' | 'calendar'> {
  if (loaded) return loaded;
  deadlines ??= { policy: loadPolicy(configDir()), calendar: loadCalendar(configDir()) };
  return deadlines;
}
