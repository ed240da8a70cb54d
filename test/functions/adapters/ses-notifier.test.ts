import 'aws-sdk-client-mock-vitest/extend';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SESClient, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import sesServer from 'aws-ses-v2-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createNotifier,
  type NotifierDeps,
  type NotifierLogger,
  type NotifierMetrics,
  powertoolsMetrics,
} from '../../../functions/adapters/ses-notifier.js';
import { ManualClock } from '../../../functions/domain/clock.js';
import { CUSTOMER_TEMPLATES, TEMPLATE_IDS } from '../../../functions/domain/email/index.js';
import type { AuditEvent, Complaint, Step } from '../../../functions/domain/model.js';
import {
  encodeMailbox,
  loadNotificationsConfig,
  type NotificationsConfig,
} from '../../../functions/domain/notifications-config.js';
import type { ComplaintChange } from '../../../functions/domain/store.js';
import { freePort } from '../../support/free-port.js';

const CONFIG: NotificationsConfig = loadNotificationsConfig({ configDir: 'config', env: {} });
const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAeTASKTOKEN-must-never-leave-the-system';
const NOW = '2026-10-12T03:00:00Z';

function complaint(overrides: Partial<Complaint> = {}): Complaint {
  return {
    id: 'C2610-7K4Q-9XW2',
    channel: 'web',
    customer: { name: '李娜', email: 'li.na@example.org', phone: '13800138000', language: 'zh-CN' },
    subject: '快递延误<script>alert(1)</script>',
    description: '订单 8812 的包裹迟迟没有送到。',
    category: 'delivery',
    severity: 'general',
    department: 'logistics',
    stage: 'customer_decision',
    createdAt: '2026-10-09T02:15:00Z',
    replyDueBy: '2026-10-16T10:00:00Z',
    replyDueProvisional: false,
    investigation: {
      valid: true,
      category: 'delivery',
      severity: 'general',
      department: 'logistics',
      findings: '承运商分拣延误。',
    },
    proposal: { plan: '补偿50元优惠券并加急重新配送。', round: 1, proposedAt: '2026-10-10T02:00:00Z' },
    implementation: {
      result: '已重新配送。',
      basis: '《配送服务承诺》第三条。',
      suggestions: '收货时请当面验货。',
    },
    survey: { rating: 2, comment: '太慢了', answeredAt: '2026-10-20T02:00:00Z', by: 'customer' },
    pending: {
      step: 'customer_decision',
      stage: 'customer_decision',
      taskToken: TASK_TOKEN,
      dueAt: '2026-10-19T10:00:00Z',
      provisional: false,
      escalationLevel: 0,
      since: '2026-10-12T02:00:00Z',
    },
    declines: 0,
    reopens: 0,
    proposalRounds: 1,
    escalations: 0,
    maxEscalationLevel: 0,
    repeat: false,
    version: 7,
    ...overrides,
  };
}

/** A store fake that records what the notifier asks of it. */
function fakeStore(current: Complaint) {
  const tokenHashes: string[] = [];
  const events: Pick<AuditEvent, 'type' | 'actor' | 'data'>[] = [];
  return {
    tokenHashes,
    events,
    store: {
      addAccessToken: vi.fn(async (id: string, hash: string) => {
        expect(id).toBe(current.id);
        tokenHashes.push(hash);
      }),
      update: vi.fn(async (id: string, change: (c: Complaint) => ComplaintChange | undefined) => {
        expect(id).toBe(current.id);
        const result = change(current);
        if (result) Object.assign(current, result.set);
        if (result)
          events.push({ type: result.event.type, actor: result.event.actor, data: result.event.data });
        return current;
      }),
    },
  };
}

const sesMock = mockClient(SESClient);

function setup(c: Complaint = complaint(), config: NotificationsConfig = CONFIG) {
  const fake = fakeStore(c);
  const metricCalls: Parameters<NotifierMetrics['add']>[] = [];
  const logCalls: unknown[][] = [];
  const logger: NotifierLogger = {
    info: (...args) => void logCalls.push(args),
    warn: (...args) => void logCalls.push(args),
  };
  const deps: NotifierDeps = {
    store: fake.store,
    ses: new SESClient({ region: 'cn-north-1' }),
    config,
    clock: () => new ManualClock(NOW),
    metrics: { add: (...args) => void metricCalls.push(args) },
    logger,
  };
  return { notifier: createNotifier(deps), complaint: c, ...fake, metricCalls, logCalls };
}

