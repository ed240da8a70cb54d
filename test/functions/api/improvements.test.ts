import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createImprovementNotifier,
  notifyImprovement,
  setImprovementNotifier,
} from '../../../functions/adapters/improvement-notifier.js';
import { setImprovementStore, setStore } from '../../../functions/adapters/store.js';
import { handler as write } from '../../../functions/api/improvements.js';
import { handler as read } from '../../../functions/api/improvements-read.js';
import { defaultCalendar } from '../../../functions/domain/calendar/index.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import { loadNotificationsConfig } from '../../../functions/domain/notifications-config.js';
import { createImprovementDeadlineCheck } from '../../../functions/scheduled/improvement-deadlines.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryImprovementStore } from '../../support/memory-improvement-store.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { captureOutput, givenComplaint } from './helpers.js';

const calendar = defaultCalendar();
let clock: ManualClock;
let complaints: MemoryComplaintStore;
let improvements: MemoryImprovementStore;
let output: ReturnType<typeof captureOutput>;
/** the emails SES was given: recipients and subject */
let sent: { to: string[]; subject: string; text: string }[];
let sesDown: boolean;
const NOTIFICATIONS = loadNotificationsConfig({ configDir: 'config', env: {} });

beforeEach(() => {
  clock = new ManualClock('2026-11-02T10:00:00+08:00'); // Monday
  setClock(clock);
  complaints = new MemoryComplaintStore();
  improvements = new MemoryImprovementStore({ clock: () => clock.now() });
  setStore(complaints);
  setImprovementStore(improvements);
  output = captureOutput();
  sent = [];
  sesDown = false;
  setImprovementNotifier(
    createImprovementNotifier({
      config: NOTIFICATIONS,
      store: improvements,
      metrics: { add: () => {} },
      ses: {
        send: (async (command: {
          input: {
            Destination: { ToAddresses: string[] };
            Message: { Subject: { Data: string }; Body: { Text: { Data: string } } };
          };
        }) => {
          if (sesDown) throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
          sent.push({
            to: command.input.Destination.ToAddresses,
            subject: command.input.Message.Subject.Data,
            text: command.input.Message.Body.Text.Data,
          });
          return { MessageId: `m-${sent.length}` };
        }) as never,
      },
    }),
  );
});

afterEach(() => {
  output.restore();
  setStore(undefined);
  setImprovementStore(undefined);
  setImprovementNotifier(undefined);
  setClock(systemClock);
});

const manager = staffClaims('manager');
const analyst = staffClaims('analyst');
const logistics = staffClaims('department', { department: 'logistics' });
const sales = staffClaims('department', { department: 'sales' });

const post = (route: string, id: string | undefined, body: unknown, claims: Record<string, unknown>) =>
  invoke(write, apiEvent({ method: 'POST', route, ...(id ? { pathParameters: { id } } : {}), body, claims }));
const get = (route: string, id: string | undefined, claims: Record<string, unknown>, query = {}) =>
  invoke(read, apiEvent({ method: 'GET', route, ...(id ? { pathParameters: { id } } : {}), query, claims }));
const progress = (id: string, body: unknown, claims = logistics) =>
  post('/staff/improvements/{id}/progress', id, body, claims);
const review = (id: string, body: unknown, claims = manager) =>
  post('/staff/improvements/{id}/review', id, body, claims);

const check = () =>
  createImprovementDeadlineCheck({
    store: improvements,
    clock: () => clock.now(),
    calendar: {
      addWorkingDays: (f, n) => calendar.addWorkingDays(f, n),
      workingHours: (a: number, b: number) => calendar.workingHoursBetween(a, b),
    },
    notify: (improvement, kind, level) => notifyImprovement(improvement, kind, { level }),
  })();

