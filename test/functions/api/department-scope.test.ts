/**
 * A department user asking for another department's complaint gets exactly what an unknown id
 * gets (status, body, headers) on every staff route that takes an id, so that references
 * cannot be probed (issue 10). Nothing is written for either.
 */
import { describe, expect, it } from 'vitest';
import { handler as download } from '../../../functions/api/attachment-download.js';
import { handler as attach } from '../../../functions/api/attachments.js';
import { handler as extension } from '../../../functions/api/extension.js';
import { handler as staffAction } from '../../../functions/api/staff-action.js';
import { handler as assign } from '../../../functions/api/staff-assign.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { handler as notes } from '../../../functions/api/staff-notes.js';
import { type ApiEventOptions, apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { givenComplaint, openStep, useApiTestWorld } from './helpers.js';

let store: MemoryComplaintStore;
useApiTestWorld({
  store: () => new MemoryComplaintStore(),
  clockAt: '2026-11-23T03:00:00Z',
  each: (w) => {
    store = w.store;
  },
});

const UNKNOWN = 'C2611-0000-0000';
const ATTACHMENT = 'AAAAAAAAAAAAAAAAAAAAAA';
const outsider = staffClaims('department', { department: 'logistics', sub: 'dept-li' });

type Handler = Parameters<typeof invoke>[0];
const ROUTES: [string, Handler, (id: string) => ApiEventOptions][] = [
  [
    'GET /staff/complaints/{id}',
    staffGet,
    (id) => ({ method: 'GET', route: '/staff/complaints/{id}', pathParameters: { id } }),
  ],
  [
    'POST /staff/complaints/{id}/proposal',
    staffAction,
    (id) => ({ route: '/staff/complaints/{id}/proposal', pathParameters: { id }, body: { plan: 'Refund.' } }),
  ],
  [
    'POST /staff/complaints/{id}/implementation',
    staffAction,
    (id) => ({
      route: '/staff/complaints/{id}/implementation',
      pathParameters: { id },
      body: { result: 'Refunded.', basis: 'Terms §4.' },
    }),
  ],
  [
    'POST /staff/complaints/{id}/notes',
    notes,
    (id) => ({ route: '/staff/complaints/{id}/notes', pathParameters: { id }, body: { text: 'Called.' } }),
  ],
  [
    'POST /staff/complaints/{id}/assign',
    assign,
    (id) => ({ route: '/staff/complaints/{id}/assign', pathParameters: { id }, body: { assignee: 'me' } }),
  ],
  [
    'POST /staff/complaints/{id}/attachments',
    attach,
    (id) => ({
      route: '/staff/complaints/{id}/attachments',
      pathParameters: { id },
      body: { fileName: 'photo.jpg', contentType: 'image/jpeg', size: 2048 },
    }),
  ],
  [
    'GET /staff/complaints/{id}/attachments/{attachmentId}',
    download,
    (id) => ({
      method: 'GET',
      route: '/staff/complaints/{id}/attachments/{attachmentId}',
      pathParameters: { id, attachmentId: ATTACHMENT },
    }),
  ],
  [
    'POST /staff/complaints/{id}/extension',
    extension,
    (id) => ({
      route: '/staff/complaints/{id}/extension',
      pathParameters: { id },
      body: { days: 1, reason: 'Waiting.' },
    }),
  ],
];

describe("another department's complaint answers like an unknown id", () => {
  it.each(ROUTES)('%s', async (_name, handler, options) => {
    const { id } = await givenComplaint(store, { department: 'billing' });
    await openStep(store, id, 'proposal');
    const before = await store.events(id);
    const foreign = await invoke(handler, apiEvent({ ...options(id), claims: outsider }));
    const unknown = await invoke(handler, apiEvent({ ...options(UNKNOWN), claims: outsider }));
    expect([403, 404]).toContain(foreign.statusCode);
    expect(foreign.statusCode).toBe(unknown.statusCode);
    expect(foreign.body).toEqual(unknown.body);
    expect(foreign.headers).toEqual(unknown.headers);
    expect(JSON.stringify(foreign.body)).not.toMatch(/department/i);
    expect(await store.events(id)).toEqual(before);
  });
});