function sentInputs(): SendEmailCommandInput[] {
  return sesMock.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
}

function linkToken(text: string, id: string): string {
  const m = new RegExp(
    `https://complaints\\.example\\.com/status\\.html\\?id=${id}&lang=(?:zh-CN|en)#token=([A-Za-z0-9_-]+)`,
  ).exec(text);
  if (!m?.[1]) throw new Error('no status link in the email');
  return m[1];
}

beforeEach(() => {
  sesMock.reset();
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'msg-0001' });
});

describe('customer emails', () => {
  it('sends the acknowledgement to the customer with HTML and text in UTF-8, and records it', async () => {
    const t = setup(complaint({ stage: 'received', pending: undefined }));
    const result = await t.notifier.notify(t.complaint, 'acknowledgement');

    expect(result).toEqual({ sent: true, messageId: 'msg-0001' });
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Source: 'Customer Care <no-reply@example.com>',
      ReplyToAddresses: ['customer-care@example.com'],
      Destination: { ToAddresses: ['li.na@example.org'] },
      Message: {
        Subject: { Data: '投诉受理通知（投诉编号：C2610-7K4Q-9XW2）', Charset: 'UTF-8' },
        Body: {
          Html: { Data: expect.stringContaining('尊敬的李娜'), Charset: 'UTF-8' },
          Text: { Data: expect.stringContaining('2026年10月16日 18:00'), Charset: 'UTF-8' },
        },
      },
    });
    const input = sentInputs()[0];
    expect(input?.Message?.Body?.Html?.Data).toContain('快递延误&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(input?.Message?.Body?.Html?.Data).not.toContain('<script>');
    expect(t.events).toEqual([
      {
        type: 'notification_sent',
        actor: { kind: 'system' },
        data: { template: 'acknowledgement', to: 'customer', channel: 'email', messageId: 'msg-0001' },
      },
    ]);
  });

  it('mints a fresh access token per email and stores only its SHA-256', async () => {
    const t = setup();
    await t.notifier.notify(t.complaint, 'proposal');
    await t.notifier.notify(t.complaint, 'reminder');

    const tokens = sentInputs().map((input) =>
      linkToken(input.Message?.Body?.Text?.Data ?? '', t.complaint.id),
    );
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    for (const token of tokens) {
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(t.tokenHashes).toEqual(tokens.map((tk) => createHash('sha256').update(tk).digest('hex')));
    // the HTML part carries the same link
    expect(sentInputs()[0]?.Message?.Body?.Html?.Data).toContain(`#token=${tokens[0]}"`);
  });

  it('writes in the customer’s language', async () => {
    const t = setup(complaint({ customer: { name: 'Ann Lee', email: 'ann@example.org', language: 'en' } }));
    await t.notifier.notify(t.complaint, 'proposal');
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Destination: { ToAddresses: ['ann@example.org'] },
      Message: expect.objectContaining({
        Subject: {
          Data: 'Please review our proposed solution (reference C2610-7K4Q-9XW2)',
          Charset: 'UTF-8',
        },
      }),
    });
    // the decision deadline defaults to the pending customer_decision step's
    expect(sentInputs()[0]?.Message?.Body?.Text?.Data).toContain('by 19 Oct 2026, 18:00 (UTC+8)');
  });

  it('fills each customer template from the complaint', async () => {
    const t = setup(
      complaint({
        outcome: 'resolved',
        closedAt: '2026-10-21T02:00:00Z',
        survey: { rating: 5, answeredAt: NOW, by: 'customer' },
      }),
    );
    const expectations: Record<(typeof CUSTOMER_TEMPLATES)[number], string[]> = {
      acknowledgement: ['订单 8812 的包裹迟迟没有送到。', '2026年10月16日 18:00'],
      rejected: ['该投诉未能成立'],
      proposal: ['补偿50元优惠券并加急重新配送。', '2026年10月19日 18:00'],
      reminder: ['补偿50元优惠券并加急重新配送。'],
      result: ['已重新配送。', '《配送服务承诺》第三条。', '收货时请当面验货。'],
      survey_request: ['1～5 分'],
      closure: ['2026年10月21日 10:00', '5 分（满分 5 分）'],
      // no extension recorded: the promised reply date
      extension: ['2026年10月16日 18:00'],
    };
    for (const template of CUSTOMER_TEMPLATES) {
      sesMock.resetHistory();
      await t.notifier.notify(t.complaint, template);
      const text = sentInputs()[0]?.Message?.Body?.Text?.Data ?? '';
      for (const fact of expectations[template]) expect(text, `${template}: ${fact}`).toContain(fact);
      expect(text, template).toContain(
        `status.html?id=${t.complaint.id}&lang=${t.complaint.customer.language}#token=`,
      );
    }
  });

  it('never shows the findings in the rejected email: the opinion, or a standard explanation', async () => {
    const findings = '内部：客户疑似重复索赔，参见工单 4411。';
    const opinion = '物流记录显示包裹已于10月8日由您本人签收。';
    const rejected = (language: 'zh-CN' | 'en', withOpinion: boolean) =>
      complaint({
        customer: { name: '李娜', email: 'li.na@example.org', language },
        stage: 'investigation',
        pending: undefined,
        investigation: {
          valid: false,
          category: 'delivery',
          severity: 'minor',
          findings,
          ...(withOpinion ? { opinion } : {}),
        },
      });
    const cases = [
      { language: 'zh-CN', withOpinion: true, shows: [opinion, '核实意见'] },
      { language: 'zh-CN', withOpinion: false, shows: ['该投诉未能成立', '深表歉意'] },
      { language: 'en', withOpinion: true, shows: [opinion, 'Our opinion'] },
      {
        language: 'en',
        withOpinion: false,
        shows: ['could not be upheld', 'not be the outcome you hoped for'],
      },
    ] as const;
    for (const { language, withOpinion, shows } of cases) {
      sesMock.resetHistory();
      const t = setup(rejected(language, withOpinion));
      expect(await t.notifier.notify(t.complaint, 'rejected')).toMatchObject({ sent: true });
      const body = sentInputs()[0]?.Message?.Body;
      const text = body?.Text?.Data ?? '';
      const html = body?.Html?.Data ?? '';
      const label = `${language} ${withOpinion ? 'with' : 'without'} opinion`;
      for (const part of [text, html]) {
        expect(part, label).not.toContain('客户疑似重复索赔');
        expect(part, label).not.toContain('4411');
        for (const shown of shows) expect(part, `${label}: ${shown}`).toContain(shown);
      }
      if (!withOpinion) expect(text, label).not.toContain(opinion);
    }
  });

  it('announces the closure the journey is about to make', async () => {
    // the journey emails just before its Close task: no outcome on the complaint yet
    const waiting = setup(complaint({ stage: 'customer_decision' }));
    await waiting.notifier.notify(waiting.complaint, 'closure');
    expect(sentInputs()[0]?.Message?.Body?.Text?.Data).toContain('按“客户未答复”结案');

    sesMock.resetHistory();
    const surveyed = setup(
      complaint({
        stage: 'follow_up',
        pending: undefined,
        survey: { rating: 4, answeredAt: NOW, by: 'customer' },
      }),
    );
    await surveyed.notifier.notify(surveyed.complaint, 'closure');
    const text = sentInputs()[0]?.Message?.Body?.Text?.Data ?? '';
    expect(text).toContain('已解决');
    expect(text).toContain('4 分（满分 5 分）');
    expect(text).toContain('2026年10月12日 11:00'); // closedAt: the clock's now

    sesMock.resetHistory();
    await surveyed.notifier.notify(surveyed.complaint, 'closure', { outcome: 'no_response' });
    expect(sentInputs()[0]?.Message?.Body?.Text?.Data).toContain('客户未答复');
  });

  it('uses a deadline passed by the journey', async () => {
    const t = setup(complaint({ pending: undefined }));
    await t.notifier.notify(t.complaint, 'survey_request', { dueAt: '2026-10-26T10:00:00Z' });
    expect(sentInputs()[0]?.Message?.Body?.Text?.Data).toContain('2026年10月26日 18:00');
  });

  it('turns a notice to a phone-only customer into a call task with the email text, once', async () => {
    const t = setup(
      complaint({
        customer: { name: '王强', phone: '13900139000', language: 'zh-CN' },
        proposal: { plan: '补发同款商品并承担运费。', round: 1, proposedAt: NOW, approvedAt: NOW },
      }),
    );
    const result = await t.notifier.notify(t.complaint, 'proposal', { dueAt: '2026-10-26T10:00:00Z' });

    expect(result).toMatchObject({
      sent: false,
      skipped: 'no_email',
      callTask: expect.stringMatching(/^T[0-9A-Za-z]{10}$/),
    });
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
    expect(t.store.addAccessToken).not.toHaveBeenCalled();
    const task = t.complaint.callTasks?.[0];
    expect(task).toMatchObject({
      id: result.callTask,
      template: 'proposal',
      status: 'open',
      dueAt: '2026-10-26T10:00:00Z',
    });
    // the email's own words, in the complaint's language; no access token in the text
    expect(task?.text).toContain('补发同款商品并承担运费。');
    expect(task?.text).toContain('2026年10月26日 18:00');
    expect(task?.text).not.toContain('#token=');
    expect(task?.subject).toContain(t.complaint.id);
    expect(t.events).toEqual([
      {
        type: 'call_task_opened',
        actor: { kind: 'system' },
        data: { callTask: result.callTask, template: 'proposal' },
      },
    ]);
    expect(t.metricCalls).toEqual([]);
    // a retry of the same notice opens nothing new
    const again = await t.notifier.notify(t.complaint, 'proposal', { dueAt: '2026-10-26T10:00:00Z' });
    expect(again.callTask).toBe(result.callTask);
    expect(t.complaint.callTasks).toHaveLength(1);
    expect(t.events).toHaveLength(1);
    // another notice is another task
    await t.notifier.notify(t.complaint, 'reminder', { dueAt: '2026-11-02T10:00:00Z' });
    expect(t.complaint.callTasks?.map((c) => c.template)).toEqual(['proposal', 'reminder']);
    // no personal data in the logs
    expect(JSON.stringify(t.logCalls)).not.toMatch(/王强|13900139000|补发/);
  });
});

