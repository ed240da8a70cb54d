import { describe, expect, it } from 'vitest';
import { handler as assign } from '../../../functions/api/staff-assign.js';
import { handler as staffList } from '../../../functions/api/staff-list.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { givenComplaint, openStep, useApiTestWorld } from './helpers.js';

let store: MemoryComplaintStore;
useApiTestWorld({
  store: () => new MemoryComplaintStore(),
  clockAt: '2026-11-25T03:00:00Z',
  each: (world) => {
    store = world.store;
  },
});

const assignEvent = (id: string, body: unknown, claims: Record<string, unknown> | null) =>
  apiEvent({
    method: 'POST',
    route: '/staff/complaints/{id}/assign',
    pathParameters: { id },
    body,
    ...(claims ? { claims } : {}),
  });
const mine = (claims: Record<string, unknown>, query: Record<string, string> = {}) =>
  invoke(
    staffList,
    apiEvent({ method: 'GET', route: '/staff/complaints', query: { assignee: 'me', ...query }, claims }),
  );
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

const wang = { ...staffClaims('agent', { sub: 'agent-wang' }), name: '王伟' };
const zhao = staffClaims('agent', { sub: 'agent-zhao' });
const boss = staffClaims('supervisor', { sub: 'sup-liu' });

describe('POST /staff/complaints/{id}/assign', () => {
  it('lets an agent take a complaint: it shows in their "mine" queue and the history', async () => {
    const { id } = await givenComplaint(store);
    const other = await givenComplaint(store);
    await openStep(store, id, 'investigation');

    const res = await invoke(assign, assignEvent(id, { assignee: 'me' }, wang));
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ id, assignee: { sub: 'agent-wang', name: '王伟' } });
    expect((await store.events(id)).at(-1)).toMatchObject({
      type: 'assigned',
      actor: { sub: 'agent-wang', role: 'agent' },
      data: { assignee: 'agent-wang', previous: null },
    });

    const list = await mine(wang);
    expect(list.statusCode).toBe(200);
    expect(ids(list)).toEqual([id]);
    expect(list.body.items[0].assignee).toEqual({ sub: 'agent-wang', name: '王伟' });
    expect(ids(await mine(zhao))).toEqual([]);
    expect(ids(list)).not.toContain(other.id);
  });

  it('lets the owner release it; a second identical call changes nothing', async () => {
    const { id } = await givenComplaint(store);
    await invoke(assign, assignEvent(id, { assignee: 'me' }, wang));
    const released = await invoke(assign, assignEvent(id, { assignee: null }, wang));
    expect(released.statusCode).toBe(200);
    expect(released.body.assignee).toBeNull();
    expect((await store.get(id))?.assignee).toBeUndefined();
    const again = await invoke(assign, assignEvent(id, { assignee: null }, wang));
    expect(again.statusCode).toBe(200);
    expect((await store.events(id)).filter((e) => e.type === 'assigned')).toHaveLength(2);
    expect(ids(await mine(wang))).toEqual([]);
  });

  it("refuses agents taking a colleague's complaint or assigning others; supervisors may", async () => {
    const { id } = await givenComplaint(store);
    await invoke(assign, assignEvent(id, { assignee: 'me' }, wang));

    expect((await invoke(assign, assignEvent(id, { assignee: 'me' }, zhao))).statusCode).toBe(403);
    expect((await invoke(assign, assignEvent(id, { assignee: null }, zhao))).statusCode).toBe(403);
    const free = await givenComplaint(store);
    expect((await invoke(assign, assignEvent(free.id, { assignee: 'agent-wang' }, zhao))).statusCode).toBe(
      403,
    );
    expect((await store.get(id))?.assignee?.sub).toBe('agent-wang');

    const moved = await invoke(assign, assignEvent(id, { assignee: 'agent-zhao' }, boss));
    expect(moved.statusCode).toBe(200);
    expect(moved.body.assignee).toEqual({ sub: 'agent-zhao' });
    expect((await store.events(id)).at(-1)?.data).toEqual({ assignee: 'agent-zhao', previous: 'agent-wang' });
    expect(ids(await mine(zhao))).toEqual([id]);
    expect(ids(await mine(wang))).toEqual([]);
  });

  it('keeps the department role to its own department, also in the "mine" queue', async () => {
    const own = await givenComplaint(store, { department: 'logistics' });
    const foreign = await givenComplaint(store, { department: 'billing' });
    const dept = staffClaims('department', { department: 'logistics', sub: 'dept-li' });
    expect((await invoke(assign, assignEvent(own.id, { assignee: 'me' }, dept))).statusCode).toBe(200);
    expect((await invoke(assign, assignEvent(foreign.id, { assignee: 'me' }, dept))).statusCode).toBe(404);
    // a supervisor assigns the department user to another department's complaint: still not listed
    await invoke(assign, assignEvent(foreign.id, { assignee: 'dept-li' }, boss));
    expect(ids(await mine(dept))).toEqual([own.id]);
  });

  it('does not reassign a closed complaint, and the "mine" queue lists open ones only', async () => {
    const { id } = await givenComplaint(store);
    await invoke(assign, assignEvent(id, { assignee: 'me' }, wang));
    await store.update(id, () => ({
      set: { stage: 'closed', outcome: 'resolved', closedAt: '2026-11-25T11:00:00+08:00' },
      remove: ['pending'],
      event: { type: 'closed', actor: { kind: 'system' } },
    }));
    const res = await invoke(assign, assignEvent(id, { assignee: null }, boss));
    expect(res.statusCode).toBe(409);
    expect(ids(await mine(wang))).toEqual([]);
  });

  it.each([
    [{}],
    [{ assignee: 42 }],
    [{ assignee: 'has spaces' }],
    [{ assignee: '' }],
    [{ assignee: 'x'.repeat(129) }],
  ])('refuses %j (400) and changes nothing', async (body) => {
    const { id } = await givenComplaint(store);
    const res = await invoke(assign, assignEvent(id, body, boss));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('assignee');
    expect(await store.events(id)).toHaveLength(1);
  });

  it('refuses analysts, anonymous callers and unknown complaints', async () => {
    const { id } = await givenComplaint(store);
    expect(
      (await invoke(assign, assignEvent(id, { assignee: 'me' }, staffClaims('analyst')))).statusCode,
    ).toBe(403);
    expect((await invoke(assign, assignEvent(id, { assignee: 'me' }, null))).statusCode).toBe(401);
    expect((await invoke(assign, assignEvent('C2611-AAAA-AAAA', { assignee: 'me' }, wang))).statusCode).toBe(
      404,
    );
  });

  it('refuses an unknown assignee filter on the list', async () => {
    const res = await invoke(
      staffList,
      apiEvent({ method: 'GET', route: '/staff/complaints', query: { assignee: 'you' }, claims: wang }),
    );
    expect(res.statusCode).toBe(400);
  });
});
