import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { DynamoComplaintStore } from '../../../functions/adapters/dynamodb/complaint-store.js';
import { createTable } from '../../../functions/adapters/dynamodb/table.js';
import { setStore } from '../../../functions/adapters/store.js';
import { handler as createComplaint } from '../../../functions/api/create-complaint.js';
import { handler as customerAction } from '../../../functions/api/customer-action.js';
import { handler as getComplaint } from '../../../functions/api/get-complaint.js';
import { handler as staffAction } from '../../../functions/api/staff-action.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { handler as staffList } from '../../../functions/api/staff-list.js';
import { logger } from '../../../functions/runtime/powertools.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { localAwsConfig } from '../../support/dynamodb-local.js';
import { captureOutput, emfDocuments, logRecords, openStep, STATE_MACHINE_ARN } from './helpers.js';

/**
 * SPEC "Confidentiality": personal data (name, email, phone, complaint text) never appears
 * in logs or metrics. This captures every line written during a full request cycle —
 * create, replay, status, staff queue and record, staff action, customer decision, and the
 * failure paths — at DEBUG level, and looks for each piece of personal data in it.
 */

const client = new DynamoDBClient({ ...localAwsConfig, endpoint: inject('dynamoEndpoint') });
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const tableName = `logs-${randomUUID()}`;
const store = new DynamoComplaintStore({ client: doc, tableName });
const sfnMock = mockClient(SFNClient);

const person = {
  name: '欧阳娜娜Zed',
  email: 'nana.ouyang.zed@example.org',
  phone: '+86 139 8765 4321',
  organization: '娜娜贸易有限公司',
};
const subject = '冰箱送到时门板凹陷ZQX';
const description = '十一月二十日送达的冰箱门板有明显凹陷，快递员拒绝当面验货ZQX。';
const findings = 'Courier confirmed dent on delivery ZQX-FINDINGS';
const comment = '希望尽快处理ZQX-COMMENT';

beforeAll(async () => {
  await createTable(client, tableName);
});

afterAll(() => {
  client.destroy();
});

it('writes no personal data in any log line or metric over a full request cycle', async () => {
  setStore(store);
  vi.stubEnv('STATE_MACHINE_ARN', STATE_MACHINE_ARN);
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
  sfnMock
    .on(SendTaskSuccessCommand)
    .rejectsOnce(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }))
    .resolves({});
  logger.setLogLevel('DEBUG');
  const output = captureOutput();
  const secrets: string[] = [];
  try {
    const body = {
      customer: { ...person, language: 'zh-CN' },
      subject,
      description,
      category: 'product',
      orderRef: 'ORD-ZQX-998877',
    };
    const created = await invoke(
      createComplaint,
      apiEvent({ method: 'POST', route: '/complaints', body, headers: { 'Idempotency-Key': randomUUID() } }),
    );
    expect(created.statusCode).toBe(201);
    const { id, accessToken } = created.body as { id: string; accessToken: string };
    secrets.push(accessToken);

    // refused input that itself carries personal data
    const refused = await invoke(
      createComplaint,
      apiEvent({
        method: 'POST',
        route: '/complaints',
        body: {
          ...body,
          customer: { ...person, email: `not-an-email ${person.email}` },
          subject: `${subject}${'!'.repeat(300)}`,
        },
      }),
    );
    expect(refused.statusCode).toBe(400);
    const malformed = await invoke(
      createComplaint,
      apiEvent({
        method: 'POST',
        route: '/complaints',
        body: `{"customer": {"name": "${person.name}", "email": "${person.email}"`,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(malformed.statusCode).toBe(400);

    const auth = { authorization: `Bearer ${accessToken}` };
    expect(
      (
        await invoke(
          getComplaint,
          apiEvent({ method: 'GET', route: '/complaints/{id}', pathParameters: { id }, headers: auth }),
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await invoke(
          getComplaint,
          apiEvent({
            method: 'GET',
            route: '/complaints/{id}',
            pathParameters: { id },
            headers: { authorization: 'Bearer wrong' },
          }),
        )
      ).statusCode,
    ).toBe(404);

    const agent = staffClaims('agent', { sub: 'agent-zqx', department: 'customer-service' });
    const investigation = await openStep(store, id, 'investigation');
    secrets.push(investigation.taskToken);
    const investigate = () =>
      invoke(
        staffAction,
        apiEvent({
          method: 'POST',
          route: '/staff/complaints/{id}/investigation',
          pathParameters: { id },
          body: { valid: true, category: 'product', severity: 'serious', department: 'quality', findings },
          claims: agent,
        }),
      );
    expect((await investigate()).statusCode).toBe(409); // the token timed out
    expect((await investigate()).statusCode).toBe(202);
    expect(
      (await invoke(staffList, apiEvent({ method: 'GET', route: '/staff/complaints', claims: agent })))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await invoke(
          staffGet,
          apiEvent({ method: 'GET', route: '/staff/complaints/{id}', pathParameters: { id }, claims: agent }),
        )
      ).statusCode,
    ).toBe(200);

    // the journey moves on to the customer's decision
    const decision = await openStep(store, id, 'customer_decision', {
      set: {
        proposal: {
          plan: 'Replace the door ZQX-PLAN',
          round: 1,
          proposedAt: '2026-11-23T10:00:00+08:00',
          approvedAt: '2026-11-23T12:00:00+08:00',
        },
      },
    });
    secrets.push(decision.taskToken);
    const decided = await invoke(
      customerAction,
      apiEvent({
        method: 'POST',
        route: '/complaints/{id}/decision',
        pathParameters: { id },
        body: { accept: false, comment },
        headers: auth,
      }),
    );
    expect(decided.statusCode).toBe(202);

    // an unexpected failure whose message quotes personal data
    const original = store.get.bind(store);
    store.get = async () => {
      throw new Error(`unexpected item for ${person.email} / ${person.name}`);
    };
    try {
      const failed = await invoke(
        staffGet,
        apiEvent({ method: 'GET', route: '/staff/complaints/{id}', pathParameters: { id }, claims: agent }),
      );
      expect(failed.statusCode).toBe(500);
    } finally {
      store.get = original;
    }
  } finally {
    output.restore();
    logger.setLogLevel('INFO');
    vi.unstubAllEnvs();
    setStore(undefined);
  }

  // the capture did see the cycle: one line per request, the metric, the error
  const records = logRecords(output.lines);
  expect(
    records.filter((r) => r.message === 'request handled' || r.message === 'request refused').length,
  ).toBeGreaterThanOrEqual(10);
  expect(records.some((r) => r.message === 'complaint registered' && typeof r.complaintId === 'string')).toBe(
    true,
  );
  expect(records.some((r) => r.level === 'ERROR' && r.errorName === 'Error')).toBe(true);
  expect(emfDocuments(output.lines)).toHaveLength(1);

  const text = output.text();
  const personal = [
    person.name,
    person.email,
    person.phone,
    person.phone.replace(/\D/g, ''),
    '139 8765 4321',
    person.organization,
    subject,
    description,
    'ZQX',
    ...secrets,
  ];
  for (const value of personal) expect(text, `found "${value}" in the logs`).not.toContain(value);
});
