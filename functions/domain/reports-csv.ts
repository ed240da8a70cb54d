import type { Distribution, Measures, Rate, Report } from './reports.js';
import { TIMED_STAGES } from './reports.js';

/**
 * The analysis as CSV for a spreadsheet: UTF-8 with a byte-order mark (Excel then reads
 * Chinese correctly), CRLF line ends, RFC 4180 quoting, one row per group (overall, each
 * category, severity, channel, department, and each week or month of the series). Figures
 * and group names only: no personal data, no complaint references.
 */

export type CsvLanguage = 'zh-CN' | 'en';

export const BOM = '\uFEFF';

const SECTIONS: Record<string, Record<CsvLanguage, string>> = {
  overall: { en: 'overall', 'zh-CN': '总体' },
  category: { en: 'category', 'zh-CN': '类别' },
  severity: { en: 'severity', 'zh-CN': '严重程度' },
  channel: { en: 'channel', 'zh-CN': '渠道' },
  department: { en: 'department', 'zh-CN': '部门' },
  week: { en: 'week', 'zh-CN': '周' },
  month: { en: 'month', 'zh-CN': '月' },
};

const STAGE_ZH: Record<string, string> = {
  received: '登记',
  investigation: '调查',
  proposal: '方案',
  review: '审核',
  customer_decision: '客户确认',
  implementation: '实施',
  follow_up: '回访',
};

/** Chinese names of the codes the groups are named by. */
export const CODE_ZH: Record<string, string> = {
  service: '服务',
  product: '产品',
  delivery: '配送',
  price: '价格',
  other: '其他',
  uncategorized: '未分类',
  minor: '轻微',
  general: '一般',
  serious: '严重',
  unassessed: '未评估',
  web: '网站',
  phone: '电话',
  email: '邮件',
  chat: '在线客服',
  social: '社交媒体',
  app: '应用',
  letter: '信函',
  walk_in: '来访',
  regulator: '监管转办',
  unassigned: '未分派',
};

type Column = [en: string, zh: string, value: (m: Measures) => number | string | null | undefined];

const r = (x: Rate) => x.rate;
const mean = (d?: Distribution) => d?.mean;
const p90 = (d?: Distribution) => d?.p90;

const COLUMNS: Column[] = [
  ['complaints', '投诉数', (m) => m.complaints],
  ['open', '未结', (m) => m.open],
  ['closed', '已结', (m) => m.closed],
  ['resolved', '已解决', (m) => m.outcomes.resolved],
  ['rejected', '不受理', (m) => m.outcomes.rejected],
  ['no_response', '客户未回复', (m) => m.outcomes.no_response],
  ['timely_handling_rate', '及时处理率', (m) => r(m.timelyHandling)],
  ['on_time_completion_rate', '按时完成率', (m) => r(m.onTimeCompletion)],
  ['satisfaction_rate', '满意率', (m) => r(m.satisfaction)],
  ['mean_rating', '平均评分', (m) => m.satisfaction.meanRating],
  ['surveys', '回访答复数', (m) => m.satisfaction.of],
  ['repeat_rate', '重复投诉率', (m) => r(m.repeat)],
  ['first_contact_resolution_rate', '一次解决率', (m) => r(m.firstContactResolution)],
  ['escalation_rate', '升级率', (m) => r(m.escalation)],
  ['escalations_level_1', '一级升级', (m) => m.escalationsByLevel['1']],
  ['escalations_level_2', '二级升级', (m) => m.escalationsByLevel['2']],
  ['escalations_level_3_plus', '三级及以上升级', (m) => m.escalationsByLevel['3+']],
  ['rejected_rate', '不受理率', (m) => r(m.rejected)],
  ['first_response_mean_hours', '首次答复平均小时', (m) => mean(m.timeToFirstResponse.hours)],
  ['first_response_p90_hours', '首次答复P90小时', (m) => p90(m.timeToFirstResponse.hours)],
  ['returns', '主管退回', (m) => m.loopBacks.returns],
  ['declines', '客户拒绝', (m) => m.loopBacks.declines],
  ['reopens', '重新处理', (m) => m.loopBacks.reopens],
  ...TIMED_STAGES.flatMap((s): Column[] => [
    [`${s}_mean_working_hours`, `${STAGE_ZH[s]}平均工时`, (m) => mean(m.timeInStage?.[s])],
    [`${s}_p90_working_hours`, `${STAGE_ZH[s]}P90工时`, (m) => p90(m.timeInStage?.[s])],
  ]),
];

/** One CSV field: quoted when it holds a comma, quote, line break or edge space; formulas defused. */
export function csvField(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  // a text cell starting like a formula is read as text by spreadsheets
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly (number | string | null | undefined)[]): string {
  return values.map(csvField).join(',');
}

/**
 * The report as CSV text, BOM first. `label` names a group in the language (e.g. a
 * department's name); by default the group's code.
 */
export function reportCsv(
  report: Report,
  lang: CsvLanguage = 'en',
  label: (section: string, key: string) => string = (_s, key) => key,
): string {
  const zh = lang === 'zh-CN';
  const lines = [
    csvRow([zh ? '维度' : 'dimension', zh ? '分组' : 'group', ...COLUMNS.map((c) => (zh ? c[1] : c[0]))]),
  ];
  const add = (section: string, key: string, m: Measures) =>
    lines.push(
      csvRow([SECTIONS[section]?.[lang] ?? section, label(section, key), ...COLUMNS.map((c) => c[2](m))]),
    );
  add('overall', zh ? '全部' : 'all', report.overall);
  for (const [section, groups] of [
    ['category', report.byCategory],
    ['severity', report.bySeverity],
    ['channel', report.byChannel],
    ['department', report.byDepartment],
  ] as const) {
    for (const [key, m] of Object.entries(groups)) add(section, key, m);
  }
  if (report.series && report.interval) {
    for (const point of report.series) add(report.interval, point.start, point.measures);
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
