/**
 * The local gateway against a recording handler: the HTTP API payload 2.0 event it builds,
 * the JWT check of staff routes, CORS, Lambda results, static files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/domain/clock.js';
import { ROUTES, type RouteDefinition } from '../../functions/routes.js';
import { createLocalAuth, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/auth.js';
import { compileRoutes, matchRoute, type RunningGateway, startGateway } from '../../local/gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
const webDir = join(dir, 'web');
const auth = createLocalAuth({ keyFile: join(dir, 'key'), departments: ['sales', 'logistics'] });
const clock = new ManualClock('2026-11-23T09:00:00+08:00');
const seen: { route: RouteDefinition; event: APIGatewayProxyEventV2 }[] = [];
let result: unknown = { statusCode: 200, body: '{"ok":true}' };
let gateway: RunningGateway;

beforeAll(async () => {
  mkdirSync(webDir, { recursive: true });
  writeFileSync(join(webDir, 'index.html'), '<h1>form</h1>');
  writeFileSync(join(webDir, 'app.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'not served');
  gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    routes: ROUTES,
    handlerFor: async (route) => async (event) => {
      seen.push({ route, event });
      if (result instanceof Error) throw result;
      return result;
    },
    auth,
    webDir,
    clock,
  });
});

afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function send(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('routing from ROUTES', () => {
  it('matches every route path and decodes path parameters', () => {
    const compiled = compileRoutes(ROUTES);
    expect(matchRoute(compiled, 'POST', '/staff/complaints/C2611-AB12-CD34/review')?.route.name).toBe(
      'StaffReview',
    );
    expect(matchRoute(compiled, 'GET', '/complaints/C%2011')?.pathParameters).toEqual({ id: 'C 11' });
    expect(matchRoute(compiled, 'GET', '/complaints/a/b')).toBeUndefined();
    expect(matchRoute(compiled, 'DELETE', '/complaints/a')).toBeUndefined();
    for (const route of ROUTES) {
      const path = route.path.replace('{id}', 'C2611-AAAA-BBBB');
      expect(matchRoute(compiled, route.method, path)?.route.path).toBe(route.path);
    }
  });
});

describe('the payload 2.0 event', () => {
  it('carries routeKey, raw path and query, lower-cased headers, path parameters and the body', async () => {
    seen.length = 0;
    const response = await send('POST', '/complaints/C2611-AAAA-BBBB/decision?x=1&x=2&y=', {
      body: '{"accept":true}',
      headers: {
        'Content-Type': 'application/json',
        'X-Custom': 'A',
        Authorization: 'Bearer customer-token',
      },
    });
    expect(response.status).toBe(200);
    const { route, event } = seen[0]!;
    expect(route.name).toBe('CustomerDecision');
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /complaints/{id}/decision');
    expect(event.rawPath).toBe('/complaints/C2611-AAAA-BBBB/decision');
    expect(event.rawQueryString).toBe('x=1&x=2&y=');
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: '' });
    expect(event.pathParameters).toEqual({ id: 'C2611-AAAA-BBBB' });
    expect(event.headers['x-custom']).toBe('A');
    expect(event.headers.authorization).toBe('Bearer customer-token');
    expect(event.body).toBe('{"accept":true}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.timeEpoch).toBe(clock.now().getTime());
    expect((event.requestContext as { authorizer?: unknown }).authorizer).toBeUndefined();
  });

  it('passes the query string as sent (rawQueryString unencoded), cookies as a list, repeated headers joined', async () => {
    seen.length = 0;
    const status = await new Promise<number>((resolve, reject) => {
      // fetch would percent-encode the quote; a client that does not must still see it raw
      const req = request(
        {
          host: '127.0.0.1',
          port: gateway.port,
          path: "/complaints/C2611-AAAA-BBBB?name=O'Brien&q=a%20b",
          method: 'GET',
          headers: { cookie: ['a=1; b=2', 'c=3'], 'x-multi': ['one', 'two'] },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    const { event } = seen[0]!;
    expect(event.rawQueryString).toBe("name=O'Brien&q=a%20b");
    expect(event.queryStringParameters).toEqual({ name: "O'Brien", q: 'a b' });
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers['x-multi']).toBe('one,two');
  });

  it('refuses a body over 10 MB as API Gateway does (413), without calling the function', async () => {
    seen.length = 0;
    const response = await send('POST', '/complaints', {
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toEqual({ message: 'Request Entity Too Large' });
    expect(seen).toHaveLength(0);
    // just under the limit goes through
    const fits = await send('POST', '/complaints', {
      body: 'x'.repeat(1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(fits.status).toBe(200);
  });

  it('base64-encodes a body that is not text, and leaves out what the request lacks', async () => {
    seen.length = 0;
    await send('POST', '/complaints', {
      body: 'binary',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const { event } = seen[0]!;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').toString()).toBe('binary');
    expect(event.pathParameters).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
  });
});

describe('staff routes: the JWT authorizer', () => {
  it('refuses a missing, forged or foreign token with 401 before the handler runs', async () => {
    seen.length = 0;
    const { token } = await auth.signIn({ role: 'agent' });
    const other = createLocalAuth({ keyFile: join(dir, 'other-key'), departments: [] });
    const foreign = (await other.signIn({ role: 'agent' })).token;
    for (const header of [undefined, 'Bearer ', `Bearer ${token.slice(0, -3)}abc`, `Bearer ${foreign}`]) {
      const response = await send(
        'GET',
        '/staff/complaints',
        header ? { headers: { authorization: header } } : {},
      );
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toEqual({ message: 'Unauthorized' });
    }
    expect(seen).toHaveLength(0);
  });

  it('refuses an expired token, an unsigned one (alg none) and one for another audience', async () => {
    seen.length = 0;
    const key = new Uint8Array(Buffer.from(readFileSync(join(dir, 'key'), 'utf8').trim(), 'base64url'));
    const now = Math.floor(Date.now() / 1000);
    const claims = { 'cognito:groups': ['manager'], token_use: 'id' };
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('local-manager')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 60)
      .sign(key);
    const otherAudience = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('local-manager')
      .setIssuer(LOCAL_ISSUER)
      .setAudience('someone-else')
      .setExpirationTime(now + 600)
      .sign(key);
    const unsigned = new UnsecuredJWT(claims)
      .setSubject('local-manager')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(now + 600)
      .encode();
    for (const token of [expired, otherAudience, unsigned]) {
      const response = await send('GET', '/staff/complaints', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(401);
    }
    expect(seen).toHaveLength(0);
  });

  it('passes the verified claims as API Gateway does: strings, groups as "[a b]"', async () => {
    seen.length = 0;
    const { token } = await auth.signIn({ role: 'department', department: 'sales', name: 'Liu' });
    expect(
      (await send('GET', '/staff/complaints/C1', { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    const claims = (
      seen[0]!.event.requestContext as { authorizer?: { jwt: { claims: Record<string, string> } } }
    ).authorizer?.jwt.claims;
    expect(claims).toMatchObject({
      sub: 'local-department-sales',
      'cognito:groups': '[department]',
      'custom:department': 'sales',
      name: 'Liu',
    });
    expect(typeof claims?.exp).toBe('string');
  });
});

describe('local sign-in', () => {
  it('validates the role and the department', async () => {
    const bad = await send('POST', '/local/sign-in', { body: '{"role":"department"}' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.details.map((d: { path: string }) => d.path)).toEqual(['department']);
    expect((await send('POST', '/local/sign-in', { body: '{"role":"admin"}' })).status).toBe(400);
    expect(
      (await send('POST', '/local/sign-in', { body: '{"role":"agent","department":"nope"}' })).status,
    ).toBe(400);
    expect((await send('POST', '/local/sign-in', { body: 'not json' })).status).toBe(400);
    const ok = await send('POST', '/local/sign-in', { body: '{"role":"manager"}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).token.split('.')).toHaveLength(3);
  });

  it('keeps its key in the data folder: tokens survive a restart', async () => {
    const { token } = await auth.signIn({ role: 'supervisor' });
    const again = createLocalAuth({ keyFile: join(dir, 'key'), departments: [] });
    expect(await again.verify(`Bearer ${token}`)).toMatchObject({ sub: 'local-supervisor' });
  });
});

describe('responses', () => {
  it('sends a structured result as it is, and anything else as a 200 JSON body', async () => {
    result = { statusCode: 418, headers: { 'X-Tea': 'yes' }, body: 'short and stout' };
    let response = await send('GET', '/health');
    expect(response.status).toBe(418);
    expect(response.headers.get('x-tea')).toBe('yes');
    expect(response.text).toBe('short and stout');
    result = { status: 'ok' };
    response = await send('GET', '/health');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ status: 'ok' });
    result = new Error('boom with details');
    response = await send('GET', '/health');
    expect(response.status).toBe(500);
    expect(response.text).not.toContain('boom');
    result = { statusCode: 200, body: '{"ok":true}' };
  });

  it('answers CORS preflights and puts the allowed origin on every response', async () => {
    const preflight = await send('OPTIONS', '/staff/complaints', {
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect((await send('GET', '/health')).headers.get('access-control-allow-origin')).toBe('*');
    expect((await send('GET', '/health')).headers.get('access-control-expose-headers')).toBe(
      'idempotent-replayed',
    );
  });

  it('answers an unknown path or a method no route has as API Gateway does: 404 {"message":"Not Found"}', async () => {
    seen.length = 0;
    for (const [method, path] of [
      ['GET', '/nothing-here'],
      ['POST', '/nothing-here'],
      ['DELETE', '/complaints/C2611-AAAA-BBBB'],
      ['PUT', '/complaints'],
      ['GET', '/staff/complaints/C1/review'],
    ] as const) {
      const response = await send(method, path);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(JSON.parse(response.text), `${method} ${path}`).toEqual({ message: 'Not Found' });
    }
    expect(seen).toHaveLength(0);
  });
});

describe('static pages', () => {
  it('serves web/ with content types, index.html at /, and nothing outside it', async () => {
    const index = await send('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect((await send('GET', '/app.css')).headers.get('content-type')).toContain('text/css');
    const raw = await new Promise<number>((resolve, reject) => {
      // fetch normalises "..", a raw request does not
      const req = request(`${gateway.url}/../secret.txt`, { method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw).toBe(404);
    expect((await send('GET', '/%2e%2e/secret.txt')).status).toBe(404);
  });
});
