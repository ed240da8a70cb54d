import { randomInt } from 'node:crypto';

/**
 * Reference numbers that a person can read out on the phone, e.g. `C2611-7K4Q-9XW2`:
 * `C`, the year and month of receipt (yymm, business time zone), then two groups of four
 * Crockford base-32 characters (no I, L, O, U) carrying 40 random bits from node:crypto.
 * The reference is also the complaint id and the Step Functions execution name (letters,
 * digits and dashes only, 15 characters).
 */

/** Crockford's base-32 alphabet: digits and letters without I, L, O, U. */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A well-formed reference number (canonical form: upper case, with dashes). */
export const REFERENCE_PATTERN = /^C\d{2}(0[1-9]|1[0-2])-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** true when `value` is a reference number in canonical form (what the API accepts as an id). */
export function isReference(value: string): boolean {
  return REFERENCE_PATTERN.test(value);
}

/** Random characters per reference: 8 × 5 bits = 40 bits. */
const RANDOM_CHARS = 8;

/**
 * A new reference number for a complaint received at `at`; yymm is taken in `timeZone`
 * (default Asia/Shanghai, the business calendar's zone).
 */
export function newReference(at: Date, timeZone = 'Asia/Shanghai'): string {
  if (!Number.isFinite(at.getTime())) throw new Error('newReference needs a valid date');
  const parts = yearMonthFormat(timeZone).formatToParts(at);
  const yy = parts.find((p) => p.type === 'year')?.value;
  const mm = parts.find((p) => p.type === 'month')?.value;
  let random = '';
  for (let i = 0; i < RANDOM_CHARS; i++) random += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `C${yy}${mm}-${random.slice(0, 4)}-${random.slice(4)}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function yearMonthFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: '2-digit', month: '2-digit' });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * Reads a reference as a person may type or dictate it: case, spaces and missing dashes
 * don't matter, and the look-alikes O→0, I/L→1 are corrected (Crockford's rules).
 * Returns the canonical form, or undefined when it cannot be a reference.
 */
export function parseReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  // the leading C stays a letter; digits after it are yymm
  const m = /^C(\d{4})([0-9A-Z]{4})([0-9A-Z]{4})$/.exec(compact);
  if (!m) return undefined;
  const canonical = `C${m[1]}-${m[2]}-${m[3]}`;
  return isReference(canonical) ? canonical : undefined;
}
