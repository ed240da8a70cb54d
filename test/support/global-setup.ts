import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One DynamoDB Local for the whole run; each test file makes its own uniquely named table. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal(await freePort());
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
