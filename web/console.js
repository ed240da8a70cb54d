/**
 * The staff console: sign-in (locally through /local/sign-in, on AWS through Cognito's hosted
 * UI with the authorization code grant and PKCE, web/oauth.js), queues by stage with overdue
 * flags, a complaint's full record and history, and the action form of its current step for
 * the roles allowed to take it
 * (docs/ARCHITECTURE.md, "Roles per action"). Opens `console.html#<id>` at that complaint.
 */
import { ApiError, api, newIdempotencyKey } from './api.js';
import { config } from './config.js';
import {
  apiMessage,
  applyTexts,
  CATEGORIES,
  CHANNELS,
  DEPARTMENTS,
  formatDate,
  formatDateTime,
  label,
  language,
  mountLanguageSwitch,
  ROLES,
  SEVERITIES,
  t,
} from './i18n.js';
import {
  callbackParams,
  finishSignIn,
  logoutUrl,
  redirectUriOf,
  startSignIn,
  withoutCallbackParams,
} from './oauth.js';

/**
 * A 409 as the API words it (which step, what stage), after a line in the page's language
 * for the kind of conflict.
 */
function conflictText(error) {
  if (language() === 'en' || !error.message) return error.message || t('common.conflict');
  const kind = t(`conflict.${error.code}`);
  const lead = kind === error.code ? t('common.conflict') : kind;
  return `${lead}（${error.message}）`;
}

/** What to show for a failed call: the API's own words, except where it has none for people. */
function errorText(error) {
  if (!(error instanceof ApiError)) return t('common.serverError');
  if (error.status === 0) return t('common.networkError');
  if (error.status === 409) return conflictText(error);
  if (error.status === 429) return t('common.tooMany');
  if (error.status >= 500) return t('common.serverError');
  return error.message;
}

const TOKEN_KEY = 'complaints.staffToken';
/** a queue shows up to this many pages of 100 */
const MAX_QUEUE_PAGES = 20;
const QUEUES = [
  'investigation',
  'proposal',
  'review',
  'customer_decision',
  'implementation',
  'follow_up',
  'closed',
];

/** The API action that resumes each step, and who may take it. */
const STEP_ACTIONS = {
  investigation: { action: 'investigation', roles: ['agent', 'supervisor', 'manager'] },
  proposal: { action: 'proposal', roles: ['department', 'supervisor', 'manager'], ownDepartment: true },
  review: { action: 'review', roles: ['supervisor', 'manager'] },
  customer_decision: { action: 'decision', roles: ['agent', 'manager'] },
  implementation: {
    action: 'implementation',
    roles: ['department', 'supervisor', 'manager'],
    ownDepartment: true,
  },
  follow_up: { action: 'survey', roles: ['agent', 'manager'] },
  agent_follow_up: { action: 'survey', roles: ['agent', 'manager'] },
};
const CAN_LIST = ['agent', 'department', 'supervisor', 'manager'];
const CAN_REGISTER = ['agent', 'supervisor', 'manager'];
const CAN_REPORT = ['analyst', 'supervisor', 'manager'];

const $ = (id) => document.getElementById(id);
const state = {
  token: '',
  user: undefined,
  queue: 'investigation',
  counts: {},
  items: [],
  selected: undefined,
  clock: undefined,
};

/** Builds an element: h('p', {class: 'x'}, 'text', child). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false || value === null) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// ------------------------------------------------------------------ identity

function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      [...atob(payload)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function userFrom(token) {
  const claims = decodeClaims(token);
  if (!claims) return undefined;
  if (claims.exp && claims.exp * 1000 < Date.now()) return undefined;
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
  const role = ROLES.find((r) => groups.includes(r));
  if (!role) return undefined;
  return {
    role,
    department: claims['custom:department'],
    name: claims.name ?? claims['cognito:username'] ?? claims.sub,
  };
}

const useCognito = () => config.signIn === 'cognito';

/**
 * Back from the hosted UI (`?code=…&state=…` or `?error=…`): clears the address bar, checks
 * the state and trades the code for the ID token (web/oauth.js). Returns the ID token, or
 * an error message for the sign-in page, or nothing when the page was opened normally.
 */
