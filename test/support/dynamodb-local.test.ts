import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { expect, inject, it } from 'vitest';
import { localAwsConfig } from './dynamodb-local.js';

it('dynamodb local answers', async () => {
  const c = new DynamoDBClient({ ...localAwsConfig, endpoint: inject('dynamoEndpoint') });
  const out = await c.send(new ListTablesCommand({}));
  expect(Array.isArray(out.TableNames)).toBe(true);
});
