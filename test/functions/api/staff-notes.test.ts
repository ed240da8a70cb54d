import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setStore } from '../../../functions/adapters/store.js';
import { handler as getComplaint } from '../../../functions/api/get-complaint.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { handler as addNote } from '../../../functions/api/staff-notes.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { captureOutput, givenComplaint } from './helpers.js';

let store: MemoryComplaintStore;
let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  store = new MemoryComplaintStore();
  setStore(store);
  setClock(new ManualClock('2026-11-25T03:00:00Z'));
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  setStore(undefined);
  setClock(systemClock);
});

const noteEvent = (
  id: string,
  body: unknown,
  claims: Record<string, unknown> | null = staffClaims('agent'),
) =>
  apiEvent({
    method: 'POST',
    route: '/staff/complaints/{id}/notes',
    pathParameters: { id },
    body,
    ...(claims ? { claims } : {}),
  });

describe('POST /staff/complaints/{id}/notes', () => {
  it('logs a call in the history, staff-only, with who and when', async () => {
    const { id, token } = await givenComplaint(store, { department: 'logistics' });
    const claims = { ...staffClaims('agent', { sub: 'agent-wang' }), name: '王伟' };
    const res = await invoke(
      addNote,
      noteEvent(
        id,
        { kind: 'call', text: '已致电客户，约定周五上门取件。', at: '2026-11-25T10:30:00+08:00' },
        claims,
      ),
    );

    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({ id, seq: 2, kind: 'call', at: '2026-11-25T02:30:00.000Z' });
    const events = await store.events(id);
    expect(events.at(-1)).toMatchObject({
      seq: 2,
      type: 'note_added',
      actor: { kind: 'staff', sub: 'agent-wang', role: 'agent', name: '王伟' },
      data: { kind: 'call', text: '已致电客户，约定周五上门取件。', at: '2026-11-25T02:30:00.000Z' },
    });

    const staff = await invoke(
      staffGet,
      apiEvent({
        method: 'GET',
        route: '/staff/complaints/{id}',
        pathParameters: { id },
        claims: staffClaims('agent'),
      }),
    );
    expect(staff.body.history.at(-1)).toMatchObject({ type: 'note_added', data: { kind: 'call' } });

    const customer = await invoke(
      getComplaint,
      apiEvent({
        method: 'GET',
        route: '/complaints/{id}',
        pathParameters: { id },
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(customer.statusCode).toBe(200);
    expect(JSON.stringify(customer.body)).not.toContain('上门取件');
    // the note's text never reaches the logs
    expect(output.text()).not.toContain('上门取件');
  });

  it('defaults to an internal note at the current time', async () => {
    const { id } = await givenComplaint(store);
    const res = await invoke(addNote, noteEvent(id, { text: 'Customer sounds upset; handle with care.' }));
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ kind: 'note', at: '2026-11-25T03:00:00.000Z' });
  });

  it('lets the department role write on its own department only', async () => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    const own = await invoke(
      addNote,
      noteEvent(
        id,
        { text: 'Visited the warehouse.', kind: 'visit' },
        staffClaims('department', { department: 'logistics' }),
      ),
    );
    expect(own.statusCode).toBe(201);
    const other = await invoke(
      addNote,
      noteEvent(id, { text: 'Not ours.' }, staffClaims('department', { department: 'billing' })),
    );
    expect(other.statusCode).toBe(404); // like an unknown id
    expect((await store.events(id)).filter((e) => e.type === 'note_added')).toHaveLength(1);
  });

  it('refuses analysts and callers without a staff identity', async () => {
    const { id } = await givenComplaint(store);
    expect((await invoke(addNote, noteEvent(id, { text: 'x' }, staffClaims('analyst')))).statusCode).toBe(
      403,
    );
    expect((await invoke(addNote, noteEvent(id, { text: 'x' }, null))).statusCode).toBe(401);
    expect((await store.events(id)).some((e) => e.type === 'note_added')).toBe(false);
  });

  it.each([
    [{}, 'text'],
    [{ text: '   ' }, 'text'],
    [{ text: 'x'.repeat(4001) }, 'text'],
    [{ text: 'ok', kind: 'fax' }, 'kind'],
    [{ text: 'ok', at: 'yesterday' }, 'at'],
    [{ text: 'ok', at: '2026-11-26T03:00:00Z' }, 'at'],
  ])('refuses %j (400, %s) and changes nothing', async (body, path) => {
    const { id } = await givenComplaint(store);
    const res = await invoke(addNote, noteEvent(id, body));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await store.events(id)).toHaveLength(1);
  });

  it('answers 404 for an unknown or malformed reference', async () => {
    expect((await invoke(addNote, noteEvent('C2611-AAAA-AAAA', { text: 'x' }))).statusCode).toBe(404);
    expect((await invoke(addNote, noteEvent('nope', { text: 'x' }))).statusCode).toBe(404);
  });
});
