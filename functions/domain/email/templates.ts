import type { Category, Channel, Language, Outcome, Severity, Step } from '../model.js';
import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  formatDateTime,
  OUTCOME_LABELS,
  SEVERITY_LABELS,
  STEP_LABELS,
} from './format.js';
import type { Block, EmailContent } from './layout.js';

/** Emails to the customer: each carries a link to the status page (with a fresh access token). */
export const CUSTOMER_TEMPLATES = [
  'acknowledgement',
  'rejected',
  'proposal',
  'reminder',
  'result',
  'survey_request',
  'closure',
] as const;
export type CustomerTemplateId = (typeof CUSTOMER_TEMPLATES)[number];

/** Emails to staff: never the complaint's text or the customer's contact details; a link to the staff console. */
export const STAFF_TEMPLATES = ['escalation', 'survey_result', 'serious_intake'] as const;
export type StaffTemplateId = (typeof STAFF_TEMPLATES)[number];

export const TEMPLATE_IDS = [...CUSTOMER_TEMPLATES, ...STAFF_TEMPLATES] as const;
export type TemplateId = CustomerTemplateId | StaffTemplateId;

export function isCustomerTemplate(template: TemplateId): template is CustomerTemplateId {
  return (CUSTOMER_TEMPLATES as readonly string[]).includes(template);
}

/** What every customer email shows. Dates are ISO instants. */
export interface CustomerEmailBase {
  /** the complaint id, which is also its reference number */
  reference: string;
  customerName: string;
  /** the complaint's subject as the customer wrote it */
  complaintSubject: string;
  /** when the complaint was received (createdAt) */
  receivedAt: string;
  /** `<statusPageBaseUrl>/status.html?id=<id>#token=<accessToken>` */
  statusUrl: string;
}

/** What every staff email shows. */
export interface StaffEmailBase {
  reference: string;
  /** `<consoleBaseUrl>/console.html#<id>` */
  consoleUrl: string;
}

export interface TemplateData {
  acknowledgement: CustomerEmailBase & {
    description: string;
    /** the promised reply date */
    replyDueBy: string;
    replyDueProvisional?: boolean;
  };
  rejected: CustomerEmailBase & {
    /**
     * the investigation's opinion, written for the customer; without it the email gives a
     * standard explanation. Never the findings: they are internal.
     */
    opinion?: string;
  };
  proposal: CustomerEmailBase & {
    plan: string;
    /** 1 for the first plan; more after a return, decline or reopen */
    round: number;
    /** the customer's decision deadline, when known */
    decisionDueBy?: string;
  };
  reminder: CustomerEmailBase & { plan: string; decisionDueBy?: string };
  result: CustomerEmailBase & { result: string; basis: string; suggestions?: string };
  survey_request: CustomerEmailBase & { surveyDueBy?: string };
  closure: CustomerEmailBase & { outcome: Outcome; closedAt: string; rating?: number };
  escalation: StaffEmailBase & {
    step: Step;
    /** 1 = stage owner's supervisor, 2 = manager, 3+ = senior management */
    level: number;
    /** the new deadline of this level */
    dueAt: string;
    provisional?: boolean;
    /** why: the step's deadline passed (default), or too many declines / reopens */
    reason?: 'timeout' | 'declines' | 'reopens';
    /** declines or reopens so far, for those reasons */
    count?: number;
    /** display name of the responsible department, when there is one */
    departmentName?: string;
  };
  survey_result: StaffEmailBase & {
    rating: number;
    comment?: string;
    answeredAt: string;
    by: 'customer' | 'staff';
    /** true when the rating reopened the complaint (back to the department for a new plan) */
    reopened?: boolean;
    departmentName?: string;
  };
  serious_intake: StaffEmailBase & {
    /** when the complaint was found serious: on intake (default) or by the investigation */
    identifiedAt?: 'intake' | 'investigation';
    channel: Channel;
    category?: Category;
    severity: Severity;
    receivedAt: string;
    replyDueBy: string;
    departmentName?: string;
  };
}

