/**
 * The managers' view: GET /staff/reports?interval=week as charts (ECharts, served as
 * /vendor/echarts.esm.min.js per web/vendor.json) against the configured targets
 * (config/targets.json, returned by the API as `targets`), the open steps at risk and
 * breached (each a link to console.html#<id>), escalations by level, the stage funnel and
 * time in stage, improvement actions with overdue flags, and CSV export. zh-CN and en.
 *
 * The console shows it with one call (the hook):
 *   import { renderManagersView } from './reports/managers-view.js';
 *   renderManagersView(container, { token, lang, from, to });
 * When ECharts cannot be loaded, the figures still show as tables.
 */
import { api, apiUrl } from '../api.js';

const TEXT = {
  'zh-CN': {
    title: '管理分析',
    from: '开始日期',
    to: '结束日期',
    load: '查询',
    csvZh: '导出 CSV（中文）',
    csvEn: '导出 CSV（英文）',
    print: '季度分析报告（可打印）',
    loading: '加载中…',
    targets: '考核指标',
    timelyHandling: '及时处理率',
    onTimeCompletion: '按时完成率',
    satisfaction: '满意率',
    repeat: '重复投诉率',
    firstContactResolution: '一次解决率',
    escalation: '升级率',
    target: '目标',
    noTarget: '未设目标',
    trend: '趋势（按周）',
    complaints: '投诉数',
    topCategories: '主要投诉类别',
    risk: '处理时限：临近与超时',
    atRisk: '临近超时',
    breached: '已超时',
    open: '办理中',
    escalations: '升级（按级别）',
    level: '级',
    funnel: '阶段漏斗',
    timeInStage: '各阶段用时（工作小时）',
    mean: '平均',
    p90: 'P90',
    loopBacks: '退回 / 拒绝 / 重新处理',
    improvements: '改进措施',
    overdue: '已逾期',
    id: '编号',
    stage: '阶段',
    department: '部门',
    dueAt: '期限',
    state: '状态',
    none: '无',
    truncated: '（仅显示前 500 条）',
  },
  en: {
    title: 'Management analysis',
    from: 'From',
    to: 'To',
    load: 'Show',
    csvZh: 'Export CSV (Chinese)',
    csvEn: 'Export CSV (English)',
    print: 'Quarterly report (printable)',
    loading: 'Loading…',
    targets: 'Targets',
    timelyHandling: 'Timely handling',
    onTimeCompletion: 'On-time completion',
    satisfaction: 'Satisfaction',
    repeat: 'Repeat complaints',
    firstContactResolution: 'First-contact resolution',
    escalation: 'Escalation rate',
    target: 'target',
    noTarget: 'no target',
    trend: 'Trend (weekly)',
    complaints: 'Complaints',
    topCategories: 'Top categories',
    risk: 'Deadlines at risk and breached',
    atRisk: 'At risk',
    breached: 'Breached',
    open: 'Open',
    escalations: 'Escalations by level',
    level: 'Level',
    funnel: 'Stage funnel',
    timeInStage: 'Time in stage (working hours)',
    mean: 'mean',
    p90: 'p90',
    loopBacks: 'Returns / declines / reopens',
    improvements: 'Improvement actions',
    overdue: 'overdue',
    id: 'Reference',
    stage: 'Stage',
    department: 'Department',
    dueAt: 'Due',
    state: 'State',
    none: 'None',
    truncated: '(first 500 shown)',
  },
};

const STAGE_NAMES = {
  'zh-CN': {
    received: '登记',
    investigation: '调查',
    proposal: '方案',
    review: '审核',
    customer_decision: '客户确认',
    implementation: '实施',
    follow_up: '回访',
    closed: '结案',
  },
  en: {
    received: 'Received',
    investigation: 'Investigation',
    proposal: 'Proposal',
    review: 'Review',
    customer_decision: 'Customer decision',
    implementation: 'Implementation',
    follow_up: 'Follow-up',
    closed: 'Closed',
  },
};

const KPIS = [
  'timelyHandling',
  'onTimeCompletion',
  'satisfaction',
  'repeat',
  'firstContactResolution',
  'escalation',
];
const STAGES = [
  'received',
  'investigation',
  'proposal',
  'review',
  'customer_decision',
  'implementation',
  'follow_up',
  'closed',
];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** 'ok' | 'bad' | 'none' for a rate against its target. */
export function verdict(rate, target) {
  if (!target || rate === null || rate === undefined) return 'none';
  if (typeof target.min === 'number' && rate < target.min) return 'bad';
  if (typeof target.max === 'number' && rate > target.max) return 'bad';
  return 'ok';
}

let echartsPromise;
function loadECharts() {
  echartsPromise ??= import('../vendor/echarts.esm.min.js').catch(() => undefined);
  return echartsPromise;
}

