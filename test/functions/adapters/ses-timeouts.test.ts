/**
 * A slow or dead SES, through the real SES client (the bounds of functions/adapters/clients.ts)
 * against real local sockets: one that accepts and never answers, one that refuses, one that
 * answers so slowly that only the notifier's deadline stops it. No mock of the SDK here.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSesClient, SES_LIMITS } from '../../../functions/adapters/clients.js';
import { createNotifier, failureCause } from '../../../functions/adapters/ses-notifier.js';
import { ManualClock } from '../../../functions/domain/clock.js';
import type { AuditEvent, Complaint } from '../../../functions/domain/model.js';
import { loadNotificationsConfig } from '../../../functions/domain/notifications-config.js';
import type { ComplaintChange } from '../../../functions/domain/store.js';
import { freePort } from '../../support/free-port.js';
import { type HangingServer, hangingServer } from '../../support/hanging-server.js';
import { newComplaint } from '../domain/store/fixtures.js';

const CONFIG = loadNotificationsConfig({ configDir: 'config', env: {} });

function complaint(): Complaint {
  return {
    ...newComplaint({
      customer: { name: '李娜', email: 'li.na@example.org', language: 'zh-CN' },
      subject: '快递延误',
      severity: 'serious',
    }),
    version: 1,
  };
}

/** A notifier on the real SES client pointed at `endpoint`, recording what it audits and logs. */
function notifierAt(endpoint: string, options: { sendDeadlineMs?: number } = {}) {
  const c = complaint();
  const events: Pick<AuditEvent, 'type' | 'data'>[] = [];
  const logs: unknown[] = [];
  const metrics: string[] = [];
  const notifier = createNotifier({
    store: {
      addAccessToken: async () => undefined,
      update: async (_id: string, change: (c: Complaint) => ComplaintChange | undefined) => {
        const result = change(c);
        if (result) events.push({ type: result.event.type, data: result.event.data });
        return c;
      },
    },
    ses: newSesClient({
      endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    config: CONFIG,
    clock: () => new ManualClock('2026-11-23T02:00:00Z'),
    metrics: { add: (name) => void metrics.push(name) },
    logger: { info: (...args) => void logs.push(args), warn: (...args) => void logs.push(args) },
    ...options,
  });
  return { notifier, complaint: c, events, logs, metrics };
}

function expectNoPersonalData(t: { events: unknown[]; logs: unknown[] }) {
  const recorded = JSON.stringify([t.events, t.logs]);
  for (const secret of ['li.na@example.org', '李娜', '快递延误', '@example.com']) {
    expect(recorded).not.toContain(secret);
  }
}

describe('a hanging SES (accepts, never answers)', () => {
  let server: HangingServer;
  beforeAll(async () => {
    server = await hangingServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('gives up after the client’s request timeout and retry, records TimeoutError, answers sent:false', async () => {
    const t = notifierAt(server.endpoint);

    const result = await t.notifier.notify(t.complaint, 'acknowledgement');

    expect(result).toEqual({ sent: false, failure: 'TimeoutError' });
    expect(t.events).toEqual([
      {
        type: 'notification_failed',
        data: {
          template: 'acknowledgement',
          to: 'customer',
          error: 'TimeoutError',
          code: 'ETIMEDOUT',
          attempts: SES_LIMITS.maxAttempts,
        },
      },
    ]);
    expect(t.metrics).toEqual(['NotificationFailures']);
    // one connection per attempt, each abandoned by the client: nothing is left waiting
    expect(server.connections()).toBe(SES_LIMITS.maxAttempts);
    await expect.poll(() => server.closedByClient(), { timeout: 5_000 }).toBe(SES_LIMITS.maxAttempts);
    expectNoPersonalData(t);
  });

  it('does the same for a staff email', async () => {
    const t = notifierAt(server.endpoint);
    const result = await t.notifier.notify(t.complaint, 'serious_intake');
    expect(result).toEqual({ sent: false, failure: 'TimeoutError' });
    expect(t.events[0]).toMatchObject({
      type: 'notification_failed',
      data: { template: 'serious_intake', to: 'managers', error: 'TimeoutError', code: 'ETIMEDOUT' },
    });
  });
});

describe('a dead SES (connection refused)', () => {
  it('records ECONNREFUSED, not a bare "Error", after the retry', async () => {
    const t = notifierAt(`http://127.0.0.1:${await freePort()}`);

    const result = await t.notifier.notify(t.complaint, 'acknowledgement');

    expect(result).toEqual({ sent: false, failure: 'ECONNREFUSED' });
    expect(t.events).toEqual([
      {
        type: 'notification_failed',
        data: {
          template: 'acknowledgement',
          to: 'customer',
          error: 'ECONNREFUSED',
          attempts: SES_LIMITS.maxAttempts,
        },
      },
    ]);
    expect(JSON.stringify(t.logs)).toContain('ECONNREFUSED');
    expectNoPersonalData(t);
  });
});

describe('an SES that answers too slowly', () => {
  let server: HttpServer;
  let endpoint: string;
  const timers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    // headers at once, then one byte of the body every 50 ms: no per-attempt timer fires
    server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '100000' });
      const timer = setInterval(() => res.write(' '), 50);
      timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    endpoint = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is cut off by the notifier’s deadline over the whole send', async () => {
    const t = notifierAt(endpoint, { sendDeadlineMs: 300 });
    const result = await t.notifier.notify(t.complaint, 'acknowledgement');
    expect(result).toEqual({ sent: false, failure: 'TimeoutError' });
    expect(t.events[0]).toMatchObject({
      type: 'notification_failed',
      data: { error: 'TimeoutError', code: 'SendDeadlineExceeded' },
    });
  });
});

describe('failureCause', () => {
  it('names the error, or its code when the name says nothing, and never copies a message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
      code: 'ECONNREFUSED',
      $metadata: { attempts: 2 },
    });
    expect(failureCause(refused)).toEqual({ error: 'ECONNREFUSED', attempts: 2 });
    const aggregate = Object.assign(new AggregateError([], 'x'), { code: 'ENETUNREACH' });
    expect(failureCause(aggregate)).toEqual({ error: 'ENETUNREACH' });
    const rejected = Object.assign(new Error('Email address is not verified: li.na@example.org'), {
      name: 'MessageRejected',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    expect(failureCause(rejected)).toEqual({ error: 'MessageRejected', httpStatus: 400, attempts: 1 });
    expect(failureCause(new URIError('URI malformed'))).toEqual({ error: 'URIError' });
    expect(failureCause(Object.assign(new Error('x'), { name: 'li.na@example.org is bad' }))).toEqual({
      error: 'UnknownError',
    });
    expect(failureCause('a string')).toEqual({ error: 'UnknownError' });
    expect(failureCause(new Error('plain'))).toEqual({ error: 'Error' });
  });
});
