import { randomUUID } from 'node:crypto';
import type { Actor, Complaint, PendingStep, Step } from '../../../../functions/domain/model.js';
import { STAGE_OF_STEP } from '../../../../functions/domain/model.js';
import { newReference } from '../../../../functions/domain/reference.js';
import type { CreateComplaintInput } from '../../../../functions/domain/store.js';

export const agent: Actor = { kind: 'staff', sub: 'agent-1', role: 'agent' };
export const customerActor: Actor = { kind: 'customer' };
export const system: Actor = { kind: 'system' };

/** A new complaint as the API would hand it to create(). */
export function newComplaint(
  overrides: Partial<Omit<Complaint, 'version'>> = {},
): Omit<Complaint, 'version'> {
  const createdAt = overrides.createdAt ?? '2026-11-23T14:30:00+08:00';
  return {
    id: newReference(new Date(createdAt)),
    channel: 'web',
    customer: { name: '张三', email: 'zhang@example.com', language: 'zh-CN' },
    subject: '快递延误',
    description: '订单 123 延误两周',
    stage: 'received',
    createdAt,
    replyDueBy: '2026-11-30T18:00:00+08:00',
    replyDueProvisional: false,
    declines: 0,
    reopens: 0,
    proposalRounds: 0,
    escalations: 0,
    maxEscalationLevel: 0,
    repeat: false,
    ...overrides,
  };
}

export function createInput(
  overrides: Partial<CreateComplaintInput> & { complaint?: Omit<Complaint, 'version'> } = {},
): CreateComplaintInput {
  return {
    complaint: newComplaint(),
    accessTokenHash: `hash-${randomUUID()}`,
    customerKeys: [`cust-${randomUUID()}`],
    actor: customerActor,
    ...overrides,
  };
}

export function pendingStep(step: Step, dueAt: string, overrides: Partial<PendingStep> = {}): PendingStep {
  return {
    step,
    stage: STAGE_OF_STEP[step],
    taskToken: `token-${randomUUID()}`,
    dueAt,
    provisional: false,
    escalationLevel: 0,
    since: '2026-11-23T15:00:00+08:00',
    ...overrides,
  };
}
