import * as z from 'zod';

/**
 * Free text that people type, as every request schema takes it (functions/domain/
 * complaint-schemas.ts): trimmed, bounded, and deliverable — it can be stored, shown and
 * sent by email unchanged. Refused, with a message for the person filling the form:
 *
 * - a lone UTF-16 surrogate (`"x\ud800y"`, only possible through a JSON `\u` escape): no
 *   UTF-8 encoding exists, so every email quoting it would fail in the SDK;
 * - control characters (NUL, escape, DEL, C1, …); a text keeps tab, line feed and
 *   carriage return, unless it is a single-line one (a name, a subject);
 * - a required text with nothing visible: only spaces, zero-width or other invisible
 *   characters (U+200B–U+200D, U+2060, U+FEFF, U+3164, …). An optional text made only of
 *   them counts as not given, like a blank one.
 */

export interface TextOptions {
  /**
   * A one-line text (a name, a subject, a reference): no tab, line feed or carriage return
   * either. By default a text may span lines (descriptions, findings, plans, comments…).
   */
  singleLine?: boolean;
}

const isMissing = (input: unknown) => input === undefined || input === null;

/** A UTF-16 code unit of a surrogate pair standing alone (a `u` regex sees pairs as one code point). */
const LONE_SURROGATE = /\p{Cs}/u;
/** C0, DEL and C1 controls. */
const CONTROL = /\p{Cc}/u;
/** Controls other than tab, line feed and carriage return. */
const CONTROL_IN_MULTILINE = /(?![\t\n\r])\p{Cc}/u;
/**
 * One character a reader can see: not white space, not default-ignorable (zero-width
 * spaces and joiners, word joiner, BOM, bidi marks, variation selectors, Hangul fillers,
 * soft hyphen, tags…), not a combining mark on its own, not a control, not the blank
 * Braille pattern.
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{M}\p{Cc}\p{Cs}\u2800]/u;

export const TEXT_MESSAGES = {
  loneSurrogate: 'Contains a broken character that cannot be sent; please type or paste the text again.',
  control: 'Must not contain control characters (such as NUL).',
  controlSingleLine: 'Must be one line, without tabs, line breaks or other control characters.',
  invisible: 'Must contain visible text, not only spaces or invisible characters.',
} as const;

/** Why `value` cannot be delivered as a text of this kind, or undefined when it can. */
export function textProblem(value: string, options: TextOptions = {}): string | undefined {
  if (LONE_SURROGATE.test(value)) return TEXT_MESSAGES.loneSurrogate;
  if (options.singleLine ? CONTROL.test(value) : CONTROL_IN_MULTILINE.test(value)) {
    return options.singleLine ? TEXT_MESSAGES.controlSingleLine : TEXT_MESSAGES.control;
  }
  if (value !== '' && !VISIBLE.test(value)) return TEXT_MESSAGES.invisible;
  return undefined;
}

/** True when a text shows nothing: empty, or only spaces and invisible characters. */
export function isBlankText(value: string): boolean {
  return !VISIBLE.test(value);
}

/**
 * A whole number with thousands separators, as `toLocaleString('en')` writes it (10,000), without
 * loading the ICU number formatter: its first use costs tens of milliseconds, and schemas are
 * built during a Lambda's cold start.
 */
export function withThousands(n: number): string {
  const [whole = '', fraction] = String(Math.abs(n)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** A required, non-empty, trimmed, deliverable text of at most `max` characters. */
export function text(max: number, options: TextOptions = {}) {
  return z
    .string({ error: (issue) => (isMissing(issue.input) ? 'Required.' : 'Must be text.') })
    .trim()
    .min(1, 'Must not be empty.')
    .max(max, `At most ${withThousands(max)} characters.`)
    .superRefine((value, ctx) => {
      if (value === '') return; // min(1) said it
      const problem = textProblem(value, options);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * An optional text: absent, null, blank or only invisible characters count as not given;
 * anything else must be a deliverable text of at most `max` characters.
 */
export function optionalText(max: number, options: TextOptions = {}) {
  return z.preprocess(notGiven, text(max, options).optional());
}

/** `undefined` for null and for strings that show nothing (lone surrogates and controls stay, to be refused). */
function notGiven(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'string' && isBlankText(value) && !LONE_SURROGATE.test(value) && !hasControl(value)) {
    return undefined;
  }
  return value;
}

function hasControl(value: string): boolean {
  // line breaks and tabs are white space: a blank made of them is still blank
  return CONTROL_IN_MULTILINE.test(value);
}
