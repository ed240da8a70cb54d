import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_TEMPLATES,
  escapeHtml,
  formatDateTime,
  render,
  STAFF_TEMPLATES,
  TEMPLATE_IDS,
  type TemplateData,
  type TemplateId,
} from '../../../../functions/domain/email/index.js';
import type { Language } from '../../../../functions/domain/model.js';

const ID = 'C2610-7K4Q-9XW2';
const TOKEN = 'tok_4f9Qm2xLr8ZpVb3NcK1sHgYtW6uJeA0d';
const STATUS_URL = `https://complaints.example.com/status.html?id=${ID}#token=${TOKEN}`;
const CONSOLE_URL = `https://staff.example.com/console.html#${ID}`;
const XSS = '<script>alert(1)</script>';
const LANGS: Language[] = ['zh-CN', 'en'];

// Instants chosen so that the Asia/Shanghai date differs from the UTC date for some of them.
const RECEIVED = '2026-10-09T02:15:00Z'; // 9 Oct 10:15 in Shanghai
const REPLY_DUE = '2026-10-16T10:00:00Z'; // 16 Oct 18:00
const DUE = '2026-10-13T10:00:00Z'; // 13 Oct 18:00
const LATE = '2026-10-20T17:30:00Z'; // 21 Oct 01:30 (next day in Shanghai)

const dates = {
  received: { 'zh-CN': '2026年10月9日 10:15', en: '9 Oct 2026, 10:15 (UTC+8)' },
  replyDue: { 'zh-CN': '2026年10月16日 18:00', en: '16 Oct 2026, 18:00 (UTC+8)' },
  due: { 'zh-CN': '2026年10月13日 18:00', en: '13 Oct 2026, 18:00 (UTC+8)' },
  late: { 'zh-CN': '2026年10月21日 01:30', en: '21 Oct 2026, 01:30 (UTC+8)' },
} as const;

const base = (text: (s: string) => string) => ({
  reference: ID,
  customerName: text('张伟'),
  complaintSubject: text('快递延误五天'),
  receivedAt: RECEIVED,
  statusUrl: STATUS_URL,
});

/** Every template's data; `text` wraps each user-supplied value (identity, or with a script tag). */
function sample(text: (s: string) => string): { [T in TemplateId]: TemplateData[T] } {
  const b = base(text);
  return {
    acknowledgement: { ...b, description: text('订单 8812 的包裹\n迟迟没有送到。'), replyDueBy: REPLY_DUE },
    rejected: { ...b, opinion: text('物流记录显示包裹已于10月8日签收。') },
    proposal: { ...b, plan: text('补偿50元优惠券并加急重新配送。'), round: 1, decisionDueBy: DUE },
    reminder: { ...b, plan: text('补偿50元优惠券并加急重新配送。'), decisionDueBy: DUE },
    result: {
      ...b,
      result: text('已重新配送并发放优惠券。'),
      basis: text('《配送服务承诺》第三条。'),
      suggestions: text('收货时请当面验货。'),
    },
    survey_request: { ...b, surveyDueBy: LATE },
    closure: { ...b, outcome: 'resolved', closedAt: LATE, rating: 5 },
    extension: { ...b, newDueBy: LATE, reason: text('需向合作银行调取交易记录。') },
    escalation: {
      reference: ID,
      consoleUrl: CONSOLE_URL,
      step: 'proposal',
      level: 2,
      dueAt: DUE,
      departmentName: '物流部',
    },
    survey_result: {
      reference: ID,
      consoleUrl: CONSOLE_URL,
      rating: 2,
      comment: text('处理太慢了。'),
      answeredAt: LATE,
      by: 'customer',
      reopened: true,
      departmentName: '物流部',
    },
    serious_intake: {
      reference: ID,
      consoleUrl: CONSOLE_URL,
      channel: 'regulator',
      category: 'delivery',
      severity: 'serious',
      receivedAt: RECEIVED,
      replyDueBy: REPLY_DUE,
    },
    arrival: {
      reference: ID,
      consoleUrl: CONSOLE_URL,
      step: 'proposal',
      dueAt: DUE,
      departmentName: '物流部',
      channel: 'web',
      category: 'delivery',
      severity: 'general',
      receivedAt: RECEIVED,
      subject: text('快递延误五天'),
      request: text('订单 8812 的包裹迟迟没有送到，要求赔偿。'),
    },
    deadline_warning: {
      reference: ID,
      consoleUrl: CONSOLE_URL,
      step: 'implementation',
      level: 1,
      dueAt: DUE,
      departmentName: '物流部',
    },
  };
}

