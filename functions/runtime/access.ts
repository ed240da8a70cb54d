import { createHash, randomBytes } from 'node:crypto';
import { getStore } from '../adapters/store.js';
import { NotFoundError } from '../domain/errors.js';
import { parseReference } from '../domain/reference.js';
import { type ApiEvent, header, pathParameter } from './http.js';

/**
 * Customer access: no login, an unguessable token per link. Tokens are 32 random bytes
 * (base64url), returned once and stored only as their SHA-256 (hex). An unknown id, a
 * malformed id, a missing token and a wrong token all answer the same 404.
 */

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A new customer access token and the hash to store. */
export function newAccessToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The bearer token of the Authorization header, if any. */
export function bearerToken(event: ApiEvent): string | undefined {
  const value = header(event, 'authorization');
  const m = value ? /^Bearer\s+([A-Za-z0-9._~+/=-]{1,512})\s*$/i.exec(value) : null;
  return m?.[1];
}

/** The complaint id of a customer route, once the bearer token is known to open it; 404 otherwise. */
export async function authorizeCustomer(event: ApiEvent): Promise<string> {
  const raw = pathParameter(event, 'id');
  const id = raw ? parseReference(raw) : undefined;
  const token = bearerToken(event);
  if (!id || !token) throw new NotFoundError();
  if (!(await getStore().hasAccessToken(id, sha256Hex(token)))) throw new NotFoundError();
  return id;
}
