import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  IdempotencyMismatchError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  WrongStageError,
} from '../../../functions/domain/errors.js';
import {
  apiHandler,
  errorResponse,
  HttpError,
  json,
  lastPathSegment,
  MAX_BODY_BYTES,
  parseWith,
} from '../../../functions/runtime/http.js';
import { apiEvent, invoke } from '../../support/api-events.js';
import { captureOutput, logRecords } from '../api/helpers.js';

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

describe('errorResponse: typed errors to HTTP in one place', () => {
  it.each<[Error, number, string]>([
    [new ValidationError('bad', [{ path: 'subject', message: 'Required.' }]), 400, 'validation_failed'],
    [new UnauthorizedError(), 401, 'unauthorized'],
    [new ForbiddenError(), 403, 'forbidden'],
    [new NotFoundError(), 404, 'not_found'],
    [new WrongStageError('not now'), 409, 'wrong_stage'],
    [new ConflictError('taken', 'step_taken'), 409, 'step_taken'],
    [new IdempotencyMismatchError(), 409, 'idempotency_key_reused'],
    [new HttpError(413, 'payload_too_large', 'too big'), 413, 'payload_too_large'],
    [Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), 429, 'too_many_requests'],
    [
      Object.assign(new Error('Throughput exceeds the current capacity for table complaints'), {
        name: 'ProvisionedThroughputExceededException',
      }),
      429,
      'too_many_requests',
    ],
    [new Error('boom'), 500, 'internal_error'],
    [new TypeError("Cannot read properties of undefined (reading 'email')"), 500, 'internal_error'],
  ])('%s → %i', (error, status, code) => {
    const res = errorResponse(error);
    expect(res.statusCode).toBe(status);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe(code);
    expect(Object.keys(body)).toEqual(['error']);
    if (status === 500) expect(body.error.message).not.toContain(error.message);
  });

  it('lists validation details', () => {
    const res = errorResponse(new ValidationError('bad', [{ path: 'a.b', message: 'Required.' }]));
    expect(JSON.parse(res.body)).toEqual({
      error: {
        code: 'validation_failed',
        message: 'bad',
        details: [{ path: 'a.b', code: 'required', message: 'Required.' }],
      },
    });
  });

  it('gives every field error a code the pages translate (zod issue codes, `required` when missing)', () => {
    const schema = z.object({
      name: z.string({ error: (i) => (i.input === undefined ? 'Required.' : 'Must be text.') }),
      kind: z.enum(['a', 'b']).optional(),
      note: z.string().max(3).optional(),
      email: z.email().optional(),
      count: z.number().optional(),
      phone: z
        .string()
        .refine((v) => /^\d+$/.test(v), { message: 'Must be a phone number.' })
        .optional(),
      when: z
        .string()
        .refine(() => false, { message: 'Must not be in the future.' })
        .optional(),
    });
    const codes = (value: unknown) => {
      try {
        parseWith(schema, value);
        return {};
      } catch (error) {
        const body = JSON.parse(errorResponse(error).body);
        return Object.fromEntries(
          body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
        );
      }
    };
    expect(codes({})).toEqual({ name: 'required' });
    expect(
      codes({ name: 1, kind: 'c', note: 'long', email: 'x', count: 'one', phone: '+x', when: 'later' }),
    ).toEqual({
      name: 'invalid_type',
      kind: 'invalid_value',
      note: 'too_big',
      email: 'invalid_format',
      count: 'invalid_type',
      phone: 'invalid_format',
      when: 'too_big',
    });
  });

  it('maps a ZodError that escaped to a 400 naming the fields', () => {
    const result = z.object({ a: z.string() }).safeParse({});
    const res = errorResponse(result.error);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.details[0].path).toBe('a');
  });
});

describe('apiHandler', () => {
  const echo = apiHandler(
    async (event) => json(200, { body: event.jsonBody, type: event.headers['content-type'] }),
    { jsonBody: true },
  );

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON; Charset="UTF-8"',
    'application/merge-patch+json',
  ])('accepts content type %s', async (type) => {
    const res = await invoke(
      echo,
      apiEvent({ route: '/x', body: '{"a":1}', headers: { 'Content-Type': type } }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.body).toEqual({ a: 1 });
  });

  it.each(['text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'])(
    'refuses %s with 415',
    async (type) => {
      const res = await invoke(
        echo,
        apiEvent({ route: '/x', body: '{"a":1}', headers: { 'content-type': type } }),
      );
      expect(res.statusCode).toBe(415);
    },
  );

  it('normalizes header names', async () => {
    const res = await invoke(
      echo,
      apiEvent({ route: '/x', body: '{}', headers: { 'CONTENT-TYPE': 'application/json' } }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.type).toBe('application/json');
  });

  it('decodes a base64 body', async () => {
    const raw = Buffer.from('{"名":"值"}').toString('base64');
    const res = await invoke(
      echo,
      apiEvent({
        route: '/x',
        body: raw,
        isBase64Encoded: true,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(res.body.body).toEqual({ 名: '值' });
  });

  it('accepts exactly 64 KB and refuses one byte more (413)', async () => {
    const exact = JSON.stringify({ a: 'x'.repeat(MAX_BODY_BYTES - 8) });
    expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
    expect(
      (
        await invoke(
          echo,
          apiEvent({ route: '/x', body: exact, headers: { 'content-type': 'application/json' } }),
        )
      ).statusCode,
    ).toBe(200);
    const over = JSON.stringify({ a: 'x'.repeat(MAX_BODY_BYTES - 7) });
    expect(
      (
        await invoke(
          echo,
          apiEvent({ route: '/x', body: over, headers: { 'content-type': 'application/json' } }),
        )
      ).statusCode,
    ).toBe(413);
  });

  it('answers 500 generically and logs the error without its message', async () => {
    const failing = apiHandler(async () => {
      throw new Error('duplicate customer wang@example.com');
    });
    const res = await invoke(failing, apiEvent({ route: '/x' }));
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    const records = logRecords(output.lines);
    const error = records.find((r) => r.level === 'ERROR');
    expect(error).toMatchObject({
      message: 'request failed',
      errorName: 'Error',
      statusCode: 500,
      route: 'GET /x',
    });
    expect(Array.isArray(error?.stack)).toBe(true);
    expect(output.text()).not.toContain('wang@example.com');
  });

  it('logs one line per handled request, with the Lambda context and no event', async () => {
    const ok = apiHandler(async () => json(200, { ok: true }));
    await invoke(ok, apiEvent({ route: '/x', headers: { authorization: 'Bearer secret-token' } }));
    const records = logRecords(output.lines);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      message: 'request handled',
      statusCode: 200,
      service: 'complaints',
      function_name: 'complaints-test',
    });
    expect(output.text()).not.toContain('secret-token');
  });
});

describe('lastPathSegment', () => {
  it('reads the route template, falling back to the raw path', () => {
    expect(
      lastPathSegment(apiEvent({ route: '/complaints/{id}/decision', pathParameters: { id: 'C1' } })),
    ).toBe('decision');
    const event = apiEvent({ route: '/complaints/{id}/survey', pathParameters: { id: 'C1' } });
    event.routeKey = '$default';
    expect(lastPathSegment(event)).toBe('survey');
  });
});
