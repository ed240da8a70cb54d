import { describe, expect, it } from 'vitest';
import {
  isReference,
  newReference,
  parseReference,
  REFERENCE_ALPHABET,
  REFERENCE_PATTERN,
} from '../../../functions/domain/reference.js';

describe('reference numbers', () => {
  it('look like C<yymm>-XXXX-XXXX with yymm in Shanghai time', () => {
    expect(newReference(new Date('2026-11-23T06:00:00Z'))).toMatch(/^C2611-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // 2026-10-31T17:00Z is already 1 November in Shanghai
    expect(newReference(new Date('2026-10-31T17:00:00Z'))).toMatch(/^C2611-/);
    expect(newReference(new Date('2026-10-31T17:00:00Z'), 'UTC')).toMatch(/^C2610-/);
  });

  it('use Crockford base 32 without I, L, O, U and carry at least 40 random bits', () => {
    expect(REFERENCE_ALPHABET).toHaveLength(32);
    expect(REFERENCE_ALPHABET).not.toMatch(/[ILOU]/);
    const at = new Date('2026-11-23T06:00:00Z');
    const refs = Array.from({ length: 5000 }, () => newReference(at));
    expect(new Set(refs).size).toBe(5000);
    const randomPart = refs.map((r) => r.slice(6).replace('-', '')).join('');
    expect(randomPart).not.toMatch(/[ILOU]/);
    // every symbol shows up: all 32 are used, so 8 characters = 40 bits
    expect(new Set(randomPart).size).toBe(32);
    expect(refs[0]?.slice(6).replace('-', '')).toHaveLength(8);
  });

  it('are valid Step Functions execution names', () => {
    const ref = newReference(new Date());
    expect(ref.length).toBeLessThanOrEqual(80);
    expect(ref).toMatch(/^[A-Za-z0-9-]+$/);
  });

  it('validate strictly in canonical form', () => {
    for (const r of Array.from({ length: 100 }, () => newReference(new Date())))
      expect(isReference(r)).toBe(true);
    expect(isReference('C2611-7K4Q-9XW2')).toBe(true);
    for (const bad of [
      '',
      'C2611-7K4Q-9XW',
      'C2611-7K4Q-9XW22',
      'c2611-7k4q-9xw2',
      'C2613-7K4Q-9XW2', // month 13
      'C2600-7K4Q-9XW2',
      'C2611-7K4O-9XW2', // O
      'C2611-7K4Q-9XWU', // U
      'C26117K4Q9XW2',
      'C2611-7K4Q-9XW2\n',
      '../C2611-7K4Q-9XW2',
    ]) {
      expect(isReference(bad), bad).toBe(false);
      expect(REFERENCE_PATTERN.test(bad), bad).toBe(false);
    }
  });

  it('parse what a person types or dictates', () => {
    expect(parseReference('c2611 7k4q 9xw2')).toBe('C2611-7K4Q-9XW2');
    expect(parseReference('C26117K4Q9XW2')).toBe('C2611-7K4Q-9XW2');
    expect(parseReference('C2611-7K4O-1XWL')).toBe('C2611-7K40-1XW1');
    expect(parseReference('C2611-7K4Q-9XWU')).toBeUndefined();
    expect(parseReference('hello')).toBeUndefined();
    expect(parseReference('C2613-7K4Q-9XW2')).toBeUndefined();
  });
});