function chart(container, option) {
  // a chart is an image to assistive technology: named by its title, else by its card's heading
  const name = option.title?.text || container.querySelector('h2, h3, h4')?.textContent || '';
  const box = el('div', { class: 'mv-chart', role: 'img', 'aria-label': name });
  container.append(box);
  loadECharts().then((echarts) => {
    if (!echarts || !box.isConnected) return;
    const instance = echarts.init(box, undefined, { renderer: 'svg' });
    instance.setOption(option);
    new ResizeObserver(() => instance.resize()).observe(box);
  });
  return box;
}

function table(headers, rows) {
  return el(
    'div',
    { class: 'mv-scroll' },
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...headers.map((x) => el('th', { scope: 'col', text: x })))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
    ),
  );
}

async function downloadCsv({ token, from, to, lang }) {
  const params = new URLSearchParams({ from, to, interval: 'month', format: 'csv', lang });
  const response = await fetch(apiUrl(`/staff/reports?${params}`), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(String(response.status));
  const blob = await response.blob();
  const link = el('a', {
    href: URL.createObjectURL(blob),
    download: `complaints-report-${from}-${to}-${lang}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Renders the whole view for `report` (GET /staff/reports?interval=week) and `improvements`. */
export function renderReportCards(report, improvements, lang) {
  const T = TEXT[lang] ?? TEXT.en;
  const S = STAGE_NAMES[lang] ?? STAGE_NAMES.en;
  const m = report.overall;
  const targets = report.targets ?? {};
  const grid = el('div', { class: 'mv' });

  // headline figures against targets
  const kpis = el('div', { class: 'mv-kpis' });
  for (const key of KPIS) {
    const rate = m[key]?.rate ?? null;
    const target = targets[key];
    const v = verdict(rate, target);
    const goal = target
      ? `${T.target} ${typeof target.min === 'number' ? `≥ ${pct(target.min)}` : `≤ ${pct(target.max)}`}`
      : T.noTarget;
    kpis.append(
      el(
        'div',
        { class: `mv-kpi ${v}`, 'data-kpi': key, 'data-verdict': v },
        el('span', { text: T[key] }),
        el('strong', { text: pct(rate) }),
        el('small', { text: goal }),
      ),
    );
  }
  grid.append(el('section', { class: 'mv-card mv-wide' }, el('h3', { text: T.targets }), kpis));

  // trend
  const trend = el('section', { class: 'mv-card mv-wide' }, el('h3', { text: T.trend }));
  const series = report.series ?? [];
  chart(trend, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: series.map((p) => p.start.slice(5)) },
    yAxis: [{ type: 'value' }, { type: 'value', max: 1, axisLabel: { formatter: (v) => `${v * 100}%` } }],
    series: [
      { name: T.complaints, type: 'bar', data: series.map((p) => p.measures.complaints) },
      {
        name: T.timelyHandling,
        type: 'line',
        yAxisIndex: 1,
        data: series.map((p) => p.measures.timelyHandling.rate),
      },
      {
        name: T.satisfaction,
        type: 'line',
        yAxisIndex: 1,
        data: series.map((p) => p.measures.satisfaction.rate),
      },
    ],
  });
  grid.append(trend);

  // top categories
  const categories = Object.entries(report.byCategory ?? {}).sort(
    (a, b) => b[1].complaints - a[1].complaints,
  );
  const top = el('section', { class: 'mv-card' }, el('h3', { text: T.topCategories }));
  chart(top, {
    grid: { left: 90, right: 20, top: 10, bottom: 20 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: categories.map(([k]) => k) },
    series: [{ type: 'bar', data: categories.map(([, v]) => v.complaints) }],
  });
  top.append(
    table(
      [T.topCategories, T.complaints],
      categories.map(([k, v]) => [k, String(v.complaints)]),
    ),
  );
  grid.append(top);

  // risk
  const risk = report.risk ?? { open: 0, atRisk: 0, breached: 0, items: [] };
  const riskCard = el(
    'section',
    { class: 'mv-card' },
    el('h3', { text: T.risk }),
    el(
      'div',
      { class: 'mv-kpis' },
      el(
        'div',
        { class: 'mv-kpi none' },
        el('span', { text: T.open }),
        el('strong', { text: String(risk.open) }),
      ),
      el(
        'div',
        { class: `mv-kpi ${risk.atRisk ? 'bad' : 'ok'}` },
        el('span', { text: T.atRisk }),
        el('strong', { text: String(risk.atRisk) }),
      ),
      el(
        'div',
        { class: `mv-kpi ${risk.breached ? 'bad' : 'ok'}` },
        el('span', { text: T.breached }),
        el('strong', { text: String(risk.breached) }),
      ),
    ),
  );
  if (risk.items.length) {
    riskCard.append(
      table(
        [T.id, T.stage, T.department, T.dueAt, T.state],
        risk.items.map((i) => [
          el('a', { href: `console.html#${encodeURIComponent(i.id)}`, text: i.id }),
          S[i.stage] ?? i.stage,
          i.department ?? '—',
          new Date(i.dueAt).toLocaleString(lang),
          el('span', {
            class: i.state === 'breached' ? 'mv-flag' : '',
            text: i.state === 'breached' ? T.breached : T.atRisk,
          }),
        ]),
      ),
    );
    if (risk.truncated) riskCard.append(el('p', { text: T.truncated }));
  }
  grid.append(riskCard);

  // escalations by level
  const levels = m.escalationsByLevel ?? { 1: 0, 2: 0, '3+': 0 };
  const esc = el('section', { class: 'mv-card' }, el('h3', { text: T.escalations }));
  chart(esc, {
    grid: { left: 40, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'category', data: ['1', '2', '3+'].map((l) => `${T.level} ${l}`) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: [levels['1'], levels['2'], levels['3+']] }],
  });
  grid.append(esc);

  // funnel and time in stage
  const funnel = el('section', { class: 'mv-card' }, el('h3', { text: T.funnel }));
  chart(funnel, {
    tooltip: {},
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: 10,
        right: 10,
        top: 10,
        bottom: 10,
        label: { position: 'inside' },
        data: STAGES.map((s) => ({ name: S[s], value: m.reached?.[s] ?? 0 })),
      },
    ],
  });
  grid.append(funnel);
  const tis = m.timeInStage ?? {};
  const timed = STAGES.filter((s) => s !== 'closed');
  const time = el('section', { class: 'mv-card' }, el('h3', { text: T.timeInStage }));
  chart(time, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 20, top: 30, bottom: 60 },
    xAxis: { type: 'category', data: timed.map((s) => S[s]), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value' },
    series: [
      { name: T.mean, type: 'bar', data: timed.map((s) => tis[s]?.mean ?? 0) },
      { name: T.p90, type: 'bar', data: timed.map((s) => tis[s]?.p90 ?? 0) },
    ],
  });
  const lb = m.loopBacks ?? { returns: 0, declines: 0, reopens: 0 };
  time.append(el('p', { text: `${T.loopBacks}: ${lb.returns} / ${lb.declines} / ${lb.reopens}` }));
  grid.append(time);

  // improvement actions
  const imp = el('section', { class: 'mv-card mv-wide' }, el('h3', { text: T.improvements }));
  if (!improvements.length) imp.append(el('p', { text: T.none }));
  else
    imp.append(
      table(
        [T.id, T.department, T.state, T.dueAt],
        improvements.map((i) => [
          i.id,
          i.department,
          i.status,
          el('span', {
            class: i.overdue ? 'mv-flag' : '',
            text: `${new Date(i.dueAt).toLocaleDateString(lang)}${i.overdue ? ` · ${T.overdue}` : ''}`,
          }),
        ]),
      ),
    );
  grid.append(imp);
  return grid;
}

