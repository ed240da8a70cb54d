/**
 * The named owner of a complaint (besides its department): agents and the department role take
 * or release it, supervisors and managers assign it to a colleague's staff id or to nobody —
 * `POST /staff/complaints/{id}/assign`.
 */
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from './errors.js';

const ASSIGNS_OTHERS = ['supervisor', 'manager'];
const MAY_OWN = ['agent', 'department', 'supervisor', 'manager'];

/** The owner's name, "me", or nobody, in the page language. */
export function ownerText(assignee, user) {
  if (!assignee) return t('owner.nobody');
  if (user && assignee.sub === user.sub) return t('owner.me');
  return assignee.name ?? assignee.sub;
}

/** The owner line with the take / release / assign controls the signed-in role may use. */
export function ownerCard(app, c) {
  const user = app.state.user;
  if (!user || !MAY_OWN.includes(user.role) || c.stage === 'closed') return null;
  const message = h('div', { class: 'notice', role: 'status', tabindex: '-1' });
  const send = async (assignee, button) => {
    button.disabled = true;
    message.className = 'notice';
    message.textContent = '';
    try {
      await app.call(`/staff/complaints/${encodeURIComponent(c.id)}/assign`, {
        method: 'POST',
        body: { assignee },
      });
      await app.refreshQueues();
      await app.openComplaint(c.id, { keepFocus: true });
    } catch (error) {
      message.className = 'notice error';
      message.textContent =
        error instanceof ApiError && error.status === 400 ? t('owner.badId') : errorText(error);
      message.focus();
    } finally {
      button.disabled = false;
    }
  };
  const mine = c.assignee?.sub === user.sub;
  const controls = h('div', { class: 'actions' });
  if (!mine && (!c.assignee || ASSIGNS_OTHERS.includes(user.role))) {
    const take = h('button', { type: 'button', class: 'primary', text: t('owner.take') });
    take.addEventListener('click', () => send('me', take));
    controls.append(take);
  }
  if (c.assignee && (mine || ASSIGNS_OTHERS.includes(user.role))) {
    const release = h('button', { type: 'button', text: t('owner.release') });
    release.addEventListener('click', () => send(null, release));
    controls.append(release);
  }
  let assignForm = null;
  if (ASSIGNS_OTHERS.includes(user.role)) {
    const input = h('input', { id: 'assign-to', name: 'assignee', maxlength: '128', autocomplete: 'off' });
    const go = h('button', { type: 'submit', text: t('owner.assign') });
    assignForm = h(
      'form',
      { class: 'row', novalidate: true },
      h('label', { for: 'assign-to', text: t('owner.staffId') }),
      input,
      go,
    );
    assignForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.value.trim() !== '') send(input.value.trim(), go);
    });
  }
  return h(
    'div',
    { class: 'card' },
    h('h2', { text: t('owner.title') }),
    h('p', { text: `${t('owner.current')}: ${ownerText(c.assignee, user)}` }),
    message,
    controls,
    assignForm,
  );
}
