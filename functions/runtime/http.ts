import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import { DomainError, ValidationError } from '../domain/errors.js';
import { ConfigurationError } from './env.js';
import { logger, publishMetricsIfAny } from './powertools.js';

/**
 * The HTTP edge of every API handler: one middleware stack, one error mapping.
 *
 * Errors answer `{"error": {"code", "message", "details"?}}`. Typed domain errors
 * (functions/domain/errors.ts) and HttpError carry their own status and a message written
 * for people; anything else answers 500 with a generic message, and is logged by name and
 * stack frames only (an SDK message may quote request values, so it is never logged or
 * returned).
 */

/** The staff JWT authorizer's output; absent on public routes. */
export interface JwtAuthorizer {
  jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null };
}

export interface ApiRequestContext extends APIGatewayEventRequestContextV2 {
  authorizer?: JwtAuthorizer;
}

/** An API Gateway HTTP API (payload 2.0) event, after the middleware ran. */
export type ApiEvent = APIGatewayProxyEventV2WithRequestContext<ApiRequestContext> & {
  /** the parsed JSON body (handlers created with `jsonBody: true`) */
  jsonBody?: unknown;
};

export type ApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export type ApiHandler = MiddyfiedHandler<ApiEvent, ApiResult, Error, Context>;

/** Bodies above this size answer 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An HTTP-level refusal that is not a domain error (413, 415, malformed JSON, 429). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/**
 * Why one field was refused, for the pages to word in the reader's language: zod's issue
 * codes, plus `required` for a missing value.
 */
export type FieldErrorCode =
  | 'required'
  | 'invalid_type'
  | 'invalid_value'
  | 'invalid_format'
  | 'too_big'
  | 'too_small'
  | 'unrecognized_keys';

export interface FieldError {
  path: string;
  code: FieldErrorCode;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: FieldError[] };
}

const GENERIC_500 = 'Something went wrong on our side. Please try again in a moment.';
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

/** The status code of a domain error. */
function domainStatus(error: DomainError): number {
  switch (error.code) {
    case 'validation_failed':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'file_too_large':
      return 413;
    case 'file_type_not_allowed':
      return 415;
    default:
      // wrong_stage, conflict, step_stale, idempotency_key_reused, …
      return 409;
  }
}

function isZodError(error: unknown): error is z.ZodError {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as z.ZodError).issues);
}

/** The one mapping from a thrown value to an HTTP answer. */
export function errorResponse(error: unknown): ApiResult {
  if (error instanceof ValidationError) {
    return json(400, {
      error: { code: error.code, message: error.message, details: withCodes(error.details) },
    });
  }
  if (isZodError(error)) {
    const v = validationError(error);
    return json(400, { error: { code: v.code, message: v.message, details: v.details } });
  }
  if (error instanceof DomainError) {
    return json(domainStatus(error), { error: { code: error.code, message: error.message } });
  }
  if (error instanceof HttpError) {
    return json(error.statusCode, { error: { code: error.code, message: error.message } }, error.headers);
  }
  if (error instanceof Error && THROTTLED.has(error.name)) {
    return json(
      429,
      {
        error: {
          code: 'too_many_requests',
          message: 'Too many requests right now. Please try again shortly.',
        },
      },
      { 'retry-after': '1' },
    );
  }
  return json(500, { error: { code: 'internal_error', message: GENERIC_500 } });
}

/**
 * What may be logged about an unexpected error: its name, AWS fault/status/request id and
 * stack frames, never its message (SDK and runtime messages can quote request values).
 */
export function safeErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const meta = error as { $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string };
  const ours =
    error instanceof DomainError || error instanceof HttpError || error instanceof ConfigurationError;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12)
    .map((line) => line.trim());
  return {
    errorName: error.name,
    ...(ours ? { errorMessage: error.message } : {}),
    ...(meta.$fault ? { fault: meta.$fault } : {}),
    ...(meta.$metadata?.httpStatusCode ? { awsStatus: meta.$metadata.httpStatusCode } : {}),
    ...(meta.$metadata?.requestId ? { awsRequestId: meta.$metadata.requestId } : {}),
    stack: frames,
  };
}

/**
 * The code of one zod issue. A missing value is `required` (zod says `invalid_type` or, for
 * a choice, `invalid_value`, with no input). A refinement (`custom`) gives its own `params.code` when it sets one; else it is
 * read from the schema's own wording (functions/domain/complaint-schemas.ts): "Required…" and
 * "Give …" are `required`, "Must not be …" (in the future, after `to`) is `too_big`, "Must be
 * one of …" is `invalid_value`, any other is `invalid_format`.
 */
function issueCode(issue: z.core.$ZodIssue): FieldErrorCode {
  if (issue.code !== 'custom') {
    const missing = 'input' in issue ? issue.input === undefined || issue.input === null : undefined;
    if (missing === true || (missing === undefined && issue.message === 'Required.')) return 'required';
  }
  switch (issue.code) {
    case 'invalid_type':
    case 'too_big':
    case 'too_small':
    case 'invalid_value':
    case 'invalid_format':
    case 'unrecognized_keys':
      return issue.code;
    case 'custom': {
      const own = (issue.params as { code?: unknown } | undefined)?.code;
      if (typeof own === 'string' && FIELD_ERROR_CODES.has(own)) return own as FieldErrorCode;
      if (/^(Required|Give )/.test(issue.message)) return 'required';
      if (/^Must not be /.test(issue.message)) return 'too_big';
      if (/^Must be one of/.test(issue.message)) return 'invalid_value';
      return 'invalid_format';
    }
    default:
      return 'invalid_value';
  }
}

