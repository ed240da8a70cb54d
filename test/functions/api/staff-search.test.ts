import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { handler as create } from '../../../functions/api/create-complaint.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { handler as staffList } from '../../../functions/api/staff-list.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { customerBody, openStep, useApiTestWorld } from './helpers.js';

let store: MemoryComplaintStore;
useApiTestWorld({
  store: () => new MemoryComplaintStore(),
  // Wednesday 2026-11-25 11:00 in Shanghai
  clockAt: '2026-11-25T03:00:00Z',
  each: (world, sfn) => {
    store = world.store;
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
  },
});

/** Registers a complaint as an agent would (POST /staff/complaints), so its links are the real ones. */
async function register(customer: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await invoke(
    create,
    apiEvent({
      method: 'POST',
      route: '/staff/complaints',
      body: { ...customerBody, customer: { name: '王小明', ...customer }, channel: 'phone', ...extra },
      claims: staffClaims('agent'),
    }),
  );
  expect(res.statusCode).toBe(201);
  return res.body.id as string;
}

const search = (q: string, claims: Record<string, unknown> = staffClaims('agent'), more = {}) =>
  invoke(staffList, apiEvent({ method: 'GET', route: '/staff/complaints', query: { q, ...more }, claims }));

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

describe('GET /staff/complaints?q= (search)', () => {
  it('finds a customer by phone written any way, newest first, without listing a queue', async () => {
    const first = await register({ phone: '+86 138 0013 8000' }, { orderRef: 'A-1' });
    store.calls.clear();
    const second = await register(
      { phone: '138-0013-8000', email: 'other@example.com' },
      { orderRef: 'A-2' },
    );
    await register({ phone: '13800138001' }, { orderRef: 'A-3' });

    for (const q of ['+86 138 0013 8000', '138-0013-8000', '13800138000', '0086 138 0013 8000']) {
      const res = await search(q);
      expect(res.statusCode).toBe(200);
      // both complaints are the same customer; the third is another number
      expect(new Set(ids(res))).toEqual(new Set([first, second]));
    }
    // keyed lookups only: no queue read
    expect(store.calls.get('list') ?? 0).toBe(0);
    expect(store.calls.get('listCreatedBetween') ?? 0).toBe(0);
    expect(store.calls.get('linkedComplaints')).toBeGreaterThan(0);
  });

  it('finds by email (case and spaces ignored), by order reference, and by reference as typed', async () => {
    const id = await register({ email: 'Wang.XiaoMing@Example.com' }, { orderRef: 'SO-2026-10-0042' });
    await register({ email: 'someone.else@example.com' }, { orderRef: 'SO-2026-10-0043' });

    expect(ids(await search('  wang.xiaoming@example.COM '))).toEqual([id]);
    expect(ids(await search('SO-2026-10-0042'))).toEqual([id]);
    expect(ids(await search('so-2026-10-0042'))).toEqual([id]);
    expect(ids(await search(id))).toEqual([id]);
    expect(ids(await search(id.toLowerCase().replace(/-/g, ' ')))).toEqual([id]);
    // exact matches only: a prefix or another value finds nothing
    expect(ids(await search('SO-2026-10'))).toEqual([]);
    expect(ids(await search('wang.xiaoming@example.org'))).toEqual([]);
    expect(ids(await search('C2611-0000-0000'))).toEqual([]);
  });

  it('returns queue rows (no contact details, no task token), closed complaints included', async () => {
    const id = await register({ email: 'row@example.com' });
    await openStep(store, id, 'investigation');
    const res = await search('row@example.com');
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ id, stage: 'investigation', customerName: '王小明' });
    expect(JSON.stringify(res.body)).not.toContain('row@example.com');
    expect(JSON.stringify(res.body)).not.toContain('task-token');
    expect(res.body.nextCursor).toBeUndefined();

    await store.update(id, () => ({
      set: { stage: 'closed', outcome: 'resolved', closedAt: '2026-11-25T03:00:00Z' },
      remove: ['pending'],
      event: { type: 'closed', actor: { kind: 'system' } },
    }));
    expect(ids(await search('row@example.com'))).toEqual([id]);
    expect(ids(await search('row@example.com', staffClaims('agent'), { status: 'open' }))).toEqual([]);
    expect(ids(await search('row@example.com', staffClaims('agent'), { status: 'closed' }))).toEqual([id]);
  });

  it('keeps the department scope: a department sees only its own complaints', async () => {
    const ours = await register({ phone: '13900001111' });
    const theirs = await register({ phone: '13900001111' });
    await store.update(ours, () => ({
      set: { department: 'logistics' },
      event: { type: 'investigated', actor: { kind: 'system' } },
    }));
    await store.update(theirs, () => ({
      set: { department: 'billing' },
      event: { type: 'investigated', actor: { kind: 'system' } },
    }));
    const logistics = staffClaims('department', { department: 'logistics' });
    expect(ids(await search('13900001111', logistics))).toEqual([ours]);
    // asking for another department does not widen it: the role's own department applies
    expect(ids(await search('13900001111', logistics, { department: 'billing' }))).toEqual([ours]);
    expect(ids(await search(theirs, logistics))).toEqual([]);
    expect(new Set(ids(await search('13900001111', staffClaims('supervisor'))))).toEqual(
      new Set([ours, theirs]),
    );
  });

  it('refuses a bad q with 400 naming the field, and reads nothing', async () => {
    store.calls.clear();
    for (const q of ['', '   ', 'a'.repeat(255), 'abc\u0000def', 'line\nbreak', '\u200b']) {
      const res = await search(q);
      expect(res.statusCode).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('q');
    }
    expect(store.calls.get('linkedComplaints') ?? 0).toBe(0);
  });

  it('is for the roles that list: an analyst gets 403', async () => {
    const res = await search('13800138000', staffClaims('analyst'));
    expect(res.statusCode).toBe(403);
  });
});

