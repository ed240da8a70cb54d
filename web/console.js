/**
 * The staff console, wired from one module per screen (web/console/): sign-in, queues, a
 * complaint's record and the form of its step, registering, reports. One state object, passed
 * to each. Opens `console.html#<id>` at that complaint.
 */
import { consoleAttachmentsCard } from './attachments.js';
import { config } from './config.js';
import { actionCard } from './console/actions.js';
import { createCalls } from './console/calls.js';
import { errorText } from './console/errors.js';
import { notesCard } from './console/notes.js';
import { ownerCard } from './console/owner.js';
import { createQueues } from './console/queues.js';
import { renderRecord } from './console/record.js';
import { showRegister } from './console/register.js';
import { showReports } from './console/reports.js';
import { mountSearch } from './console/search.js';
import { createSession, hostedUiLogout, takeCognitoToken, useCognito } from './console/session.js';
import { mountSignIn, renderSignInOptions, showSignIn } from './console/sign-in.js';
import { byId, h } from './dom.js';
import { applyTexts, formatDateTime, label, mountLanguageSwitch, t } from './i18n.js';

const CAN_LIST = ['agent', 'department', 'supervisor', 'manager'];
const CAN_REGISTER = ['agent', 'supervisor', 'manager'];
const CAN_REPORT = ['analyst', 'supervisor', 'manager'];

const state = {
  token: '',
  user: undefined,
  queue: 'investigation',
  lists: {},
  selected: undefined,
  clock: undefined,
  /** the console was shown with this user: a new sign-in after a 401 resumes it */
  started: false,
};

const session = createSession(state, {
  onExpired: () => showSignIn(t('console.sessionLost'), { keepConsole: true }),
});

const app = {
  state,
  call: (path, options) => session.call(path, options),
  refreshQueues: () => Promise.all([app.queues.refresh(), app.calls.refresh()]),
  openComplaint,
};
app.queues = createQueues(app);
app.search = mountSearch(app);
app.calls = createCalls(app);

function start(token) {
  const sameUser = state.started && state.user;
  const before = state.user;
  if (!session.signedIn(token)) {
    showSignIn();
    return;
  }
  const user = state.user;
  byId('sign-in-view').hidden = true;
  byId('console-view').hidden = false;
  byId('sign-out').hidden = false;
  renderWho();
  // back after a session ran out, as the same person: everything on screen stays as it was
  if (sameUser && before.role === user.role && before.sub === user.sub) return;
  state.started = true;
  byId('open-register').hidden = !CAN_REGISTER.includes(user.role);
  byId('open-reports').hidden = !CAN_REPORT.includes(user.role);
  const canList = CAN_LIST.includes(user.role);
  byId('analyst-note').hidden = canList;
  byId('tabs').hidden = !canList;
  byId('queue-panel').hidden = !canList;
  byId('filters').hidden = !canList;
  byId('search').hidden = !canList;
  state.search = undefined;
  byId('search-results').hidden = true;
  if (!canList) {
    showReports(app);
    return;
  }
  const fromHash = decodeURIComponent(location.hash.replace(/^#/, ''));
  app.calls.refresh();
  app.queues.refresh().then(() => {
    if (fromHash && /^[A-Za-z0-9-]+$/.test(fromHash)) openComplaint(fromHash, { keepFocus: true });
  });
}

async function signOut() {
  session.forget();
  state.started = false;
  const logout = await hostedUiLogout();
  if (logout) {
    location.assign(logout);
    return;
  }
  showSignIn();
}

function renderWho() {
  if (!state.user) return;
  const { role, department, name } = state.user;
  byId('who').textContent =
    `${name} · ${label('role', role)}${department ? ` · ${label('dept', department)}` : ''}`;
}

async function tickClock() {
  try {
    const response = await fetch(`${config.apiBaseUrl ?? ''}/local/clock`);
    if (!response.ok) return;
    const { now, speed } = await response.json();
    state.clock = { now: Date.parse(now), speed, at: Date.now() };
    if (speed !== 1) {
      byId('clock').hidden = false;
      renderClock();
    }
  } catch {
    // not the local stack
  }
}

function renderClock() {
  if (!state.clock) return;
  const simulated = state.clock.now + (Date.now() - state.clock.at) * state.clock.speed;
  byId('clock').textContent =
    `${t('console.clock')}: ${formatDateTime(new Date(simulated).toISOString())} (×${state.clock.speed})`;
}

async function openComplaint(id, { keepFocus = false } = {}) {
  let record;
  try {
    record = await app.call(`/staff/complaints/${encodeURIComponent(id)}`);
  } catch (error) {
    byId('detail').replaceChildren(
      h('div', { class: 'card notice error', role: 'alert', text: errorText(error) }),
    );
    return;
  }
  state.selected = record;
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
  renderDetail();
  app.queues.renderList();
  if (!keepFocus) byId('detail').focus();
}

function renderDetail() {
  const c = state.selected;
  if (!c) return;
  const files = consoleAttachmentsCard(c, state.token, () => openComplaint(c.id, { keepFocus: true }));
  byId('detail').replaceChildren(
    ...renderRecord(c, actionCard(app, c), ownerCard(app, c), notesCard(app, c)),
    files,
  );
}

mountSignIn({ onToken: start });
byId('sign-out').addEventListener('click', signOut);
byId('open-register').addEventListener('click', () => showRegister(app));
byId('open-reports').addEventListener('click', () => showReports(app));
byId('refresh').addEventListener('click', async () => {
  await app.refreshQueues();
  if (state.selected) await openComplaint(state.selected.id, { keepFocus: true });
});
document.addEventListener('languagechange', () => {
  renderWho();
  renderClock();
  if (!byId('sign-in-view').hidden) renderSignInOptions();
  if (state.user) {
    app.queues.render();
    app.calls.render();
  }
  if (state.search) app.search.render();
  renderDetail();
});
window.addEventListener('hashchange', () => {
  const id = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (state.user && id && id !== state.selected?.id && /^[A-Za-z0-9-]+$/.test(id)) openComplaint(id);
});

applyTexts();
mountLanguageSwitch(byId('lang'));
tickClock();
setInterval(renderClock, 1000);
setInterval(tickClock, 30_000);
setInterval(() => {
  if (
    state.user &&
    !byId('console-view').hidden &&
    CAN_LIST.includes(state.user.role) &&
    document.visibilityState === 'visible'
  )
    app.refreshQueues();
}, 20_000);
const cognito = useCognito() ? await takeCognitoToken() : {};
const saved = cognito.token ?? session.saved();
if (cognito.error) showSignIn(cognito.error);
else if (saved) start(saved);
else showSignIn();
