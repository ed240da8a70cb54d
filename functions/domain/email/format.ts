import { DateTime } from 'luxon';
import type { Category, Channel, Language, Outcome, Severity, Step } from '../model.js';
import { CATALOGUE } from '../steps/index.js';

/** Dates in emails are shown in the business's time zone, whoever reads them. */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An instant for a reader: `2026年10月13日 18:00` or `13 Oct 2026, 18:00 (UTC+8)`.
 * Month names are spelled out here rather than taken from Intl, so the output does not
 * depend on the ICU data of the runtime. A value that is not an ISO instant is shown as is.
 */
export function formatDateTime(iso: string, language: Language, timeZone = DISPLAY_TIME_ZONE): string {
  const dt = DateTime.fromISO(iso, { setZone: false }).setZone(timeZone);
  if (!dt.isValid) return iso;
  const time = dt.toFormat('HH:mm');
  if (language === 'zh-CN') return `${dt.year}年${dt.month}月${dt.day}日 ${time}`;
  const offset = dt.offset === 0 ? 'UTC' : `UTC${dt.toFormat('Z')}`;
  return `${dt.day} ${EN_MONTHS[dt.month - 1]} ${dt.year}, ${time} (${offset})`;
}

type Labels<K extends string> = Record<Language, Record<K, string>>;

/** The steps' names, from the step catalogue. */
export const STEP_LABELS: Labels<Step> = {
  'zh-CN': Object.fromEntries(CATALOGUE.map((d) => [d.step, d.label['zh-CN']])) as Record<Step, string>,
  en: Object.fromEntries(CATALOGUE.map((d) => [d.step, d.label.en])) as Record<Step, string>,
};

export const CHANNEL_LABELS: Labels<Channel> = {
  'zh-CN': {
    web: '网站',
    phone: '电话',
    email: '电子邮件',
    chat: '在线客服',
    social: '社交媒体',
    app: '手机应用',
    letter: '信函',
    walk_in: '现场来访',
    regulator: '监管部门转办',
  },
  en: {
    web: 'Website',
    phone: 'Phone',
    email: 'Email',
    chat: 'Online chat',
    social: 'Social media',
    app: 'Mobile app',
    letter: 'Letter',
    walk_in: 'Walk-in',
    regulator: 'Referred by a regulator',
  },
};

export const CATEGORY_LABELS: Labels<Category> = {
  'zh-CN': { service: '服务', product: '产品', delivery: '配送', price: '价格', other: '其他' },
  en: { service: 'Service', product: 'Product', delivery: 'Delivery', price: 'Price', other: 'Other' },
};

export const SEVERITY_LABELS: Labels<Severity> = {
  'zh-CN': { minor: '轻微', general: '一般', serious: '严重' },
  en: { minor: 'Minor', general: 'General', serious: 'Serious' },
};

export const OUTCOME_LABELS: Labels<Outcome> = {
  'zh-CN': { resolved: '已解决', rejected: '投诉不成立', no_response: '客户未答复' },
  en: { resolved: 'Resolved', rejected: 'Not upheld', no_response: 'No reply from the customer' },
};

/** A text that says something (absent, empty or blank: no). */
export function hasText(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
