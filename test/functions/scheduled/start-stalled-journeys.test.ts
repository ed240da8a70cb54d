import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startJourney } from '../../../functions/adapters/sfn-journey.js';
import { setStore } from '../../../functions/adapters/store.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import type { Complaint, Stage } from '../../../functions/domain/model.js';
import { newReference } from '../../../functions/domain/reference.js';
import {
  createStalledJourneySweeper,
  handler,
  MAX_STARTS_PER_RUN,
  StalledJourneysError,
} from '../../../functions/scheduled/start-stalled-journeys.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';

const NOW = '2026-11-23T02:00:00.000Z';
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:ComplaintJourney';
const sfnMock = mockClient(SFNClient);

let n = 0;
async function add(
  store: MemoryComplaintStore,
  options: { stage?: Stage; minutesAgo: number; needsAttention?: boolean },
): Promise<string> {
  n += 1;
  const createdAt = new Date(Date.parse(NOW) - options.minutesAgo * 60_000).toISOString();
  const complaint: Omit<Complaint, 'version'> = {
    id: newReference(new Date(createdAt)),
    channel: 'web',
    customer: { name: '王小明', email: 'wang@example.org', phone: '+8613800138000', language: 'zh-CN' },
    subject: '快递延误',
    description: '包裹晚到两周。',
    stage: options.stage ?? 'received',
    createdAt,
    replyDueBy: '2026-11-30T10:00:00Z',
    replyDueProvisional: false,
    declines: 0,
    reopens: 0,
    proposalRounds: 0,
    escalations: 0,
    maxEscalationLevel: 0,
    repeat: false,
    ...(options.needsAttention ? { needsAttention: true } : {}),
  };
  const { complaint: stored } = await store.create({
    complaint,
    accessTokenHash: `h${n}`,
    customerKeys: [`k${n}`],
    actor: { kind: 'customer' },
  });
  return stored.id;
}

const startedNames = () => sfnMock.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);

beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: new Date(NOW) });
  process.env.STATE_MACHINE_ARN = ARN;
  setClock(new ManualClock(NOW));
});

afterEach(() => {
  setStore(undefined);
  setClock(systemClock);
  vi.restoreAllMocks();
});

describe('start-stalled-journeys', () => {
  it('starts the journey of complaints still received more than 5 minutes after creation, and only those', async () => {
    const store = new MemoryComplaintStore();
    const stalled = [await add(store, { minutesAgo: 6 }), await add(store, { minutesAgo: 60 * 24 })];
    await add(store, { minutesAgo: 4 }); // still starting: the API's own StartExecution may be in flight
    await add(store, { minutesAgo: 5 }); // exactly 5 minutes: not yet
    await add(store, { minutesAgo: 30, stage: 'investigation' }); // its journey runs
    await add(store, { minutesAgo: 30, stage: 'proposal' });
    const clock = new ManualClock(NOW);
    const sweep = createStalledJourneySweeper({ store, startJourney, clock: () => clock });

    const result = await sweep();

    expect(startedNames().sort()).toEqual([...stalled].sort());
    for (const call of sfnMock.commandCalls(StartExecutionCommand)) {
      const input = call.args[0].input;
      expect(input.stateMachineArn).toBe(ARN);
      expect(JSON.parse(input.input ?? '')).toEqual({ complaintId: input.name });
    }
    expect(result).toEqual({
      received: 4,
      stalled: 2,
      started: 2,
      alreadyStarted: 0,
      failed: 0,
      needsAttention: 0,
      deferred: 0,
    });
  });

  it('counts an existing execution (ExecutionAlreadyExists) as started before, not as a failure', async () => {
    const store = new MemoryComplaintStore();
    const id = await add(store, { minutesAgo: 10 });
    sfnMock
      .on(StartExecutionCommand, { name: id })
      .rejects(Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists' }));
    const clock = new ManualClock(NOW);
    const result = await createStalledJourneySweeper({ store, startJourney, clock: () => clock })();
    expect(result).toMatchObject({ stalled: 1, started: 0, alreadyStarted: 1, failed: 0 });
  });

  it('leaves complaints flagged needsAttention to the people the alarm called', async () => {
    const store = new MemoryComplaintStore();
    await add(store, { minutesAgo: 10, needsAttention: true });
    const clock = new ManualClock(NOW);
    const result = await createStalledJourneySweeper({ store, startJourney, clock: () => clock })();
    expect(startedNames()).toEqual([]);
    expect(result).toMatchObject({ received: 1, stalled: 0, needsAttention: 1 });
  });

  it('tries every stalled complaint, then fails the run when some could not be started (Errors alarm)', async () => {
    const store = new MemoryComplaintStore();
    const bad = await add(store, { minutesAgo: 10 });
    const good = await add(store, { minutesAgo: 11 });
    sfnMock
      .on(StartExecutionCommand, { name: bad })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const clock = new ManualClock(NOW);
    const warn = vi.fn();
    const sweep = createStalledJourneySweeper({
      store,
      startJourney,
      clock: () => clock,
      log: { info: vi.fn(), warn },
    });
    const error = await sweep().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StalledJourneysError);
    expect((error as StalledJourneysError).result).toMatchObject({ stalled: 2, started: 1, failed: 1 });
    expect(startedNames()).toContain(good);
    expect(warn).toHaveBeenCalledWith(
      'stalled journeys found',
      expect.objectContaining({ failed: 1, errors: { ThrottlingException: 1 } }),
    );
  });

  it(`starts at most ${MAX_STARTS_PER_RUN} a run; the rest wait for the next run`, async () => {
    const store = new MemoryComplaintStore();
    for (let i = 0; i < MAX_STARTS_PER_RUN + 3; i++) await add(store, { minutesAgo: 10 });
    const clock = new ManualClock(NOW);
    const result = await createStalledJourneySweeper({ store, startJourney, clock: () => clock })();
    expect(result).toMatchObject({
      stalled: MAX_STARTS_PER_RUN + 3,
      started: MAX_STARTS_PER_RUN,
      deferred: 3,
    });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(MAX_STARTS_PER_RUN);
  });

  it('the handler uses the configured store, the clock and the SFN client, and logs counts only', async () => {
    const store = new MemoryComplaintStore();
    const id = await add(store, { minutesAgo: 10 });
    setStore(store);
    const writes: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as typeof process.stderr.write);
    const result = await handler();
    expect(result).toMatchObject({ stalled: 1, started: 1 });
    expect(startedNames()).toEqual([id]);
    const logged = writes.join('\n');
    expect(logged).toContain('stalled journeys found');
    expect(logged).toContain('"started":1');
    for (const secret of [id, '王小明', 'wang@example.org', '13800138000', '快递延误', '包裹']) {
      expect(logged).not.toContain(secret);
    }
  });
});