export interface RenderOptions {
  /** the signature under customer emails; defaults to the customer service centre */
  signature?: string;
}

type Build<T extends TemplateId> = (data: TemplateData[T], options: RenderOptions) => EmailContent;
type LanguageTemplates = { [T in TemplateId]: Build<T> };

/** A text that says something (absent, empty or blank: no). */
function hasText(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

// ---------------------------------------------------------------------------------------
// Simplified Chinese
// ---------------------------------------------------------------------------------------

const ZH = 'zh-CN' as const;
const zhDate = (iso: string) => formatDateTime(iso, ZH);

function zhGreeting(name: string): string {
  const trimmed = name.trim();
  return trimmed ? `尊敬的${trimmed}：` : '尊敬的客户：';
}

function zhCustomer(
  data: CustomerEmailBase,
  options: RenderOptions,
  parts: { subject: string; heading: string; blocks: Block[]; action: string; closing?: string },
): EmailContent {
  return {
    language: ZH,
    subject: parts.subject,
    heading: parts.heading,
    greeting: zhGreeting(data.customerName),
    blocks: parts.blocks,
    action: {
      label: parts.action,
      url: data.statusUrl,
      fallback: '如果按钮无法打开，请将以下链接复制到浏览器中访问：',
    },
    closing: [parts.closing ?? '感谢您的理解与支持！', '', options.signature ?? '客户服务中心'],
    footer: [
      `投诉编号：${data.reference}。如有疑问，请直接回复本邮件，或在联系我们时提供投诉编号。`,
      '上述链接仅供您本人查看投诉处理进度，请勿转发他人。',
    ],
  };
}

function zhFacts(data: CustomerEmailBase, more: { label: string; value: string }[] = []): Block {
  return {
    kind: 'facts',
    rows: [
      { label: '投诉编号', value: data.reference },
      { label: '投诉主题', value: data.complaintSubject },
      { label: '受理时间', value: zhDate(data.receivedAt) },
      ...more,
    ],
  };
}

const STAFF_FOOTER_ZH = [
  '本邮件由投诉处理系统自动发送。',
  '为保护客户隐私，邮件中不含投诉内容及客户联系方式，请登录员工控制台查看详情。',
];

function zhStaff(
  data: StaffEmailBase,
  parts: { subject: string; heading: string; blocks: Block[] },
): EmailContent {
  return {
    language: ZH,
    subject: parts.subject,
    heading: parts.heading,
    greeting: '您好！',
    blocks: parts.blocks,
    action: { label: '在员工控制台中打开', url: data.consoleUrl, fallback: '如果按钮无法打开，请访问：' },
    closing: ['投诉处理系统'],
    footer: STAFF_FOOTER_ZH,
  };
}

const zhTemplates: LanguageTemplates = {
  acknowledgement: (d, o) =>
    zhCustomer(d, o, {
      subject: `投诉受理通知（投诉编号：${d.reference}）`,
      heading: '您的投诉已受理',
      blocks: [
        {
          kind: 'paragraph',
          text: `您好！感谢您将遇到的问题告诉我们。您的投诉已于${zhDate(d.receivedAt)}受理，投诉编号为 ${d.reference}，请妥善保存，以便查询和沟通时使用。`,
        },
        zhFacts(d, [{ label: '承诺答复日期', value: `${zhDate(d.replyDueBy)} 前` }]),
        { kind: 'quote', label: '您反映的问题', text: d.description },
        {
          kind: 'steps',
          title: '接下来的处理',
          items: [
            '客户服务人员将尽快核实您反映的情况，必要时会与您联系，了解更多细节。',
            '核实后，由责任部门制定处理方案，经部门主管审核后，通过邮件发送给您确认。',
            `我们承诺最迟于${zhDate(d.replyDueBy)}前给您答复。`,
          ],
        },
        ...(d.replyDueProvisional
          ? [
              {
                kind: 'note',
                text: '注：该日期按预计的节假日安排计算，如国家公布的节假日安排有所调整，答复日期将相应顺延。',
              } as const,
            ]
          : []),
        { kind: 'paragraph', text: '您可以随时通过下方链接查看投诉的处理进度。' },
      ],
      action: '查看处理进度',
      closing: '给您带来的不便，我们深表歉意。我们会认真对待您的意见，尽快给您答复。',
    }),

  rejected: (d, o) =>
    zhCustomer(d, o, {
      subject: `投诉核实结果通知（投诉编号：${d.reference}）`,
      heading: '投诉核实结果',
      blocks: [
        {
          kind: 'paragraph',
          text: `您好！感谢您于${zhDate(d.receivedAt)}向我们提出投诉。我们已对您反映的情况进行了认真核实。`,
        },
        zhFacts(d),
        ...(hasText(d.opinion)
          ? ([
              { kind: 'paragraph', text: '经核实，该投诉未能成立，具体意见如下：' },
              { kind: 'quote', label: '核实意见', text: d.opinion },
            ] as const)
          : ([
              {
                kind: 'paragraph',
                text: '经核实，根据我们掌握的情况以及相关的服务规定，该投诉未能成立。我们理解这一结果可能与您的期望不同，对此深表歉意。',
              },
            ] as const)),
        {
          kind: 'paragraph',
          text: '本投诉将就此结案。如您对上述意见有异议，或有新的情况需要补充，欢迎直接回复本邮件或联系我们的客服人员，我们将重新了解情况。',
        },
      ],
      action: '查看投诉详情',
    }),

  proposal: (d, o) =>
    zhCustomer(d, o, {
      subject: `处理方案待您确认（投诉编号：${d.reference}）`,
      heading: '请确认投诉处理方案',
      blocks: [
        {
          kind: 'paragraph',
          text:
            d.round > 1
              ? `您好！根据您的意见，我们对投诉的处理方案进行了修改（第${d.round}版），修改后的方案已经部门主管审核，具体如下：`
              : '您好！针对您反映的问题，我们的责任部门经认真研究，提出了以下处理方案，并已经部门主管审核：',
        },
        zhFacts(d),
        { kind: 'quote', label: '处理方案', text: d.plan },
        {
          kind: 'paragraph',
          text: `请您${d.decisionDueBy ? `于${zhDate(d.decisionDueBy)}前` : ''}通过下方链接查看方案，并告诉我们是否接受。如您不接受，请留下您的意见，我们将据此重新研究处理方案。`,
        },
      ],
      action: '查看并答复处理方案',
    }),

  reminder: (d, o) =>
    zhCustomer(d, o, {
      subject: `温馨提醒：处理方案尚待您确认（投诉编号：${d.reference}）`,
      heading: '处理方案尚待您确认',
      blocks: [
        {
          kind: 'paragraph',
          text: '您好！我们此前已就您的投诉向您发送了处理方案，目前尚未收到您的答复。方案内容如下：',
        },
        zhFacts(d),
        { kind: 'quote', label: '处理方案', text: d.plan },
        {
          kind: 'paragraph',
          text: d.decisionDueBy
            ? `请您于${zhDate(d.decisionDueBy)}前通过下方链接告诉我们是否接受该方案。如届时仍未收到您的答复，本投诉将按“客户未答复”结案。`
            : '请您尽快通过下方链接告诉我们是否接受该方案。如长时间未收到您的答复，本投诉将按“客户未答复”结案。',
        },
        { kind: 'note', text: '结案后如您仍需要帮助，欢迎随时与我们联系。' },
      ],
      action: '查看并答复处理方案',
    }),

  result: (d, o) =>
    zhCustomer(d, o, {
      subject: `投诉处理结果通知（投诉编号：${d.reference}）`,
      heading: '投诉处理结果',
      blocks: [
        { kind: 'paragraph', text: '您好！您的投诉已按您确认的方案处理完毕，现将处理结果告知如下：' },
        zhFacts(d),
        { kind: 'quote', label: '处理结果', text: d.result },
        { kind: 'quote', label: '处理依据', text: d.basis },
        ...(d.suggestions?.trim()
          ? [{ kind: 'quote', label: '后续建议', text: d.suggestions } as const]
          : []),
        {
          kind: 'paragraph',
          text: '如您对处理结果有任何疑问，欢迎直接回复本邮件。稍后我们将邀请您对本次处理进行评价，您的意见对我们非常重要。',
        },
      ],
      action: '查看投诉详情',
    }),

  survey_request: (d, o) =>
    zhCustomer(d, o, {
      subject: `诚邀您评价本次投诉处理（投诉编号：${d.reference}）`,
      heading: '请您评价本次投诉处理',
      blocks: [
        {
          kind: 'paragraph',
          text: '您好！您的投诉已处理完毕。为了不断改进我们的服务，诚挚地邀请您对本次处理的过程和结果进行评价（1～5 分，5 分为非常满意），并留下您的宝贵意见。',
        },
        zhFacts(d),
        {
          kind: 'paragraph',
          text: `${d.surveyDueBy ? `请于${zhDate(d.surveyDueBy)}前完成评价，` : ''}评价只需一分钟。如您对处理结果不满意，我们将重新跟进，直至问题得到妥善解决。`,
        },
      ],
      action: '评价本次处理',
      closing: '衷心感谢您的支持！',
    }),

  closure: (d, o) => {
    const text =
      d.outcome === 'no_response'
        ? `您好！我们此前就您的投诉向您发送了处理方案和提醒，但截至${zhDate(d.closedAt)}仍未收到您的答复，本投诉已按“客户未答复”结案。如您仍需要帮助，欢迎直接回复本邮件或联系我们的客服人员，我们将继续为您处理。`
        : d.outcome === 'rejected'
          ? `您好！您的投诉已于${zhDate(d.closedAt)}结案。如您有新的情况需要补充，欢迎直接回复本邮件或联系我们的客服人员。`
          : `您好！您的投诉已于${zhDate(d.closedAt)}办结。${
              d.rating ? `感谢您给予的 ${d.rating} 分评价，` : ''
            }感谢您的耐心与配合，您的意见帮助我们改进服务。今后如有任何问题，欢迎随时与我们联系。`;
    return zhCustomer(d, o, {
      subject: `投诉结案通知（投诉编号：${d.reference}）`,
      heading: '您的投诉已结案',
      blocks: [
        { kind: 'paragraph', text },
        zhFacts(d, [
          { label: '结案时间', value: zhDate(d.closedAt) },
          { label: '处理结果', value: OUTCOME_LABELS[ZH][d.outcome] },
          ...(d.rating ? [{ label: '您的评价', value: `${d.rating} 分（满分 5 分）` }] : []),
        ]),
      ],
      action: '查看投诉记录',
    });
  },

  escalation: (d) => {
    const step = STEP_LABELS[ZH][d.step];
    const why =
      d.reason === 'declines'
        ? `该投诉的处理方案已被客户拒绝${d.count ? ` ${d.count} 次` : '多次'}，现升级至您处（第 ${d.level} 级），请协调解决。`
        : d.reason === 'reopens'
          ? `该投诉因客户不满意已重新处理${d.count ? ` ${d.count} 次` : '多次'}，现升级至您处（第 ${d.level} 级），请协调解决。`
          : `以下投诉的“${step}”环节已超过办理期限，现升级至您处（第 ${d.level} 级）。请督促相关人员尽快办理，或直接在员工控制台中处理。`;
    return zhStaff(d, {
      subject: `【投诉升级·第${d.level}级】${d.reference}：${step}${d.reason && d.reason !== 'timeout' ? '待协调' : '已超时'}`,
      heading: `投诉升级提醒（第 ${d.level} 级）`,
      blocks: [
        { kind: 'paragraph', text: why },
        {
          kind: 'facts',
          rows: [
            { label: '投诉编号', value: d.reference },
            { label: '当前环节', value: step },
            { label: '升级级别', value: `第 ${d.level} 级` },
            ...(d.departmentName ? [{ label: '责任部门', value: d.departmentName }] : []),
            { label: '新的办理期限', value: `${zhDate(d.dueAt)}${d.provisional ? '（预计）' : ''}` },
          ],
        },
      ],
    });
  },

  survey_result: (d) =>
    zhStaff(d, {
      subject: `投诉回访结果：${d.rating} 分（投诉编号：${d.reference}）`,
      heading: '投诉回访结果',
      blocks: [
        {
          kind: 'paragraph',
          text: `${d.departmentName ? `贵部门（${d.departmentName}）` : '贵部门'}负责处理的投诉已完成客户回访，结果如下：`,
        },
        {
          kind: 'facts',
          rows: [
            { label: '投诉编号', value: d.reference },
            { label: '满意度评分', value: `${d.rating} 分（满分 5 分）` },
            { label: '评价时间', value: zhDate(d.answeredAt) },
            { label: '评价方式', value: d.by === 'customer' ? '客户在线评价' : '客服代为记录' },
          ],
        },
        ...(d.comment?.trim() ? [{ kind: 'quote', label: '客户意见', text: d.comment } as const] : []),
        {
          kind: 'paragraph',
          text: d.reopened
            ? '客户对处理结果不满意，该投诉已重新打开，请贵部门重新制定处理方案。'
            : '该投诉已办结，请将客户意见纳入部门的服务改进。',
        },
      ],
    }),

  serious_intake: (d) =>
    zhStaff(d, {
      subject:
        d.identifiedAt === 'investigation'
          ? `【严重投诉】投诉 ${d.reference} 经核实为严重投诉`
          : `【严重投诉】新投诉 ${d.reference} 已受理`,
      heading: d.identifiedAt === 'investigation' ? '严重投诉提醒' : '严重投诉受理提醒',
      blocks: [
        {
          kind: 'paragraph',
          text:
            d.identifiedAt === 'investigation'
              ? '以下投诉经调查核实，被评定为严重级别，请您关注，并督促相关部门及时处理。'
              : '系统刚刚受理了一件严重级别的投诉，请您关注，并督促相关部门及时处理。',
        },
        {
          kind: 'facts',
          rows: [
            { label: '投诉编号', value: d.reference },
            { label: '受理时间', value: zhDate(d.receivedAt) },
            { label: '投诉渠道', value: CHANNEL_LABELS[ZH][d.channel] },
            ...(d.category ? [{ label: '投诉类别', value: CATEGORY_LABELS[ZH][d.category] }] : []),
            { label: '严重程度', value: SEVERITY_LABELS[ZH][d.severity] },
            ...(d.departmentName ? [{ label: '责任部门', value: d.departmentName }] : []),
            { label: '承诺答复日期', value: zhDate(d.replyDueBy) },
          ],
        },
      ],
    }),
};

// ---------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------

const EN = 'en' as const;
const enDate = (iso: string) => formatDateTime(iso, EN);

function enCustomer(
  data: CustomerEmailBase,
  options: RenderOptions,
  parts: { subject: string; heading: string; blocks: Block[]; action: string; closing?: string },
): EmailContent {
  const name = data.customerName.trim();
  return {
    language: EN,
    subject: parts.subject,
    heading: parts.heading,
    greeting: name ? `Dear ${name},` : 'Dear customer,',
    blocks: parts.blocks,
    action: {
      label: parts.action,
      url: data.statusUrl,
      fallback: 'If the button does not work, copy this link into your browser:',
    },
    closing: [
      parts.closing ?? 'Thank you for your patience.',
      '',
      'Kind regards,',
      options.signature ?? 'Customer Care',
    ],
    footer: [
      `Reference: ${data.reference}. If you have any questions, simply reply to this email or quote the reference when you contact us.`,
      'The link above shows your complaint to anyone who has it: please do not forward it.',
    ],
  };
}

function enFacts(data: CustomerEmailBase, more: { label: string; value: string }[] = []): Block {
  return {
    kind: 'facts',
    rows: [
      { label: 'Reference', value: data.reference },
      { label: 'Subject', value: data.complaintSubject },
      { label: 'Received', value: enDate(data.receivedAt) },
      ...more,
    ],
  };
}

const STAFF_FOOTER_EN = [
  'Sent automatically by the complaint handling system.',
  "To protect the customer's privacy, this email contains neither the complaint nor the customer's contact details: open the staff console for them.",
];

function enStaff(
  data: StaffEmailBase,
  parts: { subject: string; heading: string; blocks: Block[] },
): EmailContent {
  return {
    language: EN,
    subject: parts.subject,
    heading: parts.heading,
    greeting: 'Hello,',
    blocks: parts.blocks,
    action: {
      label: 'Open in the staff console',
      url: data.consoleUrl,
      fallback: 'If the button does not work, go to:',
    },
    closing: ['Complaint handling system'],
    footer: STAFF_FOOTER_EN,
  };
}

const ordinalLevel = (level: number) => `level ${level}`;

const enTemplates: LanguageTemplates = {
  acknowledgement: (d, o) =>
    enCustomer(d, o, {
      subject: `We have received your complaint (reference ${d.reference})`,
      heading: 'We have received your complaint',
      blocks: [
        {
          kind: 'paragraph',
          text: `Thank you for telling us about the problem you experienced. We received your complaint on ${enDate(d.receivedAt)}. Your reference number is ${d.reference}: please keep it for any questions you may have.`,
        },
        enFacts(d, [{ label: 'We will reply by', value: enDate(d.replyDueBy) }]),
        { kind: 'quote', label: 'What you told us', text: d.description },
        {
          kind: 'steps',
          title: 'What happens next',
          items: [
            'Our customer service team will look into what you told us and may contact you for more details.',
            'The department responsible will then propose a solution. Once a supervisor has approved it, we will email it to you for your decision.',
            `We will reply to you by ${enDate(d.replyDueBy)} at the latest.`,
          ],
        },
        ...(d.replyDueProvisional
          ? [
              {
                kind: 'note',
                text: 'This date is based on the expected public holidays. If the official holiday schedule differs, the date moves accordingly.',
              } as const,
            ]
          : []),
        {
          kind: 'paragraph',
          text: 'You can follow the progress of your complaint at any time with the link below.',
        },
      ],
      action: 'Follow your complaint',
      closing: 'We are sorry for the inconvenience, and we will get back to you as soon as we can.',
    }),

  rejected: (d, o) =>
    enCustomer(d, o, {
      subject: `The outcome of our review of your complaint (reference ${d.reference})`,
      heading: 'The outcome of our review',
      blocks: [
        {
          kind: 'paragraph',
          text: `Thank you for the complaint you sent us on ${enDate(d.receivedAt)}. We have looked carefully into what you told us.`,
        },
        enFacts(d),
        ...(hasText(d.opinion)
          ? ([
              {
                kind: 'paragraph',
                text: 'Having reviewed it, we found that the complaint could not be upheld, for these reasons:',
              },
              { kind: 'quote', label: 'Our opinion', text: d.opinion },
            ] as const)
          : ([
              {
                kind: 'paragraph',
                text: 'Having reviewed it against the information available to us and our service terms, we found that the complaint could not be upheld. We understand this may not be the outcome you hoped for, and we are sorry for that.',
              },
            ] as const)),
        {
          kind: 'paragraph',
          text: 'We are therefore closing this complaint. If you disagree with this outcome or have new information, please reply to this email or contact our customer service team, and we will look into it again.',
        },
      ],
      action: 'View your complaint',
    }),

  proposal: (d, o) =>
    enCustomer(d, o, {
      subject: `Please review our proposed solution (reference ${d.reference})`,
      heading: 'Our proposed solution',
      blocks: [
        {
          kind: 'paragraph',
          text:
            d.round > 1
              ? `Following your comments, we have revised our proposed solution (version ${d.round}). A supervisor has approved the revised proposal:`
              : 'The department responsible has looked into your complaint and proposes the solution below, which a supervisor has approved:',
        },
        enFacts(d),
        { kind: 'quote', label: 'Proposed solution', text: d.plan },
        {
          kind: 'paragraph',
          text: `Please use the link below to tell us whether you accept it${
            d.decisionDueBy ? `, by ${enDate(d.decisionDueBy)}` : ''
          }. If you do not, please tell us why, and we will work on a new proposal.`,
        },
      ],
      action: 'Review and respond',
    }),

  reminder: (d, o) =>
    enCustomer(d, o, {
      subject: `Reminder: our proposed solution awaits your decision (reference ${d.reference})`,
      heading: 'Our proposal awaits your decision',
      blocks: [
        {
          kind: 'paragraph',
          text: 'We recently sent you our proposed solution to your complaint and have not heard from you yet. Here it is again:',
        },
        enFacts(d),
        { kind: 'quote', label: 'Proposed solution', text: d.plan },
        {
          kind: 'paragraph',
          text: d.decisionDueBy
            ? `Please use the link below to tell us by ${enDate(d.decisionDueBy)} whether you accept it. If we have not heard from you by then, we will close the complaint as unanswered.`
            : 'Please use the link below to tell us whether you accept it. If we do not hear from you, we will close the complaint as unanswered.',
        },
        {
          kind: 'note',
          text: 'If you still need help after that, you are welcome to contact us at any time.',
        },
      ],
      action: 'Review and respond',
    }),

  result: (d, o) =>
    enCustomer(d, o, {
      subject: `The result of your complaint (reference ${d.reference})`,
      heading: 'The result of your complaint',
      blocks: [
        { kind: 'paragraph', text: 'We have carried out the solution you accepted. Here is the result:' },
        enFacts(d),
        { kind: 'quote', label: 'Result', text: d.result },
        { kind: 'quote', label: 'Basis', text: d.basis },
        ...(d.suggestions?.trim()
          ? [{ kind: 'quote', label: 'Our suggestions', text: d.suggestions } as const]
          : []),
        {
          kind: 'paragraph',
          text: 'If you have any questions about the result, simply reply to this email. We will shortly ask you how satisfied you are: your opinion matters to us.',
        },
      ],
      action: 'View your complaint',
    }),

  survey_request: (d, o) =>
    enCustomer(d, o, {
      subject: `How did we do? (reference ${d.reference})`,
      heading: 'How did we handle your complaint?',
      blocks: [
        {
          kind: 'paragraph',
          text: 'Your complaint has been dealt with. To help us improve, please rate how we handled it, from 1 to 5 (5 = very satisfied), and tell us what you think.',
        },
        enFacts(d),
        {
          kind: 'paragraph',
          text: `It takes a minute${d.surveyDueBy ? `; please answer by ${enDate(d.surveyDueBy)}` : ''}. If you are not satisfied with the result, we will take your complaint up again until it is properly resolved.`,
        },
      ],
      action: 'Rate our handling',
      closing: 'Thank you for your help.',
    }),

  closure: (d, o) => {
    const text =
      d.outcome === 'no_response'
        ? `We sent you our proposed solution and a reminder, but had not heard from you by ${enDate(d.closedAt)}, so we have closed your complaint as unanswered. If you still need help, please reply to this email or contact our customer service team and we will continue.`
        : d.outcome === 'rejected'
          ? `Your complaint was closed on ${enDate(d.closedAt)}. If you have new information, please reply to this email or contact our customer service team.`
          : `Your complaint was resolved and closed on ${enDate(d.closedAt)}. ${
              d.rating
                ? `Thank you for your rating of ${d.rating} out of 5, and for your patience. `
                : 'Thank you for your patience. '
            }Your feedback helps us improve. If anything else comes up, you are welcome to contact us at any time.`;
    return enCustomer(d, o, {
      subject: `Your complaint is closed (reference ${d.reference})`,
      heading: 'Your complaint is closed',
      blocks: [
        { kind: 'paragraph', text },
        enFacts(d, [
          { label: 'Closed', value: enDate(d.closedAt) },
          { label: 'Outcome', value: OUTCOME_LABELS[EN][d.outcome] },
          ...(d.rating ? [{ label: 'Your rating', value: `${d.rating} out of 5` }] : []),
        ]),
      ],
      action: 'View your complaint',
    });
  },

  escalation: (d) => {
    const step = STEP_LABELS[EN][d.step];
    const times = (n?: number) => (n ? `${n} times` : 'several times');
    const why =
      d.reason === 'declines'
        ? `The customer has declined the proposed solution ${times(d.count)}. The complaint is escalated to you (${ordinalLevel(d.level)}): please help resolve it.`
        : d.reason === 'reopens'
          ? `The complaint has been reopened ${times(d.count)} because the customer was not satisfied. It is escalated to you (${ordinalLevel(d.level)}): please help resolve it.`
          : `The "${step}" step of this complaint is past its deadline and is escalated to you (${ordinalLevel(d.level)}). Please make sure it is dealt with, or act on it in the staff console.`;
    return enStaff(d, {
      subject: `[Escalation level ${d.level}] ${d.reference}: ${step} ${d.reason && d.reason !== 'timeout' ? 'needs attention' : 'overdue'}`,
      heading: `Complaint escalated (level ${d.level})`,
      blocks: [
        { kind: 'paragraph', text: why },
        {
          kind: 'facts',
          rows: [
            { label: 'Reference', value: d.reference },
            { label: 'Step', value: step },
            { label: 'Escalation level', value: String(d.level) },
            ...(d.departmentName ? [{ label: 'Department', value: d.departmentName }] : []),
            { label: 'New deadline', value: `${enDate(d.dueAt)}${d.provisional ? ' (provisional)' : ''}` },
          ],
        },
      ],
    });
  },

  survey_result: (d) =>
    enStaff(d, {
      subject: `Survey result: ${d.rating}/5 for complaint ${d.reference}`,
      heading: 'Customer survey result',
      blocks: [
        {
          kind: 'paragraph',
          text: `The customer has rated the handling of a complaint ${d.departmentName ? `that ${d.departmentName} handled` : 'that your department handled'}:`,
        },
        {
          kind: 'facts',
          rows: [
            { label: 'Reference', value: d.reference },
            { label: 'Rating', value: `${d.rating} out of 5` },
            { label: 'Answered', value: enDate(d.answeredAt) },
            {
              label: 'Recorded by',
              value: d.by === 'customer' ? 'the customer, online' : 'an agent, on the customer’s behalf',
            },
          ],
        },
        ...(d.comment?.trim()
          ? [{ kind: 'quote', label: "The customer's comment", text: d.comment } as const]
          : []),
        {
          kind: 'paragraph',
          text: d.reopened
            ? 'The customer is not satisfied, so the complaint has been reopened: please propose a new solution.'
            : 'The complaint is closed. Please take the feedback into account in your service improvements.',
        },
      ],
    }),

  serious_intake: (d) =>
    enStaff(d, {
      subject:
        d.identifiedAt === 'investigation'
          ? `[Serious complaint] Complaint ${d.reference} assessed as serious`
          : `[Serious complaint] New complaint ${d.reference} received`,
      heading:
        d.identifiedAt === 'investigation' ? 'Complaint assessed as serious' : 'Serious complaint received',
      blocks: [
        {
          kind: 'paragraph',
          text:
            d.identifiedAt === 'investigation'
              ? 'The investigation has assessed this complaint as serious. Please keep an eye on it and make sure it is handled promptly.'
              : 'A complaint of serious severity has just been received. Please keep an eye on it and make sure it is handled promptly.',
        },
        {
          kind: 'facts',
          rows: [
            { label: 'Reference', value: d.reference },
            { label: 'Received', value: enDate(d.receivedAt) },
            { label: 'Channel', value: CHANNEL_LABELS[EN][d.channel] },
            ...(d.category ? [{ label: 'Category', value: CATEGORY_LABELS[EN][d.category] }] : []),
            { label: 'Severity', value: SEVERITY_LABELS[EN][d.severity] },
            ...(d.departmentName ? [{ label: 'Department', value: d.departmentName }] : []),
            { label: 'Reply promised by', value: enDate(d.replyDueBy) },
          ],
        },
      ],
    }),
};

export const TEMPLATES: Record<Language, LanguageTemplates> = { 'zh-CN': zhTemplates, en: enTemplates };