describe('staff emails', () => {
  const staffText = () => {
    const input = sentInputs()[0];
    return `${input?.Message?.Subject?.Data}\n${input?.Message?.Body?.Text?.Data}\n${input?.Message?.Body?.Html?.Data}`;
  };

  it.each([
    { step: 'proposal', level: 1, to: ['logistics-supervisor@example.com'] },
    { step: 'implementation', level: 1, to: ['logistics-supervisor@example.com'] },
    { step: 'investigation', level: 1, to: ['customer-service-supervisor@example.com'] },
    { step: 'agent_follow_up', level: 1, to: ['customer-service-supervisor@example.com'] },
    // the review is the supervisor's own step: level 1 goes to the complaints manager
    { step: 'review', level: 1, to: ['complaints-manager@example.com'] },
    { step: 'review', level: 2, to: ['complaints-manager@example.com'] },
    { step: 'review', level: 3, to: ['senior-management@example.com'] },
    { step: 'proposal', level: 3, to: ['senior-management@example.com'] },
    { step: 'proposal', level: 6, to: ['senior-management@example.com'] },
  ] as { step: Step; level: number; to: string[] }[])(
    'escalates $step at level $level to $to',
    async ({ step, level, to }) => {
      const t = setup();
      const result = await t.notifier.notify(t.complaint, 'escalation', {
        step,
        level,
        reason: 'timeout',
        dueAt: '2026-10-13T10:00:00Z',
      });
      expect(result.sent).toBe(true);
      expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
        Source: CONFIG.from,
        Destination: { ToAddresses: to },
        Message: expect.objectContaining({
          Subject: { Data: expect.stringContaining(`第${level}级`), Charset: 'UTF-8' },
        }),
      });
      const text = staffText();
      expect(text).toContain('2026年10月13日 18:00');
      expect(text).toContain(`https://complaints.example.com/console.html#${t.complaint.id}`);
      expect(t.store.addAccessToken).not.toHaveBeenCalled();
      expect(t.events[0]).toMatchObject({
        type: 'notification_sent',
        data: { template: 'escalation', to: `escalation_level_${level}`, channel: 'email' },
      });
    },
  );

  it('an unassigned complaint escalates to the customer service supervisor', async () => {
    const t = setup(complaint({ department: undefined }));
    await t.notifier.notify(t.complaint, 'escalation', { step: 'proposal', level: 1 });
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Destination: { ToAddresses: ['customer-service-supervisor@example.com'] },
    });
  });

  it('defaults the escalation to the pending step, its level and deadline', async () => {
    const pending = complaint().pending;
    if (!pending) throw new Error('fixture has a pending step');
    const t = setup(complaint({ pending: { ...pending, step: 'implementation', escalationLevel: 2 } }));
    await t.notifier.notify(t.complaint, 'escalation');
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Destination: { ToAddresses: ['complaints-manager@example.com'] },
    });
    expect(staffText()).toContain('方案实施');
    expect(staffText()).toContain('2026年10月19日 18:00');
  });

  it('sends the survey result to the responsible department', async () => {
    const t = setup(complaint({ stage: 'closed', outcome: 'resolved' }));
    await t.notifier.notify(t.complaint, 'survey_result');
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Destination: { ToAddresses: ['logistics@example.com'] },
      Message: expect.objectContaining({
        Subject: { Data: expect.stringContaining('2 分'), Charset: 'UTF-8' },
      }),
    });
    expect(staffText()).toContain('太慢了');
    expect(staffText()).toContain('物流部');
  });

  it('tells the managers when the investigation finds a complaint serious', async () => {
    const t = setup(complaint({ severity: 'serious', stage: 'proposal', pending: undefined }));
    await t.notifier.notify(t.complaint, 'serious_intake');
    expect(staffText()).toContain('经核实为严重投诉');
  });

  it('alerts the managers of a serious complaint', async () => {
    const t = setup(
      complaint({ severity: 'serious', stage: 'received', pending: undefined, investigation: undefined }),
    );
    await t.notifier.notify(t.complaint, 'serious_intake');
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Destination: { ToAddresses: ['complaints-manager@example.com'] },
      Message: expect.objectContaining({
        Subject: { Data: `【严重投诉】新投诉 ${t.complaint.id} 已受理`, Charset: 'UTF-8' },
      }),
    });
  });

  it('writes staff emails in the configured staff language', async () => {
    const t = setup(complaint(), { ...CONFIG, staffLanguage: 'en' });
    await t.notifier.notify(t.complaint, 'escalation', {
      step: 'review',
      level: 1,
      reason: 'declines',
      count: 3,
    });
    expect(staffText()).toContain('[Escalation level 1]');
    expect(staffText()).toContain('declined the proposed solution 3 times');
  });

  it('carry no complaint text and no customer contact details', async () => {
    for (const template of ['escalation', 'serious_intake'] as const) {
      sesMock.resetHistory();
      const t = setup();
      await t.notifier.notify(t.complaint, template, { step: 'proposal', level: 1 });
      const text = staffText();
      for (const secret of [
        '李娜',
        'li.na@example.org',
        '13800138000',
        '快递延误',
        '订单 8812',
        '承运商分拣延误',
        '补偿50元',
      ]) {
        expect(text, `${template}: ${secret}`).not.toContain(secret);
      }
    }
  });
});

