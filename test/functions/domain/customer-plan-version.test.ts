/**
 * The customer never sees internal round numbers (issue 10): the first plan they see after a
 * supervisor's return is version 1, and only their decline (or reopen) makes a "revised" one.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, Complaint, RecordEntry } from '../../../functions/domain/model.js';
import { customerPlanVersion } from '../../../functions/domain/model.js';
import { customerView } from '../../../functions/domain/views.js';
import { newComplaint } from './store/fixtures.js';

const dept: Actor = { kind: 'staff', sub: 'dept-1', role: 'department', department: 'after-sales' };
const sup: Actor = { kind: 'staff', sub: 'sup-1', role: 'supervisor' };
const at = '2026-11-24T02:00:00.000Z';

function waitingForDecision(record: RecordEntry[], round: number, declines = 0): Complaint {
  return {
    ...newComplaint({ stage: 'customer_decision', declines, proposalRounds: round }),
    version: 9,
    proposal: { plan: 'Plan', round, proposedAt: at, approvedAt: at },
    record,
    pending: {
      step: 'customer_decision',
      stage: 'customer_decision',
      taskToken: 't',
      dueAt: '2026-12-01T10:00:00.000Z',
      provisional: false,
      escalationLevel: 0,
      since: at,
    },
  };
}

const returnedThenApproved: RecordEntry[] = [
  { kind: 'proposal', at, actor: dept, round: 1, plan: 'Plan A' },
  { kind: 'review', at, actor: sup, round: 1, approved: false, comment: 'More.' },
  { kind: 'proposal', at, actor: dept, round: 2, plan: 'Plan' },
  { kind: 'review', at, actor: sup, round: 2, approved: true },
];

describe('the plan version a customer sees', () => {
  it('after an internal return the first plan shown is version 1', () => {
    const c = waitingForDecision(returnedThenApproved, 2);
    expect(customerPlanVersion(c)).toBe(1);
    expect(customerView(c, []).proposal?.round).toBe(1);
  });

  it('after the customer declined, the next approved plan is version 2', () => {
    const c = waitingForDecision(
      [
        ...returnedThenApproved,
        { kind: 'decision', at, actor: { kind: 'customer' }, round: 2, accept: false, comment: 'No.' },
        { kind: 'proposal', at, actor: dept, round: 3, plan: 'Plan' },
        { kind: 'review', at, actor: sup, round: 3, approved: true },
      ],
      3,
      1,
    );
    expect(customerPlanVersion(c)).toBe(2);
    expect(customerView(c, []).proposal?.round).toBe(2);
  });
});