async function takeCognitoToken() {
  const callback = callbackParams(location.search);
  if (!callback) return {};
  history.replaceState(null, '', withoutCallbackParams(location.href));
  const { domain, clientId } = config.cognito ?? {};
  const result = await finishSignIn(callback, { domain, clientId, storage: sessionStorage });
  if ('error' in result) return { error: signInErrorMessage(result.error) };
  if (result.returnHash && !location.hash)
    history.replaceState(null, '', `${location.pathname}${location.search}${result.returnHash}`);
  if (!userFrom(result.idToken)) return { error: t('console.signInNoRole') };
  return { token: result.idToken };
}

function signInErrorMessage(code) {
  const key =
    code === 'access_denied'
      ? 'console.signInCancelled'
      : code === 'not_configured'
        ? 'console.signInNotConfigured'
        : 'console.signInFailed';
  return `${t(key)} (${code})`;
}

/** `everywhere`: also end the hosted-UI session (the Sign out button on AWS). */
function signOut({ everywhere = false } = {}) {
  localStorage.removeItem(TOKEN_KEY);
  state.token = '';
  state.user = undefined;
  const { domain, clientId } = config.cognito ?? {};
  if (everywhere && useCognito() && domain && clientId) {
    try {
      location.assign(logoutUrl({ domain, clientId, logoutUri: redirectUriOf(location) }));
      return;
    } catch {
      // a malformed domain: sign out here only
    }
  }
  showSignIn();
}

function showSignIn(message) {
  $('console-view').hidden = true;
  $('sign-in-view').hidden = false;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in-error').textContent = message ?? '';
  const local = !useCognito();
  $('local-sign-in').hidden = !local;
  $('cognito-sign-in').hidden = local;
  renderSignInOptions();
}

function renderSignInOptions() {
  const role = $('role');
  const chosenRole = role.value || 'agent';
  role.replaceChildren(...ROLES.map((r) => new Option(label('role', r), r)));
  role.value = chosenRole;
  const department = $('sign-in-department');
  const chosenDept = department.value;
  department.replaceChildren(
    new Option(t('console.departmentAny'), ''),
    ...DEPARTMENTS.map((d) => new Option(label('dept', d), d)),
  );
  department.value = chosenDept;
}

$('local-sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('sign-in-error').textContent = '';
  const body = { role: $('role').value };
  if ($('sign-in-department').value) body.department = $('sign-in-department').value;
  if ($('sign-in-name').value.trim()) body.name = $('sign-in-name').value.trim();
  try {
    const { token } = await api('/local/sign-in', { method: 'POST', body });
    localStorage.setItem(TOKEN_KEY, token);
    start(token);
  } catch (error) {
    const details = error instanceof ApiError ? error.details.map((d) => d.message).join(' ') : '';
    $('sign-in-error').textContent = `${error.message ?? ''} ${details}`.trim();
  }
});

$('cognito-button').addEventListener('click', async () => {
  $('sign-in-error').textContent = '';
  const { domain, clientId } = config.cognito ?? {};
  try {
    location.assign(await startSignIn({ domain, clientId, location, storage: sessionStorage }));
  } catch (error) {
    $('sign-in-error').textContent = signInErrorMessage(error?.code ?? 'error');
  }
});

$('sign-out').addEventListener('click', () => signOut({ everywhere: true }));

