import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventType, Complaint, PendingStep } from '../../../functions/domain/model.js';
import {
  anonymousView,
  customerView,
  staffListItem,
  staffPendingView,
  staffView,
  statusOf,
} from '../../../functions/domain/views.js';

const base: Complaint = {
  id: 'C2611-AAAA-BBBB',
  channel: 'web',
  customer: { name: '张三', email: 'z@example.com', phone: '13800138000', language: 'zh-CN' },
  subject: 'Late parcel',
  description: 'It is late',
  stage: 'customer_decision',
  createdAt: '2026-11-23T10:00:00+08:00',
  replyDueBy: '2026-11-30T18:00:00+08:00',
  replyDueProvisional: false,
  investigation: {
    valid: true,
    category: 'delivery',
    severity: 'general',
    department: 'logistics',
    findings: 'FINDINGS',
  },
  proposal: {
    plan: 'Refund',
    round: 2,
    proposedAt: '2026-11-24T10:00:00+08:00',
    approvedAt: '2026-11-24T12:00:00+08:00',
    returnComment: 'RETURN-COMMENT',
  },
  pending: {
    step: 'customer_decision',
    stage: 'customer_decision',
    taskToken: 'TASK-TOKEN',
    dueAt: '2026-12-01T18:00:00+08:00',
    provisional: false,
    escalationLevel: 0,
    since: '2026-11-24T12:00:00+08:00',
    claimedBy: 'CLAIM',
  },
  declines: 1,
  reopens: 0,
  proposalRounds: 2,
  escalations: 1,
  maxEscalationLevel: 1,
  repeat: false,
  version: 9,
  registeredBy: { kind: 'staff', sub: 'agent-1', role: 'agent', name: 'AGENT-NAME' },
};

const types: AuditEventType[] = [
  'registered',
  'acknowledged',
  'step_opened',
  'investigated',
  'proposed',
  'returned',
  'escalated',
  'proposed',
  'approved',
  'notification_sent',
  'declined',
  'action_refused',
];
const events: AuditEvent[] = types.map((type, i) => ({
  complaintId: base.id,
  seq: i + 1,
  at: `2026-11-2${3 + Math.floor(i / 6)}T1${i % 6}:00:00+08:00`,
  type,
  stage: 'proposal',
  actor: { kind: 'staff', sub: 'STAFF-SUB', role: 'supervisor', name: 'STAFF-NAME' },
  data: { reason: 'INTERNAL-DATA' },
}));

describe('customerView', () => {
  it('shows the approved proposal awaiting the decision and a timeline without internal events', () => {
    const view = customerView(base, [...events].reverse());
    expect(view.awaiting).toEqual({ action: 'decision', dueAt: '2026-12-01T18:00:00+08:00' });
    expect(view.proposal).toEqual({ plan: 'Refund', round: 2, approvedAt: '2026-11-24T12:00:00+08:00' });
    expect(view.timeline.map((e) => e.event)).toEqual([
      'received',
      'acknowledged',
      'investigated',
      'proposal_ready',
      'proposal_declined',
    ]);
    const text = JSON.stringify(view);
    for (const hidden of [
      'FINDINGS',
      'RETURN-COMMENT',
      'TASK-TOKEN',
      'CLAIM',
      'STAFF',
      'AGENT',
      'INTERNAL',
      'z@example.com',
      '13800138000',
      'logistics',
      'escalat',
    ]) {
      expect(text).not.toContain(hidden);
    }
  });

  it('hides a proposal that is not approved, or not awaiting the customer', () => {
    const { approvedAt: _a, ...unapproved } = base.proposal as NonNullable<Complaint['proposal']>;
    expect(customerView({ ...base, proposal: unapproved }, []).proposal).toBeUndefined();
    const reviewing = {
      ...base,
      stage: 'review' as const,
      pending: {
        ...(base.pending as NonNullable<Complaint['pending']>),
        step: 'review' as const,
        stage: 'review' as const,
      },
    };
    expect(customerView(reviewing, []).proposal).toBeUndefined();
  });

  it('reports the outcome as the status once closed', () => {
    expect(statusOf({ stage: 'closed', outcome: 'no_response' })).toBe('no_response');
    expect(statusOf({ stage: 'proposal' })).toBe('open');
  });
});