const clean = sample((s) => s);
const hostile = sample((s) => `${s}${XSS}`);

/** Facts each email must show, in both parts. */
const expected: { [T in TemplateId]: Record<Language, string[]> } = {
  acknowledgement: {
    'zh-CN': [
      '尊敬的张伟',
      '投诉编号',
      '快递延误五天',
      dates.received['zh-CN'],
      dates.replyDue['zh-CN'],
      '订单 8812 的包裹',
      '迟迟没有送到。',
      '接下来的处理',
    ],
    en: [
      'Dear 张伟',
      'Reference',
      '快递延误五天',
      dates.received.en,
      dates.replyDue.en,
      '订单 8812 的包裹',
      'What happens next',
    ],
  },
  rejected: {
    'zh-CN': ['投诉未能成立', '物流记录显示包裹已于10月8日签收。', dates.received['zh-CN']],
    en: ['could not be upheld', '物流记录显示包裹已于10月8日签收。', dates.received.en],
  },
  proposal: {
    'zh-CN': ['处理方案', '补偿50元优惠券并加急重新配送。', dates.due['zh-CN'], '是否接受'],
    en: ['Proposed solution', '补偿50元优惠券并加急重新配送。', dates.due.en, 'whether you accept'],
  },
  reminder: {
    'zh-CN': ['尚未收到您的答复', '补偿50元优惠券并加急重新配送。', dates.due['zh-CN'], '客户未答复'],
    en: ['have not heard from you', '补偿50元优惠券并加急重新配送。', dates.due.en, 'unanswered'],
  },
  result: {
    'zh-CN': [
      '处理结果',
      '已重新配送并发放优惠券。',
      '处理依据',
      '《配送服务承诺》第三条。',
      '后续建议',
      '收货时请当面验货。',
    ],
    en: [
      'Result',
      '已重新配送并发放优惠券。',
      'Basis',
      '《配送服务承诺》第三条。',
      'Our suggestions',
      '收货时请当面验货。',
    ],
  },
  survey_request: {
    'zh-CN': ['1～5 分', dates.late['zh-CN'], '评价本次处理'],
    en: ['from 1 to 5', dates.late.en, 'Rate our handling'],
  },
  closure: {
    'zh-CN': ['已结案', dates.late['zh-CN'], '已解决', '5 分'],
    en: ['closed', dates.late.en, 'Resolved', '5 out of 5'],
  },
  extension: {
    'zh-CN': ['延期', dates.late['zh-CN'], '需向合作银行调取交易记录。'],
    en: ['more time', dates.late.en, '需向合作银行调取交易记录。'],
  },
  escalation: {
    'zh-CN': ['第 2 级', '制定处理方案', dates.due['zh-CN'], '物流部', '已超过办理期限'],
    en: ['level 2', 'Solution proposal', dates.due.en, '物流部', 'past its deadline'],
  },
  survey_result: {
    'zh-CN': ['2 分（满分 5 分）', '处理太慢了。', dates.late['zh-CN'], '重新打开', '物流部'],
    en: ['2 out of 5', '处理太慢了。', dates.late.en, 'reopened', '物流部'],
  },
  serious_intake: {
    'zh-CN': ['严重', '监管部门转办', '配送', dates.received['zh-CN'], dates.replyDue['zh-CN']],
    en: ['Serious', 'Referred by a regulator', 'Delivery', dates.received.en, dates.replyDue.en],
  },
  arrival: {
    'zh-CN': ['客户投诉传递单', '贵部门（物流部）', dates.due['zh-CN'], '快递延误五天', '要求赔偿', '配送'],
    en: ['Complaint transfer form', 'your department (物流部)', dates.due.en, '快递延误五天', '要求赔偿'],
  },
  deadline_warning: {
    'zh-CN': ['即将到期', '方案实施', dates.due['zh-CN'], '第 1 级', '物流部'],
    en: ['is due by', 'level 1', dates.due.en, '物流部'],
  },
};

