/**
 * The local API Gateway: a node:http server that routes from the same ROUTES table CDK
 * deploys, turns each request into an HTTP API (payload format 2.0) event, verifies staff
 * JWTs like the Cognito JWT authorizer, calls the handler in this process, and turns its
 * result back into an HTTP response. It also serves the static pages of `web/` and the
 * local-only sign-in.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Clock } from '../functions/domain/clock.js';
import type { RouteDefinition } from '../functions/routes.js';
import { PAGE_SECURITY_HEADERS } from '../functions/runtime/security-headers.js';
import { type LocalAuth, SignInError } from './auth.js';
import { webAsset } from './web-assets.js';

/** What a Lambda handler for an HTTP API looks like to the gateway. */
export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface GatewayOptions {
  port: number;
  host: string;
  routes: readonly RouteDefinition[];
  /** resolves a route's handler (imported in-process, once) */
  handlerFor(route: RouteDefinition): Promise<HttpHandler>;
  auth: LocalAuth;
  /** folder of static files served for GET requests that match no route */
  webDir: string;
  /** extra files served only locally, e.g. the sign-in page at /local/sign-in */
  localPages?: Record<string, string>;
  clock: Clock;
  /** simulated seconds per real second, shown by GET /local/clock */
  clockSpeed?: number;
  /** Access-Control-Allow-Origin; '*' unless told */
  corsOrigin?: string;
  /** API Gateway's integration timeout is 30 s */
  timeoutMs?: number;
  /** one line per request (method, path, status, ms); no bodies, no personal data */
  log?: (line: string) => void;
  /** called with unexpected errors (handler crashes) */
  onError?: (error: unknown, route: RouteDefinition) => void;
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/** API Gateway HTTP APIs accept payloads up to 10 MB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const CORS_ALLOW_HEADERS = 'authorization,content-type,idempotency-key';
const CORS_ALLOW_METHODS = 'GET,POST,OPTIONS';

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
        if (param?.[1]) {
          names.push(param[1]);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), names };
  });
}

/** The route for a method and path, with its decoded path parameters. */
export function matchRoute(
  compiled: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: RouteDefinition; pathParameters: Record<string, string> } | undefined {
  for (const { route, pattern, names } of compiled) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    names.forEach((name, i) => {
      pathParameters[name] = safeDecode(match[i + 1] ?? '');
    });
    return { route, pathParameters };
  }
  return undefined;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const compiled = compileRoutes(options.routes);
  const webDir = resolve(options.webDir);
  const corsOrigin = options.corsOrigin ?? '*';
  const timeoutMs = options.timeoutMs ?? 30_000;

  const server = createServer((req, res) => {
    const started = Date.now();
    res.setHeader('access-control-allow-origin', corsOrigin);
    res.setHeader('access-control-expose-headers', 'idempotent-replayed');
    if (corsOrigin !== '*') res.setHeader('vary', 'Origin');
    handle(req, res)
      .catch((error) => {
        options.log?.(`gateway error: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) sendJson(res, 500, apiError('internal_error', 'Internal Server Error'));
        else res.end();
      })
      .finally(() => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        // changes and failures; not every page file or successful read (the console polls)
        const quiet = (req.method === 'GET' || req.method === 'OPTIONS') && res.statusCode < 400;
        if (!quiet && !isStaticLooking(path)) {
          options.log?.(`${req.method} ${path} → ${res.statusCode} (${Date.now() - started} ms)`);
        }
      });
  });
  // Keep-alive sockets must not hold stop() up.
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': CORS_ALLOW_METHODS,
        'access-control-allow-headers': CORS_ALLOW_HEADERS,
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }

    if (path === '/local/sign-in' && method === 'POST') return signIn(req, res);
    if (path === '/local/clock' && method === 'GET') {
      sendJson(res, 200, { now: options.clock.now().toISOString(), speed: options.clockSpeed ?? 1 });
      return;
    }

    const matched = matchRoute(compiled, method, path);
    if (matched) return invoke(req, res, url, matched.route, matched.pathParameters);

    if (method === 'GET' || method === 'HEAD') {
      const page = options.localPages?.[path];
      if (page) return sendFile(res, page, method);
      if (await serveStatic(res, path, method)) return;
    }
    // API Gateway's own answer when no route matches the method and path (HTTP APIs have no 405)
    sendJson(res, 404, { message: 'Not Found' });
  }

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === 'too-large')
      return sendJson(res, 413, apiError('payload_too_large', 'The body is too large.'));
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      return sendJson(res, 400, apiError('invalid_json', 'The body is not valid JSON.'));
    }
    try {
      const { token, expiresAt } = await options.auth.signIn(body);
      sendJson(res, 200, { token, expiresAt });
    } catch (error) {
      if (error instanceof SignInError) {
        return sendJson(res, 400, apiError('validation_failed', error.message, error.details));
      }
      throw error;
    }
  }

  async function invoke(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: RouteDefinition,
    pathParameters: Record<string, string>,
  ): Promise<void> {
    const headers = lowerCaseHeaders(req);
    let claims: Record<string, string> | undefined;
    if (route.auth === 'staff') {
      claims = await options.auth.verify(headers.authorization);
      if (!claims) {
        res.setHeader('www-authenticate', 'Bearer');
        // what API Gateway's JWT authorizer answers, so clients see the same on AWS
        return sendJson(res, 401, { message: 'Unauthorized' });
      }
    }
    const raw = await readBody(req);
    if (raw === 'too-large') {
      // API Gateway's own answer: the request never reaches the function
      res.setHeader('connection', 'close');
      return sendJson(res, 413, { message: 'Request Entity Too Large' });
    }
    const event = toEvent({
      req,
      url,
      route,
      pathParameters,
      headers,
      body: raw,
      claims,
      now: options.clock.now(),
    });
    const context = lambdaContext(route, timeoutMs);

    let handler: HttpHandler;
    try {
      handler = await options.handlerFor(route);
    } catch (error) {
      options.onError?.(error, route);
      return sendJson(res, 500, apiError('internal_error', 'Internal Server Error'));
    }

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((done) => {
      timer = setTimeout(() => done('timeout'), timeoutMs);
    });
    let result: unknown;
    try {
      result = await Promise.race([handler(event, context), timeout]);
    } catch (error) {
      options.onError?.(error, route);
      return sendJson(res, 500, apiError('internal_error', 'Internal Server Error'));
    } finally {
      clearTimeout(timer);
    }
    if (result === 'timeout') {
      return sendJson(
        res,
        503,
        apiError('service_unavailable', 'Service Unavailable: the handler timed out.'),
      );
    }
    writeLambdaResult(res, result);
  }

  async function serveStatic(res: ServerResponse, path: string, method: string): Promise<boolean> {
    // /config.js with the branding, /vendor/<name> from node_modules (local/web-assets.ts)
    const made = await webAsset(webDir, path);
    if (made) {
      res.writeHead(200, {
        'content-type': made.contentType,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(method === 'HEAD' ? undefined : made.body);
      return true;
    }
    const relative = path.endsWith('/') ? `${path}index.html` : path;
    const decoded = safeDecode(relative);
    if (decoded.includes('\0')) return false;
    const file = normalize(join(webDir, decoded));
    if (file !== webDir && !file.startsWith(webDir + sep)) return false;
    try {
      const info = await stat(file);
      if (!info.isFile()) return false;
    } catch {
      return false;
    }
    await sendFile(res, file, method, PAGE_SECURITY_HEADERS);
    return true;
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen({ port: options.port, host: options.host, exclusive: true }, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    server,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}

/** Builds the API Gateway HTTP API payload 2.0 event for one request. */
export function toEvent(input: {
  req: IncomingMessage;
  url: URL;
  route: RouteDefinition;
  pathParameters: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
  claims?: Record<string, string>;
  now: Date;
}): APIGatewayProxyEventV2 {
  const { req, url, route, headers, body, claims, now } = input;
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  const cookies = headers.cookie ? headers.cookie.split(/;\s*/).filter(Boolean) : undefined;
  const hasBody = body.length > 0;
  const textual = isTextual(headers['content-type']);
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    // as sent: the URL parser would percent-encode some characters (a quote, for one)
    rawQueryString: rawQuery(req.url),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: formatApiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: hasBody && !textual,
  };
  if (cookies) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (Object.keys(input.pathParameters).length > 0) event.pathParameters = input.pathParameters;
  if (hasBody) event.body = textual ? body.toString('utf8') : body.toString('base64');
  if (claims) event.requestContext.authorizer = { jwt: { claims, scopes: null } };
  return event;
}

/** Lambda's context object, as far as handlers and Powertools read it. */
function lambdaContext(route: RouteDefinition, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const functionName = `complaints-local-${route.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * A Lambda result in payload format 2.0: either `{statusCode, headers?, body?, cookies?,
 * isBase64Encoded?}`, or anything else, which API Gateway sends as a 200 JSON body.
 */
function writeLambdaResult(res: ServerResponse, result: unknown): void {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      multiValueHeaders?: Record<string, (string | number | boolean)[]>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    for (const [name, value] of Object.entries(r.headers ?? {}))
      res.setHeader(name.toLowerCase(), String(value));
    if (r.cookies?.length) res.setHeader('set-cookie', r.cookies);
    const body =
      r.body === undefined ? undefined : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8');
    if (body && !res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
    res.writeHead(r.statusCode);
    res.end(body);
    return;
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
}

function apiError(code: string, message: string, details?: unknown): unknown {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

async function sendFile(
  res: ServerResponse,
  file: string,
  method: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  const content = await readFile(file);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': content.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(method === 'HEAD' ? undefined : content);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  // a declared length over the limit is refused without reading the body
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => done(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** Node keeps repeated headers as arrays (set-cookie) or joined; API Gateway joins with ','. */
function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    if (value) headers[name.toLowerCase()] = value.join(name.toLowerCase() === 'cookie' ? '; ' : ',');
  }
  return headers;
}

function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/javascript'
  );
}

function rawQuery(requestTarget: string | undefined): string {
  const target = requestTarget ?? '';
  const start = target.indexOf('?');
  if (start < 0) return '';
  const end = target.indexOf('#', start);
  return target.slice(start + 1, end < 0 ? undefined : end);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isStaticLooking(path: string): boolean {
  return /\.(css|js|png|svg|ico|html)$/.test(path) || path === '/';
}

/** "09/Apr/2015:12:34:56 +0000", API Gateway's requestContext.time format. */
function formatApiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}
