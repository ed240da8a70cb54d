import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { handler as create } from '../../../functions/api/create-complaint.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { customerBody, useApiTestWorld } from './helpers.js';

let store: MemoryComplaintStore;
useApiTestWorld({
  store: () => new MemoryComplaintStore(),
  // Monday 2026-11-23 10:00 in Shanghai
  clockAt: '2026-11-23T02:00:00Z',
  each: (world, sfn) => {
    store = world.store;
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
  },
});

const register = (body: Record<string, unknown>) =>
  invoke(
    create,
    apiEvent({ method: 'POST', route: '/staff/complaints', body, claims: staffClaims('agent') }),
  );

const letter = (receivedAt?: unknown) => ({
  ...customerBody,
  channel: 'letter',
  ...(receivedAt === undefined ? {} : { receivedAt }),
});

const badPaths = (res: { body: { error: { details: { path: string }[] } } }) =>
  res.body.error.details.map((d) => d.path);

describe('POST /staff/complaints with receivedAt (a letter or referral registered later)', () => {
  it('counts the promised reply from the receipt and shows it in the staff view and history', async () => {
    // the letter arrived Friday 20 Nov 15:00 (+08): 5 working days → Friday 27 Nov
    const res = await register(letter('2026-11-20T15:00:00+08:00'));
    expect(res.statusCode).toBe(201);
    expect(Date.parse(res.body.replyDueBy)).toBe(Date.parse('2026-11-27T18:00:00+08:00'));

    const view = await invoke(
      staffGet,
      apiEvent({
        method: 'GET',
        route: '/staff/complaints/{id}',
        pathParameters: { id: res.body.id },
        claims: staffClaims('agent'),
      }),
    );
    expect(view.body.receivedAt).toBe('2026-11-20T07:00:00.000Z');
    expect(view.body.createdAt).toBe('2026-11-23T02:00:00.000Z');
    expect(view.body.history[0]).toMatchObject({
      type: 'registered',
      data: { channel: 'letter', receivedAt: '2026-11-20T07:00:00.000Z' },
    });
  });

  it('without receivedAt counts from now, as before', async () => {
    const res = await register(letter());
    expect(res.statusCode).toBe(201);
    expect(Date.parse(res.body.replyDueBy)).toBe(Date.parse('2026-11-30T18:00:00+08:00'));
    expect((await store.get(res.body.id))?.receivedAt).toBeUndefined();
  });

  it('allows 5 minutes of clock skew, and refuses a later date with 400 naming the field', async () => {
    expect((await register(letter('2026-11-23T10:04:00+08:00'))).statusCode).toBe(201);
    const res = await register(letter('2026-11-23T10:06:00+08:00'));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(badPaths(res)).toEqual(['receivedAt']);
    expect(JSON.stringify(res.body)).toContain('future');
  });

  it('refuses a receipt older than the configured bound (365 days), and accepts one just inside it', async () => {
    expect((await register(letter('2025-11-24T10:00:00+08:00'))).statusCode).toBe(201);
    const res = await register(letter('2025-11-22T10:00:00+08:00'));
    expect(res.statusCode).toBe(400);
    expect(badPaths(res)).toEqual(['receivedAt']);
    expect(JSON.stringify(res.body)).toContain('365 days');
  });

  it('refuses what is not an ISO date-time with an offset, and stores nothing', async () => {
    for (const bad of ['2026-11-20', '2026-11-20T15:00:00', 'yesterday', 20, '']) {
      const res = await register(letter(bad));
      if (bad === '') {
        // blank counts as not given
        expect(res.statusCode).toBe(201);
        continue;
      }
      expect(res.statusCode).toBe(400);
      expect(badPaths(res)).toEqual(['receivedAt']);
    }
    expect((await store.listCreatedBetween('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).length).toBe(1);
  });

  it('is not accepted on the public POST /complaints', async () => {
    const res = await invoke(
      create,
      apiEvent({
        method: 'POST',
        route: '/complaints',
        body: { ...customerBody, receivedAt: '2026-11-20T15:00:00+08:00' },
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(badPaths(res)).toEqual(['receivedAt']);
    expect((await store.listCreatedBetween('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).length).toBe(0);
  });
});
