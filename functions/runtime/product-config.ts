import path from 'node:path';
import { type DepartmentDefinition, parseDepartments, readJson } from '../domain/notifications-config.js';
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
