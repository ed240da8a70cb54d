/** Registering a complaint that came by phone, email, chat, letter… (staff). */
import { ApiError, newIdempotencyKey } from '../api.js';
import { byId, clearFieldErrors, h, showFieldErrors } from '../dom.js';
import { CATEGORIES, CHANNELS, LANGUAGES, SEVERITIES } from '../generated/catalogue.js';
import { t } from '../i18n.js';
import { field, select, textarea } from './actions.js';
import { errorText } from './errors.js';

const LANGUAGE_NAMES = { 'zh-CN': '简体中文', en: 'English' };

export function showRegister(app) {
  app.state.selected = undefined;
  app.queues.renderList();
  const form = h('form', { novalidate: true });
  const message = h('div', { class: 'notice', role: 'status', tabindex: '-1' });
  const language = h(
    'select',
    { id: 'r-language', name: 'customer.language' },
    LANGUAGES.map((l) => new Option(LANGUAGE_NAMES[l] ?? l, l)),
  );
  const input = (type, id, name, max) => h('input', { type, id, name, maxlength: String(max) });
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
      field(t('form.name'), input('text', 'r-name', 'customer.name', 100), { required: true }),
      field(t('form.email'), input('email', 'r-email', 'customer.email', 254)),
      field(t('form.phone'), input('tel', 'r-phone', 'customer.phone', 40)),
      field(t('form.language'), language),
    ),
    field(t('form.subject'), input('text', 'r-subject', 'subject', 200), { required: true }),
    field(t('form.description'), textarea('r-description', 'description', 10000), { required: true }),
    h(
      'div',
      { class: 'row' },
      field(t('form.orderRef'), input('text', 'r-orderRef', 'orderRef', 100)),
      // when a letter or a regulator's referral actually arrived: deadlines count from it
      field(
        t('console.receivedAt'),
        h('input', { type: 'datetime-local', id: 'r-receivedAt', name: 'receivedAt', max: localNow() }),
      ),
    ),
    h('p', { class: 'hint', text: t('console.receivedAtHint') }),
  );
  const submit = h('button', { type: 'submit', class: 'primary', text: t('console.register') });
  form.append(h('div', { class: 'actions' }, submit));
  const key = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
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
      receivedAt: instant(v('receivedAt')),
    };
    submit.disabled = true;
    try {
      const created = await app.call('/staff/complaints', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': key },
      });
      message.className = 'notice ok';
      message.textContent = `${t('console.registered')} ${created.id}`;
      form.hidden = true;
      await app.refreshQueues();
    } catch (error) {
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
  byId('detail').replaceChildren(
    h(
      'div',
      { class: 'card' },
      h('h2', { text: t('console.register') }),
      h('p', { class: 'lead', text: t('console.registerIntro') }),
      message,
      form,
    ),
  );
  byId('detail').focus();
}

/** now as a datetime-local value (the browser's zone), the latest receipt the field offers */
function localNow() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** a datetime-local value (the browser's zone) as an ISO instant, or undefined when empty */
function instant(local) {
  if (!local) return undefined;
  const at = new Date(local);
  return Number.isFinite(at.getTime()) ? at.toISOString() : local;
}
