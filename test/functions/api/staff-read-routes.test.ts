import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setStore } from '../../../functions/adapters/store.js';
import { handler as health } from '../../../functions/api/health.js';
import { handler as reports } from '../../../functions/api/reports.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { handler as staffList } from '../../../functions/api/staff-list.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import type { Complaint } from '../../../functions/domain/model.js';
import type { ComplaintStore, ListQuery } from '../../../functions/domain/store.js';
import { apiEvent, invoke, lambdaContext, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { captureOutput, givenComplaint, openStep } from './helpers.js';

let store: MemoryComplaintStore;
let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  store = new MemoryComplaintStore();
  setStore(store);
  // Wednesday 2026-11-25 11:00 in Shanghai
  setClock(new ManualClock('2026-11-25T03:00:00Z'));
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  setStore(undefined);
  setClock(systemClock);
});

const listEvent = (query: Record<string, string>, claims?: Record<string, unknown>) =>
  apiEvent({ method: 'GET', route: '/staff/complaints', query, ...(claims ? { claims } : {}) });

/** Records every list() query the handler makes. */
function spyingOnList(): ListQuery[] {
  const queries: ListQuery[] = [];
  const list = store.list.bind(store);
  store.list = async (q) => {
    queries.push(q);
    return list(q);
  };
  return queries;
}

describe('GET /staff/complaints', () => {
  it('lists open complaints earliest due first, with overdue marked and no task tokens', async () => {
    const late = await givenComplaint(store, { department: 'logistics' });
    const soon = await givenComplaint(store, { department: 'billing' });
    await openStep(store, late.id, 'proposal', { dueAt: '2026-11-24T18:00:00+08:00' });
    await openStep(store, soon.id, 'investigation', { dueAt: '2026-11-26T18:00:00+08:00' });

    const res = await invoke(staffList, listEvent({}, staffClaims('agent')));

    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([late.id, soon.id]);
    expect(res.body.items[0]).toMatchObject({
      id: late.id,
      status: 'open',
      stage: 'proposal',
      department: 'logistics',
      customerName: '李四',
      pending: {
        step: 'proposal',
        dueAt: '2026-11-24T18:00:00+08:00',
        overdue: true,
        claimed: false,
        escalationLevel: 0,
      },
    });
    expect(res.body.items[1].pending.overdue).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain('task-token');
  });

  it('passes the filters to the store', async () => {
    const queries = spyingOnList();
    const res = await invoke(
      staffList,
      listEvent(
        {
          status: 'open',
          stage: 'proposal',
          department: 'sales',
          overdue: 'true',
          limit: '10',
          cursor: 'abc',
        },
        staffClaims('supervisor'),
      ),
    );
    expect(res.statusCode).not.toBe(500);
    expect(queries[0]).toEqual({
      status: 'open',
      stage: 'proposal',
      department: 'sales',
      overdueAt: '2026-11-25T03:00:00.000Z',
      limit: 10,
      cursor: 'abc',
    });
  });

  it('keeps the department role to its own department, whatever it asks for', async () => {
    const queries = spyingOnList();
    const own = await givenComplaint(store, { department: 'logistics' });
    const other = await givenComplaint(store, { department: 'billing' });
    await openStep(store, own.id, 'proposal');
    await openStep(store, other.id, 'proposal');
    const res = await invoke(
      staffList,
      listEvent({ department: 'billing' }, staffClaims('department', { department: 'logistics' })),
    );
    expect(res.statusCode).toBe(200);
    expect(queries[0]?.department).toBe('logistics');
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([own.id]);
  });

  it('names every bad filter (400)', async () => {
    const res = await invoke(
      staffList,
      listEvent({ status: 'maybe', stage: 'lunch', overdue: 'yes', limit: '1000' }, staffClaims('agent')),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'limit',
      'overdue',
      'stage',
      'status',
    ]);
  });

  it('refuses analysts (403) and anonymous callers (401)', async () => {
    expect((await invoke(staffList, listEvent({}, staffClaims('analyst')))).statusCode).toBe(403);
    expect((await invoke(staffList, listEvent({}))).statusCode).toBe(401);
  });

  it('returns the next cursor when there is more', async () => {
    for (let i = 0; i < 3; i++) {
      const c = await givenComplaint(store);
      await openStep(store, c.id, 'investigation', { dueAt: `2026-11-2${6 + i}T18:00:00+08:00` });
    }
    const first = await invoke(staffList, listEvent({ limit: '2' }, staffClaims('agent')));
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await invoke(
      staffList,
      listEvent({ limit: '2', cursor: first.body.nextCursor }, staffClaims('agent')),
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
  });
});

