import { describe, expect, it } from 'vitest';
import { handler as getComplaint } from '../../../functions/api/get-complaint.js';
import { handler as callTasks } from '../../../functions/api/staff-call-tasks.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { handler as addNote } from '../../../functions/api/staff-notes.js';
import type { CallTask } from '../../../functions/domain/call-tasks.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { type ApiTestWorld, givenComplaint, useApiTestWorld } from './helpers.js';

let store: MemoryComplaintStore;
let output: ApiTestWorld<MemoryComplaintStore>['output'];
useApiTestWorld({
  store: () => new MemoryComplaintStore(),
  clockAt: '2026-11-25T03:00:00Z',
  each: (world) => {
    store = world.store;
    output = world.output;
  },
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

const openTask = (id: string, template: CallTask['template'], createdAt: string): CallTask => ({
  id,
  template,
  status: 'open',
  createdAt,
  subject: `投诉已受理 ${template}`,
  text: '您好，我们已收到您的投诉。',
});

const queue = (
  query: Record<string, string> = {},
  claims: Record<string, unknown> | null = staffClaims('agent'),
) =>
  invoke(
    callTasks,
    apiEvent({
      method: 'GET',
      route: '/staff/call-tasks',
      query,
      ...(claims ? { claims } : {}),
    }),
  );

describe('call tasks: GET /staff/call-tasks and completing one with a logged call', () => {
  async function phoneOnly(tasks: CallTask[]) {
    return givenComplaint(store, {
      customer: { name: '王强', phone: '13900139000', language: 'zh-CN' },
      callTasks: tasks,
    });
  }

  it('lists the open tasks oldest first with whom to call, and pages', async () => {
    const a = await phoneOnly([openTask('TaaaaaaaaaA', 'acknowledgement', '2026-11-23T02:00:00.000Z')]);
    const b = await phoneOnly([
      openTask('TbbbbbbbbbB', 'acknowledgement', '2026-11-22T02:00:00.000Z'),
      { ...openTask('TccccccccccC'.slice(0, 11), 'proposal', '2026-11-21T02:00:00.000Z'), status: 'done' },
    ]);
    const first = await queue({ limit: '1' });
    expect(first.statusCode).toBe(200);
    expect(first.body.items).toEqual([
      {
        complaintId: b.id,
        taskId: 'TbbbbbbbbbB',
        template: 'acknowledgement',
        createdAt: '2026-11-22T02:00:00.000Z',
        subject: '投诉已受理 acknowledgement',
        text: '您好，我们已收到您的投诉。',
        language: 'zh-CN',
        customerName: '王强',
        phone: '13900139000',
      },
    ]);
    const second = await queue({ limit: '1', cursor: first.body.nextCursor });
    expect(second.body.items.map((i: { complaintId: string }) => i.complaintId)).toEqual([a.id]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('refuses bad queries, the department and analyst roles, and anonymous callers', async () => {
    expect((await queue({ limit: '0' })).body.error.code).toBe('validation_failed');
    expect((await queue({ cursor: 'not-a-cursor' })).statusCode).toBe(400);
    expect((await queue({ stage: 'review' })).statusCode).toBe(400);
    expect((await queue({}, staffClaims('department', { department: 'logistics' }))).statusCode).toBe(403);
    expect((await queue({}, staffClaims('analyst'))).statusCode).toBe(403);
    expect((await queue({}, null)).statusCode).toBe(401);
    expect((await queue({}, staffClaims('supervisor'))).statusCode).toBe(200);
  });

  it('logging the call with callTask completes the task in the same write; the history has both', async () => {
    const { id } = await phoneOnly([openTask('TaaaaaaaaaA', 'acknowledgement', '2026-11-23T02:00:00.000Z')]);
    const res = await invoke(
      addNote,
      noteEvent(id, { kind: 'call', callTask: 'TaaaaaaaaaA', text: '已电话告知客户受理情况。' }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ id, kind: 'call', callTask: 'TaaaaaaaaaA' });
    const complaint = await store.get(id);
    expect(complaint?.callTasks?.[0]).toMatchObject({
      status: 'done',
      doneAt: '2026-11-25T03:00:00.000Z',
      doneBy: { kind: 'staff', role: 'agent' },
      noteSeq: res.body.seq,
    });
    expect((await store.events(id)).at(-1)).toMatchObject({
      type: 'note_added',
      data: { kind: 'call', callTask: 'TaaaaaaaaaA' },
    });
    expect((await queue()).body.items).toEqual([]);

    // twice: 409, and nothing is written
    const version = (await store.get(id))?.version;
    const again = await invoke(
      addNote,
      noteEvent(id, { kind: 'call', callTask: 'TaaaaaaaaaA', text: '再次致电。' }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.body.error.code).toBe('call_task_done');
    expect((await store.get(id))?.version).toBe(version);
  });

  it('refuses a call task with another kind, a malformed id, or a task the complaint does not have', async () => {
    const { id } = await phoneOnly([openTask('TaaaaaaaaaA', 'acknowledgement', '2026-11-23T02:00:00.000Z')]);
    const wrongKind = await invoke(
      addNote,
      noteEvent(id, { kind: 'note', callTask: 'TaaaaaaaaaA', text: 'x' }),
    );
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.body.error.details).toEqual([expect.objectContaining({ path: 'kind' })]);
    const malformed = await invoke(addNote, noteEvent(id, { kind: 'call', callTask: 'T1', text: 'x' }));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.error.details).toEqual([expect.objectContaining({ path: 'callTask' })]);
    const unknown = await invoke(
      addNote,
      noteEvent(id, { kind: 'call', callTask: 'TzzzzzzzzzZ', text: 'x' }),
    );
    expect(unknown.statusCode).toBe(404);
    const complaint = await store.get(id);
    expect(complaint?.callTasks?.[0]?.status).toBe('open');
    expect(complaint?.version).toBe(1);
  });
});
