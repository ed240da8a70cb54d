/**
 * Local staff sign-in: what Cognito and API Gateway's JWT authorizer do on AWS, in a few
 * lines. `POST /local/sign-in` issues an HS256 JWT with Cognito's claim names; the local
 * gateway verifies it and hands the handlers the claims the way an HTTP API does
 * (payload 2.0: every claim value a string, arrays as "[a b]").
 * It exists only in the local stack.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { ROLES, type StaffRole } from '../functions/domain/model.js';

export const LOCAL_ISSUER = 'urn:complaints:local-sign-in';
export const LOCAL_AUDIENCE = 'complaints-local';
/** a working day and then some */
export const TOKEN_LIFETIME_SECONDS = 12 * 3600;

export interface SignInRequest {
  role: StaffRole;
  department?: string;
  /** shown in the console and recorded as the actor's name */
  name?: string;
}

export class SignInError extends Error {
  constructor(
    message: string,
    readonly details: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export interface LocalAuth {
  /** validates the request (400-style SignInError) and returns a signed token */
  signIn(body: unknown): Promise<{ token: string; expiresAt: string; claims: Record<string, unknown> }>;
  /**
   * The claims an HTTP API JWT authorizer passes on, or undefined when the header holds no
   * valid token (the gateway answers 401).
   */
  verify(authorizationHeader: string | undefined): Promise<Record<string, string> | undefined>;
}

/**
 * The signing key lives in the data folder so that tokens survive a restart of the stack.
 * Tokens expire by the real clock (like Cognito's), not the simulated one, so that a
 * fast simulated clock does not sign people out every few seconds.
 */
export function createLocalAuth(options: { keyFile: string; departments: readonly string[] }): LocalAuth {
  const secret = loadOrCreateKey(options.keyFile);

  return {
    async signIn(body) {
      const request = parseSignIn(body, options.departments);
      const now = Math.floor(Date.now() / 1000);
      const sub = `local-${request.role}${request.department ? `-${request.department}` : ''}`;
      const claims: Record<string, unknown> = {
        'cognito:groups': [request.role],
        'cognito:username': sub,
        token_use: 'id',
        name: request.name ?? defaultName(request),
        // a work address, as a Cognito ID token carries: taking a complaint stores it, so the
        // taker gets its arrival notices and warnings in the local mailbox
        email: `${sub}@staff.example.com`,
        ...(request.department ? { 'custom:department': request.department } : {}),
      };
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
        .sign(secret);
      return { token, expiresAt: new Date((now + TOKEN_LIFETIME_SECONDS) * 1000).toISOString(), claims };
    },

    async verify(header) {
      if (!header) return undefined;
      // API Gateway accepts the token with or without the Bearer prefix.
      const token = header.replace(/^Bearer\s+/i, '').trim();
      if (!token) return undefined;
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          algorithms: ['HS256'],
        });
        return flattenClaims(payload as Record<string, unknown>);
      } catch {
        return undefined;
      }
    },
  };
}

/** HTTP API (payload 2.0) passes claims as strings; arrays become "[a b]". */
export function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[key] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') claims[key] = JSON.stringify(value);
    else claims[key] = String(value);
  }
  return claims;
}

function parseSignIn(body: unknown, departments: readonly string[]): SignInRequest {
  const details: { path: string; message: string }[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SignInError('The body must be a JSON object.', [{ path: '', message: 'expected an object' }]);
  }
  const { role, department, name } = body as Record<string, unknown>;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    details.push({ path: 'role', message: `one of ${ROLES.join(', ')}` });
  }
  if (
    department !== undefined &&
    department !== '' &&
    (typeof department !== 'string' || !departments.includes(department))
  ) {
    details.push({ path: 'department', message: `one of ${departments.join(', ')}` });
  }
  if (role === 'department' && (typeof department !== 'string' || department === '')) {
    details.push({ path: 'department', message: 'required for the department role' });
  }
  if (name !== undefined && (typeof name !== 'string' || name.length > 100)) {
    details.push({ path: 'name', message: 'a string of at most 100 characters' });
  }
  if (details.length > 0) throw new SignInError('The sign-in request is not valid.', details);
  return {
    role: role as StaffRole,
    ...(typeof department === 'string' && department !== '' ? { department } : {}),
    ...(typeof name === 'string' && name.trim() ? { name: name.trim() } : {}),
  };
}

function defaultName(request: SignInRequest): string {
  const role = request.role[0]?.toUpperCase() + request.role.slice(1);
  return request.department ? `${role} (${request.department})` : `${role} (local)`;
}

function loadOrCreateKey(file: string): Uint8Array {
  if (existsSync(file)) {
    const stored = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (stored.length >= 32) return new Uint8Array(stored);
  }
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
  return new Uint8Array(key);
}
