import { createHash } from 'node:crypto';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setStore } from '../../../functions/adapters/store.js';
import { handler } from '../../../functions/api/create-complaint.js';
import { type ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import {
  type captureOutput,
  customerBody,
  emfDocuments,
  logRecords,
  STATE_MACHINE_ARN,
  useApiTestWorld,
} from './helpers.js';

let store: MemoryComplaintStore;
let clock: ManualClock;
let output: ReturnType<typeof captureOutput>;
const sfnMock = useApiTestWorld({
  store: () => new MemoryComplaintStore(),
  clockAt: '2026-11-23T02:00:00Z', // Monday 2026-11-23 10:00 in Shanghai
  each: (world, sfn) => {
    ({ store, output } = world);
    clock = world.clock as ManualClock;
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
  },
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  apiEvent({ method: 'POST', route: '/complaints', body, headers });
const staffPost = (
  body: unknown,
  claims: Record<string, unknown> | undefined,
  headers: Record<string, string> = {},
) => apiEvent({ method: 'POST', route: '/staff/complaints', body, headers, ...(claims ? { claims } : {}) });

async function storedComplaints() {
  return store.listCreatedBetween('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
}

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

describe('POST /complaints (customer)', () => {
  it('stores the complaint, starts its journey named by the id and returns the token once', async () => {
    const res = await invoke(handler, post(customerBody));

    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^C2611-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      status: 'open',
      // received Monday 23 Nov: 5 working days → Monday 30 Nov, close of business
      replyDueBy: '2026-11-30T18:00:00+08:00',
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const stored = await store.get(res.body.id);
    expect(stored).toMatchObject({
      channel: 'web',
      stage: 'received',
      category: 'delivery',
      customer: { name: '王小明', email: 'wang.xiaoming@example.com', language: 'zh-CN' },
      repeat: false,
      replyDueProvisional: false,
    });
    expect(stored?.registeredBy).toBeUndefined();
    // only the hash is kept, and it opens the complaint
    expect(JSON.stringify(stored)).not.toContain(res.body.accessToken);
    expect(await store.hasAccessToken(res.body.id, sha256(res.body.accessToken))).toBe(true);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: res.body.id,
      input: JSON.stringify({ complaintId: res.body.id }),
    });
  });

  it('counts the complaint in ComplaintsReceived by channel and, separately, category', async () => {
    await invoke(handler, post(customerBody));
    const docs = emfDocuments(output.lines);
    expect(docs).toHaveLength(1);
    const doc = docs[0] as {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    } & Record<string, unknown>;
    const directive = doc._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('ComplaintJourney');
    expect(directive?.Metrics.map((m) => m.Name)).toEqual(['ComplaintsReceived']);
    expect(directive?.Dimensions).toEqual(
      expect.arrayContaining([
        ['service', 'channel'],
        ['service', 'category'],
      ]),
    );
    expect(doc).toMatchObject({
      service: 'complaints',
      channel: 'web',
      category: 'delivery',
      ComplaintsReceived: 1,
    });
  });

  it('defaults the language to zh-CN and accepts a phone number alone', async () => {
    const res = await invoke(
      handler,
      post({
        customer: { name: 'Ann', phone: '(021) 5555-0100' },
        subject: 'Late',
        description: 'Very late',
      }),
    );
    expect(res.statusCode).toBe(201);
    const stored = await store.get(res.body.id);
    expect(stored?.customer).toEqual({ name: 'Ann', phone: '(021) 5555-0100', language: 'zh-CN' });
    expect(stored?.category).toBeUndefined();
  });

  it('marks a repeat complaint: same email (any case) within 90 days', async () => {
    const first = await invoke(handler, post(customerBody));
    expect((await store.get(first.body.id))?.repeat).toBe(false);
    clock.advance(60_000);
    const again = {
      ...customerBody,
      customer: { ...customerBody.customer, email: 'Wang.XiaoMing@Example.com', phone: undefined },
    };
    const second = await invoke(handler, post(again));
    expect((await store.get(second.body.id))?.repeat).toBe(true);
  });

  it('marks a repeat complaint by phone digits when there is no email', async () => {
    const body = (phone: string) => ({ customer: { name: 'Ann', phone }, subject: 's', description: 'd' });
    await invoke(handler, post(body('+86 138-0013-8000')));
    clock.advance(60_000);
    const second = await invoke(handler, post(body('+8613800138000')));
    const third = await invoke(handler, post(body('+86 139 0000 0000')));
    expect((await store.get(second.body.id))?.repeat).toBe(true);
    expect((await store.get(third.body.id))?.repeat).toBe(false);
  });

  it('marks a repeat complaint by phone when the first one gave email and phone, then by email', async () => {
    const first = await invoke(handler, post(customerBody)); // email and phone
    expect((await store.get(first.body.id))?.repeat).toBe(false);
    clock.advance(60_000);
    const byPhone = await invoke(
      handler,
      staffPost(
        {
          channel: 'phone',
          customer: { name: '王小明', phone: '+86 138-0013-8000' },
          subject: '还是没有送达',
          description: '电话来电催问。',
        },
        staffClaims('agent'),
      ),
    );
    expect(byPhone.statusCode).toBe(201);
    expect((await store.get(byPhone.body.id))?.repeat).toBe(true);
    clock.advance(60_000);
    const byEmail = await invoke(
      handler,
      post({ ...customerBody, customer: { name: '王小明', email: ' WANG.xiaoming@example.com ' } }),
    );
    expect((await store.get(byEmail.body.id))?.repeat).toBe(true);
  });

  it('does not mark a repeat after 90 days, nor for another email and phone', async () => {
    await invoke(handler, post(customerBody));
    clock.advance(90 * 24 * 3600_000 + 1000);
    const byPhone = await invoke(
      handler,
      post({ ...customerBody, customer: { name: 'W', phone: '+8613800138000' } }),
    );
    expect((await store.get(byPhone.body.id))?.repeat).toBe(false);
    const other = await invoke(
      handler,
      post({ ...customerBody, customer: { name: 'X', email: 'x@example.com', phone: '+86 139 0000 0000' } }),
    );
    expect((await store.get(other.body.id))?.repeat).toBe(false);
  });

  it('accepts the field limits exactly (one more is refused: see below)', async () => {
    const ok = await invoke(
      handler,
      post({ ...customerBody, subject: 's'.repeat(200), description: 'd'.repeat(10_000) }),
    );
    expect(ok.statusCode).toBe(201);
  });

  it('treats an existing execution of that name as started', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const res = await invoke(handler, post(customerBody));
    expect(res.statusCode).toBe(201);
  });

  it('answers 500 with a generic message when the journey cannot start, leaking nothing', async () => {
    sfnMock.on(StartExecutionCommand).rejects(
      Object.assign(new Error('AccessDenied: user arn:aws:iam::123 is not authorized'), {
        name: 'AccessDeniedException',
      }),
    );
    const res = await invoke(handler, post(customerBody));
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toMatch(/arn:|AccessDenied|at /);
    const errors = logRecords(output.lines).filter((r) => r.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ errorName: 'AccessDeniedException', statusCode: 500 });
    expect(JSON.stringify(errors[0])).not.toContain('not authorized');
  });
});