describe('staff views', () => {
  it('never include the task token or claim id', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    const full = staffView(base, now, events);
    expect(full.pending).toEqual({
      step: 'customer_decision',
      stage: 'customer_decision',
      dueAt: '2026-12-01T18:00:00+08:00',
      provisional: false,
      firstDueAt: '2026-12-01T18:00:00+08:00',
      escalationLevel: 0,
      since: '2026-11-24T12:00:00+08:00',
      claimed: true,
      overdue: true,
      atRisk: false,
    });
    // escalated: the current deadline is ahead, the step's own (first) one past → overdue
    const escalated = staffPendingView(
      {
        ...(base.pending as PendingStep),
        escalationLevel: 2,
        dueAt: '2026-12-03T18:00:00+08:00',
        firstDueAt: '2026-11-28T18:00:00+08:00',
      },
      now,
    );
    expect(escalated).toMatchObject({ overdue: true, firstDueAt: '2026-11-28T18:00:00+08:00' });
    expect(full.history).toHaveLength(events.length);
    expect(full.customer.email).toBe('z@example.com');
    const item = staffListItem(base, now);
    for (const v of [full, item]) {
      expect(JSON.stringify(v)).not.toContain('TASK-TOKEN');
      expect(JSON.stringify(v)).not.toContain('"CLAIM"');
    }
  });

  it('shows the highest escalation level and every escalation, timeouts and repeated declines / reopens', () => {
    const at = (n: number) => `2026-11-2${n}T02:00:00.000Z`;
    const esc = (seq: number, data: Record<string, unknown>): AuditEvent => ({
      complaintId: base.id,
      seq,
      at: at(seq),
      type: 'escalated',
      actor: { kind: 'system' },
      stage: 'proposal',
      data,
    });
    const escalations = [
      esc(3, { step: 'proposal', level: 1, missedDueAt: at(2), dueAt: at(4) }),
      esc(4, { step: 'proposal', level: 2, missedDueAt: at(4), dueAt: at(5) }),
      esc(6, { reason: 'declines', level: 2, count: 3 }),
      esc(7, { reason: 'reopens', level: 2, count: 3 }),
    ];
    // the current step is not escalated (level 0): the past escalations still show
    const others = events.filter((e) => e.type !== 'escalated');
    const view = staffView({ ...base, maxEscalationLevel: 2, escalations: 4 }, new Date(at(8)), [
      ...others,
      ...escalations,
    ]);
    expect(view.pending?.escalationLevel).toBe(0);
    expect(view.maxEscalationLevel).toBe(2);
    expect(view.escalationHistory).toEqual([
      { at: at(3), level: 1, reason: 'timeout', step: 'proposal', missedDueAt: at(2), dueAt: at(4) },
      { at: at(4), level: 2, reason: 'timeout', step: 'proposal', missedDueAt: at(4), dueAt: at(5) },
      { at: at(6), level: 2, reason: 'declines', count: 3 },
      { at: at(7), level: 2, reason: 'reopens', count: 3 },
    ]);
    // a record written before maxEscalationLevel was kept still shows the highest from its history
    expect(
      staffView({ ...base, maxEscalationLevel: 0 }, new Date(at(8)), escalations).maxEscalationLevel,
    ).toBe(2);
  });

  it('the anonymous view carries no personal data or free text', () => {
    const text = JSON.stringify(
      anonymousView({
        ...base,
        survey: { rating: 4, comment: 'SURVEY-COMMENT', answeredAt: '2026-12-01T00:00:00Z', by: 'customer' },
      }),
    );
    for (const pii of [
      '张三',
      'z@example.com',
      '13800138000',
      'Late parcel',
      'It is late',
      'FINDINGS',
      'Refund',
      'RETURN',
      'SURVEY-COMMENT',
      'AGENT-NAME',
      'TASK-TOKEN',
    ]) {
      expect(text).not.toContain(pii);
    }
    expect(JSON.parse(text)).toMatchObject({
      rating: 4,
      valid: true,
      proposalRounds: 2,
      registeredBy: { sub: 'agent-1', role: 'agent' },
    });
  });
});