describe("GET /staff/complaints/{id}: the same customer's other complaints (related)", () => {
  const view = (id: string, claims: Record<string, unknown> = staffClaims('agent')) =>
    invoke(
      staffGet,
      apiEvent({ method: 'GET', route: '/staff/complaints/{id}', pathParameters: { id }, claims }),
    );

  it('links earlier and later complaints of the customer by email or phone, newest first, not itself', async () => {
    const byPhone = await register({ phone: '+86 139 0000 2222' });
    const both = await register({ phone: '13900002222', email: 'Li.Na@example.com' });
    const byEmail = await register({ email: 'li.na@example.com' });
    const stranger = await register({ email: 'stranger@example.com', phone: '13900003333' });
    // created within the same test instant: order by id breaks ties, so compare as sets
    const res = await view(both);
    expect(res.statusCode).toBe(200);
    expect(new Set(res.body.related.map((r: { id: string }) => r.id))).toEqual(new Set([byPhone, byEmail]));
    expect(res.body.related[0]).toEqual({
      id: expect.any(String),
      reference: expect.any(String),
      stage: 'received',
      createdAt: '2026-11-25T03:00:00.000Z',
    });
    for (const r of res.body.related) expect(r.reference).toBe(r.id);
    // the phone-only complaint links the later one with that phone, but not the email-only one
    expect((await view(byPhone)).body.related.map((r: { id: string }) => r.id)).toEqual([both]);
    expect((await view(stranger)).body.related).toEqual([]);
  });

  it("shows a department only its own department's complaints", async () => {
    const mine = await register({ phone: '13900004444' });
    const other = await register({ phone: '13900004444' });
    const third = await register({ phone: '13900004444' });
    for (const [id, department] of [
      [mine, 'logistics'],
      [other, 'billing'],
      [third, 'logistics'],
    ] as const) {
      await store.update(id, () => ({
        set: { department },
        event: { type: 'investigated', actor: { kind: 'system' } },
      }));
    }
    const logistics = staffClaims('department', { department: 'logistics' });
    const res = await view(mine, logistics);
    expect(res.statusCode).toBe(200);
    expect(res.body.related.map((r: { id: string }) => r.id)).toEqual([third]);
    expect(
      new Set((await view(mine, staffClaims('manager'))).body.related.map((r: { id: string }) => r.id)),
    ).toEqual(new Set([other, third]));
  });
});
