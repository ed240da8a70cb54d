import path from 'node:path';

/** A required setting is missing: the deployment is broken, not the request. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/**
 * Reads a required environment variable, failing fast with the variable's name when it is
 * missing or empty (the message names the variable only, never a value).
 */
export function getStringFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`Missing required environment variable ${name}`);
  }
  return value;
}

/**
 * The operator configuration folder (`policy.json`, `calendar/`, `departments.json`, …):
 * `CONFIG_DIR`, or `<cwd>/config` (on Lambda the cwd is /var/task, where CDK copies config/).
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CONFIG_DIR ?? path.join(process.cwd(), 'config');
}