describe('arrival notices', () => {
  const sent = () => {
    const input = sentInputs()[0];
    return {
      to: input?.Destination?.ToAddresses,
      text: `${input?.Message?.Subject?.Data}\n${input?.Message?.Body?.Text?.Data}\n${input?.Message?.Body?.Html?.Data}`,
    };
  };
  const routed = (overrides: Partial<Complaint> = {}) =>
    complaint({
      stage: 'proposal',
      proposal: undefined,
      implementation: undefined,
      survey: undefined,
      pending: {
        step: 'proposal',
        stage: 'proposal',
        taskToken: TASK_TOKEN,
        dueAt: '2026-10-14T10:00:00Z',
        provisional: false,
        escalationLevel: 0,
        since: '2026-10-12T02:00:00Z',
      },
      ...overrides,
    });

  it('sends the department a transfer form: reference, request, deadline, console link; no customer contact', async () => {
    const t = setup(routed());
    const result = await t.notifier.notify(t.complaint, 'arrival', { step: 'proposal' });
    expect(result.sent).toBe(true);
    const { to, text } = sent();
    expect(to).toEqual(['logistics@example.com']);
    expect(text).toContain('客户投诉传递单');
    expect(text).toContain(t.complaint.id);
    expect(text).toContain('订单 8812 的包裹迟迟没有送到。');
    expect(text).toContain('2026年10月14日 18:00');
    expect(text).toContain(`https://complaints.example.com/console.html#${t.complaint.id}`);
    for (const secret of ['李娜', 'li.na@example.org', '13800138000', '承运商分拣延误'])
      expect(text, secret).not.toContain(secret);
    // the subject's markup is escaped in the HTML part
    expect(sentInputs()[0]?.Message?.Body?.Html?.Data).not.toContain('<script>');
    expect(t.events[0]).toMatchObject({
      type: 'notification_sent',
      data: { template: 'arrival', to: 'department', channel: 'email' },
    });
    expect(JSON.stringify(t.events)).not.toContain('@');
  });

  it('goes to the named owner instead, when they took the complaint themselves', async () => {
    const t = setup(routed({ assignee: { sub: 'u-7', name: '王伟', email: 'wang.wei@example.com' } }));
    await t.notifier.notify(t.complaint, 'arrival', { step: 'proposal' });
    expect(sent().to).toEqual(['wang.wei@example.com']);
    expect(sent().text).toContain('现传递至您处理');
    expect(t.events[0]).toMatchObject({ data: { template: 'arrival', to: 'assignee' } });
  });

  it('tells the supervisor of a plan to review, and the agents of a follow-up call', async () => {
    let t = setup(routed());
    await t.notifier.notify(t.complaint, 'arrival', { step: 'review', dueAt: '2026-10-13T10:00:00Z' });
    expect(sent().to).toEqual(['logistics-supervisor@example.com']);
    expect(sent().text).toContain('待审核');
    sesMock.resetHistory();
    t = setup(routed());
    await t.notifier.notify(t.complaint, 'arrival', { step: 'agent_follow_up' });
    expect(sent().to).toEqual(['customer-service@example.com']);
  });

  it('sends nothing for a step nobody is to hear of, quietly', async () => {
    const t = setup(routed());
    const result = await t.notifier.notify(t.complaint, 'arrival', { step: 'investigation' });
    expect(result).toEqual({ sent: false, skipped: 'no_recipients' });
    expect(sentInputs()).toHaveLength(0);
    expect(t.metricCalls).toHaveLength(0);
  });

  it('a failing SES is recorded as notification_failed', async () => {
    sesMock.on(SendEmailCommand).rejects(Object.assign(new Error('x'), { name: 'Throttling' }));
    const t = setup(routed());
    const result = await t.notifier.notify(t.complaint, 'arrival', { step: 'proposal' });
    expect(result).toMatchObject({ sent: false, failure: 'Throttling' });
    expect(t.events[0]).toMatchObject({ type: 'notification_failed', data: { template: 'arrival' } });
  });
});

