import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { StaffRole } from '../../functions/domain/model.js';
import type { ApiEvent, ApiResult } from '../../functions/runtime/http.js';

/**
 * API Gateway HTTP API (payload format 2.0) events for handler tests, shaped the way API
 * Gateway delivers them: `routeKey` with the route's path template, lower- or mixed-case
 * headers as sent, a JSON body as text, and the JWT authorizer's claims on staff routes.
 */

export interface ApiEventOptions {
  /** e.g. 'POST' */
  method?: 'GET' | 'POST';
  /** the route's path template, e.g. '/complaints/{id}/decision' */
  route: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** an object is sent as JSON (content-type application/json unless given); a string as is */
  body?: unknown;
  isBase64Encoded?: boolean;
  /** JWT claims (staff routes) */
  claims?: Record<string, unknown>;
}

export function apiEvent(options: ApiEventOptions): ApiEvent {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const rawPath = options.route.replace(
    /\{(\w+)\}/g,
    (_, name: string) => options.pathParameters?.[name] ?? `{${name}}`,
  );
  const headers: Record<string, string> = { host: 'api.example.com', ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
    if (!hasType && typeof options.body !== 'string') headers['content-type'] = 'application/json';
  }
  const query = options.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const event: ApiEvent = {
    version: '2.0',
    routeKey: `${method} ${options.route}`,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${method} ${options.route}`,
      stage: '$default',
      time: '23/Nov/2026:06:00:00 +0000',
      timeEpoch: Date.parse('2026-11-23T06:00:00Z'),
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (options.pathParameters) event.pathParameters = options.pathParameters;
  if (body !== undefined) event.body = body;
  return event;
}

/** Claims as Cognito's JWT authorizer passes them (groups in API Gateway's "[a b]" rendering). */
export function staffClaims(
  role: StaffRole | StaffRole[],
  options: { department?: string; sub?: string; groupsAs?: 'string' | 'array' } = {},
): Record<string, unknown> {
  const roles = Array.isArray(role) ? role : [role];
  return {
    sub: options.sub ?? `${roles.join('-')}-${randomUUID().slice(0, 8)}`,
    'cognito:groups': options.groupsAs === 'array' ? roles : `[${roles.join(' ')}]`,
    ...(options.department ? { 'custom:department': options.department } : {}),
  };
}

export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'complaints-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:complaints-test',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/complaints-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

export interface ParsedResult {
  statusCode: number;
  headers: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  body: any;
}

/** Calls a handler with a fresh Lambda context and parses its JSON answer. */
export async function invoke(
  handler: (event: ApiEvent, context: Context) => Promise<ApiResult>,
  event: ApiEvent,
): Promise<ParsedResult> {
  const result = await handler(event, lambdaContext());
  return {
    statusCode: result.statusCode,
    headers: result.headers ?? {},
    body: result.body ? JSON.parse(result.body) : undefined,
  };
}
