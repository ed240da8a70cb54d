/**
 * The state data the store cross-check resumes a waiting journey with (local/persistence.ts
 * awaitStateInput): the customer decision's reminder comes from the pending step itself.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/domain/clock.js';
import type { PendingStep } from '../../functions/domain/model.js';
import { awaitStateInput } from '../../local/persistence.js';

const clock = new ManualClock('2026-11-23T02:00:00.000Z');
const pending = (patch: Partial<PendingStep>): PendingStep => ({
  step: 'customer_decision',
  stage: 'customer_decision',
  taskToken: 'LSFN1.token',
  dueAt: '2026-11-23T02:10:00.000Z',
  provisional: false,
  escalationLevel: 0,
  since: '2026-11-20T02:00:00.000Z',
  ...patch,
});

describe('awaitStateInput', () => {
  it('takes the wait after the reminder from the pending step, without reading the history', async () => {
    const after = await awaitStateInput({ id: 'C1', pending: pending({ reminder: true }) }, clock);
    expect(after).toEqual({
      complaintId: 'C1',
      step: {
        step: 'customer_decision',
        level: 0,
        dueAt: '2026-11-23T02:10:00.000Z',
        provisional: false,
        timeoutSeconds: 600,
        reminder: true,
      },
    });
    const before = await awaitStateInput({ id: 'C2', pending: pending({ reminder: false }) }, clock);
    expect(before.step).not.toHaveProperty('reminder');
  });
});
