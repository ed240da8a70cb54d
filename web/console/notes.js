/**
 * The staff-only notes and communication log of a complaint: a quick form on every complaint
 * ("I called the customer", a visit, a letter, an email, or an internal note), posted to
 * `POST /staff/complaints/{id}/notes`; the note then shows in the history.
 */
import { ApiError } from '../api.js';
import { clearFieldErrors, h, showFieldErrors } from '../dom.js';
import { label, t } from '../i18n.js';
import { field, select, textarea } from './actions.js';
import { errorText } from './errors.js';

export const NOTE_KINDS = ['call', 'note', 'visit', 'letter', 'email'];
const NOTE_MAX = 4000;

/** The card with the note form, for every staff role that may read the complaint. */
export function notesCard(app, c) {
  const role = app.state.user?.role;
  if (role === 'analyst') return null;
  const form = h('form', { novalidate: true, id: 'note-form' });
  const message = h('div', { class: 'notice', role: 'status', tabindex: '-1' });
  const kind = select('note-kind', 'kind', NOTE_KINDS, 'noteKind');
  const text = textarea('note-text', 'text', NOTE_MAX);
  text.rows = 3;
  const submit = h('button', { type: 'submit', text: t('notes.add') });
  form.append(
    field(t('notes.kind'), kind, { required: true }),
    field(t('notes.text'), text, { required: true }),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    message.textContent = '';
    message.className = 'notice';
    submit.disabled = true;
    try {
      await app.call(`/staff/complaints/${encodeURIComponent(c.id)}/notes`, {
        method: 'POST',
        body: { kind: kind.value, text: text.value },
      });
      message.className = 'notice ok';
      message.textContent = t('notes.saved');
      text.value = '';
      await app.openComplaint(c.id, { keepFocus: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length) {
        showFieldErrors(form, error.details, message, { scope: 'notes' });
      } else {
        message.className = 'notice error';
        message.textContent = errorText(error);
        message.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    'div',
    { class: 'card' },
    h('h2', { text: t('notes.title') }),
    h('p', { class: 'hint', text: t('notes.hint') }),
    message,
    form,
  );
}

/** A `note_added` history event as a sentence: who, what kind, and the text itself. */
export function noteSentence(e, actor) {
  const d = e.data ?? {};
  return t(d.callTask ? 'history.note_added.callTask' : 'history.note_added', {
    actor,
    kind: label('noteKind', d.kind ?? 'note'),
    text: d.text ?? '',
  });
}
