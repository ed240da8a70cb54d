import { clock as sharedClock } from '../../functions/domain/clock.js';
import { ConflictError, NotFoundError } from '../../functions/domain/errors.js';
import {
  type Improvement,
  type ImprovementChange,
  type ImprovementEvent,
  type ImprovementQuery,
  type ImprovementStore,
  RUNNING,
} from '../../functions/domain/improvements.js';

/** An in-memory ImprovementStore with the DynamoDB adapter's behaviour (the same contract tests run on both). */
export class MemoryImprovementStore implements ImprovementStore {
  private readonly items = new Map<string, { improvement: Improvement; events: ImprovementEvent[] }>();
  private readonly now: () => Date;

  constructor(options: { clock?: () => Date } = {}) {
    this.now = options.clock ?? (() => sharedClock().now());
  }

  async create(improvement: Omit<Improvement, 'version'>): Promise<Improvement> {
    if (this.items.has(improvement.id))
      throw new ConflictError('An improvement action with this id exists already; try again.');
    const item: Improvement = { ...structuredClone(improvement), version: 1 };
    this.items.set(item.id, {
      improvement: item,
      events: [
        {
          improvementId: item.id,
          seq: 1,
          at: this.now().toISOString(),
          type: 'opened',
          actor: item.openedBy,
          data: { department: item.department, dueAt: item.dueAt },
        },
      ],
    });
    return structuredClone(item);
  }

  async get(id: string): Promise<Improvement | undefined> {
    const stored = this.items.get(id);
    return stored ? structuredClone(stored.improvement) : undefined;
  }

  async update(
    id: string,
    change: (current: Improvement) => ImprovementChange | undefined,
  ): Promise<Improvement> {
    const stored = this.items.get(id);
    if (!stored) throw new NotFoundError('No improvement action with this id was found.');
    const delta = change(structuredClone(stored.improvement));
    if (!delta) return structuredClone(stored.improvement);
    const next = {
      ...stored.improvement,
      ...structuredClone(delta.set),
      version: stored.improvement.version + 1,
    } as Improvement;
    for (const key of delta.remove ?? []) delete (next as unknown as Record<string, unknown>)[key];
    stored.improvement = JSON.parse(JSON.stringify(next)) as Improvement;
    stored.events.push({
      improvementId: id,
      seq: next.version,
      at: this.now().toISOString(),
      type: delta.event.type,
      actor: structuredClone(delta.event.actor),
      ...(delta.event.data ? { data: structuredClone(delta.event.data) } : {}),
    });
    return structuredClone(stored.improvement);
  }

  async list(query: ImprovementQuery): Promise<Improvement[]> {
    return [...this.items.values()]
      .map((s) => s.improvement)
      .filter((i) => !query.status || i.status === query.status)
      .filter((i) => !query.department || i.department === query.department)
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.id < b.id ? -1 : 1))
      .map((i) => structuredClone(i));
  }

  async dueForCheck(at: string): Promise<string[]> {
    const limit = Date.parse(at);
    return [...this.items.values()]
      .map((s) => s.improvement)
      .filter((i) => RUNNING.includes(i.status) && i.nextCheckAt && Date.parse(i.nextCheckAt) <= limit)
      .sort((a, b) => Date.parse(a.nextCheckAt as string) - Date.parse(b.nextCheckAt as string))
      .map((i) => i.id);
  }

  async events(id: string): Promise<ImprovementEvent[]> {
    return structuredClone(this.items.get(id)?.events ?? []);
  }
}
