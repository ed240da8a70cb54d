import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, vi } from 'vitest';
import { setStore } from '../../../functions/adapters/store.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import type { Actor, Complaint, PendingStep, Stage, Step } from '../../../functions/domain/model.js';
import { STAGE_OF_STEP } from '../../../functions/domain/model.js';
import type { ComplaintStore } from '../../../functions/domain/store.js';
import { newAccessToken } from '../../../functions/runtime/access.js';
import { newComplaint } from '../domain/store/fixtures.js';

export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:complaint-journey';

type SfnMock = ReturnType<typeof mockClient>;

export interface ApiTestWorld<S extends ComplaintStore> {
  store: S;
  output: ReturnType<typeof captureOutput>;
  clock: ManualClock | undefined;
}

/**
 * The setup every API handler test file shares, registered once per file: before each test a
 * fresh store (`store()`) for the handlers, the Step Functions client mocked and reset, the
 * clock at `clockAt` (when given), STATE_MACHINE_ARN set and the handlers' output captured;
 * after each, all of it undone. `each` receives the new world (assign it to the file's
 * variables). Returns the Step Functions mock.
 */
export function useApiTestWorld<S extends ComplaintStore>(options: {
  store: () => S;
  clockAt?: string;
  each?: (world: ApiTestWorld<S>, sfn: SfnMock) => void;
}) {
  const sfn: SfnMock = mockClient(SFNClient);
  let world: ApiTestWorld<S> | undefined;
  beforeEach(() => {
    sfn.reset();
    const clock = options.clockAt ? new ManualClock(options.clockAt) : undefined;
    if (clock) setClock(clock);
    world = { store: options.store(), output: captureOutput(), clock };
    setStore(world.store);
    vi.stubEnv('STATE_MACHINE_ARN', STATE_MACHINE_ARN);
    options.each?.(world, sfn);
  });
  afterEach(() => {
    world?.output.restore();
    vi.unstubAllEnvs();
    setStore(undefined);
    if (options.clockAt) setClock(systemClock);
  });
  return sfn;
}

/**
 * Captures everything written to stdout/stderr (Powertools Logger and Metrics write there)
 * and keeps it out of the test output. `lines` are the captured lines.
 */
export function captureOutput(): { lines: string[]; text: () => string; restore: () => void } {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    for (const line of text.split('\n')) if (line.trim() !== '') lines.push(line);
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture as typeof process.stderr.write);
  return {
    lines,
    text: () => lines.join('\n'),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/** Captured lines that are JSON log records of the Powertools Logger. */
export function logRecords(lines: readonly string[]): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of lines) {
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      if (value && typeof value === 'object' && 'level' in value) records.push(value);
    } catch {
      // not JSON
    }
  }
  return records;
}

/** Captured EMF documents (Powertools Metrics). */
export function emfDocuments(lines: readonly string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      return value && typeof value === 'object' && '_aws' in value ? [value] : [];
    } catch {
      return [];
    }
  });
}

export const customerBody = {
  customer: {
    name: '王小明',
    email: 'wang.xiaoming@example.com',
    phone: '+86 138 0013 8000',
    language: 'zh-CN',
  },
  subject: '快递延误两周没有消息',
  description: '我在十月一日下单的订单至今没有送达，客服电话一直占线。',
  category: 'delivery',
  orderRef: 'SO-2026-10-0001',
};

/** Stores a complaint directly (as the API would) and returns its id and a valid access token. */
export async function givenComplaint(
  store: ComplaintStore,
  overrides: Partial<Omit<Complaint, 'version'>> = {},
): Promise<{ id: string; token: string; complaint: Complaint }> {
  const access = newAccessToken();
  const { complaint } = await store.create({
    complaint: newComplaint({
      createdAt: '2026-11-23T10:00:00+08:00',
      customer: { name: '李四', email: 'li.si@example.com', language: 'zh-CN' },
      subject: '退款迟迟未到账',
      description: '退货已签收三周，退款仍未到账。',
      ...overrides,
    }),
    accessTokenHash: access.hash,
    customerKeys: [`cust-${randomUUID()}`],
    actor: { kind: 'customer' },
  });
  return { id: complaint.id, token: access.token, complaint };
}

const system: Actor = { kind: 'system' };

/** Opens a step the way the journey's await-step task does: pending + stage. */
export async function openStep(
  store: ComplaintStore,
  id: string,
  step: Step,
  overrides: Partial<PendingStep> & { set?: Partial<Complaint> } = {},
): Promise<PendingStep> {
  const { set, ...pendingOverrides } = overrides;
  const pending: PendingStep = {
    step,
    stage: STAGE_OF_STEP[step],
    taskToken: `task-token-${randomUUID()}`,
    dueAt: '2026-11-24T18:00:00+08:00',
    provisional: false,
    escalationLevel: 0,
    since: '2026-11-23T10:05:00+08:00',
    ...pendingOverrides,
  };
  await store.update(id, () => ({
    set: { ...(set ?? {}), pending, stage: pending.stage as Stage },
    event: { type: 'step_opened', actor: system, stage: pending.stage, data: { step } },
  }));
  return pending;
}
