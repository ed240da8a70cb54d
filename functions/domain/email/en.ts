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

export const en: LanguageTemplates = {
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

  extension: (d, o) =>
    enCustomer(d, o, {
      subject: `We need more time for your complaint (reference ${d.reference})`,
      heading: 'We need more time',
      blocks: [
        {
          kind: 'paragraph',
          text: `We are sorry: we need more time to handle your complaint properly. We will now reply by ${enDate(d.newDueBy)}${d.provisional ? ' (this date may still move if the public holidays are changed)' : ''}.`,
        },
        enFacts(d),
        { kind: 'quote', label: 'Why', text: d.reason },
        { kind: 'paragraph', text: 'You can follow your complaint at any time with the link below.' },
      ],
      action: 'View your complaint',
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

  arrival: (d) => {
    const step = STEP_LABELS[EN][d.step];
    const due = `${formatDateTime(d.dueAt, EN, d.timeZone)}${d.provisional ? ' (provisional)' : ''}`;
    const you = d.toAssignee
      ? 'you'
      : d.departmentName
        ? `your department (${d.departmentName})`
        : 'your department';
    const what: Record<string, { subject: string; heading: string; text: string }> = {
      investigation: {
        subject: `[To investigate] Complaint ${d.reference}`,
        heading: 'New complaint to investigate',
        text: `The complaint below has been received. Please check the facts and complete the investigation by ${due}.`,
      },
      proposal: {
        subject: `[Complaint transfer] ${d.reference}: please propose a solution by ${due}`,
        heading: 'Complaint transfer form',
        text: `The complaint below has been found valid and is transferred to ${you}. Please find the cause and submit your answer and solution in the staff console by ${due}.`,
      },
      review: {
        subject: `[To review] The plan for complaint ${d.reference}`,
        heading: 'A plan awaits your review',
        text: `A plan has been proposed for the complaint below. Please review it (approve or return it) by ${due}.`,
      },
      implementation: {
        subject: `[To carry out] Complaint ${d.reference}: the customer accepted the plan`,
        heading: 'A plan to carry out',
        text: `The customer has accepted the plan for the complaint below. Please carry it out by ${due} and record the result in the staff console.`,
      },
      agent_follow_up: {
        subject: `[Follow-up call] Complaint ${d.reference}: please call the customer`,
        heading: 'A follow-up call is due',
        text: `The customer did not answer the satisfaction survey in time. Please call them by ${due} and record their rating on their behalf. Their contact details are in the staff console.`,
      },
    };
    const w = what[d.step] ?? {
      subject: `[To do] Complaint ${d.reference}: ${step}`,
      heading: `${step}: to do`,
      text: `The "${step}" step of the complaint below has started. Please deal with it by ${due}.`,
    };
    return {
      ...enStaff(d, {
        subject: w.subject,
        heading: w.heading,
        blocks: [
          { kind: 'paragraph', text: w.text },
          {
            kind: 'facts',
            rows: [
              { label: 'Reference', value: d.reference },
              { label: 'Step', value: step },
              ...(d.departmentName ? [{ label: 'Department', value: d.departmentName }] : []),
              { label: 'Received', value: formatDateTime(d.receivedAt, EN, d.timeZone) },
              { label: 'Channel', value: CHANNEL_LABELS[EN][d.channel] },
              ...(d.category ? [{ label: 'Category', value: CATEGORY_LABELS[EN][d.category] }] : []),
              ...(d.severity ? [{ label: 'Severity', value: SEVERITY_LABELS[EN][d.severity] }] : []),
              { label: 'Deadline', value: due },
            ],
          },
          { kind: 'quote', label: `The customer's request: ${d.subject}`, text: d.request },
        ],
      }),
      footer: [
        'Sent automatically by the complaint handling system.',
        "To protect the customer's privacy, this email contains neither their name nor their contact details: open the staff console for them. Please do not forward it.",
      ],
    };
  },

  deadline_warning: (d) => {
    const step = STEP_LABELS[EN][d.step];
    const due = `${formatDateTime(d.dueAt, EN, d.timeZone)}${d.provisional ? ' (provisional)' : ''}`;
    return enStaff(d, {
      subject: `[Deadline near] Complaint ${d.reference}: ${step} due by ${due}`,
      heading: 'A deadline is near',
      blocks: [
        {
          kind: 'paragraph',
          text: `The "${step}" step of the complaint below is due by ${due}${d.level > 0 ? ` (already escalated to level ${d.level})` : ''}. Please deal with it soon: if the deadline passes, it is escalated${d.level > 0 ? ' further' : ''}.`,
        },
        {
          kind: 'facts',
          rows: [
            { label: 'Reference', value: d.reference },
            { label: 'Step', value: step },
            ...(d.level > 0 ? [{ label: 'Escalation level', value: String(d.level) }] : []),
            ...(d.departmentName ? [{ label: 'Department', value: d.departmentName }] : []),
            { label: 'Deadline', value: due },
          ],
        },
      ],
    });
  },

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
