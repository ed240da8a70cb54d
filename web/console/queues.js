/**
 * The work queues: one tab per stage with its count and overdue flag, filtered by department,
 * severity, channel, overdue and "mine", and sorted. GET /staff/complaints filters by stage
 * and department (and pages); severity, channel, overdue (past the step's first deadline,
 * escalated or not: the API's `overdue`), "mine" (steps my role and department take) and
 * the sort apply here, to the items fetched.
 */
import { byId, h } from '../dom.js';
import { CHANNELS, DEPARTMENTS, SEVERITIES, STAGES, STEPS } from '../generated/catalogue.js';
import { formatDateTime, label, t } from '../i18n.js';

/** a queue shows up to this many pages of 100 */
const MAX_QUEUE_PAGES = 20;
/** the queues: every stage a complaint waits in (not "received", which passes at once) */
export const QUEUES = STAGES.filter((s) => s !== 'received');
const SEVERITY_ORDER = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/**
 * A step missed its deadline when it is past its first deadline (`overdue`, which escalations
 * do not reset), or when it was escalated (steps opened before `firstDueAt` existed).
 */
export function missedDeadline(pending) {
  return Boolean(pending && (pending.overdue || pending.escalationLevel > 0));
}

export function deadlineBadge(pending) {
  if (pending?.atRisk && !pending.overdue) {
    const level = pending.escalationLevel > 0 ? ` · L${pending.escalationLevel}` : '';
    return h('span', { class: 'badge warn', text: `${t('console.atRisk')}${level}` });
  }
  if (!missedDeadline(pending)) return null;
  const level =
    pending.escalationLevel > 0 ? ` · ${t('console.escalatedTo')} L${pending.escalationLevel}` : '';
  return h('span', { class: 'badge overdue', text: `${t('console.overdue')}${level}` });
}

/** Whether the complaint waits on a step the signed-in staff member takes (role, own department). */
export function mayTake(stepName, complaint, user) {
  const step = STEPS.find((s) => s.step === stepName);
  if (!step || !user || !step.roles.includes(user.role)) return false;
  if (step.ownDepartment && user.role === 'department') return complaint.department === user.department;
  return true;
}

/** assigned to me, or (nobody's yet) a step my role and department take */
const isMine = (item, user) =>
  item.assignee
    ? item.assignee.sub === user?.sub
    : Boolean(item.pending && mayTake(item.pending.step, item, user));

/**
 * One row of a queue (or of search results, `showStage`: rows of every stage): a button that
 * opens the complaint.
 */
export function queueRow(app, item, { showStage = false } = {}) {
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        'aria-current': String(item.id === app.state.selected?.id),
        onclick: () => app.openComplaint(item.id),
      },
      h('span', { class: 'subject', text: item.subject }),
      h('span', { class: 'reference', text: item.id }),
      h(
        'span',
        { class: 'meta' },
        deadlineBadge(item.pending),
        item.needsAttention ? h('span', { class: 'badge bad', text: t('console.needsAttention') }) : null,
        item.severity === 'serious'
          ? h('span', { class: 'badge bad', text: label('severity', item.severity) })
          : null,
        item.stage === 'closed'
          ? h('span', { class: 'badge', text: label('outcome', item.outcome) })
          : showStage
            ? h('span', { class: 'badge', text: label('stage', item.stage) })
            : null,
        h('span', { text: item.customerName }),
        item.department ? h('span', { text: label('dept', item.department) }) : null,
        item.pending
          ? h('span', { text: `${t('console.due')} ${formatDateTime(item.pending.dueAt)}` })
          : null,
      ),
    ),
  );
}

