/** Calls the public API; errors come back as ApiError with the API's code and details. */
import { config } from './config.js';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? [];
  }
}

export function apiUrl(path) {
  return `${(config.apiBaseUrl ?? '').replace(/\/$/, '')}${path}`;
}

/**
 * `api('/complaints', {method: 'POST', body, token, headers})` → parsed JSON body.
 * Throws ApiError (status 0 when the network failed).
 */
export async function api(path, { method = 'GET', body, token, headers = {} } = {}) {
  const init = { method, headers: { accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (token) init.headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(apiUrl(path), init);
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? String(response.status),
      error.message ?? response.statusText,
      error.details,
    );
  }
  return data;
}

/** A random Idempotency-Key (the same form submitted twice files one complaint). */
export function newIdempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