const FIELD_ERROR_CODES: ReadonlySet<string> = new Set<FieldErrorCode>([
  'required',
  'invalid_type',
  'invalid_value',
  'invalid_format',
  'too_big',
  'too_small',
  'unrecognized_keys',
]);

/** Details written by hand (a missing body, a bad header or cursor) get a code too. */
function withCodes(details: readonly { path: string; message: string; code?: string }[]): FieldError[] {
  return details.map((d) => ({
    path: d.path,
    code:
      d.code && FIELD_ERROR_CODES.has(d.code)
        ? (d.code as FieldErrorCode)
        : /^(Required|A .* is required)/.test(d.message)
          ? 'required'
          : 'invalid_value',
    message: d.message,
  }));
}

/** Converts zod issues to the 400 error that names every bad field, each with its code. */
export function validationError(error: z.ZodError): ValidationError {
  const details: FieldError[] = error.issues.map((issue) => ({
    path: issue.path.length === 0 ? 'body' : issue.path.map(String).join('.'),
    code: issueCode(issue as z.core.$ZodIssue),
    message: issue.message,
  }));
  return new ValidationError('Some fields are missing or invalid.', details);
}

/**
 * Validates `value` with `schema`; a ValidationError naming every bad field otherwise. The
 * issues carry their input (to tell a missing field from a wrong one); only codes, paths and
 * messages leave this function.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** The body that `jsonBody: true` parsed. */
export function bodyOf(event: ApiEvent): unknown {
  return event.jsonBody;
}

/** A header (names are lower-cased by the middleware). */
export function header(event: ApiEvent, name: string): string | undefined {
  const value = event.headers?.[name.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

export function pathParameter(event: ApiEvent, name: string): string | undefined {
  return event.pathParameters?.[name];
}

/** The last segment of the request path, e.g. `decision` in /complaints/{id}/decision. */
export function lastPathSegment(event: ApiEvent): string {
  const path =
    event.routeKey && event.routeKey !== '$default' ? event.routeKey.split(' ').pop() : event.rawPath;
  return (path ?? event.rawPath ?? '').replace(/\/+$/, '').split('/').pop() ?? '';
}

/** true on the staff routes (/staff/…), which sit behind the JWT authorizer. */
export function isStaffRoute(event: ApiEvent): boolean {
  const path =
    event.routeKey && event.routeKey !== '$default' ? event.routeKey.split(' ').pop() : event.rawPath;
  return (path ?? '').startsWith('/staff/');
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (!type || !/^application\/([a-z0-9.+-]+\+)?json$/.test(type)) return false;
  const charset = params.find((p) => p.startsWith('charset='));
  return !charset || /^charset="?utf-8"?$/.test(charset);
}

/** 413 / 415 / 400 for the request body; on success the parsed value is `event.jsonBody`. */
export function jsonBodyParser(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    before: (request) => {
      const event = request.event;
      const raw = event.body;
      if (raw === undefined || raw === null || raw === '') {
        throw new ValidationError('A JSON request body is required.', [
          { path: 'body', message: 'A JSON request body is required.' },
        ]);
      }
      const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
      if (bytes.byteLength > MAX_BODY_BYTES) {
        throw new HttpError(413, 'payload_too_large', 'The request body is larger than 64 KB.');
      }
      if (!isJsonContentType(header(event, 'content-type'))) {
        throw new HttpError(
          415,
          'unsupported_media_type',
          'Send the request body as application/json (UTF-8).',
        );
      }
      try {
        event.jsonBody = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
      }
    },
  };
}

/** Maps every error to its answer (in one place) and writes one log line per request. */
function errorsAndAccessLog(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    after: (request) => {
      logger.info('request handled', {
        route: request.event.routeKey,
        statusCode: request.response?.statusCode,
      });
    },
    onError: (request) => {
      const response = errorResponse(request.error);
      if (response.statusCode >= 500) {
        logger.error('request failed', {
          route: request.event.routeKey,
          statusCode: response.statusCode,
          ...safeErrorFields(request.error),
        });
      } else {
        const code = (JSON.parse(response.body) as ErrorBody).error.code;
        logger.info('request refused', {
          route: request.event.routeKey,
          statusCode: response.statusCode,
          code,
        });
      }
      request.response = response;
    },
  };
}

function metricsPublisher(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    after: () => publishMetricsIfAny(),
    onError: () => publishMetricsIfAny(),
  };
}

export interface ApiHandlerOptions {
  /** parse a JSON body: 413 over 64 KB, 415 when not application/json, 400 when malformed */
  jsonBody?: boolean;
}

/**
 * Wraps a route's logic in the shared stack: Lambda context in logs (the event is never
 * logged), metrics flushing, lower-cased header names, the body checks, and the error mapping.
 */
export function apiHandler(
  fn: (event: ApiEvent, context: Context) => Promise<ApiResult>,
  options: ApiHandlerOptions = {},
): ApiHandler {
  const handler = middy<ApiEvent, ApiResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(metricsPublisher())
    .use(httpHeaderNormalizer() as MiddlewareObj<ApiEvent, ApiResult>)
    .use(errorsAndAccessLog());
  if (options.jsonBody) handler.use(jsonBodyParser());
  return handler.handler(fn);
}
