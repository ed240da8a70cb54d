import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, configDir, getStringFromEnv } from '../../../functions/runtime/env.js';

describe('env', () => {
  it('returns a set variable and fails naming a missing or blank one', () => {
    expect(getStringFromEnv('TABLE_NAME', { TABLE_NAME: 'complaints' })).toBe('complaints');
    expect(() => getStringFromEnv('TABLE_NAME', {})).toThrow(
      new ConfigurationError('Missing required environment variable TABLE_NAME'),
    );
    expect(() => getStringFromEnv('TABLE_NAME', { TABLE_NAME: '  ' })).toThrow(/TABLE_NAME/);
  });

  it('finds config through CONFIG_DIR, else <cwd>/config', () => {
    expect(configDir({ CONFIG_DIR: '/opt/config' })).toBe('/opt/config');
    expect(configDir({})).toBe(path.join(process.cwd(), 'config'));
  });
});
