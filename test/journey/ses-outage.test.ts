/**
 * A whole journey while SES hangs: the real notifier on the real SES client (the bounds of
 * functions/adapters/clients.ts) pointed at an endpoint that accepts and never answers. Every
 * email fails within the client's timeouts, is recorded with its cause, and the journey goes
 * on to the archive. The waits are generous (each email costs the client's timeouts).
 */
import './quiet-logs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSesClient, SES_LIMITS } from '../../functions/adapters/clients.js';
import { createNotifier } from '../../functions/adapters/ses-notifier.js';
import type { ApiAction } from '../../functions/domain/complaint-schemas.js';
import type { Actor } from '../../functions/domain/model.js';
import { loadNotificationsConfig } from '../../functions/domain/notifications-config.js';
import { type HangingServer, hangingServer } from '../support/hanging-server.js';
import { AGENT, CUSTOMER, createJourneyWorld, DEPARTMENT, type JourneyWorld, SUPERVISOR } from './harness.js';

const WAIT = { timeoutMs: 90_000 };

let ses: HangingServer;
let w: JourneyWorld;

beforeAll(async () => {
  ses = await hangingServer();
  const config = loadNotificationsConfig({ configDir: 'config', env: {} });
  const client = newSesClient({
    endpoint: ses.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  w = await createJourneyWorld('ses-outage', {
    notify: (store) => {
      const notifier = createNotifier({
        store,
        ses: client,
        config,
        metrics: { add: () => undefined },
        logger: { info: () => undefined, warn: () => undefined },
      });
      return (complaint, template, ctx) => notifier.notify(complaint, template, ctx);
    },
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

describe('a journey while SES hangs', () => {
  it('completes from intake to archive; every email is recorded as failed with its cause', async () => {
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
    const templates = ['acknowledgement', 'proposal', 'result', 'survey_request', 'closure', 'survey_result'];
    expect(failed.map((d) => d?.template)).toEqual(templates);
    for (const data of failed) {
      expect(data).toMatchObject({
        error: 'TimeoutError',
        code: 'ETIMEDOUT',
        attempts: SES_LIMITS.maxAttempts,
      });
    }
    // each email tried SES once per attempt, and hung up every time
    expect(ses.connections()).toBe(templates.length * SES_LIMITS.maxAttempts);
    await expect.poll(() => ses.closedByClient(), { timeout: 5_000 }).toBe(ses.connections());
  }, 180_000);
});
