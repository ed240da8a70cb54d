/** The reports screen: GET /staff/reports for a period, as tables (overall, then by breakdown). */
import { byId, h } from '../dom.js';
import { formatDateTime, label, language, t } from '../i18n.js';
import { renderManagersView } from '../reports/managers-view.js';
import { errorText } from './errors.js';

function quarterStart(date) {
  return new Date(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
}

/** The measures of GET /staff/reports, one column each (functions/domain/reports.ts). */
const MEASURES = [
  ['report.complaints', (m) => String(m.complaints)],
  ['report.open', (m) => String(m.open)],
  ['report.closed', (m) => String(m.closed)],
  ['report.timely', (m) => percent(m.timelyHandling)],
  ['report.onTime', (m) => percent(m.onTimeCompletion)],
  [
    'report.satisfaction',
    (m) =>
      `${percent(m.satisfaction)}${m.satisfaction?.meanRating != null ? ` · ${m.satisfaction.meanRating.toFixed(1)}` : ''}`,
  ],
  ['report.firstContact', (m) => percent(m.firstContactResolution)],
  ['report.repeat', (m) => percent(m.repeat)],
  ['report.firstResponse', (m) => hours(m.timeToFirstResponse?.hours)],
  ['report.escalation', (m) => percent(m.escalation)],
  ['report.rejected', (m) => percent(m.rejected)],
];
const BREAKDOWNS = [
  ['byCategory', 'category'],
  ['bySeverity', 'severity'],
  ['byChannel', 'channel'],
  ['byDepartment', 'dept'],
];

function percent(rate) {
  if (!rate || rate.rate === null || rate.rate === undefined) return t('common.none');
  return `${Math.round(rate.rate * 1000) / 10}% (${rate.count}/${rate.of})`;
}

function hours(distribution) {
  if (!distribution || distribution.mean === null || distribution.mean === undefined) return t('common.none');
  return `${distribution.mean.toFixed(1)} h · p90 ${distribution.p90?.toFixed(1) ?? t('common.none')} h`;
}

/** The report as tables: overall first, then each breakdown; unknown shapes as raw JSON. */
function renderReport(report) {
  if (!report?.overall) return h('pre', { class: 'pre', text: JSON.stringify(report, null, 2) });
  const table = (caption, rows) =>
    h(
      'div',
      { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
      h(
        'table',
        { class: 'history report' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('td', {}),
            MEASURES.map(([key]) => h('th', { scope: 'col', text: t(key) })),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map(([name, measures]) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', text: name }),
              MEASURES.map(([, value]) => h('td', { text: value(measures) })),
            ),
          ),
        ),
      ),
    );
  return h(
    'div',
    {},
    h('p', {
      class: 'hint',
      text: `${formatDateTime(report.period?.from)} – ${formatDateTime(report.period?.to)}`,
    }),
    table(t('report.overall'), [[t('report.overall'), report.overall]]),
    BREAKDOWNS.filter(([key]) => report[key] && Object.keys(report[key]).length > 0).map(([key, kind]) =>
      h(
        'div',
        {},
        h('h3', { text: t(`report.${key}`) }),
        table(
          t(`report.${key}`),
          Object.entries(report[key]).map(([value, measures]) => [label(kind, value), measures]),
        ),
      ),
    ),
  );
}

export function showReports(app) {
  const { state } = app;
  state.selected = undefined;
  app.queues.renderList();
  const now = state.clock ? new Date(state.clock.now) : new Date();
  const from = h('input', {
    type: 'date',
    id: 'rep-from',
    value: quarterStart(now).toISOString().slice(0, 10),
  });
  const to = h('input', {
    type: 'date',
    id: 'rep-to',
    value: new Date(now.getTime() + 86400000).toISOString().slice(0, 10),
  });
  const out = h('div', {});
  const managers = h('section', { class: 'card', 'aria-label': t('console.reports') });
  const load = async () => {
    out.replaceChildren(h('p', { class: 'hint', text: t('common.loading') }));
    try {
      const params = new URLSearchParams({ from: from.value, to: to.value });
      out.replaceChildren(renderReport(await app.call(`/staff/reports?${params}`)));
    } catch (error) {
      out.replaceChildren(h('div', { class: 'notice error', text: errorText(error) }));
    }
  };
  byId('detail').replaceChildren(
    h(
      'div',
      { class: 'card' },
      h('h2', { text: t('console.reports') }),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'rep-from' }, t('console.from'), from),
        h('label', { for: 'rep-to' }, t('console.to'), to),
        h('button', { type: 'button', class: 'secondary', onclick: load, text: t('console.load') }),
      ),
      out,
    ),
    managers,
  );
  load();
  // the managers' view: charts against targets, risks, improvement actions (web/reports/)
  renderManagersView(managers, { token: state.token, lang: language() }).catch((error) =>
    managers.replaceChildren(h('div', { class: 'notice error', text: errorText(error) })),
  );
}