function start(token) {
  const user = userFrom(token);
  if (!user) {
    localStorage.removeItem(TOKEN_KEY);
    showSignIn();
    return;
  }
  state.token = token;
  state.user = user;
  $('sign-in-view').hidden = true;
  $('console-view').hidden = false;
  $('sign-out').hidden = false;
  renderWho();
  $('open-register').hidden = !CAN_REGISTER.includes(user.role);
  $('open-reports').hidden = !CAN_REPORT.includes(user.role);
  const canList = CAN_LIST.includes(user.role);
  $('analyst-note').hidden = canList;
  $('tabs').hidden = !canList;
  $('queue-panel').hidden = !canList;
  $('overdue-only').parentElement.hidden = !canList;
  if (!canList) {
    showReports();
    return;
  }
  const fromHash = decodeURIComponent(location.hash.replace(/^#/, ''));
  refreshQueues().then(() => {
    if (fromHash && /^[A-Za-z0-9-]+$/.test(fromHash)) openComplaint(fromHash, { keepFocus: true });
  });
}

function renderWho() {
  if (!state.user) return;
  const { role, department, name } = state.user;
  $('who').textContent =
    `${name} · ${label('role', role)}${department ? ` · ${label('dept', department)}` : ''}`;
}

/** Session expired or token refused: back to sign-in. */
function handleAuthError(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut();
    return true;
  }
  return false;
}

// ------------------------------------------------------------------ clock (local stack)

async function tickClock() {
  try {
    const response = await fetch(`${config.apiBaseUrl ?? ''}/local/clock`);
    if (!response.ok) return;
    const { now, speed } = await response.json();
    state.clock = { now: Date.parse(now), speed, at: Date.now() };
    if (speed !== 1) {
      $('clock').hidden = false;
      renderClock();
    }
  } catch {
    // not the local stack
  }
}

function renderClock() {
  if (!state.clock) return;
  const simulated = state.clock.now + (Date.now() - state.clock.at) * state.clock.speed;
  $('clock').textContent =
    `${t('console.clock')}: ${formatDateTime(new Date(simulated).toISOString())} (×${state.clock.speed})`;
}

// ------------------------------------------------------------------ queues

async function refreshQueues() {
  const results = await Promise.all(
    QUEUES.map(async (stage) => {
      try {
        // every page (the API gives at most 100 a page), up to a bound
        const items = [];
        let cursor;
        for (let page = 0; page < MAX_QUEUE_PAGES; page++) {
          const params = new URLSearchParams({ stage, limit: '100', ...(cursor ? { cursor } : {}) });
          const data = await api(`/staff/complaints?${params}`, { token: state.token });
          items.push(...(data.items ?? []));
          cursor = data.nextCursor;
          if (!cursor) break;
        }
        return [stage, items];
      } catch (error) {
        if (handleAuthError(error)) throw error;
        return [stage, []];
      }
    }),
  ).catch(() => undefined);
  if (!results) return;
  state.lists = Object.fromEntries(results);
  renderTabs();
  renderQueue();
}

function renderTabs() {
  const tabs = $('tabs');
  tabs.replaceChildren(
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
            renderQueue();
          },
        },
        label('stage', stage),
        h('span', { class: `count${overdue ? ' has-overdue' : ''}`, text: String(items.length) }),
      );
    }),
  );
  $('queue-panel').setAttribute('aria-labelledby', `tab-${state.queue}`);
}

/** A queue's items, only those past a deadline when "overdue only" is ticked. */
function shown(stage) {
  const items = state.lists?.[stage] ?? [];
  return $('overdue-only').checked ? items.filter((i) => missedDeadline(i.pending)) : items;
}

function renderQueue() {
  const items = shown(state.queue);
  const list = $('queue');
  if (items.length === 0) {
    list.replaceChildren(h('li', { class: 'empty', text: t('console.empty') }));
    return;
  }
  list.replaceChildren(
    ...items.map((item) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            'aria-current': String(item.id === state.selected?.id),
            onclick: () => openComplaint(item.id),
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
              : null,
            h('span', { text: item.customerName }),
            item.department ? h('span', { text: label('dept', item.department) }) : null,
            item.pending
              ? h('span', { text: `${t('console.due')} ${formatDateTime(item.pending.dueAt)}` })
              : null,
          ),
        ),
      ),
    ),
  );
}

/**
 * A step missed its deadline when it is overdue now, or when it was escalated (the timeout
 * escalates at once and sets a new deadline, so `overdue` alone is rarely seen).
 */
function missedDeadline(pending) {
  return Boolean(pending && (pending.overdue || pending.escalationLevel > 0));
}

function deadlineBadge(pending) {
  if (!missedDeadline(pending)) return null;
  const level =
    pending.escalationLevel > 0 ? ` · ${t('console.escalatedTo')} L${pending.escalationLevel}` : '';
  return h('span', { class: 'badge overdue', text: `${t('console.overdue')}${level}` });
}

$('overdue-only').addEventListener('change', () => {
  renderTabs();
  renderQueue();
});
$('refresh').addEventListener('click', async () => {
  await refreshQueues();
  if (state.selected) await openComplaint(state.selected.id, { keepFocus: true });
});

// ------------------------------------------------------------------ one complaint