describe('GET /staff/complaints/{id}', () => {
  const getEvent = (id: string, claims?: Record<string, unknown>) =>
    apiEvent({
      method: 'GET',
      route: '/staff/complaints/{id}',
      pathParameters: { id },
      ...(claims ? { claims } : {}),
    });

  it('shows the full record and history, without the task token', async () => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    await openStep(store, id, 'proposal');
    const res = await invoke(staffGet, getEvent(id, staffClaims('agent')));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({
      id,
      stage: 'proposal',
      customer: { name: '李四', email: 'li.si@example.com' },
      description: '退货已签收三周，退款仍未到账。',
      pending: { step: 'proposal', claimed: false },
    });
    expect(res.body.history.map((e: { type: string }) => e.type)).toEqual(['registered', 'step_opened']);
    expect(JSON.stringify(res.body)).not.toContain('task-token');
  });

  it("lets a department read its own department's complaints only", async () => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    expect(
      (await invoke(staffGet, getEvent(id, staffClaims('department', { department: 'logistics' }))))
        .statusCode,
    ).toBe(200);
    // another department's complaint answers exactly like an unknown id: status, body, headers
    const other = await invoke(staffGet, getEvent(id, staffClaims('department', { department: 'billing' })));
    const unknown = await invoke(
      staffGet,
      getEvent('C2611-0000-0000', staffClaims('department', { department: 'billing' })),
    );
    expect(other.statusCode).toBe(404);
    expect(other.body).toEqual(unknown.body);
    expect(other.headers).toEqual(unknown.headers);
  });

  it('answers 404 for an unknown id, 403 for analysts, 401 anonymously', async () => {
    expect((await invoke(staffGet, getEvent('C2611-0000-0000', staffClaims('manager')))).statusCode).toBe(
      404,
    );
    const { id } = await givenComplaint(store);
    expect((await invoke(staffGet, getEvent(id, staffClaims('analyst')))).statusCode).toBe(403);
    expect((await invoke(staffGet, getEvent(id))).statusCode).toBe(401);
  });
});

