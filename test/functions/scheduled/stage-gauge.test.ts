import { afterEach, describe, expect, it, vi } from 'vitest';
import { setStore } from '../../../functions/adapters/store.js';
import type { Complaint, Stage } from '../../../functions/domain/model.js';
import { newReference } from '../../../functions/domain/reference.js';
import type { ComplaintStore, ListQuery } from '../../../functions/domain/store.js';
import {
  countOpenByStage,
  createStageGauge,
  type GaugeMetrics,
  handler,
  OPEN_STAGES,
} from '../../../functions/scheduled/stage-gauge.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';

let n = 0;
async function add(store: MemoryComplaintStore, stage: Stage, count = 1): Promise<void> {
  for (let i = 0; i < count; i++) {
    n += 1;
    const createdAt = `2026-10-${String((n % 28) + 1).padStart(2, '0')}T02:00:00Z`;
    const complaint: Omit<Complaint, 'version'> = {
      id: newReference(new Date(createdAt)),
      channel: 'web',
      customer: { name: '测试', email: 't@example.org', language: 'zh-CN' },
      subject: 's',
      description: 'd',
      stage,
      ...(stage === 'closed' ? { outcome: 'resolved' as const, closedAt: createdAt } : {}),
      createdAt,
      replyDueBy: '2026-11-30T10:00:00Z',
      replyDueProvisional: false,
      declines: 0,
      reopens: 0,
      proposalRounds: 0,
      escalations: 0,
      maxEscalationLevel: 0,
      repeat: false,
    };
    await store.create({
      complaint,
      accessTokenHash: `h${n}`,
      customerKeys: [`k${n}`],
      actor: { kind: 'customer' },
    });
  }
}

async function seeded(): Promise<MemoryComplaintStore> {
  const store = new MemoryComplaintStore();
  await add(store, 'investigation', 3);
  await add(store, 'proposal', 5);
  await add(store, 'follow_up', 1);
  await add(store, 'closed', 4);
  return store;
}

const EXPECTED = {
  received: 0,
  investigation: 3,
  proposal: 5,
  review: 0,
  customer_decision: 0,
  implementation: 0,
  follow_up: 1,
};

afterEach(() => {
  setStore(undefined);
});

describe('countOpenByStage', () => {
  it('counts the complaints of every open stage, zeros included, never the closed ones', async () => {
    expect(OPEN_STAGES).not.toContain('closed');
    expect(await countOpenByStage(await seeded())).toEqual(EXPECTED);
  });

  it('follows the cursor across pages', async () => {
    const store = await seeded();
    const list = vi.spyOn(store, 'list');
    expect(await countOpenByStage(store, 2)).toEqual(EXPECTED);
    const proposalCalls = list.mock.calls.filter(([q]) => q.stage === 'proposal');
    expect(proposalCalls).toHaveLength(3); // 2 + 2 + 1
    for (const [query] of list.mock.calls) expect(query).toMatchObject({ status: 'open', limit: 2 });
  });

  it('fails rather than loop when a store repeats its cursor', async () => {
    const stuck: Pick<ComplaintStore, 'list'> = {
      list: async (_q: ListQuery) => ({ items: [], nextCursor: 'same' }),
    };
    await expect(countOpenByStage(stuck)).rejects.toThrow(/repeated a cursor/);
  });
});

describe('createStageGauge', () => {
  it('publishes OpenComplaints with a stage dimension for every open stage', async () => {
    const calls: Parameters<GaugeMetrics['add']>[] = [];
    const logged: unknown[] = [];
    const gauge = createStageGauge({
      store: await seeded(),
      metrics: { add: (...args) => void calls.push(args) },
      log: { info: (...args) => void logged.push(args) },
    });
    await expect(gauge()).resolves.toEqual(EXPECTED);
    expect(calls).toEqual(
      OPEN_STAGES.map((stage) => ['OpenComplaints', 'Count', EXPECTED[stage], { stage }]),
    );
    expect(JSON.stringify(logged)).not.toContain('t@example.org');
  });
});

describe('handler', () => {
  it('writes one EMF record per stage through Powertools', async () => {
    setStore(await seeded());
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    let counts: unknown;
    try {
      counts = await handler();
    } finally {
      spy.mockRestore();
    }
    expect(counts).toEqual(EXPECTED);
    const records = writes
      .flatMap((w) => w.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } },
      );
    expect(records).toHaveLength(OPEN_STAGES.length);
    expect(Object.fromEntries(records.map((r) => [r.stage, r.OpenComplaints]))).toEqual(EXPECTED);
    for (const record of records) {
      expect(record.service).toBe('complaints');
      expect(record._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: 'ComplaintJourney',
          Dimensions: [expect.arrayContaining(['service', 'stage'])],
          Metrics: [{ Name: 'OpenComplaints', Unit: 'Count' }],
        },
      ]);
    }
  });
});
