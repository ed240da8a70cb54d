import type { Language } from '../model.js';
import { formatDateTime } from './format.js';
import { type EmailContent, type RenderedEmail, renderEmail } from './layout.js';

/**
 * The improvement actions' emails (SPEC "Analysis"), zh-CN and en, to staff only:
 * - `improvement_opened`: to the owner department, when an action is opened (assigned to it);
 * - `improvement_reminder`: to the owner department, at the warning point before its deadline;
 * - `improvement_escalation`: to the escalation chain of the level reached (the journey's
 *   rules: level 1 the department's supervisor, 2 the managers, 3+ senior management);
 * - `improvement_done`: to the managers, when the department reports it done and the effect
 *   review awaits them.
 * Each names the action (reference, title, department, deadline) and links to it in the
 * console; no complaint text and no customer's details (an action holds none).
 */
export const IMPROVEMENT_EMAILS = [
  'improvement_opened',
  'improvement_reminder',
  'improvement_escalation',
  'improvement_done',
] as const;
export type ImprovementEmail = (typeof IMPROVEMENT_EMAILS)[number];

export interface ImprovementEmailData {
  /** the action's reference, e.g. I2611-7K4Q-9XW2 */
  id: string;
  title: string;
  departmentName: string;
  /** the department's deadline, or (escalation) the deadline of the level reached */
  dueAt: string;
  provisional?: boolean;
  /** escalation: the level reached (≥ 1) */
  level?: number;
  /** the staff console (`<consoleBaseUrl>/console.html`: the managers' view lists the actions) */
  consoleUrl: string;
}

const FOOTER: Record<Language, string[]> = {
  'zh-CN': ['本邮件由投诉处理系统自动发送。'],
  en: ['Sent automatically by the complaint handling system.'],
};

function build(kind: ImprovementEmail, d: ImprovementEmailData, language: Language): EmailContent {
  const zh = language === 'zh-CN';
  const due = `${formatDateTime(d.dueAt, language)}${d.provisional ? (zh ? '（暂定）' : ' (provisional)') : ''}`;
  const level = Math.max(1, Math.trunc(d.level ?? 1));
  const facts = (dueLabel: string) => ({
    kind: 'facts' as const,
    rows: [
      { label: zh ? '编号' : 'Reference', value: d.id },
      { label: zh ? '措施' : 'Action', value: d.title },
      { label: zh ? '责任部门' : 'Department', value: d.departmentName },
      ...(kind === 'improvement_escalation'
        ? [{ label: zh ? '升级级别' : 'Escalation level', value: String(level) }]
        : []),
      { label: dueLabel, value: due },
    ],
  });
  const texts = {
    improvement_opened: zh
      ? {
          subject: `【改进措施】${d.id}：${d.title}`,
          heading: '新的改进措施已分派给贵部门',
          text: `贵部门（${d.departmentName}）负责以下改进措施，请在期限前完成，并在工作台登记进展。`,
          dueLabel: '完成期限',
        }
      : {
          subject: `[Improvement action] ${d.id}: ${d.title}`,
          heading: 'A new improvement action for your department',
          text: `Your department (${d.departmentName}) owns this improvement action. Please complete it by the deadline and record progress in the staff console.`,
          dueLabel: 'Due',
        },
    improvement_reminder: zh
      ? {
          subject: `【改进措施即将到期】${d.id}：${d.title}`,
          heading: '改进措施即将到期',
          text: '以下改进措施的期限临近，请尽快完成并登记进展；逾期将按规定升级。',
          dueLabel: '完成期限',
        }
      : {
          subject: `[Improvement action due soon] ${d.id}: ${d.title}`,
          heading: 'Improvement action due soon',
          text: 'The deadline of this improvement action is near. Please complete it and record progress; if it is missed, the action is escalated.',
          dueLabel: 'Due',
        },
    improvement_escalation: zh
      ? {
          subject: `【改进措施升级 ${level} 级】${d.id}：${d.title} 已逾期`,
          heading: `改进措施已逾期（升级 ${level} 级）`,
          text: `以下改进措施已超过期限，现升级至您（第 ${level} 级），请督促责任部门完成。`,
          dueLabel: '本级期限',
        }
      : {
          subject: `[Improvement action escalation level ${level}] ${d.id}: ${d.title} overdue`,
          heading: `Improvement action overdue (escalation level ${level})`,
          text: `This improvement action is past its deadline and is escalated to you (level ${level}). Please see that the department completes it.`,
          dueLabel: 'Deadline of this level',
        },
    improvement_done: zh
      ? {
          subject: `【改进措施待验证】${d.id}：${d.title}`,
          heading: '改进措施已完成，待您验证效果',
          text: `责任部门（${d.departmentName}）报告以下改进措施已完成。请评估其效果：有效则验证关闭，无效则退回整改。`,
          dueLabel: '原定期限',
        }
      : {
          subject: `[Improvement action to review] ${d.id}: ${d.title}`,
          heading: 'Improvement action done: its effect awaits your review',
          text: `The department (${d.departmentName}) reports this improvement action done. Please review its effect: effective closes it as verified; not effective sends it back to work.`,
          dueLabel: 'Was due',
        },
  }[kind];
  return {
    language,
    subject: texts.subject,
    heading: texts.heading,
    greeting: zh ? '您好：' : 'Hello,',
    blocks: [{ kind: 'paragraph', text: texts.text }, facts(texts.dueLabel)],
    action: {
      label: zh ? '在工作台打开' : 'Open in the staff console',
      url: d.consoleUrl,
      fallback: zh ? '如按钮无法打开，请访问：' : 'If the button does not work, go to:',
    },
    closing: [zh ? '投诉处理系统' : 'Complaint handling system'],
    footer: FOOTER[language] ?? FOOTER.en,
  };
}

/** Renders one improvement email in one language (`zh-CN` when unknown). */
export function renderImprovementEmail(
  kind: ImprovementEmail,
  data: ImprovementEmailData,
  language: Language = 'zh-CN',
): RenderedEmail {
  return renderEmail(build(kind, data, language === 'en' ? 'en' : 'zh-CN'));
}