describe('failures never stop the journey', () => {
  it('records notification_failed, emits the metric and answers sent:false when SES fails', async () => {
    const error = Object.assign(
      new Error(
        'Email address is not verified. The following identities failed the check: li.na@example.org',
      ),
      { name: 'MessageRejected', $metadata: { httpStatusCode: 400, attempts: 1 } },
    );
    sesMock.on(SendEmailCommand).rejects(error);
    const t = setup();

    const result = await t.notifier.notify(t.complaint, 'proposal');

    expect(result).toEqual({ sent: false, failure: 'MessageRejected' });
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(t.events).toEqual([
      {
        type: 'notification_failed',
        actor: { kind: 'system' },
        data: {
          template: 'proposal',
          to: 'customer',
          error: 'MessageRejected',
          httpStatus: 400,
          attempts: 1,
        },
      },
    ]);
    expect(t.metricCalls).toEqual([['NotificationFailures', 'Count', 1]]);
    const logged = JSON.stringify(t.logCalls);
    expect(logged).toContain('MessageRejected');
    expect(logged).not.toContain('li.na@example.org');
    expect(logged).not.toContain('李娜');
  });

  it('survives a throttled or unreachable SES the same way, for staff emails too', async () => {
    sesMock.on(SendEmailCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const t = setup();
    const result = await t.notifier.notify(t.complaint, 'escalation', { step: 'proposal', level: 2 });
    expect(result).toEqual({ sent: false, failure: 'Throttling' });
    expect(t.events[0]).toMatchObject({
      type: 'notification_failed',
      data: { template: 'escalation', to: 'escalation_level_2', error: 'Throttling' },
    });
    expect(t.metricCalls).toHaveLength(1);
  });

  it('throws when the store fails, so that Step Functions retries the task', async () => {
    const t = setup();
    t.store.update.mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
    await expect(t.notifier.notify(t.complaint, 'serious_intake')).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
    t.store.addAccessToken.mockRejectedValueOnce(new Error('store down'));
    sesMock.resetHistory();
    await expect(t.notifier.notify(t.complaint, 'proposal')).rejects.toThrow('store down');
    // no email with a link that does not work
    expect(sesMock).not.toHaveReceivedCommand(SendEmailCommand);
  });
});

describe('privacy', () => {
  it('never puts a task token in any email, audit event or log', async () => {
    const t = setup(complaint({ outcome: 'resolved', closedAt: NOW }));
    for (const template of TEMPLATE_IDS)
      await t.notifier.notify(t.complaint, template, { step: 'proposal', level: 1 });
    expect(sentInputs()).toHaveLength(TEMPLATE_IDS.length);
    const everything = JSON.stringify([sentInputs(), t.events, t.logCalls]);
    expect(everything).not.toContain(TASK_TOKEN);
    expect(everything).not.toContain('TASKTOKEN');
  });

  it('logs and audits no personal data on success', async () => {
    const t = setup();
    for (const template of TEMPLATE_IDS)
      await t.notifier.notify(t.complaint, template, { step: 'proposal', level: 1 });
    const recorded = JSON.stringify([t.events, t.logCalls]);
    for (const secret of ['李娜', 'li.na@example.org', '13800138000', '快递延误', '@example.com']) {
      expect(recorded).not.toContain(secret);
    }
    expect(t.logCalls.length).toBeGreaterThan(0);
  });
});

describe('powertoolsMetrics', () => {
  it('publishes a single EMF metric at once with the namespace and service', () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const metrics = new Metrics({ namespace: 'ComplaintJourney', serviceName: 'complaints' });
      powertoolsMetrics(metrics).add('NotificationFailures', 'Count', 1);
    } finally {
      spy.mockRestore();
    }
    const emf = writes.map((w) => JSON.parse(w)).find((o) => o._aws);
    expect(emf).toMatchObject({
      NotificationFailures: 1,
      service: 'complaints',
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'ComplaintJourney', Metrics: [{ Name: 'NotificationFailures', Unit: 'Count' }] },
        ],
      },
    });
  });
});