export function createQueues(app) {
  const { state } = app;
  state.filters ??= { department: '', severity: '', channel: '', overdue: false, mine: false, sort: 'due' };

  async function refresh() {
    const results = await Promise.all(
      QUEUES.map(async (stage) => {
        try {
          const items = [];
          let cursor;
          for (let page = 0; page < MAX_QUEUE_PAGES; page++) {
            const params = new URLSearchParams({
              stage,
              limit: '100',
              ...(state.filters.department ? { department: state.filters.department } : {}),
              ...(cursor ? { cursor } : {}),
            });
            const data = await app.call(`/staff/complaints?${params}`);
            items.push(...(data.items ?? []));
            cursor = data.nextCursor;
            if (!cursor) break;
          }
          return [stage, items];
        } catch {
          return [stage, []];
        }
      }),
    );
    state.lists = Object.fromEntries(results);
    render();
  }

  /** A queue's items after the filters, in the chosen order. */
  function shown(stage) {
    const f = state.filters;
    const items = (state.lists?.[stage] ?? []).filter(
      (i) =>
        (!f.department || i.department === f.department) &&
        (!f.severity || i.severity === f.severity) &&
        (!f.channel || i.channel === f.channel) &&
        (!f.overdue || missedDeadline(i.pending)) &&
        (!f.mine || isMine(i, state.user)),
    );
    const time = (iso) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);
    const order = {
      due: (a, b) => time(a.pending?.dueAt) - time(b.pending?.dueAt),
      newest: (a, b) => time(b.createdAt) - time(a.createdAt),
      oldest: (a, b) => time(a.createdAt) - time(b.createdAt),
      severity: (a, b) => (SEVERITY_ORDER[b.severity] ?? -1) - (SEVERITY_ORDER[a.severity] ?? -1),
    }[f.sort];
    return order ? [...items].sort(order) : items;
  }

  function renderFilters() {
    const f = state.filters;
    const choice = (id, key, values, kind) => {
      const select = h(
        'select',
        { id, onchange: (e) => update(key, e.target.value) },
        new Option(t('console.filterAll'), ''),
        values.map((v) => new Option(label(kind, v), v)),
      );
      select.value = f[key];
      return select;
    };
    const sort = h(
      'select',
      { id: 'q-sort', onchange: (e) => update('sort', e.target.value) },
      ['due', 'newest', 'oldest', 'severity'].map((s) => new Option(t(`console.sort.${s}`), s)),
    );
    sort.value = f.sort;
    const check = (id, key, text) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', id, checked: f[key], onchange: (e) => update(key, e.target.checked) }),
        ' ',
        text,
      );
    const labelled = (id, text, control) =>
      h('div', { class: 'filter' }, h('label', { for: id }, text), control);
    byId('filters').replaceChildren(
      labelled(
        'q-department',
        t('console.filterDepartment'),
        choice(
          'q-department',
          'department',
          DEPARTMENTS.map((d) => d.id),
          'dept',
        ),
      ),
      labelled(
        'q-severity',
        t('console.filterSeverity'),
        choice('q-severity', 'severity', SEVERITIES, 'severity'),
      ),
      labelled('q-channel', t('console.filterChannel'), choice('q-channel', 'channel', CHANNELS, 'channel')),
      labelled('q-sort', t('console.sort'), sort),
      check('overdue-only', 'overdue', t('console.overdueOnly')),
      check('q-mine', 'mine', t('console.mine')),
    );
  }

  function update(key, value) {
    state.filters[key] = value;
    if (key === 'department') {
      refresh();
      return;
    }
    renderTabs();
    renderList();
  }

  function renderTabs() {
    byId('tabs').replaceChildren(
      ...QUEUES.map((stage) => {
        const items = shown(stage);
        const overdue = items.some((i) => missedDeadline(i.pending));
        return h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `tab-${stage}`,
            'aria-selected': String(stage === state.queue),
            'aria-controls': 'queue-panel',
            onclick: () => {
              state.queue = stage;
              renderTabs();
              renderList();
            },
          },
          label('stage', stage),
          h('span', { class: `count${overdue ? ' has-overdue' : ''}`, text: String(items.length) }),
        );
      }),
    );
    byId('queue-panel').setAttribute('aria-labelledby', `tab-${state.queue}`);
  }

  function renderList() {
    const items = shown(state.queue);
    const list = byId('queue');
    if (items.length === 0) {
      list.replaceChildren(h('li', { class: 'empty', text: t('console.empty') }));
      return;
    }
    list.replaceChildren(...items.map((item) => queueRow(app, item)));
  }

  function render() {
    renderFilters();
    renderTabs();
    renderList();
  }

  return { refresh, render, renderList };
}