describe('Idempotency-Key', () => {
  it('gives the same complaint for the same key and body, with a fresh working token', async () => {
    const headers = { 'Idempotency-Key': 'f3b5c2d4-0000-4000-8000-000000000001' };
    const a = await invoke(handler, post(customerBody, headers));
    // the same body with keys in another order and the default channel spelled out
    const reordered = Object.fromEntries(Object.entries({ ...customerBody, channel: 'web' }).reverse());
    const b = await invoke(handler, post(reordered, headers));

    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body.accessToken).not.toBe(a.body.accessToken);
    expect(await store.hasAccessToken(a.body.id, sha256(a.body.accessToken))).toBe(true);
    expect(await store.hasAccessToken(a.body.id, sha256(b.body.accessToken))).toBe(true);
    expect(await storedComplaints()).toHaveLength(1);
    // started again on the replay (heals a crash between store and start), same name
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
    const names = sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name);
    expect(new Set(names)).toEqual(new Set([a.body.id]));
    // a replay is not a new complaint for the metrics
    expect(emfDocuments(output.lines)).toHaveLength(1);
  });

  it('refuses the same key with another body (409) and stores nothing more', async () => {
    const headers = { 'idempotency-key': 'key-1' };
    await invoke(handler, post(customerBody, headers));
    const res = await invoke(handler, post({ ...customerBody, subject: 'Another subject' }, headers));
    expect(res.statusCode).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await storedComplaints()).toHaveLength(1);
  });

  it('keeps customer and staff keys apart', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const a = await invoke(handler, post({ ...customerBody, channel: 'app' }, headers));
    const b = await invoke(
      handler,
      staffPost({ ...customerBody, channel: 'phone' }, staffClaims('agent'), headers),
    );
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('rejects a malformed key with 400', async () => {
    const res = await invoke(handler, post(customerBody, { 'idempotency-key': 'has spaces in it' }));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'Idempotency-Key', code: 'invalid_value', message: expect.any(String) },
    ]);
    expect(await storedComplaints()).toHaveLength(0);
  });

  it('names a malformed key together with the bad fields of the body', async () => {
    const res = await invoke(
      handler,
      post({ ...customerBody, subject: '' }, { 'idempotency-key': 'has spaces in it' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['Idempotency-Key', 'subject'].sort(),
    );
    expect(await storedComplaints()).toHaveLength(0);
  });
});