describe('against a local SES (aws-ses-v2-local)', () => {
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    // CommonJS with `exports.default`: under ESM interop it may arrive wrapped
    type Start = (config: { host: string; port: number }) => Promise<Server>;
    const mod = sesServer as unknown as Start & { default?: Start };
    const start: Start = mod.default ?? mod;
    const port = await freePort();
    server = await start({ port, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  it('delivers a Chinese email intact, with a non-ASCII sender name', async () => {
    sesMock.restore();
    try {
      const c = complaint();
      const fake = fakeStore(c);
      const notifier = createNotifier({
        store: fake.store,
        ses: new SESClient({
          region: 'cn-north-1',
          endpoint,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 1,
        }),
        config: { ...CONFIG, from: encodeMailbox('客户服务中心 <no-reply@example.com>') },
        clock: () => new ManualClock(NOW),
        metrics: { add: () => undefined },
        logger: { info: () => undefined, warn: () => undefined },
      });
      const result = await notifier.notify(c, 'result');
      expect(result.sent).toBe(true);
      const response = await fetch(`${endpoint}/store`);
      const { emails } = (await response.json()) as {
        emails: {
          messageId: string;
          from: string;
          subject: string;
          destination: { to: string[] };
          body: { html?: string; text?: string };
        }[];
      };
      const email = emails.find((e) => e.messageId === result.messageId);
      expect(email?.subject).toBe('投诉处理结果通知（投诉编号：C2610-7K4Q-9XW2）');
      expect(email?.destination.to).toEqual(['li.na@example.org']);
      expect(email?.from).toBe(
        `=?UTF-8?B?${Buffer.from('客户服务中心').toString('base64')}?= <no-reply@example.com>`,
      );
      expect(email?.body.text).toContain('《配送服务承诺》第三条。');
      expect(email?.body.html).toContain('快递延误&lt;script&gt;');
    } finally {
      // back to the mock for any later test in this file
      mockClient(SESClient);
    }
  });
});