async function openComplaint(id, { keepFocus = false } = {}) {
  let record;
  try {
    record = await api(`/staff/complaints/${encodeURIComponent(id)}`, { token: state.token });
  } catch (error) {
    if (handleAuthError(error)) return;
    $('detail').replaceChildren(
      h('div', { class: 'card notice error', role: 'alert', text: errorText(error) }),
    );
    return;
  }
  state.selected = record;
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
  renderDetail();
  renderQueue();
  if (!keepFocus) $('detail').focus();
}

function fact(name, value) {
  if (value === undefined || value === null || value === '') return [];
  return [h('dt', { text: name }), h('dd', {}, value)];
}

function actorText(actor) {
  if (!actor) return '';
  if (actor.kind === 'staff') {
    return `${actor.name ?? actor.sub} · ${label('role', actor.role)}${actor.department ? ` · ${label('dept', actor.department)}` : ''}`;
  }
  return actor.kind === 'customer' ? label('role', 'customer') : 'system';
}

function renderDetail() {
  const c = state.selected;
  if (!c) return;
  const pending = c.pending;
  const head = h(
    'div',
    { class: 'card' },
    h(
      'div',
      { class: 'detail-head' },
      h('h2', {}, h('span', { class: 'reference', text: c.id }), ' ', c.subject),
      h(
        'div',
        { class: 'actions' },
        h('span', { class: `badge ${c.stage === 'closed' ? 'ok' : ''}`, text: label('stage', c.stage) }),
        c.outcome ? h('span', { class: 'badge', text: label('outcome', c.outcome) }) : null,
        deadlineBadge(pending),
        c.repeat ? h('span', { class: 'badge warn', text: t('console.repeat') }) : null,
        c.needsAttention ? h('span', { class: 'badge bad', text: t('console.needsAttention') }) : null,
      ),
    ),
    h(
      'div',
      { class: 'grid-2' },
      h(
        'dl',
        { class: 'facts' },
        fact(
          t('console.customer'),
          `${c.customer?.name ?? ''}${c.customer?.organization ? ` (${c.customer.organization})` : ''}`,
        ),
        fact(t('console.contact'), [c.customer?.email, c.customer?.phone].filter(Boolean).join(' · ')),
        fact(t('console.channel'), label('channel', c.channel)),
        fact(t('console.category'), c.category ? label('category', c.category) : undefined),
        fact(t('console.severity'), c.severity ? label('severity', c.severity) : undefined),
        fact(t('console.department'), c.department ? label('dept', c.department) : undefined),
        fact(t('console.orderRef'), c.orderRef),
      ),
      h(
        'dl',
        { class: 'facts' },
        fact(t('status.received'), formatDateTime(c.createdAt)),
        fact(t('status.replyDue'), formatDate(c.replyDueBy)),
        pending ? fact(t('console.waitingFor'), label('step', pending.step)) : [],
        pending
          ? fact(
              t('console.due'),
              `${formatDateTime(pending.dueAt)}${pending.provisional ? t('status.provisional') : ''}`,
            )
          : [],
        pending ? fact(t('console.escalation'), String(pending.escalationLevel)) : [],
        fact(t('status.closedAt'), c.closedAt ? formatDateTime(c.closedAt) : undefined),
      ),
    ),
    h('h3', { text: t('console.description') }),
    h('p', { class: 'pre', text: c.description }),
  );

  const sections = [];
  if (c.investigation) {
    sections.push(
      h(
        'div',
        {},
        h('h3', { text: t('console.investigation') }),
        h(
          'dl',
          { class: 'facts' },
          fact(t('console.valid'), c.investigation.valid ? t('common.yes') : t('common.no')),
          fact(t('console.findings'), h('span', { class: 'pre', text: c.investigation.findings })),
          c.investigation.opinion
            ? fact(t('console.opinion'), h('span', { class: 'pre', text: c.investigation.opinion }))
            : [],
        ),
      ),
    );
  }
  if (c.proposal) {
    sections.push(
      h(
        'div',
        {},
        h('h3', { text: `${t('console.proposal')} · ${t('console.round')} ${c.proposal.round}` }),
        h('p', { class: 'proposal-text', text: c.proposal.plan }),
        c.proposal.returnComment
          ? h('p', { class: 'hint', text: `${t('action.reviewComment')}: ${c.proposal.returnComment}` })
          : null,
      ),
    );
  }
  if (c.implementation) {
    sections.push(
      h(
        'div',
        {},
        h('h3', { text: t('console.implementation') }),
        h(
          'dl',
          { class: 'facts' },
          fact(t('action.result'), h('span', { class: 'pre', text: c.implementation.result })),
          fact(t('action.basis'), h('span', { class: 'pre', text: c.implementation.basis })),
          fact(t('action.suggestions'), c.implementation.suggestions),
        ),
      ),
    );
  }
  if (c.survey) {
    sections.push(
      h(
        'div',
        {},
        h('h3', { text: t('console.survey') }),
        h(
          'dl',
          { class: 'facts' },
          fact(t('status.rating'), `${c.survey.rating} / 5`),
          fact(t('status.surveyComment'), c.survey.comment),
        ),
      ),
    );
  }
  const record = sections.length
    ? h('div', { class: 'card' }, h('h2', { text: t('console.record') }), sections)
    : null;

  const history = h(
    'div',
    { class: 'card' },
    h('h2', { text: t('console.history') }),
    h(
      'table',
      { class: 'history' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { text: '#' }),
          h('th', { text: t('console.when') }),
          h('th', { text: t('console.action') }),
          h('th', { text: t('status.stage') }),
          h('th', { text: '' }),
        ),
      ),
      h(
        'tbody',
        {},
        [...(c.history ?? [])]
          .reverse()
          .map((e) =>
            h(
              'tr',
              {},
              h('td', { text: String(e.seq) }),
              h('td', {}, h('time', { datetime: e.at, text: formatDateTime(e.at) })),
              h(
                'td',
                {},
                label('event', e.type),
                h('br'),
                h('small', { class: 'hint', text: actorText(e.actor) }),
              ),
              h('td', { text: label('stage', e.stage) }),
              h('td', {}, e.data ? h('code', { text: JSON.stringify(e.data) }) : ''),
            ),
          ),
      ),
    ),
  );

  $('detail').replaceChildren(...[head, actionCard(c), record, history].filter(Boolean));
}