describe('improvement actions through their whole life', () => {
  it('opens, warns, escalates when overdue, goes back to work after an ineffective review, and is verified', async () => {
    const complaint = await givenComplaint(complaints, { category: 'delivery' });
    const opened = await post(
      '/staff/improvements',
      undefined,
      {
        title: '快递延误整改',
        description: '与承运商约定时效',
        department: 'logistics',
        dueInWorkingDays: 3,
        complaintIds: [complaint.id.toLowerCase()],
        category: 'delivery',
      },
      analyst,
    );
    expect(opened.statusCode).toBe(201);
    const id = opened.body.id as string;
    expect(id).toMatch(/^I2611-/);
    // 3 working days from Monday 10:00: Thursday at close of business
    expect(opened.body.dueAt).toBe('2026-11-05T18:00:00+08:00');

    const one = await get('/staff/improvements/{id}', id, logistics);
    expect(one.body).toMatchObject({
      status: 'open',
      department: 'logistics',
      complaintIds: [complaint.id],
      overdue: false,
    });
    // warning point: 80% of 35 working hours = 28 h → Thursday 11:00
    expect(one.body.warnAt).toBe('2026-11-05T03:00:00.000Z');

    expect((await progress(id, { status: 'in_progress', note: '已联系承运商' })).statusCode).toBe(200);
    expect((await progress(id, { status: 'in_progress', note: 'x' }, sales)).statusCode).toBe(403);
    expect((await progress(id, { status: 'in_progress', note: 'x' }, analyst)).statusCode).toBe(403);

    clock.set('2026-11-05T10:59:00+08:00');
    expect(await check()).toMatchObject({ due: 0 });
    clock.set('2026-11-05T11:00:00+08:00');
    expect(await check()).toMatchObject({ due: 1, reminded: 1, escalated: 0 });
    expect(await check()).toMatchObject({ due: 0 }); // checked once only

    // Friday morning: the deadline has passed → level 1 (the department's supervisor), 1 working day
    clock.set('2026-11-06T09:00:00+08:00');
    expect(await check()).toMatchObject({ due: 1, escalated: 1 });
    const late = await get('/staff/improvements', undefined, manager, { status: 'in_progress' });
    expect(late.body.items).toHaveLength(1);
    expect(late.body.items[0]).toMatchObject({ id, overdue: true, escalationLevel: 1 });
    expect(late.body.items[0].escalationDueAt).toBe('2026-11-09T18:00:00+08:00');
    clock.set('2026-11-09T17:59:00+08:00');
    expect(await check()).toMatchObject({ due: 0 });
    clock.set('2026-11-09T18:00:00+08:00');
    expect(await check()).toMatchObject({ due: 1, escalated: 1 }); // level 2: the manager

    // a review before the department is done: 409
    expect((await review(id, { effective: true, note: 'x' })).statusCode).toBe(409);
    expect((await progress(id, { status: 'done', note: '新时效已生效' })).statusCode).toBe(200);
    clock.set('2026-11-20T18:00:00+08:00');
    expect(await check()).toMatchObject({ due: 0 }); // done: no more reminders

    // not effective: back to work, a fresh 3 working days from the review
    expect((await review(id, { effective: false, note: '延误仍多' }, analyst)).statusCode).toBe(403);
    const back = await review(id, { effective: false, note: '延误仍多' });
    expect(back.body).toMatchObject({
      status: 'in_progress',
      escalationLevel: 0,
      dueAt: '2026-11-25T18:00:00+08:00',
    });
    expect(back.body.overdue).toBe(false);
    expect((await progress(id, { status: 'done', note: '更换承运商' })).statusCode).toBe(200);
    const verified = await review(id, { effective: true, note: '延误下降' });
    expect(verified.body).toMatchObject({ status: 'verified', verifiedAt: '2026-11-20T10:00:00.000Z' });
    expect((await review(id, { effective: true, note: 'again' })).statusCode).toBe(409);
    expect((await progress(id, { status: 'in_progress', note: 'again' })).statusCode).toBe(409);

    // the emails: opened → the department; warning → the department; overdue → the journey's
    // escalation chain (level 1 the department's supervisor, level 2 the managers); done → the
    // managers (effect review); sent back to work → the department again
    expect(sent.map((e) => [e.to, e.subject.replace(/[：:].*$/, '')])).toEqual([
      [['logistics@example.com'], `【改进措施】${id}`],
      [['logistics@example.com'], `【改进措施即将到期】${id}`],
      [['logistics-supervisor@example.com'], `【改进措施升级 1 级】${id}`],
      [['complaints-manager@example.com'], `【改进措施升级 2 级】${id}`],
      [['complaints-manager@example.com'], `【改进措施待验证】${id}`],
      [['logistics@example.com'], `【改进措施】${id}`],
      [['complaints-manager@example.com'], `【改进措施待验证】${id}`],
    ]);
    expect(sent[0]?.text).toContain('快递延误整改');
    expect(sent[2]?.text).toContain('本级期限：2026年11月9日 18:00'); // the deadline of level 1

    const history = await get('/staff/improvements/{id}', id, manager);
    const types = history.body.events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t !== 'notification_sent')).toEqual([
      'opened',
      'progress',
      'reminded',
      'escalated',
      'escalated',
      'done',
      'back_to_work',
      'done',
      'verified',
    ]);
    expect(types.filter((t: string) => t === 'notification_sent')).toHaveLength(7);
    const escalated = history.body.events.filter((e: { type: string }) => e.type === 'escalated');
    expect(escalated[0].data).toMatchObject({ level: 1, to: 'supervisor' });
    expect(escalated[1].data).toMatchObject({ level: 2, to: 'manager' });
    // audit data names the audience, never an address
    expect(JSON.stringify(history.body.events)).not.toMatch(/@example\.com/);
    expect(history.body.progress).toHaveLength(3);
    expect(history.body.reviews.map((r: { effective: boolean }) => r.effective)).toEqual([false, true]);
    // analysts see roles, not staff identities
    const forAnalyst = await get('/staff/improvements/{id}', id, analyst);
    expect(JSON.stringify(forAnalyst.body)).not.toMatch(/"sub"/);
  });

  it('records a failed email and still opens the action (never blocking)', async () => {
    sesDown = true;
    const res = await post(
      '/staff/improvements',
      undefined,
      { title: '退款时效', description: 'd', department: 'billing', dueInWorkingDays: 5 },
      manager,
    );
    expect(res.statusCode).toBe(201);
    const history = await get('/staff/improvements/{id}', res.body.id, manager);
    expect(history.body.status).toBe('open');
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'opened',
      'notification_failed',
    ]);
    expect(history.body.events[1].data).toMatchObject({
      template: 'improvement_opened',
      to: 'department',
      error: 'ServiceUnavailable',
    });
  });

  it('scopes the department role to its own department', async () => {
    for (const department of ['logistics', 'sales']) {
      const res = await post(
        '/staff/improvements',
        undefined,
        { title: `t ${department}`, description: 'd', department, dueInWorkingDays: 5 },
        manager,
      );
      expect(res.statusCode).toBe(201);
    }
    const own = await get('/staff/improvements', undefined, logistics);
    expect(own.body.items.map((i: { department: string }) => i.department)).toEqual(['logistics']);
    expect((await get('/staff/improvements', undefined, logistics, { department: 'sales' })).statusCode).toBe(
      403,
    );
    const salesOne = (await get('/staff/improvements', undefined, sales)).body.items[0].id;
    expect((await get('/staff/improvements/{id}', salesOne, logistics)).statusCode).toBe(403);
    expect(
      (await get('/staff/improvements', undefined, manager, { department: 'sales' })).body.items,
    ).toHaveLength(1);
    expect((await get('/staff/improvements/{id}', 'I2611-0000-0000', manager)).statusCode).toBe(404);
    expect((await get('/staff/improvements/{id}', 'nonsense', manager)).statusCode).toBe(404);
  });

  it('refuses bad input with every field named, and changes nothing', async () => {
    const bad = await post(
      '/staff/improvements',
      undefined,
      { title: '', department: 'nowhere', dueInWorkingDays: 1.5, complaintIds: ['x'], category: 'weather' },
      manager,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'category',
      'complaintIds.0',
      'department',
      'description',
      'dueInWorkingDays',
      'title',
    ]);
    const unknown = await post(
      '/staff/improvements',
      undefined,
      {
        title: 't',
        description: 'd',
        department: 'sales',
        dueInWorkingDays: 2,
        complaintIds: ['C2611-0000-0000'],
      },
      manager,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('complaintIds.0');
    expect(
      (await post('/staff/improvements', undefined, { title: 't' }, staffClaims('agent'))).statusCode,
    ).toBe(403);
    expect(await improvements.list({})).toEqual([]);
  });
});
