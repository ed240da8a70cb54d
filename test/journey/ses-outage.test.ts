/**
 * Whole journeys while SES is down: the real notifier on the real SES client (the bounds of
 * functions/adapters/clients.ts) pointed at an endpoint that accepts and never answers, then
 * at a closed port. Every email fails within the client's bounds, is recorded with its cause,
 * and the journey goes on to the archive. The waits are generous (a hung email costs the
 * client's timeouts).
 */
import './quiet-logs.js';
import type { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSesClient, SES_LIMITS } from '../../functions/adapters/clients.js';
import { createNotifier } from '../../functions/adapters/ses-notifier.js';
import type { Actor } from '../../functions/domain/model.js';
import { loadNotificationsConfig } from '../../functions/domain/notifications-config.js';
import type { ApiAction } from '../../functions/domain/steps/index.js';
import { freePort } from '../support/free-port.js';
import { type HangingServer, hangingServer } from '../support/hanging-server.js';
import { AGENT, CUSTOMER, createJourneyWorld, DEPARTMENT, type JourneyWorld, SUPERVISOR } from './harness.js';

const WAIT = { timeoutMs: 90_000 };

let ses: HangingServer;
let w: JourneyWorld;
/** the SES client the notifier sends with (each test points it somewhere) */
let client: SESClient;

const sesAt = (endpoint: string) =>
  newSesClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

beforeAll(async () => {
  ses = await hangingServer();
  const config = loadNotificationsConfig({ configDir: 'config', env: {} });
  w = await createJourneyWorld('ses-outage', {
    // a notifier on whichever client the running test chose
    notify: (store) => (complaint, template, ctx) =>
      createNotifier({
        store,
        ses: client,
        config,
        metrics: { add: () => undefined },
        logger: { info: () => undefined, warn: () => undefined },
      }).notify(complaint, template, ctx),
  });
});

afterAll(async () => {
  await w?.close();
  await ses?.close();
});

async function act(id: string, state: string, action: ApiAction, body: unknown, actor: Actor) {
  await w.engine.waitForTask(id, state, WAIT);
  const res = await w.post(id, action, body, actor);
  expect(res.statusCode, `${action}: ${JSON.stringify(res.body)}`).toBe(202);
}

/** The happy path through the API, with generous waits; resolves with the complaint id. */
async function happyPath(): Promise<string> {
  const id = await w.start();
  await act(
    id,
    'AwaitInvestigation',
    'investigation',
    {
      valid: true,
      category: 'delivery',
      severity: 'general',
      department: 'after-sales',
      findings: 'Carrier delay confirmed.',
    },
    AGENT,
  );
  await act(id, 'AwaitProposal', 'proposal', { plan: 'Refund the shipping fee.' }, DEPARTMENT);
  await act(id, 'AwaitReview', 'review', { approved: true }, SUPERVISOR);
  await act(id, 'AwaitCustomerDecision', 'decision', { accept: true }, CUSTOMER);
  await act(
    id,
    'AwaitImplementation',
    'implementation',
    { result: 'Refunded.', basis: 'Delivery terms §4.' },
    DEPARTMENT,
  );
  await act(id, 'AwaitFollowUp', 'survey', { rating: 5 }, CUSTOMER);
  return id;
}

// the arrival notices of the proposal, the review and the implementation fail too, and the journey goes on
const TEMPLATES = [
  'acknowledgement',
  'arrival',
  'arrival',
  'proposal',
  'arrival',
  'result',
  'survey_request',
  'closure',
  'survey_result',
];

describe('a journey while SES is down', () => {
  it('hanging: completes from intake to archive; every email is recorded as failed with its cause', async () => {
    client = sesAt(ses.endpoint);
    const id = await happyPath();

    const execution = await w.engine.waitForCompletion(id, WAIT.timeoutMs);
    expect(execution.status).toBe('SUCCEEDED');
    const complaint = await w.store.get(id);
    expect(complaint).toMatchObject({ stage: 'closed', outcome: 'resolved' });
    const events = await w.store.events(id);
    const types = events.map((e) => e.type);
    expect(types).toContain('archived');
    expect(types).not.toContain('notification_sent');
    // the acknowledgement failed, and the investigation step opened all the same
    expect(events.find((e) => e.type === 'acknowledged')?.data).toMatchObject({ sent: false });
    expect(events.find((e) => e.type === 'step_opened')?.data).toMatchObject({ step: 'investigation' });

    const failed = events.filter((e) => e.type === 'notification_failed').map((e) => e.data);
    expect(failed.map((d) => d?.template)).toEqual(TEMPLATES);
    for (const data of failed) {
      expect(data).toMatchObject({
        error: 'TimeoutError',
        code: 'ETIMEDOUT',
        attempts: SES_LIMITS.maxAttempts,
      });
    }
    // each email tried SES once per attempt, and hung up every time
    expect(ses.connections()).toBe(TEMPLATES.length * SES_LIMITS.maxAttempts);
    await expect.poll(() => ses.closedByClient(), { timeout: 5_000 }).toBe(ses.connections());
  }, 180_000);

  it('refusing connections: completes the same way, each email recorded as ECONNREFUSED', async () => {
    client = sesAt(`http://127.0.0.1:${await freePort()}`);
    const id = await happyPath();
    const execution = await w.engine.waitForCompletion(id, WAIT.timeoutMs);
    expect(execution.status).toBe('SUCCEEDED');
    expect(await w.store.get(id)).toMatchObject({ stage: 'closed', outcome: 'resolved' });
    const events = await w.store.events(id);
    expect(events.map((e) => e.type)).toContain('archived');
    const failed = events.filter((e) => e.type === 'notification_failed').map((e) => e.data);
    expect(failed.map((d) => d?.template)).toEqual(TEMPLATES);
    for (const data of failed) {
      expect(data).toEqual({
        template: expect.any(String),
        to: expect.any(String),
        error: 'ECONNREFUSED',
        attempts: SES_LIMITS.maxAttempts,
      });
    }
  }, 120_000);
});