// ------------------------------------------------------------------ actions

function mayAct(step, complaint) {
  const spec = STEP_ACTIONS[step];
  if (!spec || !state.user) return false;
  if (!spec.roles.includes(state.user.role)) return false;
  if (spec.ownDepartment && state.user.role === 'department')
    return complaint.department === state.user.department;
  return true;
}

function field(labelText, control, { required = false, id } = {}) {
  const controlId = id ?? control.id;
  const tag = required ? h('span', { class: 'tag', text: t('common.required') }) : null;
  const errorId = `${controlId}-error`;
  // a radio group is named by aria-labelledby (a <label for> only names form controls)
  const group = control.getAttribute('role') === 'radiogroup';
  if (group) {
    control.setAttribute('aria-labelledby', `${controlId}-label`);
    control.setAttribute('aria-describedby', errorId);
  } else {
    control.setAttribute('aria-describedby', errorId);
  }
  return h(
    'div',
    { class: 'field' },
    group
      ? h('span', { class: 'label', id: `${controlId}-label` }, labelText, tag)
      : h('label', { for: controlId }, labelText, tag),
    control,
    h('div', { class: 'field-error', id: errorId }),
  );
}

function select(id, name, values, kind, { empty } = {}) {
  const el = h('select', { id, name });
  if (empty !== undefined) el.append(new Option(empty, ''));
  for (const v of values) el.append(new Option(label(kind, v), v));
  return el;
}

function yesNo(name, yesText, noText) {
  return h(
    'div',
    { class: 'choices', role: 'radiogroup', id: `${name}-group` },
    h('label', {}, h('input', { type: 'radio', name, value: 'true' }), yesText),
    h('label', {}, h('input', { type: 'radio', name, value: 'false' }), noText),
  );
}

function textarea(id, name, max) {
  return h('textarea', { id, name, maxlength: String(max) });
}

