import type { EmailBranding } from '../branding.js';
import type { Category, Channel, Language, Outcome, Severity, Step } from '../model.js';
import { en } from './en.js';
import type { EmailContent } from './layout.js';
import { zhCN } from './zh-CN.js';

/**
 * The emails' ids, the data each one takes, and one module per language that writes them
 * (./zh-CN.ts, ./en.ts; the shared layout is ./layout.ts). A new language is one module
 * listed in TEMPLATES.
 */

/** Emails to the customer: each carries a link to the status page (with a fresh access token). */
export const CUSTOMER_TEMPLATES = [
  'acknowledgement',
  'rejected',
  'proposal',
  'reminder',
  'result',
  'survey_request',
  'closure',
  'extension',
] as const;
export type CustomerTemplateId = (typeof CUSTOMER_TEMPLATES)[number];

/** Emails to staff: never the complaint's text or the customer's contact details; a link to the staff console. */
export const STAFF_TEMPLATES = [
  'escalation',
  'survey_result',
  'serious_intake',
  'arrival',
  'deadline_warning',
] as const;
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
    /** the version the customer sees (customerPlanVersion): more only after their decline or reopen */
    round: number;
    /** the customer's decision deadline, when known */
    decisionDueBy?: string;
  };
  reminder: CustomerEmailBase & { plan: string; decisionDueBy?: string };
  result: CustomerEmailBase & { result: string; basis: string; suggestions?: string };
  survey_request: CustomerEmailBase & { surveyDueBy?: string };
  closure: CustomerEmailBase & { outcome: Outcome; closedAt: string; rating?: number };
  /** an extension (延期): the new date and why */
  extension: CustomerEmailBase & { newDueBy: string; provisional?: boolean; reason: string };
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
  /**
   * A staff step has opened (arrival notice): for the department a 传递单 (transfer form) with
   * the customer's request, for the supervisor a plan to review, for the agents a call to make.
   * No customer name or contact details: the console has them for those whose role may see them.
   */
  arrival: StaffEmailBase & {
    step: Step;
    /** the step's deadline */
    dueAt: string;
    provisional?: boolean;
    /** the recipient's time zone (IANA) for the dates; default Asia/Shanghai */
    timeZone?: string;
    departmentName?: string;
    channel: Channel;
    category?: Category;
    severity?: Severity;
    receivedAt: string;
    /** the customer's request: the complaint's subject and (shortened) description */
    subject: string;
    request: string;
    /** sent to the named owner (rather than to a shared mailbox) */
    toAssignee?: boolean;
  };
  /** a staff step's deadline is near (pre-breach warning): once per step and escalation level */
  deadline_warning: StaffEmailBase & {
    step: Step;
    /** 0 before the first escalation */
    level: number;
    dueAt: string;
    provisional?: boolean;
    /** the recipient's time zone (IANA); default Asia/Shanghai */
    timeZone?: string;
    departmentName?: string;
    toAssignee?: boolean;
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
  /** the operator's branding (config/branding.json): header, colours, footer lines */
  branding?: EmailBranding;
}

export type Build<T extends TemplateId> = (data: TemplateData[T], options: RenderOptions) => EmailContent;
export type LanguageTemplates = { [T in TemplateId]: Build<T> };

export const TEMPLATES: Record<Language, LanguageTemplates> = { 'zh-CN': zhCN, en };