const TAG = /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i;

describe('render: every template in both languages', () => {
  it('covers every template id', () => {
    expect([...TEMPLATE_IDS].sort()).toEqual(Object.keys(expected).sort());
    expect(TEMPLATE_IDS).toHaveLength(CUSTOMER_TEMPLATES.length + STAFF_TEMPLATES.length);
  });

  for (const template of TEMPLATE_IDS) {
    for (const language of LANGS) {
      describe(`${template} (${language})`, () => {
        const email = render(template, clean[template] as never, language);

        it('has a one-line subject with the reference', () => {
          expect(email.subject).toContain(ID);
          expect(email.subject).not.toMatch(/[\r\n]/);
          if (language === 'zh-CN') expect(email.subject).toMatch(/[\u4e00-\u9fff]/);
          else expect(email.subject).not.toMatch(/[\u4e00-\u9fff]/);
        });

        it('shows the expected facts in the text and the HTML part', () => {
          for (const fact of expected[template][language]) {
            expect(email.text, fact).toContain(fact);
            expect(email.html, fact).toContain(escapeHtml(fact));
          }
        });

        it('has a plain-text part without markup and an HTML part in the right language', () => {
          expect(email.text).not.toMatch(TAG);
          expect(email.text).not.toContain('&lt;');
          expect(email.html).toMatch(/^<!DOCTYPE html>/);
          expect(email.html).toContain(`<html lang="${language}">`);
          expect(email.html).toContain('<meta charset="utf-8">');
          // no remote assets, no scripts
          expect(email.html).not.toMatch(/<(img|script|link|iframe)\b/i);
          expect(email.html).not.toMatch(/src=/i);
        });

        const isCustomer = (CUSTOMER_TEMPLATES as readonly string[]).includes(template);
        it(
          isCustomer ? 'links to the status page with id and token' : 'links to the staff console only',
          () => {
            const url = isCustomer ? STATUS_URL : CONSOLE_URL;
            expect(email.text).toContain(`\n${url}\n`);
            expect(email.html).toContain(`href="${escapeHtml(url)}"`);
            const hrefs = [...email.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
            expect(new Set(hrefs)).toEqual(new Set([escapeHtml(url)]));
            if (!isCustomer) expect(email.text + email.html).not.toContain('token');
          },
        );
      });
    }
  }
});

describe('render: user-supplied text is escaped', () => {
  for (const template of TEMPLATE_IDS) {
    for (const language of LANGS) {
      it(`${template} (${language})`, () => {
        const email = render(template, hostile[template] as never, language);
        expect(email.html).not.toMatch(/<script/i);
        const values = Object.values(hostile[template]).filter(
          (v) => typeof v === 'string' && v.includes(XSS),
        );
        if (template === 'escalation' || template === 'serious_intake' || template === 'deadline_warning') {
          // staff alerts carry no user text at all
          expect(values).toHaveLength(0);
        } else {
          expect(values.length).toBeGreaterThan(0);
          expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
          // plain text shows what the user typed, verbatim
          expect(email.text).toContain(XSS);
        }
      });
    }
  }

  it('escapes quotes and ampersands in text and in links', () => {
    const email = render(
      'proposal',
      {
        ...clean.proposal,
        plan: `"退款" & 'coupon' <b>bold</b>`,
        statusUrl: 'https://x.example.com/status.html?id=A&b=1#token=t"x',
      },
      'en',
    );
    expect(email.html).toContain('&quot;退款&quot; &amp; &#39;coupon&#39; &lt;b&gt;bold&lt;/b&gt;');
    expect(email.html).toContain('href="https://x.example.com/status.html?id=A&amp;b=1#token=t&quot;x"');
    expect(email.html).not.toContain('<b>');
  });

  it('keeps line breaks of long texts in both parts', () => {
    const email = render('result', { ...clean.result, result: '第一行\n第二行\r\n第三行' }, 'zh-CN');
    expect(email.html).toContain('第一行<br>\n第二行<br>\n第三行');
    expect(email.text).toContain('    第一行\n    第二行\n    第三行');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => render('proposal', { ...clean.proposal, statusUrl: 'javascript:alert(1)' }, 'en')).toThrow(
      /http/,
    );
  });

  it('keeps line breaks out of the subject', () => {
    const email = render('closure', { ...clean.closure, reference: 'C1\r\nBcc: x@example.com' }, 'en');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});

describe('render: variants', () => {
  it('acknowledgement marks a provisional reply date', () => {
    const zh = render('acknowledgement', { ...clean.acknowledgement, replyDueProvisional: true }, 'zh-CN');
    const en = render('acknowledgement', { ...clean.acknowledgement, replyDueProvisional: true }, 'en');
    expect(zh.text).toContain('预计的节假日安排');
    expect(en.text).toContain('expected public holidays');
    expect(render('acknowledgement', clean.acknowledgement, 'en').text).not.toContain(
      'expected public holidays',
    );
  });

  it('a revised proposal says so', () => {
    expect(render('proposal', { ...clean.proposal, round: 3 }, 'zh-CN').text).toContain('第3版');
    expect(render('proposal', { ...clean.proposal, round: 3 }, 'en').text).toContain('version 3');
  });

  it('proposal and reminder without a known deadline name no date', () => {
    for (const language of LANGS) {
      const p = render('proposal', { ...clean.proposal, decisionDueBy: undefined }, language);
      const r = render('reminder', { ...clean.reminder, decisionDueBy: undefined }, language);
      expect(p.text).not.toContain(dates.due[language]);
      expect(r.text).not.toContain(dates.due[language]);
    }
  });

  it('rejected without an opinion gives a standard explanation, in the language of the customer', () => {
    const zh = render('rejected', { ...clean.rejected, opinion: undefined }, 'zh-CN');
    const en = render('rejected', { ...clean.rejected, opinion: '  ' }, 'en');
    expect(zh.text).toContain('该投诉未能成立');
    expect(zh.text).not.toContain('核实意见');
    expect(en.text).toContain('could not be upheld');
    expect(en.text).not.toContain('Our opinion');
    expect(en.text).not.toMatch(/findings/i);
  });

  it('result without suggestions has no suggestions section', () => {
    const email = render('result', { ...clean.result, suggestions: undefined }, 'zh-CN');
    expect(email.text).not.toContain('后续建议');
  });

  it('closure explains each outcome', () => {
    expect(
      render('closure', { ...clean.closure, outcome: 'no_response', rating: undefined }, 'zh-CN').text,
    ).toContain('按“客户未答复”结案');
    expect(
      render('closure', { ...clean.closure, outcome: 'no_response', rating: undefined }, 'en').text,
    ).toContain('closed your complaint as unanswered');
    expect(
      render('closure', { ...clean.closure, outcome: 'rejected', rating: undefined }, 'en').text,
    ).toContain('Not upheld');
  });

  it('escalation for repeated declines names the reason and the count', () => {
    const zh = render('escalation', { ...clean.escalation, reason: 'declines', count: 3 }, 'zh-CN');
    const en = render(
      'escalation',
      { ...clean.escalation, reason: 'reopens', count: 3, provisional: true },
      'en',
    );
    expect(zh.text).toContain('已被客户拒绝 3 次');
    expect(en.text).toContain('reopened 3 times');
    expect(en.text).toContain('(provisional)');
  });

  it('survey result of a closed complaint does not ask for a new plan', () => {
    const email = render(
      'survey_result',
      { ...clean.survey_result, rating: 5, reopened: false, by: 'staff' },
      'zh-CN',
    );
    expect(email.text).toContain('该投诉已办结');
    expect(email.text).toContain('客服代为记录');
    expect(email.text).not.toContain('重新打开');
  });

  it('greets a customer without a name politely', () => {
    expect(render('reminder', { ...clean.reminder, customerName: ' ' }, 'zh-CN').text).toContain(
      '尊敬的客户：',
    );
    expect(render('reminder', { ...clean.reminder, customerName: '' }, 'en').text).toContain(
      'Dear customer,',
    );
  });

  it('a serious complaint found by the investigation is announced as such', () => {
    const zh = render('serious_intake', { ...clean.serious_intake, identifiedAt: 'investigation' }, 'zh-CN');
    const en = render('serious_intake', { ...clean.serious_intake, identifiedAt: 'investigation' }, 'en');
    expect(zh.subject).toBe(`【严重投诉】投诉 ${ID} 经核实为严重投诉`);
    expect(zh.text).toContain('经调查核实，被评定为严重级别');
    expect(en.subject).toBe(`[Serious complaint] Complaint ${ID} assessed as serious`);
    expect(render('serious_intake', clean.serious_intake, 'zh-CN').subject).toBe(
      `【严重投诉】新投诉 ${ID} 已受理`,
    );
  });

  it('greets once in Chinese', () => {
    for (const template of TEMPLATE_IDS) {
      const text = render(template, clean[template] as never, 'zh-CN').text;
      expect(text.split('您好').length - 1, template).toBe(1);
    }
  });

  it('uses the configured signature', () => {
    expect(render('closure', clean.closure, 'zh-CN', { signature: '某某公司客户服务部' }).text).toContain(
      '某某公司客户服务部',
    );
  });
});

describe('render: arrival notices', () => {
  it("name the step, the deadline in the recipient's time zone, and never the customer", () => {
    const review = render('arrival', { ...clean.arrival, step: 'review' }, 'zh-CN');
    expect(review.subject).toBe(`【待审核】投诉 ${ID} 的处理方案`);
    const call = render(
      'arrival',
      { ...clean.arrival, step: 'agent_follow_up', timeZone: 'Europe/Berlin' },
      'en',
    );
    expect(call.subject).toContain('please call the customer');
    // 13 Oct 10:00 UTC is 12:00 in Berlin (summer time)
    expect(call.text).toContain('13 Oct 2026, 12:00 (UTC+2)');
    expect(call.text).not.toContain('张伟');
    const mine = render('arrival', { ...clean.arrival, toAssignee: true }, 'en');
    expect(mine.text).toContain('is transferred to you.');
  });
});

describe('formatDateTime', () => {
  it('shows instants in Asia/Shanghai for both languages', () => {
    expect(formatDateTime('2026-10-13T10:00:00Z', 'zh-CN')).toBe('2026年10月13日 18:00');
    expect(formatDateTime('2026-10-13T18:00:00+08:00', 'en')).toBe('13 Oct 2026, 18:00 (UTC+8)');
    expect(formatDateTime('2026-12-31T16:05:00Z', 'zh-CN')).toBe('2027年1月1日 00:05');
    expect(formatDateTime('2026-09-01T01:00:00Z', 'en')).toBe('1 Sep 2026, 09:00 (UTC+8)');
  });

  it('leaves a value that is not an instant as it is', () => {
    expect(formatDateTime('soon', 'en')).toBe('soon');
  });
});