/** The form of the step the complaint waits on, or a sentence why there is none. */
function actionCard(c) {
  const card = h('div', { class: 'card' }, h('h2', { text: t('console.action') }));
  const step = c.pending?.step;
  if (!step) {
    card.append(h('p', { class: 'empty', text: t('console.noAction') }));
    return card;
  }
  if (!mayAct(step, c)) {
    card.append(h('p', { class: 'empty', text: `${label('step', step)}: ${t('console.notYours')}` }));
    return card;
  }
  const spec = STEP_ACTIONS[step];
  const form = h('form', { novalidate: true, id: 'action-form' });
  const message = h('div', { class: 'notice', role: 'status', tabindex: '-1' });
  let read;
  /** checks the API does not make (field errors in the API's shape) */
  let check = () => [];
  switch (spec.action) {
    case 'investigation': {
      const category = select('f-category', 'category', CATEGORIES, 'category', { empty: '' });
      if (c.category) category.value = c.category;
      form.append(
        field(t('action.valid'), yesNo('valid', t('common.yes'), t('common.no')), {
          required: true,
          id: 'valid-group',
        }),
        h(
          'div',
          { class: 'row' },
          field(t('console.category'), category, { required: true }),
          field(
            t('console.severity'),
            select('f-severity', 'severity', SEVERITIES, 'severity', { empty: '' }),
            { required: true },
          ),
          field(
            t('action.responsibleDept'),
            select('f-department', 'department', DEPARTMENTS, 'dept', { empty: '' }),
          ),
        ),
        field(t('action.findings'), textarea('f-findings', 'findings', 10000), { required: true }),
      );
      // not valid: the customer is told why in the rejection email (the findings stay internal)
      const opinion = field(t('action.opinion'), textarea('f-opinion', 'opinion', 2000), { required: true });
      opinion.append(h('p', { class: 'hint', text: t('action.opinionHint') }));
      opinion.hidden = true;
      form.append(opinion);
      form.addEventListener('change', (event) => {
        if (event.target.name !== 'valid') return;
        opinion.hidden = radio(form, 'valid') !== false;
        form.opinion.required = !opinion.hidden;
      });
      const notValid = () => radio(form, 'valid') === false;
      check = () =>
        notValid() && form.opinion.value.trim() === ''
          ? [{ path: 'opinion', message: t('action.opinionRequired') }]
          : [];
      read = () => ({
        valid: radio(form, 'valid'),
        category: form.category.value || undefined,
        severity: form.severity.value || undefined,
        department: form.department.value || undefined,
        findings: form.findings.value,
        opinion: notValid() ? form.opinion.value || undefined : undefined,
      });
      break;
    }
    case 'proposal':
      form.append(field(t('action.plan'), textarea('f-plan', 'plan', 10000), { required: true }));
      read = () => ({ plan: form.plan.value });
      break;
    case 'review':
      form.append(
        field(t('action.review'), yesNo('approved', t('action.approve'), t('action.return')), {
          required: true,
          id: 'approved-group',
        }),
        field(t('action.reviewComment'), textarea('f-comment', 'comment', 2000)),
      );
      read = () => ({ approved: radio(form, 'approved'), comment: form.comment.value || undefined });
      break;
    case 'decision':
      form.append(
        field(t('action.customerAccepts'), yesNo('accept', t('common.yes'), t('common.no')), {
          required: true,
          id: 'accept-group',
        }),
        field(t('status.comment'), textarea('f-comment', 'comment', 2000)),
      );
      read = () => ({ accept: radio(form, 'accept'), comment: form.comment.value || undefined });
      break;
    case 'implementation':
      form.append(
        field(t('action.result'), textarea('f-result', 'result', 10000), { required: true }),
        field(t('action.basis'), textarea('f-basis', 'basis', 10000), { required: true }),
        field(t('action.suggestions'), textarea('f-suggestions', 'suggestions', 10000)),
      );
      read = () => ({
        result: form.result.value,
        basis: form.basis.value,
        suggestions: form.suggestions.value || undefined,
      });
      break;
    case 'survey': {
      const rating = h(
        'div',
        { class: 'rating', role: 'radiogroup', id: 'rating-group' },
        [1, 2, 3, 4, 5].map((n) =>
          h(
            'label',
            {},
            h('input', { type: 'radio', name: 'rating', value: String(n) }),
            h('span', { text: String(n) }),
          ),
        ),
      );
      form.append(
        field(t('status.rating'), rating, { required: true, id: 'rating-group' }),
        field(t('status.surveyComment'), textarea('f-comment', 'comment', 2000)),
      );
      read = () => {
        const value = form.querySelector('input[name="rating"]:checked')?.value;
        return { rating: value ? Number(value) : undefined, comment: form.comment.value || undefined };
      };
      break;
    }
  }
  const submit = h('button', { type: 'submit', class: 'primary', text: t(`action.${spec.action}`) });
  form.append(h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    message.textContent = '';
    message.className = 'notice';
    const problems = check();
    if (problems.length) {
      showFieldErrors(form, problems, message);
      return;
    }
    submit.disabled = true;
    try {
      await api(`/staff/complaints/${encodeURIComponent(c.id)}/${spec.action}`, {
        method: 'POST',
        token: state.token,
        body: read(),
      });
      message.className = 'notice ok';
      message.textContent = t('console.sent');
      form.hidden = true;
      await waitUntilMoved(c);
    } catch (error) {
      if (handleAuthError(error)) return;
      if (error instanceof ApiError && error.status === 400 && error.details.length) {
        showFieldErrors(form, error.details, message);
      } else {
        message.className = 'notice error';
        message.textContent = errorText(error);
        message.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
  card.append(
    h('p', {
      class: 'hint',
      text: `${label('step', step)} · ${t('console.due')} ${formatDateTime(c.pending.dueAt)}`,
    }),
    message,
    form,
  );
  return card;
}

function radio(form, name) {
  const value = form.querySelector(`input[name="${name}"]:checked`)?.value;
  return value === undefined ? undefined : value === 'true';
}

function showFieldErrors(form, details, message) {
  const unplaced = [];
  let first;
  for (const d of details) {
    const path = String(d.path ?? '');
    const control = form.elements[path];
    const box =
      form.querySelector(`#${CSS.escape(control?.id ?? `${path}-group`)}-error`) ??
      form.querySelector(`#${CSS.escape(`${path}-group`)}-error`);
    if (!box) {
      unplaced.push(apiMessage(d.message));
      continue;
    }
    box.textContent = apiMessage(d.message);
    const target = control instanceof RadioNodeList ? control[0] : control;
    target?.setAttribute?.('aria-invalid', 'true');
    first ??= target;
  }
  message.className = 'notice error';
  message.textContent = [t('common.fixErrors'), ...unplaced].join(' ');
  (first ?? message).focus?.();
}

/** The journey records the action in the background: reload until the step changed. */
async function waitUntilMoved(before) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    try {
      const next = await api(`/staff/complaints/${encodeURIComponent(before.id)}`, { token: state.token });
      const moved =
        next.stage !== before.stage ||
        next.pending?.step !== before.pending?.step ||
        next.pending?.since !== before.pending?.since;
      if (moved) break;
    } catch {
      break;
    }
  }
  await refreshQueues();
  await openComplaint(before.id, { keepFocus: true });
}

// ------------------------------------------------------------------ register

$('open-register').addEventListener('click', () => {
  state.selected = undefined;
  renderQueue();
  const form = h('form', { novalidate: true });
  const message = h('div', { class: 'notice', role: 'status', tabindex: '-1' });
  const language = h(
    'select',
    { id: 'r-language', name: 'customer.language' },
    new Option('简体中文', 'zh-CN'),
    new Option('English', 'en'),
  );
  form.append(
    h(
      'div',
      { class: 'row' },
      field(
        t('console.channel'),
        select(
          'r-channel',
          'channel',
          CHANNELS.filter((ch) => ch !== 'web'),
          'channel',
        ),
        { required: true },
      ),
      field(
        t('console.category'),
        select('r-category', 'category', CATEGORIES, 'category', { empty: t('form.categoryAny') }),
      ),
      field(t('console.severity'), select('r-severity', 'severity', SEVERITIES, 'severity', { empty: '' })),
    ),
    h(
      'div',
      { class: 'row' },
      field(
        t('form.name'),
        h('input', { type: 'text', id: 'r-name', name: 'customer.name', maxlength: '100' }),
        { required: true },
      ),
      field(
        t('form.email'),
        h('input', { type: 'email', id: 'r-email', name: 'customer.email', maxlength: '254' }),
      ),
      field(
        t('form.phone'),
        h('input', { type: 'tel', id: 'r-phone', name: 'customer.phone', maxlength: '40' }),
      ),
      field(t('form.language'), language),
    ),
    field(
      t('form.subject'),
      h('input', { type: 'text', id: 'r-subject', name: 'subject', maxlength: '200' }),
      { required: true },
    ),
    field(t('form.description'), textarea('r-description', 'description', 10000), { required: true }),
    field(
      t('form.orderRef'),
      h('input', { type: 'text', id: 'r-orderRef', name: 'orderRef', maxlength: '100' }),
    ),
  );
  const submit = h('button', { type: 'submit', class: 'primary', text: t('console.register') });
  form.append(h('div', { class: 'actions' }, submit));
  const key = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    const v = (name) => form.elements[name].value.trim() || undefined;
    const body = {
      channel: v('channel'),
      customer: {
        name: v('customer.name'),
        email: v('customer.email'),
        phone: v('customer.phone'),
        language: v('customer.language'),
      },
      subject: v('subject'),
      description: v('description'),
      category: v('category'),
      severity: v('severity'),
      orderRef: v('orderRef'),
    };
    submit.disabled = true;
    try {
      const created = await api('/staff/complaints', {
        method: 'POST',
        token: state.token,
        body,
        headers: { 'idempotency-key': key },
      });
      message.className = 'notice ok';
      message.textContent = `${t('console.registered')} ${created.id}`;
      form.hidden = true;
      await refreshQueues();
    } catch (error) {
      if (handleAuthError(error)) return;
      if (error instanceof ApiError && error.status === 400 && error.details.length)
        showFieldErrors(form, error.details, message);
      else {
        message.className = 'notice error';
        message.textContent = errorText(error);
      }
    } finally {
      submit.disabled = false;
    }
  });
  $('detail').replaceChildren(
    h(
      'div',
      { class: 'card' },
      h('h2', { text: t('console.register') }),
      h('p', { class: 'lead', text: t('console.registerIntro') }),
      message,
      form,
    ),
  );
  $('detail').focus();
});

