import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { clock as sharedClock } from '../../domain/clock.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import {
  IMPROVEMENT_STATUSES,
  type Improvement,
  type ImprovementChange,
  type ImprovementEvent,
  type ImprovementQuery,
  type ImprovementStatus,
  type ImprovementStore,
  RUNNING,
} from '../../domain/improvements.js';
import { eventSk, IMPROVEMENT_DUE_PK, META, utc } from './keys.js';
import { INDEX } from './table.js';
import { compare, eventsOf, queryAll, retryLostRaces, withoutAttributes } from './writes.js';

/**
 * Improvement actions in the complaints table (docs/ARCHITECTURE.md, "Improvement actions"):
 * - the action: pk = IMP#<id>, sk = META; its audit events: sk = E#<seq>, written in the
 *   same transaction as each change (as for complaints);
 * - the list by status: GSI1, gsi1pk = IMPROVEMENT#<status>, gsi1sk = <dueAt UTC>#<id>;
 * - the due-date index: GSI4 (sparse), gsi4pk = IMPROVEMENT_DUE, gsi4sk = <nextCheckAt UTC>#<id>,
 *   only while the department is at work; the scheduled check queries it up to now.
 */

export const improvementPk = (id: string) => `IMP#${id}`;
export const improvementStatusPk = (status: ImprovementStatus) => `IMPROVEMENT#${status}`;

const HIDDEN = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi4pk', 'gsi4sk']);

function indexAttributes(i: Improvement): Record<string, string> {
  const keys: Record<string, string> = {
    gsi1pk: improvementStatusPk(i.status),
    gsi1sk: `${utc(i.dueAt)}#${i.id}`,
  };
  if (RUNNING.includes(i.status) && i.nextCheckAt) {
    keys.gsi4pk = IMPROVEMENT_DUE_PK;
    keys.gsi4sk = `${utc(i.nextCheckAt)}#${i.id}`;
  }
  return keys;
}

export class DynamoImprovementStore implements ImprovementStore {
  private readonly now: () => Date;
  constructor(
    private readonly options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date },
  ) {
    this.now = options.clock ?? (() => sharedClock().now());
  }

  private get client() {
    return this.options.client;
  }
  private get table() {
    return this.options.tableName;
  }

  async create(improvement: Omit<Improvement, 'version'>): Promise<Improvement> {
    const item: Improvement = { ...improvement, version: 1 };
    const pk = improvementPk(item.id);
    const event: ImprovementEvent = {
      improvementId: item.id,
      seq: 1,
      at: this.now().toISOString(),
      type: 'opened',
      actor: item.openedBy,
      data: { department: item.department, dueAt: item.dueAt },
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...item, pk, sk: META, ...indexAttributes(item) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.table, Item: { ...event, pk, sk: eventSk(1) } } },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError('An improvement action with this id exists already; try again.');
      }
      throw error;
    }
    return item;
  }

  async get(id: string): Promise<Improvement | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: improvementPk(id), sk: META },
        ConsistentRead: true,
      }),
    );
    return out.Item ? toImprovement(out.Item) : undefined;
  }

  async update(
    id: string,
    change: (current: Improvement) => ImprovementChange | undefined,
  ): Promise<Improvement> {
    return retryLostRaces(8, 'The improvement action changed at the same time; try again.', async () => {
      const current = await this.get(id);
      if (!current) throw new NotFoundError('No improvement action with this id was found.');
      const delta = change(current);
      if (!delta) return current;
      const next = { ...current, ...delta.set, version: current.version + 1 } as Improvement;
      for (const key of delta.remove ?? []) delete (next as unknown as Record<string, unknown>)[key];
      const pk = improvementPk(id);
      const event: ImprovementEvent = {
        improvementId: id,
        seq: next.version,
        at: this.now().toISOString(),
        type: delta.event.type,
        actor: delta.event.actor,
        ...(delta.event.data ? { data: delta.event.data } : {}),
      };
      // the whole item is small: written as a whole, conditioned on the version read
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...next, pk, sk: META, ...indexAttributes(next) },
                ConditionExpression: '#v = :v',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': current.version },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...event, pk, sk: eventSk(next.version) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return next;
    });
  }

  async list(query: ImprovementQuery): Promise<Improvement[]> {
    const statuses = query.status ? [query.status] : IMPROVEMENT_STATUSES;
    const perStatus = await Promise.all(
      statuses.map((status) => {
        const input: QueryCommandInput = {
          TableName: this.table,
          IndexName: INDEX.byStage,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': improvementStatusPk(status) },
        };
        if (query.department) {
          input.FilterExpression = '#d = :d';
          input.ExpressionAttributeNames = { '#d': 'department' };
          (input.ExpressionAttributeValues as Record<string, unknown>)[':d'] = query.department;
        }
        return this.queryAll(input);
      }),
    );
    // GSI1 projects the complaints' list attributes only: the index gives the ids, then one
    // consistent read each (improvement actions are few)
    const found = await Promise.all(
      perStatus.flat().map((item) => this.get(String(item.pk).slice('IMP#'.length))),
    );
    return found
      .filter((i): i is Improvement => i !== undefined)
      .sort((a, b) => compare(utc(a.dueAt), utc(b.dueAt)) || compare(a.id, b.id));
  }

  async dueForCheck(at: string): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: INDEX.timers,
      // keys are `<instant>#<id>`: `at#…` sorts after `at`, so `~` takes in keys at `at` itself
      KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk <= :at',
      ExpressionAttributeValues: { ':pk': IMPROVEMENT_DUE_PK, ':at': `${utc(at)}#~` },
    });
    return items.map((item) => String(item.pk).slice('IMP#'.length));
  }

  async events(id: string): Promise<ImprovementEvent[]> {
    return (await eventsOf(this.client, this.table, improvementPk(id))) as unknown as ImprovementEvent[];
  }

  private queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, input);
  }
}

function toImprovement(item: Record<string, unknown>): Improvement {
  return withoutAttributes(item, HIDDEN) as unknown as Improvement;
}
