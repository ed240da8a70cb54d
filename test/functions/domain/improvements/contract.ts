import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../functions/domain/errors.js';
import {
  type Improvement,
  type ImprovementStore,
  openImprovement,
} from '../../../../functions/domain/improvements.js';
import type { Actor } from '../../../../functions/domain/model.js';

const manager: Actor = { kind: 'staff', sub: 'm-1', role: 'manager' };
const clock = {
  addWorkingDays: (from: Date | string, n: number) => ({
    dueAt: new Date(new Date(from).getTime() + n * 86_400_000).toISOString(),
    provisional: false,
  }),
  workingHours: (a: number, b: number) => Math.max(0, b - a) / 3_600_000,
};

/** The behaviour every ImprovementStore must have (memory and DynamoDB). */
export function improvementStoreContract(name: string, makeStore: () => Promise<ImprovementStore>): void {
  describe(`${name}: ImprovementStore contract`, () => {
    let store: ImprovementStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    const open = (department: string, days: number, id: string) =>
      store.create(
        openImprovement(
          { title: 't', description: 'd', department, dueInWorkingDays: days },
          manager,
          new Date('2026-11-02T02:00:00Z'),
          clock,
          id,
        ),
      );

    it('stores, lists by status and department (earliest due first), and finds due checks by index', async () => {
      const a = await open('sales', 5, 'I2611-AAAA-0001');
      const b = await open('logistics', 2, 'I2611-AAAA-0002');
      expect(a.version).toBe(1);
      expect((await store.list({})).map((i) => i.id)).toEqual([b.id, a.id]);
      expect((await store.list({ department: 'sales' })).map((i) => i.id)).toEqual([a.id]);
      expect(await store.list({ status: 'done' })).toEqual([]);
      // warning points: 80% of 2 and 5 days from 2 November 02:00Z
      expect(await store.dueForCheck('2026-11-03T00:00:00Z')).toEqual([]);
      expect(await store.dueForCheck(b.nextCheckAt as string)).toEqual([b.id]);
      expect(await store.dueForCheck('2026-11-30T00:00:00Z')).toEqual([b.id, a.id]);
      const done = await store.update(b.id, () => ({
        set: { status: 'done' },
        remove: ['nextCheckAt'],
        event: { type: 'done', actor: manager },
      }));
      expect(done.version).toBe(2);
      expect(done.nextCheckAt).toBeUndefined();
      expect(await store.dueForCheck('2026-11-30T00:00:00Z')).toEqual([a.id]);
      expect((await store.list({ status: 'done' })).map((i) => i.id)).toEqual([b.id]);
      expect((await store.events(b.id)).map((e) => [e.seq, e.type])).toEqual([
        [1, 'opened'],
        [2, 'done'],
      ]);
      expect(await store.update(a.id, () => undefined)).toMatchObject({ version: 1 });
      await expect(store.update('I2611-ZZZZ-0000', () => undefined)).rejects.toBeInstanceOf(NotFoundError);
      const got = (await store.get(a.id)) as Improvement;
      expect(got).toEqual(a);
    });
  });
}
