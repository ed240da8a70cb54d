import { createHash } from 'node:crypto';
import type { Customer } from './model.js';
import { parseReference } from './reference.js';

/**
 * Finding complaints by what a caller can tell staff over the phone: the reference, the
 * customer's email or phone, or an order reference. Every one is an exact match through a
 * keyed lookup (functions/domain/store.ts `linkedComplaints`): the store keeps one link per
 * contact and per order reference, keyed by a hash of the normalized value, written with
 * the complaint. No personal data in a key.
 */

/** The longest `q` accepted (an email address is at most 254 characters). */
export const SEARCH_MAX_LENGTH = 254;

/** How many complaints a search (or the "same customer" list) returns at most. */
export const SEARCH_LIMIT = 50;

/** What a link is keyed by: a customer's contact (email, phone) or an order reference. */
export type LinkKind = 'customer' | 'order';

export interface ComplaintLink {
  kind: LinkKind;
  /** SHA-256 (hex) of the normalized value, see customerKeys / orderKey */
  key: string;
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * For repeat detection and search, one hash per contact given: the email (trimmed, lower
 * case) and the phone (normalized by `phoneKey`), prefixed so that the two never collide.
 * A customer who wrote with email and phone is recognised later by either.
 */
export function customerKeys(customer: Pick<Customer, 'email' | 'phone'>): string[] {
  const keys: string[] = [];
  const email = customer.email?.trim().toLowerCase();
  if (email) keys.push(sha256Hex(`email:${email}`));
  const phone = customer.phone ? phoneKey(customer.phone) : '';
  if (phone) keys.push(sha256Hex(`phone:${phone}`));
  return keys;
}

/**
 * The digits of a phone number, with mainland China's country code dropped so that
 * "+86 138 0013 8000", "0086 13800138000" and "13800138000" are one customer. Other
 * numbers keep their digits as given.
 */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const national = /^(?:00)?86(1\d{10})$/.exec(digits);
  return national?.[1] ?? digits;
}

/** The key of an order reference: trimmed, inner spaces collapsed, case ignored. */
export function orderKey(orderRef: string): string | undefined {
  const normalized = orderRef.trim().replace(/\s+/g, ' ').toLowerCase();
  return normalized ? sha256Hex(`order:${normalized}`) : undefined;
}

/** A phone number as people write it: digits, optional +, spaces, dashes, dots, parentheses; 5–20 digits. */
function looksLikePhone(q: string): boolean {
  return /^\+?[0-9 ().-]+$/.test(q) && /^\d{5,20}$/.test(q.replace(/\D/g, ''));
}

/** A search term read every way it can be meant. */
export interface SearchPlan {
  /** the canonical reference when `q` reads as one (case, spaces, look-alikes forgiven) */
  reference?: string;
  /** the links to look up: email and/or phone when `q` reads as one, and always the order reference */
  links: ComplaintLink[];
}

/**
 * How to look up `q` (already trimmed and checked: one line, not empty). An ambiguous term
 * is looked up every way: "13800138000" as a phone number and as an order reference.
 */
export function searchPlan(q: string): SearchPlan {
  const term = q.trim();
  const links: ComplaintLink[] = [];
  if (term.includes('@')) {
    for (const key of customerKeys({ email: term })) links.push({ kind: 'customer', key });
  }
  if (looksLikePhone(term)) {
    for (const key of customerKeys({ phone: term })) links.push({ kind: 'customer', key });
  }
  const order = orderKey(term);
  if (order) links.push({ kind: 'order', key: order });
  const reference = parseReference(term);
  return { ...(reference ? { reference } : {}), links };
}
