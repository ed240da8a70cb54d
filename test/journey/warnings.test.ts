/**
 * Pre-breach warnings under the simulated clock: the scheduled check (one keyed Query of the
 * warnings index, no scan) warns the owner of an open staff step once its warning time has
 * come — before the escalation — once per step and escalation level, however often it runs.
 */
import './quiet-logs.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Complaint } from '../../functions/domain/model.js';
import { createStepWarningCheck } from '../../functions/scheduled/step-warnings.js';
import { createJourneyWorld, type JourneyWorld } from './harness.js';

let w: JourneyWorld;
beforeAll(async () => {
  w = await createJourneyWorld('warnings');
});
afterAll(async () => {
  await w?.close();
});

describe('pre-breach warnings', () => {
  it('warn before the escalation, once per step and level', async () => {
    const warned: { id: string; level: number | undefined }[] = [];
    const metrics: string[] = [];
    const dueWarnings = vi.spyOn(w.store, 'dueWarnings');
    const check = createStepWarningCheck({
      store: w.store,
      notify: async (c: Complaint, template, ctx) => {
        if (template === 'deadline_warning') warned.push({ id: c.id, level: ctx?.level });
        return { sent: true };
      },
      clock: () => w.clock.now(),
      onWarned: (stage, level) => metrics.push(`${stage}:${level}`),
    });
    const id = await w.start();
    await w.steps.investigate(id);
    await w.engine.waitForTask(id, 'AwaitProposal');
    const pending = (await w.store.get(id))?.pending;
    if (!pending?.warnAt) throw new Error('the proposal step has no warning time');
    expect(Date.parse(pending.warnAt)).toBeLessThan(Date.parse(pending.dueAt));
    expect(Date.parse(pending.warnAt)).toBeGreaterThan(Date.parse(pending.since));

    // just before the warning time: nothing
    w.clock.set(new Date(Date.parse(pending.warnAt) - 60_000).toISOString());
    await check();
    expect(warned).toEqual([]);

    // at the warning time: one warning; running again (or twice at once) sends no second
    w.clock.set(pending.warnAt);
    await Promise.all([check(), check()]);
    await check();
    expect(warned).toEqual([{ id, level: 0 }]);
    expect(metrics).toEqual(['proposal:0']);
    const afterWarning = await w.store.get(id);
    expect(afterWarning?.pending?.warnedAt).toBeDefined();
    const events = await w.store.events(id);
    expect(events.filter((e) => e.type === 'warned').map((e) => e.data)).toEqual([
      { step: 'proposal', level: 0, dueAt: pending.dueAt, warnAt: pending.warnAt },
    ]);
    // the warning came before any escalation
    expect(events.some((e) => e.type === 'escalated')).toBe(false);

    // the deadline passes: escalation to level 1, which has its own warning time
    await w.miss(id, 'AwaitProposal');
    const level1 = (await w.store.get(id))?.pending;
    expect(level1?.escalationLevel).toBe(1);
    if (!level1?.warnAt) throw new Error('level 1 has no warning time');
    const escalatedSeq = (await w.store.events(id)).find((e) => e.type === 'escalated')?.seq ?? 0;
    w.clock.set(level1.warnAt);
    await check();
    await check();
    expect(warned).toEqual([
      { id, level: 0 },
      { id, level: 1 },
    ]);
    const warnedEvents = (await w.store.events(id)).filter((e) => e.type === 'warned');
    expect(warnedEvents).toHaveLength(2);
    expect(warnedEvents[1]?.seq).toBeGreaterThan(escalatedSeq);
    // every run asked the index for a window ending now (a keyed query), never for everything
    for (const [from, to] of dueWarnings.mock.calls)
      expect(Date.parse(to) - Date.parse(from)).toBe(2 * 86_400_000);
    w.engine.stopExecution(id);
  });
});