describe('refused input stores nothing', () => {
  afterEach(async () => {
    expect(await storedComplaints()).toHaveLength(0);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('names every bad field in one 400', async () => {
    const res = await invoke(
      handler,
      post({
        customer: { name: '', email: 'not-an-email', phone: 'call me', language: 'fr' },
        subject: 'x'.repeat(201),
        description: 'y'.repeat(10_001),
        category: 'weather',
        channel: 'pigeon',
        occurredAt: 'yesterday',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(
      [
        'category',
        'channel',
        'customer.email',
        'customer.language',
        'customer.name',
        'customer.phone',
        'description',
        'occurredAt',
        'subject',
      ].sort(),
    );
    for (const d of res.body.error.details) expect(d.message).toEqual(expect.any(String));
  });

  it('requires an email or a phone', async () => {
    const res = await invoke(handler, post({ customer: { name: 'Ann' }, subject: 's', description: 'd' }));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([
      {
        path: 'customer.email',
        code: 'required',
        message: 'Give an email address or a phone number (at least one).',
      },
    ]);
  });

  it('names missing required fields', async () => {
    const res = await invoke(handler, post({}));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'customer',
      'description',
      'subject',
    ]);
  });

  it('rejects a body that is not an object', async () => {
    const res = await invoke(handler, post([1, 2]));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'body', code: 'invalid_type', message: 'Must be a JSON object.' },
    ]);
  });

  it('answers 400 malformed_json for broken JSON', async () => {
    const res = await invoke(handler, post('{"customer": ', { 'content-type': 'application/json' }));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('answers 415 for another content type', async () => {
    const res = await invoke(
      handler,
      post('customer=Ann', { 'Content-Type': 'application/x-www-form-urlencoded' }),
    );
    expect(res.statusCode).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers 415 when JSON arrives without a content type', async () => {
    const res = await invoke(handler, post(JSON.stringify(customerBody)));
    expect(res.statusCode).toBe(415);
  });

  it('answers 413 above 64 KB', async () => {
    const big = { ...customerBody, description: '长'.repeat(22_000) }; // 3 bytes each in UTF-8
    const res = await invoke(handler, post(big));
    expect(res.statusCode).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 400 when the body is missing', async () => {
    const res = await invoke(
      handler,
      apiEvent({ method: 'POST', route: '/complaints', headers: { 'content-type': 'application/json' } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'body', code: expect.any(String), message: expect.any(String) },
    ]);
  });
  it.each([
    ['a lone surrogate', 'x\ud800y'],
    ['a NUL character', 'x\u0000y'],
    ['an escape character', 'x\u001b[2Jy'],
  ])('refuses text with %s, naming each field', async (_, bad) => {
    const res = await invoke(
      handler,
      post({
        ...customerBody,
        customer: { ...customerBody.customer, name: bad, organization: bad },
        subject: bad,
        description: bad,
        orderRef: bad,
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['customer.name', 'customer.organization', 'description', 'orderRef', 'subject'].sort(),
    );
    for (const d of res.body.error.details) expect(d.message).toMatch(/character/);
    // the answer does not echo the text
    expect(JSON.stringify(res.body)).not.toContain('x\\u0000y');
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b\u200b'],
    ['a zero-width joiner and a word joiner', '\u200d\u2060'],
    ['a byte-order mark, a zero-width space and an ideographic space', '\ufeff\u200b\u3000'],
    ['a Hangul filler', '\u3164'],
  ])('refuses a name, subject or description of only %s', async (_, invisible) => {
    const res = await invoke(
      handler,
      post({
        ...customerBody,
        customer: { ...customerBody.customer, name: invisible },
        subject: invisible,
        description: `\n${invisible}\n`,
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([
      {
        path: 'customer.name',
        code: 'invalid_format',
        message: 'Must contain visible text, not only spaces or invisible characters.',
      },
      {
        path: 'subject',
        code: 'invalid_format',
        message: 'Must contain visible text, not only spaces or invisible characters.',
      },
      {
        path: 'description',
        code: 'invalid_format',
        message: 'Must contain visible text, not only spaces or invisible characters.',
      },
    ]);
  });

  it('refuses a line break in a one-line field (name, subject), not in the description', async () => {
    const res = await invoke(
      handler,
      post({
        ...customerBody,
        customer: { ...customerBody.customer, name: '王\n小明' },
        subject: 'Late\tdelivery',
        description: 'Line 1\r\nLine 2\tend',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['customer.name', 'subject']);
  });

  it.each([['regulator'], ['phone'], ['walk_in']])(
    'refuses a customer claiming the staff channel %s, naming channel',
    async (channel) => {
      const res = await invoke(handler, post({ ...customerBody, channel }));
      expect(res.statusCode).toBe(400);
      expect(res.body.error.details).toEqual([
        { path: 'channel', code: 'invalid_value', message: 'Must be one of: web, app.' },
      ]);
    },
  );
});

describe('deliverable text and public channels', () => {
  it('keeps multi-line text, emoji and words joined by invisible characters', async () => {
    const body = {
      ...customerBody,
      customer: { ...customerBody.customer, name: 'سارة\u200f Lee 👩‍👩‍👧', organization: '\u200b' },
      subject: 'Kunden\u00adservice 😞',
      description: 'Line 1\r\n\tLine 2\nनमस्ते',
    };
    const res = await invoke(handler, post(body));
    expect(res.statusCode).toBe(201);
    const stored = await store.get(res.body.id);
    expect(stored?.customer.name).toBe(body.customer.name);
    // an organization of only invisible characters counts as not given
    expect(stored?.customer.organization).toBeUndefined();
    expect(stored?.subject).toBe(body.subject);
    expect(stored?.description).toBe(body.description);
  });

  it('accepts the public channels web (the default) and app', async () => {
    const app = await invoke(handler, post({ ...customerBody, channel: 'app' }));
    expect(app.statusCode).toBe(201);
    expect((await store.get(app.body.id))?.channel).toBe('app');
    const web = await invoke(handler, post({ ...customerBody, orderRef: 'SO-2' }));
    expect((await store.get(web.body.id))?.channel).toBe('web');
  });

  it.each([['regulator'], ['letter'], ['walk_in'], ['web']])(
    'lets staff register channel %s',
    async (channel) => {
      const res = await invoke(handler, staffPost({ ...customerBody, channel }, staffClaims('agent')));
      expect(res.statusCode).toBe(201);
      expect((await store.get(res.body.id))?.channel).toBe(channel);
    },
  );

  it('refuses undeliverable text from staff registrations too', async () => {
    const res = await invoke(
      handler,
      staffPost(
        {
          ...customerBody,
          channel: 'phone',
          customer: { ...customerBody.customer, name: '\u200b' },
          subject: 'a\ud800',
        },
        staffClaims('agent'),
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['customer.name', 'subject']);
    expect(await storedComplaints()).toHaveLength(0);
  });
});

describe('POST /staff/complaints', () => {
  const phoneBody = { ...customerBody, channel: 'phone', severity: 'serious' };

  it('registers a complaint from another channel, recording who registered it', async () => {
    const claims = staffClaims('agent', { sub: 'agent-7', department: 'customer-service' });
    const res = await invoke(handler, staffPost(phoneBody, claims));
    expect(res.statusCode).toBe(201);
    const stored = await store.get(res.body.id);
    expect(stored).toMatchObject({
      channel: 'phone',
      severity: 'serious',
      category: 'delivery',
      registeredBy: { kind: 'staff', sub: 'agent-7', role: 'agent', department: 'customer-service' },
    });
    const events = await store.events(res.body.id);
    expect(events[0]).toMatchObject({ type: 'registered', actor: { kind: 'staff', sub: 'agent-7' } });
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { name: res.body.id });
  });

  it("chooses the deadline profile by channel: a regulator's complaint is banking, promised in 15 calendar days", async () => {
    const regulator = await invoke(
      handler,
      staffPost({ ...phoneBody, channel: 'regulator' }, staffClaims('agent')),
    );
    expect(regulator.statusCode).toBe(201);
    // Monday 23 Nov 2026 10:00 (+08): day 15 is Tuesday 8 Dec
    expect(await store.get(regulator.body.id)).toMatchObject({
      profile: 'banking',
      replyDueBy: '2026-12-08T18:00:00+08:00',
    });
    const phone = await invoke(handler, staffPost(phoneBody, staffClaims('agent')));
    expect(await store.get(phone.body.id)).toMatchObject({
      profile: 'default',
      replyDueBy: '2026-11-30T18:00:00+08:00',
    });
  });

  it.each([['supervisor'], ['manager']] as const)('lets a %s register', async (role) => {
    const res = await invoke(handler, staffPost(phoneBody, staffClaims(role, { groupsAs: 'array' })));
    expect(res.statusCode).toBe(201);
  });

  it('requires the channel', async () => {
    const res = await invoke(handler, staffPost(customerBody, staffClaims('agent')));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'channel', code: 'required', message: 'Required.' }]);
    expect(await storedComplaints()).toHaveLength(0);
  });

  it.each([['analyst'], ['department']] as const)('refuses the %s role with 403', async (role) => {
    const res = await invoke(handler, staffPost(phoneBody, staffClaims(role, { department: 'sales' })));
    expect(res.statusCode).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await storedComplaints()).toHaveLength(0);
  });

  it('answers 401 without a staff identity', async () => {
    const res = await invoke(handler, staffPost(phoneBody, undefined));
    expect(res.statusCode).toBe(401);
    expect(await storedComplaints()).toHaveLength(0);
  });
});

describe('customer keys for repeat detection', () => {
  it('treats a mainland number with or without the country code as one customer', async () => {
    const { customerKeys, phoneKey } = await import('../../../functions/api/create-complaint.js');
    expect(phoneKey('+86 138 0013 8000')).toBe('13800138000');
    expect(phoneKey('0086-13800138000')).toBe('13800138000');
    expect(phoneKey('13800138000')).toBe('13800138000');
    // not a mainland mobile after the 86: kept as given
    expect(phoneKey('+44 20 7946 0958')).toBe('442079460958');
    expect(phoneKey('86 10 1234 5678')).toBe('861012345678');
    expect(customerKeys({ phone: '+86 138 0013 8000' })).toEqual(customerKeys({ phone: '138-0013-8000' }));
    expect(customerKeys({ phone: '13800138000' })).not.toEqual(customerKeys({ phone: '13800138001' }));
  });
});
