import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  formatDateTime,
  hasText,
  OUTCOME_LABELS,
  SEVERITY_LABELS,
  STEP_LABELS,
} from './format.js';
import type { Block, EmailContent } from './layout.js';
import type { CustomerEmailBase, LanguageTemplates, RenderOptions, StaffEmailBase } from './templates.js';

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

export const zhCN: LanguageTemplates = {
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

  extension: (d, o) =>
    zhCustomer(d, o, {
      subject: `关于延期处理您的投诉的说明（投诉编号：${d.reference}）`,
      heading: '您的投诉需延期处理',
      blocks: [
        {
          kind: 'paragraph',
          text: `您好！很抱歉，为妥善处理您的投诉，我们需要更多时间。我们将于${zhDate(d.newDueBy)}前答复您${d.provisional ? '（如法定节假日安排调整，该日期可能相应变动）' : ''}。`,
        },
        zhFacts(d),
        { kind: 'quote', label: '延期原因', text: d.reason },
        { kind: 'paragraph', text: '您可随时通过下方链接查看投诉处理进度。' },
      ],
      action: '查看投诉进度',
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

  arrival: (d) => {
    const step = STEP_LABELS[ZH][d.step];
    const due = `${formatDateTime(d.dueAt, ZH, d.timeZone)}${d.provisional ? '（预计）' : ''}`;
    const dept = d.departmentName ? `（${d.departmentName}）` : '';
    const what: Record<string, { subject: string; heading: string; text: string }> = {
      investigation: {
        subject: `【待调查】投诉 ${d.reference}`,
        heading: '新投诉待调查',
        text: `以下投诉已受理，请核实情况并在 ${due} 前完成调查。`,
      },
      proposal: {
        subject: `【客户投诉传递单】${d.reference}：请于 ${due} 前答复处理方案`,
        heading: '客户投诉传递单',
        text: `以下客户投诉经核实情况属实，现传递至${d.toAssignee ? '您' : `贵部门${dept}`}处理。请调查原因，并于 ${due} 前在员工控制台中提交答复及解决方案。`,
      },
      review: {
        subject: `【待审核】投诉 ${d.reference} 的处理方案`,
        heading: '处理方案待审核',
        text: `以下投诉的处理方案已提交，请于 ${due} 前审核（批准或退回修改）。`,
      },
      implementation: {
        subject: `【待实施】投诉 ${d.reference}：客户已接受处理方案`,
        heading: '处理方案待实施',
        text: `客户已接受以下投诉的处理方案，请于 ${due} 前落实，并在员工控制台中记录处理结果。`,
      },
      agent_follow_up: {
        subject: `【待回访】投诉 ${d.reference}：请电话回访客户`,
        heading: '回访电话待办',
        text: `客户未在期限内完成满意度调查，请于 ${due} 前电话回访，并代客户记录评价。客户联系方式请在员工控制台中查看。`,
      },
    };
    const w = what[d.step] ?? {
      subject: `【待办】投诉 ${d.reference}：${step}`,
      heading: `${step}待办`,
      text: `以下投诉的“${step}”环节已开始，请于 ${due} 前办理。`,
    };
    return {
      ...zhStaff(d, {
        subject: w.subject,
        heading: w.heading,
        blocks: [
          { kind: 'paragraph', text: w.text },
          {
            kind: 'facts',
            rows: [
              { label: '投诉编号', value: d.reference },
              { label: '当前环节', value: step },
              ...(d.departmentName ? [{ label: '责任部门', value: d.departmentName }] : []),
              { label: '受理时间', value: formatDateTime(d.receivedAt, ZH, d.timeZone) },
              { label: '投诉渠道', value: CHANNEL_LABELS[ZH][d.channel] },
              ...(d.category ? [{ label: '投诉类别', value: CATEGORY_LABELS[ZH][d.category] }] : []),
              ...(d.severity ? [{ label: '严重程度', value: SEVERITY_LABELS[ZH][d.severity] }] : []),
              { label: '办理期限', value: due },
            ],
          },
          { kind: 'quote', label: `客户诉求：${d.subject}`, text: d.request },
        ],
      }),
      footer: [
        '本邮件由投诉处理系统自动发送。',
        '为保护客户隐私，邮件中不含客户姓名及联系方式，请登录员工控制台查看详情；请勿转发本邮件。',
      ],
    };
  },

  deadline_warning: (d) => {
    const step = STEP_LABELS[ZH][d.step];
    const due = `${formatDateTime(d.dueAt, ZH, d.timeZone)}${d.provisional ? '（预计）' : ''}`;
    return zhStaff(d, {
      subject: `【即将超时】投诉 ${d.reference}：${step}须于 ${due} 前完成`,
      heading: '办理期限即将到期',
      blocks: [
        {
          kind: 'paragraph',
          text: `以下投诉的“${step}”环节将于 ${due} 到期${d.level > 0 ? `（已升级至第 ${d.level} 级）` : ''}。请${d.toAssignee ? '您' : '贵部门'}尽快办理；逾期将${d.level > 0 ? '继续' : ''}升级处理。`,
        },
        {
          kind: 'facts',
          rows: [
            { label: '投诉编号', value: d.reference },
            { label: '当前环节', value: step },
            ...(d.level > 0 ? [{ label: '升级级别', value: `第 ${d.level} 级` }] : []),
            ...(d.departmentName ? [{ label: '责任部门', value: d.departmentName }] : []),
            { label: '办理期限', value: due },
          ],
        },
      ],
    });
  },

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
