import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  isBlankText,
  optionalText,
  TEXT_MESSAGES,
  text,
  textProblem,
  withThousands,
} from '../../../functions/domain/text.js';

const messages = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('text: what can be delivered', () => {
  it.each([
    ['Chinese', '快递延误两周没有消息'],
    ['an emoji (a surrogate pair)', 'Late again 😞'],
    ['an emoji sequence joined by zero-width joiners', '👩‍👩‍👧 family order'],
    ['combining marks on a base letter', 'नमस्ते Zoë'],
    ['a right-to-left name with a bidi mark inside', 'سارة\u200f Lee'],
    ['a soft hyphen and a zero-width space inside words', 'Kunden\u00adservice ok\u200bay'],
    ['an ideographic space between words', '王\u3000小明'],
  ])('accepts %s', (_, value) => {
    expect(textProblem(value, { singleLine: true })).toBeUndefined();
    expect(text(100, { singleLine: true }).parse(value)).toBe(value);
  });

  it('keeps tab, line feed and carriage return in a multi-line text, trimmed at the ends', () => {
    expect(text(100).parse('  Line 1\r\n\tLine 2\nLine 3  ')).toBe('Line 1\r\n\tLine 2\nLine 3');
  });
});

describe('text: what cannot be delivered is refused', () => {
  it.each([
    ['a lone high surrogate', 'x\ud800y'],
    ['a lone low surrogate', 'x\udc00y'],
    ['a pair in the wrong order', '\udc00\ud800'],
    ['a high surrogate at the end', 'abc\udbff'],
  ])('refuses %s, multi-line or not', (_, value) => {
    expect(messages(text(100), value)).toEqual([TEXT_MESSAGES.loneSurrogate]);
    expect(messages(text(100, { singleLine: true }), value)).toEqual([TEXT_MESSAGES.loneSurrogate]);
    expect(messages(optionalText(100), value)).toEqual([TEXT_MESSAGES.loneSurrogate]);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['escape', 'a\u001b[31mb'],
    ['backspace', 'a\bb'],
    ['vertical tab', 'a\u000bb'],
    ['form feed', 'a\fb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
  ])('refuses %s anywhere', (_, value) => {
    expect(messages(text(100), value)).toEqual([TEXT_MESSAGES.control]);
    expect(messages(text(100, { singleLine: true }), value)).toEqual([TEXT_MESSAGES.controlSingleLine]);
  });

  it.each([
    ['a tab', 'a\tb'],
    ['a line feed', 'a\nb'],
    ['a carriage return', 'a\rb'],
  ])('refuses %s in a single-line text only', (_, value) => {
    expect(messages(text(100, { singleLine: true }), value)).toEqual([TEXT_MESSAGES.controlSingleLine]);
    expect(messages(text(100), value)).toEqual([]);
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b'],
    ['zero-width (non-)joiners', '\u200c\u200d'],
    ['a word joiner', '\u2060'],
    ['a byte-order mark between spaces', ' \ufeff '],
    ['a Hangul filler', '\u3164'],
    ['a halfwidth Hangul filler', '\uffa0'],
    ['no-break and ideographic spaces', '\u00a0\u3000'],
    ['bidi marks and isolates', '\u200e\u200f\u2066\u2069'],
    ['a soft hyphen', '\u00ad'],
    ['a variation selector', '\ufe0f'],
    ['a combining mark alone', '\u0301'],
    ['a blank Braille pattern', '\u2800'],
    ['line breaks and tabs', '\u200b\n\t\u200b'],
  ])('refuses a required text of only %s', (_, value) => {
    expect(isBlankText(value)).toBe(true);
    const refused = messages(text(100), value);
    expect(refused).toHaveLength(1);
    expect([TEXT_MESSAGES.invisible, 'Must not be empty.']).toContain(refused[0]);
  });

  it('counts an optional text of only invisible characters as not given', () => {
    expect(optionalText(100).parse('\u200b\u2060\ufeff')).toBeUndefined();
    expect(optionalText(100).parse('   ')).toBeUndefined();
    expect(optionalText(100).parse(null)).toBeUndefined();
    // but a control character is refused, not dropped
    expect(messages(optionalText(100), '\u0000')).toEqual([TEXT_MESSAGES.control]);
  });

  it('still says what is missing, not text, or too long', () => {
    expect(messages(text(5), undefined)).toEqual(['Required.']);
    expect(messages(text(5), 42)).toEqual(['Must be text.']);
    expect(messages(text(5), '   ')).toEqual(['Must not be empty.']);
    expect(messages(text(5), 'abcdef')).toEqual(['At most 5 characters.']);
  });
});

describe('withThousands', () => {
  it('writes whole numbers as toLocaleString("en") does, without the ICU formatter', () => {
    for (const n of [0, 7, 999, 1000, 2000, 10_000, 123_456, 1_234_567, -4321]) {
      expect(withThousands(n)).toBe(n.toLocaleString('en'));
    }
    expect(messages(text(10_000), 'x'.repeat(10_001))).toEqual(['At most 10,000 characters.']);
  });
});
