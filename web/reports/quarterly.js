/**
 * The quarterly analysis report (web/reports/quarterly.html?quarter=2026-Q4&lang=en), a page a
 * manager prints to PDF from the browser: headline figures against the targets
 * (config/targets.json, returned by the API), the trend over the quarter's months, the top
 * problems (categories, departments, the stages where time goes) and the improvement actions
 * opened and closed in the quarter. zh-CN and en.
 *
 * Reads GET /staff/reports?from&to&interval=month and GET /staff/improvements with the
 * console's sign-in (the token the console keeps). A verdict is a word and a symbol as well as
 * a colour (✔ met / ✘ missed), so that it reads in black-and-white print. Charts are ECharts
 * with the SVG renderer (vector in the PDF), resized to the paper before printing; every chart
 * has its figures in a table too. The navigation is not printed (reports.css @media print).
 */
import { api } from '../api.js';
import { formatDate, label, language } from '../i18n.js';

const TOKEN_KEY = 'complaints.staffToken';

const TEXT = {
  'zh-CN': {
    title: '季度投诉分析报告',
    nav: '报告选项',
    quarter: '季度',
    show: '查看',
    print: '打印 / 存为 PDF',
    back: '返回工作台',
    other: 'English',
    loading: '加载中…',
    signIn: '请先在工作台登录（经理、主管或分析员）。',
    failed: '报告无法加载：',
    period: '统计期间',
    generated: '生成时间',
    headline: '一、主要指标与考核目标',
    measure: '指标',
    value: '本季度',
    target: '目标',
    verdict: '结论',
    met: '✔ 达标',
    missed: '✘ 未达标',
    noTarget: '— 未设目标',
    complaints: '投诉总数',
    closed: '已结案',
    open: '办理中',
    timelyHandling: '及时处理率',
    onTimeCompletion: '按时完成率',
    satisfaction: '满意率',
    repeat: '重复投诉率',
    firstContactResolution: '一次解决率',
    escalation: '升级率',
    trends: '二、月度趋势',
    month: '月份',
    problems: '三、主要问题',
    topCategories: '投诉类别（前五）',
    topDepartments: '责任部门（前五）',
    share: '占比',
    stages: '各阶段用时（工作小时，用时最长在前）',
    stage: '阶段',
    mean: '平均',
    p90: 'P90',
    passes: '次数',
    loopBacks: '退回 / 拒绝 / 重新处理',
    improvements: '四、改进措施',
    opened: '本季度新开',
    closedActions: '本季度验证关闭',
    id: '编号',
    titleCol: '措施',
    department: '部门',
    status: '状态',
    due: '期限',
    overdue: '已逾期',
    none: '无',
    statuses: { open: '待办', in_progress: '进行中', done: '待验证', verified: '已验证' },
  },
  en: {
    title: 'Quarterly complaints analysis',
    nav: 'Report options',
    quarter: 'Quarter',
    show: 'Show',
    print: 'Print / save as PDF',
    back: 'Back to the console',
    other: '中文',
    loading: 'Loading…',
    signIn: 'Sign in on the console first (manager, supervisor or analyst).',
    failed: 'The report could not be loaded: ',
    period: 'Period',
    generated: 'Generated',
    headline: '1. Headline figures against targets',
    measure: 'Measure',
    value: 'This quarter',
    target: 'Target',
    verdict: 'Verdict',
    met: '✔ Met',
    missed: '✘ Missed',
    noTarget: '— No target',
    complaints: 'Complaints',
    closed: 'Closed',
    open: 'Open',
    timelyHandling: 'Timely handling',
    onTimeCompletion: 'On-time completion',
    satisfaction: 'Satisfaction',
    repeat: 'Repeat complaints',
    firstContactResolution: 'First-contact resolution',
    escalation: 'Escalation rate',
    trends: '2. Trends by month',
    month: 'Month',
    problems: '3. Top problems',
    topCategories: 'Categories (top 5)',
    topDepartments: 'Departments (top 5)',
    share: 'Share',
    stages: 'Time in stage (working hours, longest first)',
    stage: 'Stage',
    mean: 'Mean',
    p90: 'p90',
    passes: 'Passes',
    loopBacks: 'Returns / declines / reopens',
    improvements: '4. Improvement actions',
    opened: 'Opened this quarter',
    closedActions: 'Verified and closed this quarter',
    id: 'Reference',
    titleCol: 'Action',
    department: 'Department',
    status: 'Status',
    due: 'Due',
    overdue: 'overdue',
    none: 'None',
    statuses: { open: 'Open', in_progress: 'In progress', done: 'Awaiting review', verified: 'Verified' },
  },
};

