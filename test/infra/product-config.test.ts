import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProductConfigError, validateProductConfig } from '../../infra/product-config.js';

const REPO_CONFIG = path.resolve(__dirname, '../../config');
const dirs: string[] = [];

/** A copy of the repository's config/ to break one file of. */
function configCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'product-config-'));
  dirs.push(dir);
  cpSync(REPO_CONFIG, dir, { recursive: true });
  return dir;
}

function problems(dir: string): string[] {
  try {
    validateProductConfig(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ProductConfigError);
    return (error as ProductConfigError).problems;
  }
  throw new Error('expected a ProductConfigError');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('validateProductConfig (run by cdk synth)', () => {
  it('accepts the repository configuration', () => {
    expect(() => validateProductConfig(REPO_CONFIG)).not.toThrow();
  });

  it('names the bad entry of each broken file, all at once', () => {
    const dir = configCopy();
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ promisedReplyDays: 0 }));
    mkdirSync(path.join(dir, 'calendar'), { recursive: true });
    writeFileSync(
      path.join(dir, 'calendar', '2027.json'),
      JSON.stringify({ year: 2027, daysOff: ['2027-02-30'], workdays: [] }),
    );
    writeFileSync(path.join(dir, 'notifications.json'), '{ not json');
    const found = problems(dir);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/policy\.json/);
    expect(found[1]).toMatch(/2027\.json.*daysOff\[0\].*2027-02-30/);
    expect(found[2]).toMatch(/notifications\.json is not valid JSON/);
  });
});
