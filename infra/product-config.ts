/**
 * Checks the operator configuration that is copied into every Lambda bundle (`config/`:
 * policy, calendar files, departments, notifications) with the very loader the handlers
 * use (functions/domain/product-config.ts), so a mistake stops `cdk synth` with the loader's
 * message instead of deploying functions that would fail on their first invocation.
 */
import { loadProductConfig } from '../functions/domain/product-config.js';

export { ProductConfigError } from '../functions/domain/product-config.js';

/** Throws ProductConfigError listing the problem of every file that fails to load. */
export function validateProductConfig(configDir: string): void {
  // the files as written: deploy-time overrides (SENDER_EMAIL, …) are checked by deploy-config.ts
  loadProductConfig(configDir, {});
}