export const KPIS = [
  'timelyHandling',
  'onTimeCompletion',
  'satisfaction',
  'repeat',
  'firstContactResolution',
  'escalation',
];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c);
  return node;
}

/** A rate as the page prints it (the test reads the same form): 95.0%, or — when undefined. */
export const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const hours = (x) => (x === null || x === undefined ? '—' : x.toFixed(1));

/** 'ok' | 'bad' | 'none' for a rate against its target ({min} to reach, {max} not to exceed). */
export function verdict(rate, target) {
  if (!target || rate === null || rate === undefined) return 'none';
  if (typeof target.min === 'number' && rate < target.min) return 'bad';
  if (typeof target.max === 'number' && rate > target.max) return 'bad';
  return 'ok';
}

/** `2026-Q4` → {from: '2026-10-01', to: '2026-12-31'}; undefined when malformed. */
export function quarterDates(quarter) {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter ?? '');
  if (!m) return undefined;
  const year = Number(m[1]);
  const q = Number(m[2]);
  const first = (q - 1) * 3 + 1;
  const last = new Date(Date.UTC(year, first + 2, 0)).getUTCDate();
  const two = (n) => String(n).padStart(2, '0');
  return { from: `${year}-${two(first)}-01`, to: `${year}-${two(first + 2)}-${two(last)}` };
}