/** Loads and shows the view in `container`; returns when it is rendered. */
export async function renderManagersView(container, { token, lang = 'zh-CN', from, to } = {}) {
  const T = TEXT[lang] ?? TEXT.en;
  if (!document.querySelector('link[data-managers-view]')) {
    document.head.append(
      el('link', {
        rel: 'stylesheet',
        href: new URL('./reports.css', import.meta.url).href,
        'data-managers-view': true,
      }),
    );
  }
  const fromInput = el('input', { type: 'date', id: 'mv-from', value: from ?? '' });
  const toInput = el('input', { type: 'date', id: 'mv-to', value: to ?? '' });
  const out = el('div', {});
  const load = async () => {
    out.replaceChildren(el('p', { text: T.loading }));
    const params = new URLSearchParams({ interval: 'week' });
    if (fromInput.value) params.set('from', fromInput.value);
    if (toInput.value) params.set('to', toInput.value);
    const [report, improvements] = await Promise.all([
      api(`/staff/reports?${params}`, { token }),
      api('/staff/improvements', { token })
        .then((r) => r.items)
        .catch(() => []),
    ]);
    fromInput.value = report.dates.from;
    toInput.value = report.dates.to;
    linkQuarter();
    out.replaceChildren(renderReportCards(report, improvements, lang));
  };
  // the printable quarterly report (quarterly.html) of the quarter the period starts in
  const quarterlyLink = el('a', { class: 'button secondary', id: 'mv-quarterly', text: T.print });
  const linkQuarter = () => {
    const date = fromInput.value || new Date().toISOString().slice(0, 10);
    const quarter = `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
    const url = new URL('./quarterly.html', import.meta.url);
    url.search = new URLSearchParams({ quarter, lang }).toString();
    quarterlyLink.href = url.href;
  };
  fromInput.addEventListener('change', linkQuarter);
  const csv = (l) => () => downloadCsv({ token, from: fromInput.value, to: toInput.value, lang: l });
  container.replaceChildren(
    el('h2', { text: T.title }),
    el(
      'div',
      { class: 'mv-toolbar' },
      el('label', { for: 'mv-from' }, T.from, ' ', fromInput),
      el('label', { for: 'mv-to' }, T.to, ' ', toInput),
      el('button', { type: 'button', onclick: load, text: T.load }),
      el('button', { type: 'button', class: 'secondary', onclick: csv('zh-CN'), text: T.csvZh }),
      el('button', { type: 'button', class: 'secondary', onclick: csv('en'), text: T.csvEn }),
      quarterlyLink,
    ),
    out,
  );
  await load();
}
