/**
 * The agents' call list: notices for customers without an email address
 * (GET /staff/call-tasks), oldest first. Each shows whom to call (a tel: link), what to tell
 * them (the email's own text, in the complaint's language) and one button that logs the call
 * (POST /staff/complaints/{id}/notes with kind `call` and the task's id), which completes it.
 */
import { byId, h } from '../dom.js';
import { formatDateTime, label, t } from '../i18n.js';
import { errorText } from './errors.js';

/** who sees the call list (GET /staff/call-tasks) */
export const CAN_CALL = ['agent', 'supervisor', 'manager'];

export function createCalls(app) {
  const { state } = app;
  state.calls ??= [];

  async function refresh() {
    const panel = byId('calls');
    if (!panel) return;
    if (!CAN_CALL.includes(state.user?.role)) {
      panel.hidden = true;
      return;
    }
    try {
      const data = await app.call('/staff/call-tasks?limit=100');
      state.calls = data.items ?? [];
    } catch {
      state.calls = [];
    }
    render();
  }

  function render() {
    const panel = byId('calls');
    if (!panel) return;
    panel.hidden = !CAN_CALL.includes(state.user?.role);
    byId('calls-title').textContent = `${t('calls.title')} (${state.calls.length})`;
    const list = byId('call-list');
    if (state.calls.length === 0) {
      list.replaceChildren(h('li', { class: 'empty', text: t('calls.none') }));
      return;
    }
    list.replaceChildren(...state.calls.map(item));
  }

  function item(task) {
    const message = h('div', { class: 'notice', role: 'status' });
    const done = h('button', {
      type: 'button',
      class: 'primary small',
      text: t('calls.logged'),
      'aria-label': `${t('calls.logged')}: ${task.complaintId} · ${label('template', task.template)}`,
    });
    done.addEventListener('click', async () => {
      done.disabled = true;
      message.className = 'notice';
      message.textContent = '';
      try {
        await app.call(`/staff/complaints/${encodeURIComponent(task.complaintId)}/notes`, {
          method: 'POST',
          body: {
            kind: 'call',
            callTask: task.taskId,
            text: t('calls.noteText', { notice: label('template', task.template), subject: task.subject }),
          },
        });
        state.calls = state.calls.filter(
          (c) => c.taskId !== task.taskId || c.complaintId !== task.complaintId,
        );
        render();
        if (state.selected?.id === task.complaintId)
          await app.openComplaint(task.complaintId, { keepFocus: true });
      } catch (error) {
        done.disabled = false;
        message.className = 'notice error';
        message.textContent = errorText(error);
      }
    });
    const open = h('button', {
      type: 'button',
      class: 'link-button',
      text: task.complaintId,
      onclick: () => app.openComplaint(task.complaintId),
    });
    const phone = task.phone
      ? h('a', { href: `tel:${task.phone.replace(/[^\d+]/g, '')}`, text: task.phone })
      : h('span', { text: t('calls.noPhone') });
    return h(
      'li',
      { class: 'call-task' },
      h('div', { class: 'call-head' }, h('strong', { text: label('template', task.template) }), open),
      h(
        'div',
        { class: 'meta' },
        h('span', { text: task.customerName }),
        phone,
        h('span', { text: label('lang', task.language) }),
        task.dueAt ? h('span', { text: `${t('calls.answerBy')} ${formatDateTime(task.dueAt)}` }) : null,
      ),
      h(
        'details',
        {},
        h('summary', { text: task.subject }),
        // focusable: the text scrolls within its box (axe scrollable-region-focusable)
        h('pre', { class: 'call-text', lang: task.language, tabindex: '0', text: task.text }),
      ),
      h('div', { class: 'actions' }, done),
      message,
    );
  }

  return { refresh, render };
}