/** The quarter (`2026-Q4`) a YYYY-MM-DD date falls in. */
export const quarterOf = (date) =>
  `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

function previousQuarters(quarter, n) {
  let [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(`${year}-Q${q}`);
    q -= 1;
    if (q === 0) [year, q] = [year - 1, 4];
  }
  return out;
}

let echartsPromise;
const loadECharts = () => {
  echartsPromise ??= import('../vendor/echarts.esm.min.js').catch(() => undefined);
  return echartsPromise;
};
const charts = new Set();

/** A chart (an image named `name`) drawn as SVG; it follows the page's width and the paper's. */
function chart(name, option) {
  const box = el('div', { class: 'qr-chart', role: 'img', 'aria-label': name });
  loadECharts().then((echarts) => {
    if (!echarts) return;
    const instance = echarts.init(box, undefined, { renderer: 'svg' });
    instance.setOption({ animation: false, ...option });
    charts.add(instance);
    new ResizeObserver(() => instance.resize()).observe(box);
  });
  return box;
}

function resizeCharts() {
  for (const c of charts) c.resize();
}
window.addEventListener('beforeprint', resizeCharts);
window.addEventListener('afterprint', resizeCharts);
matchMedia('print').addEventListener?.('change', resizeCharts);

function table(caption, headers, rows, attrs = {}) {
  return el(
    'table',
    { class: 'qr-table', ...attrs },
    el('caption', { text: caption }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((x) => el('th', { scope: 'col', text: x })),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el(
          'tr',
          r.attrs ?? {},
          (r.cells ?? r).map((c, i) => el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, c)),
        ),
      ),
    ),
  );
}

const inPeriod = (iso, from, to) =>
  iso !== undefined && Date.parse(iso) >= Date.parse(from) && Date.parse(iso) < Date.parse(to);

/** The report's sections for `report` (GET /staff/reports?interval=month) and the improvement actions. */
export function renderQuarterly(report, improvements, lang) {
  const T = TEXT[lang] ?? TEXT.en;
  const m = report.overall;
  const targets = report.targets ?? {};
  const sections = [];

  // 1. headline figures against targets
  const counts = el(
    'p',
    { class: 'qr-counts' },
    ['complaints', 'closed', 'open'].map((k) =>
      el('span', { 'data-count': k }, `${T[k]}: `, el('strong', { text: String(m[k] ?? 0) }), ' '),
    ),
  );
  const headline = table(
    T.headline,
    [T.measure, T.value, T.target, T.verdict],
    KPIS.map((key) => {
      const rate = m[key]?.rate ?? null;
      const target = targets[key];
      const v = verdict(rate, target);
      const goal = target
        ? typeof target.min === 'number'
          ? `≥ ${pct(target.min)}`
          : `≤ ${pct(target.max)}`
        : '—';
      return {
        attrs: { 'data-kpi': key, 'data-verdict': v },
        cells: [
          T[key],
          el('span', {
            class: 'qr-value',
            text: `${pct(rate)}${m[key] ? ` (${m[key].count}/${m[key].of})` : ''}`,
          }),
          goal,
          el('span', {
            class: `qr-verdict ${v}`,
            text: v === 'ok' ? T.met : v === 'bad' ? T.missed : T.noTarget,
          }),
        ],
      };
    }),
  );
  sections.push(
    el(
      'section',
      { class: 'qr-section', id: 'qr-headline' },
      el('h2', { text: T.headline }),
      counts,
      headline,
    ),
  );

  // 2. trends over the quarter's months
  const series = report.series ?? [];
  const monthName = (start) => (lang === 'zh-CN' ? `${Number(start.slice(5, 7))}月` : start.slice(0, 7));
  sections.push(
    el(
      'section',
      { class: 'qr-section', id: 'qr-trends' },
      el('h2', { text: T.trends }),
      chart(T.trends, {
        legend: { top: 0 },
        grid: { left: 44, right: 44, top: 32, bottom: 28 },
        xAxis: { type: 'category', data: series.map((p) => monthName(p.start)) },
        yAxis: [
          { type: 'value', minInterval: 1 },
          { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
        ],
        series: [
          { name: T.complaints, type: 'bar', data: series.map((p) => p.measures.complaints) },
          {
            name: T.timelyHandling,
            type: 'line',
            yAxisIndex: 1,
            symbol: 'circle',
            data: series.map((p) => p.measures.timelyHandling.rate),
          },
          {
            name: T.satisfaction,
            type: 'line',
            yAxisIndex: 1,
            symbol: 'triangle',
            lineStyle: { type: 'dashed' },
            data: series.map((p) => p.measures.satisfaction.rate),
          },
        ],
      }),
      table(
        T.trends,
        [T.month, T.complaints, T.timelyHandling, T.satisfaction, T.repeat],
        series.map((p) => ({
          attrs: { 'data-month': p.start },
          cells: [
            monthName(p.start),
            String(p.measures.complaints),
            pct(p.measures.timelyHandling.rate),
            pct(p.measures.satisfaction.rate),
            pct(p.measures.repeat.rate),
          ],
        })),
      ),
    ),
  );

  // 3. top problems: categories, departments, stages losing time
  const top = (groups) =>
    Object.entries(groups ?? {})
      .sort((a, b) => b[1].complaints - a[1].complaints || a[0].localeCompare(b[0]))
      .slice(0, 5);
  const share = (n) => pct(m.complaints ? n / m.complaints : null);
  const categories = top(report.byCategory);
  const departments = top(report.byDepartment);
  const tis = m.timeInStage ?? {};
  const stages = Object.entries(tis)
    .filter(([, d]) => d.n > 0)
    .sort((a, b) => (b[1].mean ?? 0) - (a[1].mean ?? 0));
  const lb = m.loopBacks ?? { returns: 0, declines: 0, reopens: 0 };
  sections.push(
    el(
      'section',
      { class: 'qr-section', id: 'qr-problems' },
      el('h2', { text: T.problems }),
      el(
        'div',
        { class: 'qr-two' },
        el(
          'div',
          {},
          chart(T.topCategories, {
            grid: { left: 96, right: 24, top: 8, bottom: 24 },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', inverse: true, data: categories.map(([k]) => label('category', k)) },
            series: [
              {
                type: 'bar',
                data: categories.map(([, v]) => v.complaints),
                label: { show: true, position: 'right' },
              },
            ],
          }),
          table(
            T.topCategories,
            [T.topCategories, T.complaints, T.share],
            categories.map(([k, v]) => ({
              attrs: { 'data-category': k },
              cells: [label('category', k), String(v.complaints), share(v.complaints)],
            })),
          ),
        ),
        el(
          'div',
          {},
          table(
            T.topDepartments,
            [T.department, T.complaints, T.timelyHandling, T.satisfaction],
            departments.map(([k, v]) => ({
              attrs: { 'data-department': k },
              cells: [
                label('dept', k),
                String(v.complaints),
                pct(v.timelyHandling.rate),
                pct(v.satisfaction.rate),
              ],
            })),
          ),
        ),
      ),
      chart(T.stages, {
        legend: { top: 0 },
        grid: { left: 44, right: 16, top: 32, bottom: 28 },
        xAxis: { type: 'category', data: stages.map(([s]) => label('stage', s)) },
        yAxis: { type: 'value' },
        series: [
          { name: T.mean, type: 'bar', data: stages.map(([, d]) => d.mean) },
          {
            name: T.p90,
            type: 'bar',
            data: stages.map(([, d]) => d.p90),
            itemStyle: { decal: { symbol: 'rect' } },
          },
        ],
      }),
      table(
        T.stages,
        [T.stage, T.mean, T.p90, T.passes],
        stages.map(([s, d]) => ({
          attrs: { 'data-stage': s },
          cells: [label('stage', s), hours(d.mean), hours(d.p90), String(d.n)],
        })),
      ),
      el('p', {
        'data-loop-backs': '',
        text: `${T.loopBacks}: ${lb.returns} / ${lb.declines} / ${lb.reopens}`,
      }),
    ),
  );

  // 4. improvement actions opened and closed in the quarter
  const { from, to } = report.period;
  const opened = improvements.filter((i) => inPeriod(i.createdAt, from, to));
  const closed = improvements.filter((i) => i.status === 'verified' && inPeriod(i.verifiedAt, from, to));
  const actions = (caption, list, attr) =>
    list.length
      ? table(
          caption,
          [T.id, T.titleCol, T.department, T.status, T.due],
          list.map((i) => ({
            attrs: { [attr]: i.id },
            cells: [
              i.id,
              i.title ?? '',
              label('dept', i.department),
              T.statuses[i.status] ?? i.status,
              el('span', {
                class: i.overdue ? 'qr-verdict bad' : '',
                text: `${formatDate(i.dueAt)}${i.overdue ? ` · ✘ ${T.overdue}` : ''}`,
              }),
            ],
          })),
        )
      : el('p', {}, el('strong', { text: `${caption}: ` }), T.none);
  sections.push(
    el(
      'section',
      { class: 'qr-section', id: 'qr-improvements' },
      el('h2', { text: T.improvements }),
      actions(`${T.opened} (${opened.length})`, opened, 'data-opened'),
      actions(`${T.closedActions} (${closed.length})`, closed, 'data-closed'),
    ),
  );
  return sections;
}

/** Builds the page: the navigation, then the report for `?quarter=` (default: the current one). */
export async function main() {
  const lang = language();
  const T = TEXT[lang] ?? TEXT.en;
  document.documentElement.lang = lang;
  document.title = T.title;
  const params = new URLSearchParams(location.search);
  const asked = quarterDates(params.get('quarter'));
  const nav = document.getElementById('qr-nav');
  const out = document.getElementById('qr');
  const status = document.getElementById('qr-status');
  nav.setAttribute('aria-label', T.nav);
  document.getElementById('qr-title').textContent = T.title;
  const token = (() => {
    try {
      return localStorage.getItem(TOKEN_KEY) ?? '';
    } catch {
      return '';
    }
  })();
  const done = () => out.setAttribute('aria-busy', 'false');
  const consoleLink = el('a', { href: '../console.html', class: 'button secondary', text: T.back });
  if (!token) {
    nav.replaceChildren(consoleLink);
    status.textContent = T.signIn;
    done();
    return;
  }
  status.textContent = T.loading;
  const query = new URLSearchParams({ interval: 'month', ...(asked ?? {}) });
  let report;
  let improvements;
  try {
    [report, improvements] = await Promise.all([
      api(`/staff/reports?${query}`, { token }),
      api('/staff/improvements', { token })
        .then((r) => r.items ?? [])
        .catch(() => []),
    ]);
  } catch (error) {
    nav.replaceChildren(consoleLink);
    status.textContent = `${T.failed}${error?.message ?? error}`;
    done();
    return;
  }
  const quarter = quarterOf(report.dates.from);
  const select = el(
    'select',
    { id: 'qr-quarter', name: 'quarter' },
    previousQuarters(quarter, 8).map((q) => el('option', { value: q, text: q, selected: q === quarter })),
  );
  const other = lang === 'zh-CN' ? 'en' : 'zh-CN';
  nav.replaceChildren(
    el(
      'form',
      { class: 'qr-form', method: 'get', action: '' },
      el('label', { for: 'qr-quarter' }, `${T.quarter} `, select),
      el('input', { type: 'hidden', name: 'lang', value: lang }),
      el('button', { type: 'submit', class: 'secondary', text: T.show }),
    ),
    el('button', {
      type: 'button',
      class: 'primary',
      id: 'qr-print',
      onclick: () => window.print(),
      text: T.print,
    }),
    el('a', { href: `?quarter=${quarter}&lang=${other}`, lang: other, text: T.other }),
    consoleLink,
  );
  document.getElementById('qr-title').textContent = `${T.title} · ${quarter}`;
  status.replaceChildren(
    `${T.period}: ${report.dates.from} – ${report.dates.to} (${report.dates.timeZone}) · ${T.generated}: ${formatDate(report.generatedAt)}`,
  );
  status.removeAttribute('role');
  status.className = 'qr-meta';
  out.append(...renderQuarterly(report, improvements, lang));
  done();
}

if (document.getElementById('qr')) main();