// ------------------------------------------------------------------ reports

$('open-reports').addEventListener('click', showReports);

function quarterStart(date) {
  return new Date(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
}

function showReports() {
  state.selected = undefined;
  renderQueue();
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
  const load = async () => {
    out.replaceChildren(h('p', { class: 'hint', text: t('common.loading') }));
    try {
      const params = new URLSearchParams({ from: from.value, to: to.value });
      const report = await api(`/staff/reports?${params}`, { token: state.token });
      out.replaceChildren(renderReport(report));
    } catch (error) {
      if (handleAuthError(error)) return;
      out.replaceChildren(h('div', { class: 'notice error', text: errorText(error) }));
    }
  };
  $('detail').replaceChildren(
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
  );
  load();
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
  const table = (rows) =>
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'history report' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { text: '' }),
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
    table([[t('report.overall'), report.overall]]),
    BREAKDOWNS.filter(([key]) => report[key] && Object.keys(report[key]).length > 0).map(([key, kind]) =>
      h(
        'div',
        {},
        h('h3', { text: t(`report.${key}`) }),
        table(Object.entries(report[key]).map(([value, measures]) => [label(kind, value), measures])),
      ),
    ),
  );
}

// ------------------------------------------------------------------ start

document.addEventListener('languagechange', () => {
  renderWho();
  renderClock();
  if (!$('sign-in-view').hidden) renderSignInOptions();
  renderTabs();
  renderQueue();
  renderDetail();
});
window.addEventListener('hashchange', () => {
  const id = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (state.user && id && id !== state.selected?.id && /^[A-Za-z0-9-]+$/.test(id)) openComplaint(id);
});

applyTexts();
mountLanguageSwitch($('lang'));
tickClock();
setInterval(renderClock, 1000);
setInterval(tickClock, 30_000);
setInterval(() => {
  if (state.user && CAN_LIST.includes(state.user.role) && document.visibilityState === 'visible')
    refreshQueues();
}, 20_000);
const cognito = useCognito() ? await takeCognitoToken() : {};
if (cognito.token) localStorage.setItem(TOKEN_KEY, cognito.token);
const saved = localStorage.getItem(TOKEN_KEY);
if (cognito.error) showSignIn(cognito.error);
else if (saved) start(saved);
else showSignIn();
