import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Attachment,
  newAttachmentId,
  TooManyAttachmentsError,
} from '../../../../functions/domain/attachments.js';
import {
  ConflictError,
  IdempotencyMismatchError,
  NotFoundError,
  ValidationError,
  WrongStageError,
} from '../../../../functions/domain/errors.js';
import type { Complaint, PendingStep, Step } from '../../../../functions/domain/model.js';
import { STAGE_OF_STEP } from '../../../../functions/domain/model.js';
import type { ComplaintStore } from '../../../../functions/domain/store.js';
import { agent, createInput, customerActor, newComplaint, pendingStep, system } from './fixtures.js';

/**
 * The behaviour every ComplaintStore must have. Each test gets a fresh, empty store
 * (the DynamoDB adapter: a fresh table), so queues see only that test's complaints.
 */
export function complaintStoreContract(name: string, makeStore: () => Promise<ComplaintStore>): void {
  describe(`${name}: ComplaintStore contract`, () => {
    let store: ComplaintStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    /** Stores a complaint and opens `step` on it, due at `dueAt`. */
    async function waiting(step: Step, dueAt: string, extra: Partial<Complaint> = {}): Promise<Complaint> {
      const { complaint } = await store.create(createInput({ complaint: newComplaint(extra) }));
      return store.update(complaint.id, () => ({
        set: { stage: STAGE_OF_STEP[step], pending: pendingStep(step, dueAt), ...extra },
        event: { type: 'step_opened', actor: system, data: { step } },
      }));
    }

    async function close(id: string, closedAt: string): Promise<Complaint> {
      return store.update(id, () => ({
        set: { stage: 'closed', outcome: 'resolved', closedAt },
        remove: ['pending'],
        event: { type: 'closed', actor: system },
      }));
    }

    describe('create, get, events', () => {
      it('stores version 1 with a registered event, and get() returns it without token hashes', async () => {
        const input = createInput();
        const { complaint, created } = await store.create(input);
        expect(created).toBe(true);
        expect(complaint).toEqual({ ...input.complaint, version: 1 });

        const read = await store.get(input.complaint.id);
        expect(read).toEqual({ ...input.complaint, version: 1 });
        expect(JSON.stringify(read)).not.toContain(input.accessTokenHash);

        const events = await store.events(input.complaint.id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          complaintId: input.complaint.id,
          seq: 1,
          type: 'registered',
          stage: 'received',
        });
        expect(events[0]?.actor).toEqual(input.actor);
        expect(Number.isFinite(Date.parse(events[0]?.at ?? ''))).toBe(true);
      });

      it('answers undefined / NotFoundError / [] for an unknown id', async () => {
        expect(await store.get('C2611-0000-0000')).toBeUndefined();
        await expect(
          store.update('C2611-0000-0000', () => ({
            set: { subject: 'x' },
            event: { type: 'reminded', actor: system },
          })),
        ).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.events('C2611-0000-0000')).toEqual([]);
        expect(await store.hasAccessToken('C2611-0000-0000', 'h')).toBe(false);
        await expect(store.addAccessToken('C2611-0000-0000', 'h')).rejects.toBeInstanceOf(NotFoundError);
      });

      it('round-trips a 2048-character task token and the whole pending step', async () => {
        const { complaint } = await store.create(createInput());
        const token = 'A'.repeat(1000) + 'b/+=-_'.repeat(108) + 'Z'.repeat(400);
        expect(token).toHaveLength(2048);
        const pending = pendingStep('investigation', '2026-11-24T18:00:00+08:00', {
          taskToken: token,
          escalationLevel: 2,
          provisional: true,
        });
        await store.update(complaint.id, () => ({
          set: { stage: 'investigation', pending },
          event: { type: 'step_opened', actor: system },
        }));
        expect((await store.get(complaint.id))?.pending).toEqual(pending);
        const claimed = await store.claimStep(complaint.id, ['investigation'], 'req-1', agent);
        expect(claimed.taskToken).toBe(token);
      });
    });

    describe('access tokens', () => {
      it('knows the first hash and every added one, and nothing else', async () => {
        const input = createInput();
        await store.create(input);
        const id = input.complaint.id;
        expect(await store.hasAccessToken(id, input.accessTokenHash)).toBe(true);
        expect(await store.hasAccessToken(id, 'other')).toBe(false);
        await store.addAccessToken(id, 'second');
        await store.addAccessToken(id, 'second');
        expect(await store.hasAccessToken(id, 'second')).toBe(true);
        expect(await store.hasAccessToken(id, input.accessTokenHash)).toBe(true);
        const read = await store.get(id);
        expect(JSON.stringify(read)).not.toContain('second');
        expect(read?.version).toBe(1);
      });
    });

    describe('idempotency', () => {
      it('10 concurrent creates with one key store one complaint, one event, and all return its id', async () => {
        const key = randomUUID();
        // two customer links: the idempotency record is not at a fixed place in the write
        const customerKeys = [`email-${randomUUID()}`, `phone-${randomUUID()}`];
        const results = await Promise.all(
          Array.from({ length: 10 }, () =>
            // every request mints its own id and token, as the API does
            store.create(createInput({ customerKeys, idempotency: { key, bodyHash: 'body-1' } })),
          ),
        );
        const ids = new Set(results.map((r) => r.complaint.id));
        expect(ids.size).toBe(1);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const [id] = [...ids] as [string];
        expect(await store.events(id)).toHaveLength(1);
        const all = await store.listCreatedBetween('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
        expect(all.map((c) => c.id)).toEqual([id]);
        for (const key of customerKeys) {
          expect(
            await store.hasEarlierByCustomer([key], '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
          ).toBe(true);
        }
        for (const r of results) expect(r.complaint).toEqual(await store.get(id));
      });

      it('refuses the same key with another body and stores nothing for it', async () => {
        const key = randomUUID();
        const first = await store.create(createInput({ idempotency: { key, bodyHash: 'body-1' } }));
        const second = createInput({ idempotency: { key, bodyHash: 'body-2' } });
        await expect(store.create(second)).rejects.toBeInstanceOf(IdempotencyMismatchError);
        expect(await store.get(second.complaint.id)).toBeUndefined();
        const replay = await store.create(createInput({ idempotency: { key, bodyHash: 'body-1' } }));
        expect(replay).toEqual({ complaint: first.complaint, created: false });
      });

      it('treats different keys as different complaints', async () => {
        const a = await store.create(createInput({ idempotency: { key: randomUUID(), bodyHash: 'same' } }));
        const b = await store.create(createInput({ idempotency: { key: randomUUID(), bodyHash: 'same' } }));
        expect(a.complaint.id).not.toBe(b.complaint.id);
        expect(b.created).toBe(true);
      });
    });

    describe('update', () => {
      it('applies set/remove, bumps version and records the event with seq = version', async () => {
        const { complaint } = await store.create(
          createInput({ complaint: newComplaint({ orderRef: 'O-1' }) }),
        );
        const updated = await store.update(complaint.id, (c) => ({
          set: { stage: 'investigation', escalations: c.escalations + 1 },
          remove: ['orderRef'],
          event: { type: 'acknowledged', actor: system, data: { n: 1 } },
        }));
        expect(updated.version).toBe(2);
        expect(updated.stage).toBe('investigation');
        expect(updated).not.toHaveProperty('orderRef');
        expect(await store.get(complaint.id)).toEqual(updated);
        const events = await store.events(complaint.id);
        expect(events.map((e) => [e.seq, e.type, e.stage])).toEqual([
          [1, 'registered', 'received'],
          [2, 'acknowledged', 'investigation'],
        ]);
        expect(events[1]?.data).toEqual({ n: 1 });
      });

      it('writes nothing when change returns undefined', async () => {
        const { complaint } = await store.create(createInput());
        const same = await store.update(complaint.id, () => undefined);
        expect(same.version).toBe(1);
        expect(await store.events(complaint.id)).toHaveLength(1);
      });

      it('loses no update under 10 concurrent writers; events are seq 1..11 in order', async () => {
        const { complaint } = await store.create(createInput());
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.update(complaint.id, (c) => ({
              set: { escalations: c.escalations + 1 },
              event: { type: 'escalated', actor: system, data: { writer: i, saw: c.escalations } },
            })),
          ),
        );
        const final = await store.get(complaint.id);
        expect(final?.escalations).toBe(10);
        expect(final?.version).toBe(11);
        const events = await store.events(complaint.id);
        expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        // each event saw the state its predecessor left
        expect(events.slice(1).map((e) => e.data?.saw)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(new Set(events.slice(1).map((e) => e.data?.writer)).size).toBe(10);
      });
    });

    describe('claimStep / releaseClaim', () => {
      it('lets exactly one of two concurrent claims win; the other gets ConflictError', async () => {
        const c = await waiting('proposal', '2026-11-26T18:00:00+08:00');
        const outcomes = await Promise.allSettled([
          store.claimStep(c.id, ['proposal'], 'req-a', agent),
          store.claimStep(c.id, ['proposal'], 'req-b', agent),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
        const winner = (won[0] as PromiseFulfilledResult<{ claimedBy?: string; taskToken: string }>).value;
        expect(winner.taskToken).toBe(c.pending?.taskToken);
        const stored = await store.get(c.id);
        expect(stored?.pending?.claimedBy).toBe(winner.claimedBy);
        expect(['req-a', 'req-b']).toContain(winner.claimedBy);
        // a claim is not a change of the complaint
        expect(stored?.version).toBe(c.version);
      });

      it('refuses a step that is not pending with WrongStageError', async () => {
        const c = await waiting('review', '2026-11-26T18:00:00+08:00');
        await expect(
          store.claimStep(c.id, ['proposal', 'implementation'], 'r', agent),
        ).rejects.toBeInstanceOf(WrongStageError);
        const { complaint: fresh } = await store.create(createInput());
        await expect(store.claimStep(fresh.id, ['investigation'], 'r', agent)).rejects.toBeInstanceOf(
          WrongStageError,
        );
        await expect(
          store.claimStep('C2611-0000-0000', ['investigation'], 'r', agent),
        ).rejects.toBeInstanceOf(NotFoundError);
        // any of several steps may be claimed
        const claimed = await store.claimStep(c.id, ['proposal', 'review'], 'r', agent);
        expect(claimed.step).toBe('review');
      });

      it('releaseClaim frees the step and records action_refused', async () => {
        const c = await waiting('implementation', '2026-11-30T18:00:00+08:00', { department: 'logistics' });
        await store.claimStep(c.id, ['implementation'], 'req-1', agent);
        await store.releaseClaim(c.id, 'req-1', 'TaskTimedOut');
        const after = await store.get(c.id);
        expect(after?.pending).toBeDefined();
        expect(after?.pending?.claimedBy).toBeUndefined();
        const events = await store.events(c.id);
        expect(events.at(-1)).toMatchObject({
          type: 'action_refused',
          seq: after?.version,
          data: { reason: 'TaskTimedOut' },
        });
        expect(events.at(-1)?.actor).toEqual(agent);
        const again = await store.claimStep(c.id, ['implementation'], 'req-2', agent);
        expect(again.claimedBy).toBe('req-2');
        // releasing somebody else's claim leaves it in place
        await store.releaseClaim(c.id, 'req-1', 'late');
        expect((await store.get(c.id))?.pending?.claimedBy).toBe('req-2');
      });
    });

    describe('queues', () => {
      it('lists a stage earliest due first, complaints without a pending step last, and pages', async () => {
        const late = await waiting('investigation', '2026-11-27T18:00:00+08:00');
        const early = await waiting('investigation', '2026-11-24T18:00:00+08:00');
        // same instant written in another offset: sorts by the instant, not the text
        const middle = await waiting('investigation', '2026-11-25T02:00:00Z');
        const none = await store.update((await store.create(createInput())).complaint.id, () => ({
          set: { stage: 'investigation' },
          event: { type: 'acknowledged', actor: system },
        }));
        await waiting('proposal', '2026-11-20T18:00:00+08:00');

        const all = await store.list({ stage: 'investigation' });
        expect(all.items.map((c) => c.id)).toEqual([early.id, middle.id, late.id, none.id]);
        expect(all.nextCursor).toBeUndefined();

        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.list({ stage: 'investigation', limit: 3, cursor });
          seen.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        expect(pages).toBe(2);
        expect(seen).toEqual([early.id, middle.id, late.id, none.id]);
      });

      it('lists open complaints over all stages, merged by due date, with overdue filter', async () => {
        const a = await waiting('review', '2026-11-24T18:00:00+08:00');
        const b = await waiting('investigation', '2026-11-25T18:00:00+08:00');
        const c = await waiting('customer_decision', '2026-11-26T18:00:00+08:00');
        const closed = await waiting('proposal', '2026-11-20T18:00:00+08:00');
        await close(closed.id, '2026-11-21T10:00:00+08:00');

        expect((await store.list({})).items.map((x) => x.id)).toEqual([a.id, b.id, c.id]);
        expect((await store.list({ status: 'open' })).items.map((x) => x.id)).toEqual([a.id, b.id, c.id]);
        const overdue = await store.list({ overdueAt: '2026-11-26T00:00:00+08:00' });
        expect(overdue.items.map((x) => x.id)).toEqual([a.id, b.id]);
        // paging across partitions
        const p1 = await store.list({ limit: 2 });
        expect(p1.items.map((x) => x.id)).toEqual([a.id, b.id]);
        const p2 = await store.list({ limit: 2, cursor: p1.nextCursor });
        expect(p2.items.map((x) => x.id)).toEqual([c.id]);
        expect(p2.nextCursor).toBeUndefined();
        // overdue and a cursor together
        const o1 = await store.list({ overdueAt: '2026-11-27T00:00:00+08:00', limit: 1 });
        const o2 = await store.list({
          overdueAt: '2026-11-27T00:00:00+08:00',
          limit: 1,
          cursor: o1.nextCursor,
        });
        const o3 = await store.list({
          overdueAt: '2026-11-27T00:00:00+08:00',
          limit: 1,
          cursor: o2.nextCursor,
        });
        expect([...o1.items, ...o2.items, ...o3.items].map((x) => x.id)).toEqual([a.id, b.id, c.id]);
        expect(o3.nextCursor).toBeUndefined();

        const closedList = await store.list({ status: 'closed' });
        expect(closedList.items.map((x) => x.id)).toEqual([closed.id]);
        expect(closedList.items[0]?.pending).toBeUndefined();
        expect((await store.list({ stage: 'closed' })).items.map((x) => x.id)).toEqual([closed.id]);
        expect((await store.list({ stage: 'closed', status: 'open' })).items).toEqual([]);
        expect((await store.list({ stage: 'proposal' })).items).toEqual([]);
      });

      it("keys the queues on the step's first deadline: an escalated step stays overdue", async () => {
        const dept = `esc-${randomUUID().slice(0, 8)}`;
        const owner = `staff-${randomUUID().slice(0, 8)}`;
        // escalated twice: its own deadline long past, the current (level 2) one ahead
        const escalated = await waiting('proposal', '2026-12-01T18:00:00+08:00', {
          department: dept,
          assignee: { sub: owner },
        });
        await store.update(escalated.id, (c) => ({
          set: {
            pending: {
              ...(c.pending as PendingStep),
              escalationLevel: 2,
              firstDueAt: '2026-11-20T18:00:00+08:00',
            },
          },
          event: { type: 'step_opened', actor: system, data: { step: 'proposal', level: 2 } },
        }));
        const fresh = await waiting('proposal', '2026-11-25T18:00:00+08:00', {
          department: dept,
          assignee: { sub: owner },
        });
        const at = '2026-11-24T00:00:00+08:00';
        for (const query of [{ department: dept }, { assignee: owner }, { stage: 'proposal' as const }]) {
          const overdue = (await store.list({ ...query, overdueAt: at, limit: 200 })).items.map((x) => x.id);
          expect(overdue).toContain(escalated.id);
          expect(overdue).not.toContain(fresh.id);
        }
        // most overdue first
        expect((await store.list({ department: dept })).items.map((x) => x.id)).toEqual([
          escalated.id,
          fresh.id,
        ]);
      });

      it('lists a named owner\'s open complaints (the "mine" queue), following assignment and closing', async () => {
        const owner = `staff-${randomUUID().slice(0, 8)}`;
        const late = await waiting('proposal', '2026-11-27T18:00:00+08:00', { assignee: { sub: owner } });
        const early = await waiting('investigation', '2026-11-24T18:00:00+08:00', {
          assignee: { sub: owner },
        });
        await waiting('investigation', '2026-11-23T18:00:00+08:00', { assignee: { sub: `${owner}-other` } });
        expect((await store.list({ assignee: owner })).items.map((x) => x.id)).toEqual([early.id, late.id]);
        expect((await store.list({ assignee: owner, stage: 'proposal' })).items.map((x) => x.id)).toEqual([
          late.id,
        ]);
        await store.update(early.id, () => ({
          set: { assignee: undefined },
          event: { type: 'assigned', actor: system },
        }));
        expect((await store.list({ assignee: owner })).items.map((x) => x.id)).toEqual([late.id]);
        await close(late.id, '2026-11-28T10:00:00+08:00');
        expect((await store.list({ assignee: owner })).items).toEqual([]);
      });

      it('lists a department (optionally one stage), following department and stage changes', async () => {
        const dept = `dept-${randomUUID().slice(0, 8)}`;
        const p = await waiting('proposal', '2026-11-26T18:00:00+08:00', { department: dept });
        const i = await waiting('implementation', '2026-11-25T18:00:00+08:00', { department: dept });
        await waiting('implementation', '2026-11-24T18:00:00+08:00', { department: 'other' });

        expect((await store.list({ department: dept })).items.map((x) => x.id)).toEqual([i.id, p.id]);
        expect((await store.list({ department: dept, stage: 'proposal' })).items.map((x) => x.id)).toEqual([
          p.id,
        ]);
        expect(
          (await store.list({ department: dept, overdueAt: '2026-11-26T00:00:00+08:00' })).items.map(
            (x) => x.id,
          ),
        ).toEqual([i.id]);

        // moving to another department and another stage moves the complaint between queues
        await store.update(p.id, (c) => ({
          set: {
            department: 'quality',
            stage: 'review',
            pending: pendingStep('review', '2026-11-23T18:00:00+08:00'),
          },
          event: { type: 'proposed', actor: agent, data: { from: c.department } },
        }));
        expect((await store.list({ department: dept })).items.map((x) => x.id)).toEqual([i.id]);
        expect((await store.list({ department: 'quality' })).items.map((x) => x.id)).toEqual([p.id]);
        expect((await store.list({ stage: 'review' })).items.map((x) => x.id)).toEqual([p.id]);
        expect((await store.list({ stage: 'proposal' })).items).toEqual([]);

        await close(i.id, '2026-11-28T10:00:00+08:00');
        expect((await store.list({ department: dept })).items).toEqual([]);
        expect((await store.list({ department: dept, status: 'closed' })).items.map((x) => x.id)).toEqual([
          i.id,
        ]);
      });

      it('pages a filtered department queue without losing or repeating items', async () => {
        const dept = `dept-${randomUUID().slice(0, 8)}`;
        const wanted: string[] = [];
        for (let d = 0; d < 6; d++) {
          const step: Step = d % 2 === 0 ? 'implementation' : 'proposal';
          const c = await waiting(step, `2026-12-0${d + 1}T18:00:00+08:00`, { department: dept });
          if (step === 'implementation') wanted.push(c.id);
        }
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let n = 0; n < 10; n++) {
          const page = await store.list({ department: dept, stage: 'implementation', limit: 1, cursor });
          seen.push(...page.items.map((x) => x.id));
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        expect(seen).toEqual(wanted);
      });

      it('refuses a cursor it did not issue', async () => {
        await expect(store.list({ cursor: 'bogus' })).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe('reports and other reads', () => {
      it('listCreatedBetween covers [from, to) across months and offsets', async () => {
        const at = async (createdAt: string) =>
          (await store.create(createInput({ complaint: newComplaint({ createdAt }) }))).complaint.id;
        const before = await at('2026-09-30T23:59:59+08:00'); // 2026-09-30T15:59:59Z
        const first = await at('2026-10-01T00:00:00+08:00'); // == from
        const mid = await at('2026-11-15T12:00:00Z');
        const last = await at('2026-12-31T23:59:59+08:00');
        const after = await at('2027-01-01T00:00:00+08:00'); // == to
        const got = await store.listCreatedBetween('2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00');
        const ids = got.map((c) => c.id).sort();
        expect(ids).toEqual([first, mid, last].sort());
        expect(ids).not.toContain(before);
        expect(ids).not.toContain(after);
        expect(await store.listCreatedBetween('2027-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toEqual([]);
      });

      it('keeps a report record with every change: figures only, in [from, to), open steps apart', async () => {
        const at = async (createdAt: string) =>
          (await store.create(createInput({ complaint: newComplaint({ createdAt }) }))).complaint.id;
        const before = await at('2026-09-30T23:59:59+08:00');
        const inside = await at('2026-10-01T00:00:00+08:00');
        await store.update(before, () => ({
          set: { stage: 'investigation', pending: pendingStep('investigation', '2026-10-09T18:00:00+08:00') },
          event: { type: 'step_opened', actor: system },
        }));
        await store.update(inside, () => ({
          set: {
            stage: 'proposal',
            pending: pendingStep('proposal', '2026-10-12T18:00:00+08:00', {
              since: '2026-10-08T10:00:00+08:00',
            }),
          },
          event: { type: 'step_opened', actor: system },
        }));
        await store.update(inside, (c) => ({
          set: { escalations: c.escalations + 1, maxEscalationLevel: 1 },
          event: { type: 'escalated', actor: system, data: { level: 1 } },
        }));
        await store.update(inside, () => ({
          set: { stage: 'review', proposalRounds: 1 },
          remove: ['pending'],
          event: { type: 'proposed', actor: system },
        }));
        const records = await store.reportRecords('2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00');
        expect(records.map((r) => r.id)).toEqual([inside]);
        const r = records[0];
        expect(r?.stage).toBe('review');
        expect(r?.pending).toBeUndefined();
        expect(r?.levels).toEqual([1, 0, 0]);
        // received → proposal → review: two finished passes
        expect(r?.visits.filter((_, i) => i % 3 === 0)).toEqual([0, 2]);
        expect(JSON.stringify(r)).not.toMatch(/张三|zhang@example.com|快递|订单/);
        const open = await store.openReportRecords();
        expect(open.map((o) => o.id)).toEqual([before]);
        expect(open[0]?.pending).toMatchObject({ step: 'investigation', level: 0 });
      });

      it('reportRecords finds a complaint registered late by its receipt (receivedAt), not its registration', async () => {
        // received Tuesday Sep 29 (Q3), registered by an agent on Friday Oct 2 (Q4)
        const { complaint } = await store.create(
          createInput({
            complaint: newComplaint({
              createdAt: '2026-10-02T10:00:00+08:00',
              receivedAt: '2026-09-29T16:00:00+08:00',
            }),
          }),
        );
        const q3 = await store.reportRecords('2026-07-01T00:00:00+08:00', '2026-10-01T00:00:00+08:00');
        const q4 = await store.reportRecords('2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00');
        expect(q3.map((r) => r.id)).toContain(complaint.id);
        expect(q4.map((r) => r.id)).not.toContain(complaint.id);
        const record = q3.find((r) => r.id === complaint.id);
        expect(record?.received).toBe(Date.parse('2026-09-29T16:00:00+08:00') / 1000);
        expect(record?.created).toBe(Date.parse('2026-10-02T10:00:00+08:00') / 1000);
      });

      it('forEachReportRecord visits each record reportRecords returns, once, and no other', async () => {
        const ids: string[] = [];
        for (const createdAt of [
          '2026-10-01T00:00:00+08:00', // the period's first instant
          '2026-11-15T09:00:00+08:00',
          '2026-12-31T23:59:59+08:00',
          '2027-01-01T00:00:00+08:00', // the next period's first instant
          '2026-09-30T23:59:59+08:00',
        ]) {
          const { complaint } = await store.create(createInput({ complaint: newComplaint({ createdAt }) }));
          ids.push(complaint.id);
        }
        const from = '2026-10-01T00:00:00+08:00';
        const to = '2027-01-01T00:00:00+08:00';
        const visited: string[] = [];
        await store.forEachReportRecord(from, to, (r) => visited.push(r.id));
        const returned = (await store.reportRecords(from, to)).map((r) => r.id);
        expect(visited.sort()).toEqual(returned.sort());
        expect(visited).toEqual(ids.slice(0, 3).sort());
      });

      it('listWaiting returns open complaints with a pending step only', async () => {
        const w1 = await waiting('investigation', '2026-11-24T18:00:00+08:00');
        const w2 = await waiting('follow_up', '2026-12-24T18:00:00+08:00');
        await store.create(createInput());
        const gone = await waiting('proposal', '2026-11-24T18:00:00+08:00');
        await close(gone.id, '2026-11-25T10:00:00+08:00');
        const waitingIds = (await store.listWaiting()).map((c) => c.id).sort();
        expect(waitingIds).toEqual([w1.id, w2.id].sort());
      });

      it('hasEarlierByCustomer looks for that customer in [since, before)', async () => {
        const customerKeys = [`cust-${randomUUID()}`];
        for (const createdAt of ['2026-08-01T10:00:00Z', '2026-10-01T10:00:00Z']) {
          await store.create(createInput({ customerKeys, complaint: newComplaint({ createdAt }) }));
        }
        await store.create(createInput({ complaint: newComplaint({ createdAt: '2026-09-15T10:00:00Z' }) }));
        // none strictly inside; `before` is excluded, `since` included (any offset)
        expect(
          await store.hasEarlierByCustomer(customerKeys, '2026-08-15T00:00:00Z', '2026-10-01T10:00:00Z'),
        ).toBe(false);
        expect(
          await store.hasEarlierByCustomer(customerKeys, '2026-08-01T18:00:00+08:00', '2026-08-15T00:00:00Z'),
        ).toBe(true);
        expect(
          await store.hasEarlierByCustomer(customerKeys, '2026-08-01T10:00:00.001Z', '2026-10-01T10:00:00Z'),
        ).toBe(false);
        expect(
          await store.hasEarlierByCustomer(customerKeys, '2026-07-01T00:00:00Z', '2026-12-01T00:00:00Z'),
        ).toBe(true);
        expect(
          await store.hasEarlierByCustomer(customerKeys, '2026-12-01T00:00:00Z', '2026-07-01T00:00:00Z'),
        ).toBe(false);
        expect(
          await store.hasEarlierByCustomer(
            [`cust-${randomUUID()}`],
            '2026-01-01T00:00:00Z',
            '2027-01-01T00:00:00Z',
          ),
        ).toBe(false);
        expect(await store.hasEarlierByCustomer([], '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toBe(
          false,
        );
      });

      describe('linkedComplaints: the complaints behind customer and order links', () => {
        it('finds each complaint once, newest first, by any of its links, and nothing by an unknown key', async () => {
          const [e, p, o] = [`email-${randomUUID()}`, `phone-${randomUUID()}`, `order-${randomUUID()}`];
          const { complaint: first } = await store.create(
            createInput({
              customerKeys: [e, p],
              orderKey: o,
              complaint: newComplaint({ createdAt: '2026-09-01T10:00:00Z' }),
            }),
          );
          const { complaint: second } = await store.create(
            createInput({
              customerKeys: [p],
              complaint: newComplaint({ createdAt: '2026-09-03T18:00:00+08:00' }),
            }),
          );
          const { complaint: other } = await store.create(
            createInput({
              orderKey: `order-${randomUUID()}`,
              complaint: newComplaint({ createdAt: '2026-09-02T10:00:00Z' }),
            }),
          );
          const ids = async (links: Parameters<ComplaintStore['linkedComplaints']>[0], limit = 50) =>
            (await store.linkedComplaints(links, limit)).map((c) => c.id);

          expect(await ids([{ kind: 'customer', key: e }])).toEqual([first.id]);
          expect(await ids([{ kind: 'customer', key: p }])).toEqual([second.id, first.id]);
          // the same complaint through two links counts once
          expect(
            await ids([
              { kind: 'customer', key: e },
              { kind: 'customer', key: p },
              { kind: 'order', key: o },
            ]),
          ).toEqual([second.id, first.id]);
          expect(await ids([{ kind: 'order', key: o }])).toEqual([first.id]);
          // an order key is not a customer key, and the other way round
          expect(await ids([{ kind: 'customer', key: o }])).toEqual([]);
          expect(await ids([{ kind: 'order', key: p }])).toEqual([]);
          expect(await ids([{ kind: 'customer', key: `email-${randomUUID()}` }])).toEqual([]);
          expect(await ids([])).toEqual([]);
          expect(await ids([{ kind: 'customer', key: p }], 1)).toEqual([second.id]);
          // whole complaints, as get() returns them
          const [read] = await store.linkedComplaints([{ kind: 'order', key: o }], 5);
          expect(read).toEqual(await store.get(first.id));
          expect(other.id).not.toBe(first.id);
        });

        it('returns complaints as they are now, closed ones included', async () => {
          const o = `order-${randomUUID()}`;
          const { complaint } = await store.create(createInput({ orderKey: o }));
          await close(complaint.id, '2026-11-25T10:00:00+08:00');
          const [found] = await store.linkedComplaints([{ kind: 'order', key: o }], 10);
          expect(found?.stage).toBe('closed');
          expect(found?.version).toBe(2);
        });
      });

      describe('repeat detection as the API does it (90 days back from the new complaint)', () => {
        const DAY = 24 * 3600_000;
        /** looks back 90 days from `createdAt`, then stores the complaint; answers `repeat` */
        async function complain(customerKeys: string[], createdAt: string): Promise<boolean> {
          const since = new Date(Date.parse(createdAt) - 90 * DAY).toISOString();
          const repeat = await store.hasEarlierByCustomer(customerKeys, since, createdAt);
          await store.create(createInput({ customerKeys, complaint: newComplaint({ createdAt, repeat }) }));
          return repeat;
        }
        const email = () => `email-${randomUUID()}`;
        const phone = () => `phone-${randomUUID()}`;

        it('recognises a customer by any one of the contacts given before', async () => {
          const [e, p] = [email(), phone()];
          expect(await complain([e, p], '2026-09-01T10:00:00Z')).toBe(false);
          // phone only: found by the first complaint's phone link
          expect(await complain([p], '2026-09-02T10:00:00Z')).toBe(true);
          // email only: found by the first complaint's email link (the second has none)
          expect(await complain([e], '2026-09-03T10:00:00Z')).toBe(true);
          // a new phone with the known email
          expect(await complain([e, phone()], '2026-09-04T10:00:00Z')).toBe(true);
          // the same contact given twice counts once
          expect(await complain([p, p], '2026-09-05T10:00:00Z')).toBe(true);
        });

        it('does not take another email and phone for the same customer', async () => {
          await complain([email(), phone()], '2026-09-01T10:00:00Z');
          expect(await complain([email(), phone()], '2026-09-02T10:00:00Z')).toBe(false);
          expect(await complain([phone()], '2026-09-03T10:00:00Z')).toBe(false);
        });

        it('ignores an earlier complaint older than 90 days', async () => {
          const [e, p] = [email(), phone()];
          await complain([e, p], '2026-06-01T10:00:00Z');
          // 90 days and one second later, by phone, then by email: too old
          expect(await complain([p], '2026-08-30T10:00:01Z')).toBe(false);
          const [e2, p2] = [email(), phone()];
          await complain([e2, p2], '2026-06-01T10:00:00Z');
          expect(await complain([e2], '2026-08-30T10:00:01Z')).toBe(false);
          // 89 days later: still a repeat
          const [e3, p3] = [email(), phone()];
          await complain([e3, p3], '2026-06-01T10:00:00Z');
          expect(await complain([p3], '2026-08-29T10:00:00Z')).toBe(true);
        });
      });

      it('refuses more than two customer keys', async () => {
        await expect(
          store.create(createInput({ customerKeys: ['a', 'b', 'c'].map((k) => `${k}-${randomUUID()}`) })),
        ).rejects.toBeInstanceOf(RangeError);
      });
    });

    describe('attachments', () => {
      const NOW = Date.parse('2026-11-23T08:00:00Z');
      function pendingAttachment(complaintId: string, overrides: Partial<Attachment> = {}): Attachment {
        return {
          complaintId,
          attachmentId: newAttachmentId(),
          fileName: '样品照片 1.jpg',
          contentType: 'image/jpeg',
          size: 1234,
          visibleToCustomer: true,
          by: customerActor,
          createdAt: '2026-11-23T16:00:00+08:00',
          status: 'pending',
          uploadExpiresAt: new Date(NOW + 900_000).toISOString(),
          ...overrides,
        };
      }

      it('stores a pending attachment without an audit event, and lists and reads it back', async () => {
        const { complaint } = await store.create(createInput());
        const a = pendingAttachment(complaint.id);
        await store.addAttachment(a, 20, NOW);
        expect(await store.getAttachment(complaint.id, a.attachmentId)).toEqual(a);
        expect(await store.attachments(complaint.id)).toEqual([a]);
        expect((await store.events(complaint.id)).map((e) => e.type)).toEqual(['registered']);
        expect((await store.get(complaint.id))?.version).toBe(1);
        expect(await store.getAttachment(complaint.id, newAttachmentId())).toBeUndefined();
        expect(await store.attachments('C2611-0000-0000')).toEqual([]);
      });

      it('refuses an attachment on an unknown complaint', async () => {
        await expect(
          store.addAttachment(pendingAttachment('C2611-0000-0000'), 20, NOW),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('settles as uploaded once, with one attachment_added event that carries no file name', async () => {
        const { complaint } = await store.create(createInput());
        const a = pendingAttachment(complaint.id);
        await store.addAttachment(a, 20, NOW);
        const outcome = {
          status: 'uploaded',
          at: '2026-11-23T16:01:00+08:00',
          actor: customerActor,
        } as const;
        const settled = await store.settleAttachment(complaint.id, a.attachmentId, outcome);
        expect(settled).toEqual({ ...a, status: 'uploaded', uploadedAt: '2026-11-23T16:01:00+08:00' });
        expect(await store.settleAttachment(complaint.id, a.attachmentId, outcome)).toEqual(settled);
        expect(await store.getAttachment(complaint.id, a.attachmentId)).toEqual(settled);
        const events = await store.events(complaint.id);
        expect(events.map((e) => e.type)).toEqual(['registered', 'attachment_added']);
        expect(events[1]).toMatchObject({
          seq: 2,
          actor: customerActor,
          data: { attachmentId: a.attachmentId, contentType: 'image/jpeg', size: 1234, by: 'customer' },
        });
        expect(JSON.stringify(events)).not.toContain('样品');
        expect((await store.get(complaint.id))?.version).toBe(2);
        await expect(
          store.settleAttachment(complaint.id, a.attachmentId, {
            status: 'rejected',
            reason: 'size_mismatch',
            actor: system,
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        await expect(store.settleAttachment(complaint.id, newAttachmentId(), outcome)).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('settles as rejected with the reason, and a rejected attachment frees its slot', async () => {
        const { complaint } = await store.create(createInput());
        const a = pendingAttachment(complaint.id);
        await store.addAttachment(a, 1, NOW);
        await expect(store.addAttachment(pendingAttachment(complaint.id), 1, NOW)).rejects.toBeInstanceOf(
          TooManyAttachmentsError,
        );
        const rejected = await store.settleAttachment(complaint.id, a.attachmentId, {
          status: 'rejected',
          reason: 'content_mismatch',
          actor: system,
        });
        expect(rejected).toMatchObject({ status: 'rejected', rejectedReason: 'content_mismatch' });
        expect((await store.events(complaint.id)).at(-1)).toMatchObject({
          type: 'attachment_refused',
          data: { attachmentId: a.attachmentId, reason: 'content_mismatch' },
        });
        await store.addAttachment(pendingAttachment(complaint.id), 1, NOW);
      });

      it('counts uploaded and unexpired pending attachments against the limit; expired pending ones free their slot', async () => {
        const { complaint } = await store.create(createInput());
        const expired = pendingAttachment(complaint.id, { uploadExpiresAt: new Date(NOW - 1).toISOString() });
        await store.addAttachment(expired, 2, NOW - 900_000);
        await store.addAttachment(pendingAttachment(complaint.id), 2, NOW);
        await store.addAttachment(pendingAttachment(complaint.id), 2, NOW);
        await expect(store.addAttachment(pendingAttachment(complaint.id), 2, NOW)).rejects.toBeInstanceOf(
          TooManyAttachmentsError,
        );
        expect(await store.attachments(complaint.id)).toHaveLength(3);
      });

      it('keeps to the limit under concurrent reservations', async () => {
        const { complaint } = await store.create(createInput());
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, () => store.addAttachment(pendingAttachment(complaint.id), 3, NOW)),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(refused.every((r) => r.reason instanceof TooManyAttachmentsError)).toBe(true);
        expect(await store.attachments(complaint.id)).toHaveLength(3);
      });

      it('lists attachments oldest first and keeps them apart from events and queues', async () => {
        const { complaint } = await store.create(createInput());
        const later = pendingAttachment(complaint.id, { createdAt: '2026-11-23T17:00:00+08:00' });
        const earlier = pendingAttachment(complaint.id, { createdAt: '2026-11-23T09:00:00+08:00' });
        await store.addAttachment(later, 20, NOW);
        await store.addAttachment(earlier, 20, NOW);
        expect((await store.attachments(complaint.id)).map((a) => a.attachmentId)).toEqual([
          earlier.attachmentId,
          later.attachmentId,
        ]);
        expect(await store.events(complaint.id)).toHaveLength(1);
        const queue = await store.list({ stage: 'received' });
        expect(queue.items.map((c) => c.id)).toEqual([complaint.id]);
      });
    });
  });
}