describe('GET /staff/reports', () => {
  const reportEvent = (query: Record<string, string>, claims?: Record<string, unknown>) =>
    apiEvent({ method: 'GET', route: '/staff/reports', query, ...(claims ? { claims } : {}) });

  async function closedComplaint(overrides: Partial<Complaint>) {
    return givenComplaint(store, {
      stage: 'closed',
      outcome: 'resolved',
      closedAt: '2026-11-20T12:00:00+08:00',
      proposalRounds: 1,
      ...overrides,
    });
  }

  it('defaults to the current quarter (Asia/Shanghai) and carries no personal data', async () => {
    await closedComplaint({
      createdAt: '2026-10-01T00:30:00+08:00',
      category: 'delivery',
      survey: { rating: 5, answeredAt: '2026-11-20T10:00:00+08:00', by: 'customer' },
      firstResponseAt: '2026-10-02T10:00:00+08:00',
      replyDueBy: '2026-10-15T18:00:00+08:00',
    });
    await closedComplaint({
      createdAt: '2026-11-02T09:00:00+08:00',
      category: 'price',
      outcome: 'rejected',
      proposalRounds: 0,
    });
    // 2026-09-30 23:59 in Shanghai is the previous quarter
    await givenComplaint(store, { createdAt: '2026-09-30T23:59:00+08:00' });

    const res = await invoke(reports, reportEvent({}, staffClaims('analyst')));

    expect(res.statusCode).toBe(200);
    expect(res.body.dates).toEqual({ from: '2026-10-01', to: '2026-12-31', timeZone: 'Asia/Shanghai' });
    expect(res.body.period).toEqual({ from: '2026-10-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
    expect(res.body.overall.complaints).toBe(2);
    expect(res.body.overall.outcomes).toEqual({ resolved: 1, rejected: 1, no_response: 0 });
    expect(res.body.overall.satisfaction).toMatchObject({ count: 1, of: 1, rate: 1, meanRating: 5 });
    expect(Object.keys(res.body.byCategory).sort()).toEqual(['delivery', 'price']);
    const text = JSON.stringify(res.body);
    for (const pii of ['李四', 'li.si@example.com', '退款', 'C26']) expect(text).not.toContain(pii);
  });

  it('takes an explicit period, both ends inclusive', async () => {
    await givenComplaint(store, { createdAt: '2026-11-10T23:00:00+08:00' });
    await givenComplaint(store, { createdAt: '2026-11-11T00:00:00+08:00' });
    const res = await invoke(
      reports,
      reportEvent({ from: '2026-11-01', to: '2026-11-10' }, staffClaims('manager')),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.overall.complaints).toBe(1);
  });

  it('refuses a reversed or malformed period (400)', async () => {
    const reversed = await invoke(
      reports,
      reportEvent({ from: '2026-11-10', to: '2026-11-01' }, staffClaims('supervisor')),
    );
    expect(reversed.statusCode).toBe(400);
    const malformed = await invoke(
      reports,
      reportEvent({ from: '2026-13-01', to: 'soon' }, staffClaims('supervisor')),
    );
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['from', 'to']);
    const tooLong = await invoke(
      reports,
      reportEvent({ from: '2024-01-01', to: '2026-01-01' }, staffClaims('supervisor')),
    );
    expect(tooLong.statusCode).toBe(400);
  });

  it('bounds the default quarter in Asia/Shanghai: 00:30 on 1 January is the next quarter there, not in UTC', async () => {
    setClock(new ManualClock('2026-12-31T15:00:00Z')); // 23:00 on 31 December in Shanghai
    await givenComplaint(store, { createdAt: '2026-12-31T23:30:00+08:00' });
    await givenComplaint(store, { createdAt: '2027-01-01T00:30:00+08:00' }); // 2026-12-31T16:30Z
    const res = await invoke(reports, reportEvent({}, staffClaims('manager')));
    expect(res.body.dates).toEqual({ from: '2026-10-01', to: '2026-12-31', timeZone: 'Asia/Shanghai' });
    expect(res.body.overall.complaints).toBe(1);
  });

  it('adds a monthly series, and the open steps at risk and breached (the list for managers, counts for analysts)', async () => {
    // now: Wednesday 11:00. Breached: due yesterday 18:00.
    const late = await givenComplaint(store, { createdAt: '2026-11-23T10:00:00+08:00', department: 'sales' });
    await openStep(store, late.id, 'investigation', { dueAt: '2026-11-24T18:00:00+08:00' });
    const soon = await givenComplaint(store, { createdAt: '2026-11-24T09:00:00+08:00' });
    // at risk: opened Tuesday 09:00, due Wednesday 12:00: 11 of its 12 working hours gone (> 80%)
    await openStep(store, soon.id, 'proposal', {
      since: '2026-11-24T09:00:00+08:00',
      dueAt: '2026-11-25T12:00:00+08:00',
    });
    // neither: 2 of 18 working hours gone
    const calm = await givenComplaint(store, { createdAt: '2026-11-25T09:00:00+08:00' });
    await openStep(store, calm.id, 'investigation', {
      since: '2026-11-25T09:00:00+08:00',
      dueAt: '2026-11-26T18:00:00+08:00',
    });

    const res = await invoke(reports, reportEvent({ interval: 'month' }, staffClaims('manager')));
    expect(res.statusCode).toBe(200);
    expect(res.body.series.map((p: { start: string }) => p.start)).toEqual([
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
    ]);
    expect(res.body.series[1].measures.complaints).toBe(3);
    expect(res.body.targets).toMatchObject({ timelyHandling: { min: 0.95 }, repeat: { max: 0.05 } });
    expect(res.body.risk).toMatchObject({ open: 3, atRisk: 1, breached: 1 });
    expect(res.body.risk.items.map((i: { id: string; state: string }) => [i.id, i.state])).toEqual([
      [late.id, 'breached'],
      [soon.id, 'at_risk'],
    ]);
    const analyst = await invoke(reports, reportEvent({ interval: 'week' }, staffClaims('analyst')));
    expect(analyst.body.risk).toMatchObject({ open: 3, atRisk: 1, breached: 1, items: [] });
    expect(JSON.stringify(analyst.body)).not.toContain(late.id);
    const bad = await invoke(
      reports,
      reportEvent({ interval: 'day', format: 'xml' }, staffClaims('manager')),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'format',
      'interval',
    ]);
  });

  it('answers format=csv as UTF-8 CSV with a BOM, Chinese headers and department names, no personal data', async () => {
    const c = await givenComplaint(store, {
      createdAt: '2026-11-23T10:00:00+08:00',
      department: 'after-sales',
    });
    const res = await reports(
      reportEvent({ format: 'csv', lang: 'zh-CN' }, staffClaims('analyst')),
      lambdaContext(),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers?.['content-disposition']).toBe(
      'attachment; filename="complaints-report-2026-10-01-2026-12-31.csv"',
    );
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    expect(res.body).toContain('部门,售后服务部,1,');
    expect(res.body).toContain('维度,分组,投诉数');
    for (const pii of ['李四', 'li.si@example.com', '退款', c.id]) expect(res.body).not.toContain(pii);
    const en = await reports(reportEvent({ format: 'csv' }, staffClaims('analyst')), lambdaContext());
    expect(en.body.split('\r\n')[0]).toMatch(/^\uFEFFdimension,group,complaints,/);
  });

  it('refuses agents and departments (403)', async () => {
    expect((await invoke(reports, reportEvent({}, staffClaims('agent')))).statusCode).toBe(403);
    expect(
      (await invoke(reports, reportEvent({}, staffClaims('department', { department: 'sales' })))).statusCode,
    ).toBe(403);
  });
});

describe('GET /health', () => {
  it('answers 200 when the table answers', async () => {
    const res = await invoke(health, apiEvent({ method: 'GET', route: '/health' }));
    expect(res.statusCode).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('answers 503 when the table does not', async () => {
    const broken = {
      get: async () => Promise.reject(new Error('connect ECONNREFUSED')),
    } as unknown as ComplaintStore;
    setStore(broken);
    const res = await invoke(health, apiEvent({ method: 'GET', route: '/health' }));
    expect(res.statusCode).toBe(503);
    expect(res.body.status).toBe('unavailable');
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
  });
});
