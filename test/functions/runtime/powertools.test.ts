import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, dynamoDbClient, sesClient, sfnClient } from '../../../functions/adapters/clients.js';
import { METRIC_NAMESPACE, MetricName, SERVICE_NAME } from '../../../functions/runtime/metric-names.js';

describe('powertools', () => {
  // the logger's service and the EMF namespace are asserted on real output in http.test.ts
  // and create-complaint.test.ts
  it('names the service and the metrics namespace of docs/ARCHITECTURE.md', () => {
    expect(SERVICE_NAME).toBe('complaints');
    expect(METRIC_NAMESPACE).toBe('ComplaintJourney');
  });

  it('creates plain SDK clients (no X-Ray SDK wrapping: the Lambda runtime traces invocations)', () => {
    expect(dynamoDbClient).toBeInstanceOf(DynamoDBClient);
    expect(documentClient).toBeInstanceOf(DynamoDBDocumentClient);
    expect(sfnClient).toBeInstanceOf(SFNClient);
    expect(sesClient).toBeInstanceOf(SESClient);
  });
});

describe('metric names', () => {
  it('are exactly the metrics of docs/ARCHITECTURE.md', () => {
    const doc = readFileSync(path.join(process.cwd(), 'docs/ARCHITECTURE.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Metrics'), doc.indexOf('\n## ', doc.indexOf('## Metrics') + 3));
    const documented = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(0);
    expect(Object.values(MetricName).sort()).toEqual([...documented].sort());
  });
});
