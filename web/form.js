/** The complaint form: POST /complaints, with the API's field errors shown next to each field. */
import { ApiError, api, newIdempotencyKey } from './api.js';
import { mountFormAttachments } from './attachments.js';
import { mountBranding } from './branding.js';
import { CATEGORIES } from './generated/catalogue.js';
import { applyTexts, fieldErrorText, formatDate, label, language, mountLanguageSwitch, t } from './i18n.js';

const form = document.getElementById('complaint-form');
const sendButton = document.getElementById('send');
const formError = document.getElementById('form-error');
const categorySelect = document.getElementById('category');
const languageSelect = document.getElementById('language');
let idempotencyKey = newIdempotencyKey();
const attachments = mountFormAttachments(document.getElementById('description').closest('.field'));
let languageTouched = false;
/** the errors shown, to show again in the other language: 'local' (re-checked) or the API's details */
let shownErrors;

function renderCategories() {
  const chosen = categorySelect.value;
  categorySelect.replaceChildren(
    new Option(t('form.categoryAny'), ''),
    ...CATEGORIES.map((c) => new Option(label('category', c), c)),
  );
  categorySelect.value = chosen;
}

function fieldFor(path) {
  const exact = form.querySelector(`[name="${CSS.escape(path)}"]`);
  if (exact) return exact;
  // "customer" (at least one of email/phone) → the email field; "customer.email.x" → email.
  const fields = [...form.querySelectorAll('[name]')];
  return (
    fields.find((f) => path.startsWith(`${f.name}.`)) ??
    fields.find((f) => f.name.startsWith(`${path}.`) && f.type !== 'text') ??
    fields.find((f) => f.name.startsWith(`${path}.`))
  );
}

function clearErrors() {
  shownErrors = undefined;
  formError.textContent = '';
  for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  for (const box of form.querySelectorAll('.field-error')) box.textContent = '';
}

function showErrors(details, { focus = true, source = details } = {}) {
  shownErrors = source;
  const unplaced = [];
  let first;
  for (const detail of details) {
    const path = Array.isArray(detail.path) ? detail.path.join('.') : String(detail.path ?? '');
    const field = path ? fieldFor(path) : undefined;
    const max = field?.getAttribute('maxlength');
    const message = fieldErrorText(detail, {
      values: max ? { max: Number(max).toLocaleString() } : undefined,
    });
    if (!field) {
      unplaced.push(message);
      continue;
    }
    field.setAttribute('aria-invalid', 'true');
    const box = document.getElementById(`${field.id}-error`);
    if (box) box.textContent = box.textContent ? `${box.textContent} ${message}` : message;
    first ??= field;
  }
  formError.textContent = [t('common.fixErrors'), ...unplaced].join(' ');
  if (focus) (first ?? formError).focus?.();
}

/**
 * Client-side checks that mirror the API's, so the common mistakes show before a round trip;
 * in the API's shape (`path`, `code`), worded like its errors.
 */
function localErrors(body) {
  const errors = [];
  if (!body.customer.name) errors.push({ path: 'customer.name', code: 'required' });
  if (!body.customer.email && !body.customer.phone) errors.push({ path: 'customer.email', code: 'required' });
  const email = form.elements['customer.email'];
  if (body.customer.email && !email.checkValidity())
    errors.push({ path: 'customer.email', code: 'invalid_format' });
  if (!body.subject) errors.push({ path: 'subject', code: 'required' });
  if (!body.description) errors.push({ path: 'description', code: 'required' });
  const consent = document.getElementById('privacy-consent');
  if (consent && !consent.checked) errors.push({ path: 'privacy', code: 'required' });
  return errors;
}

function readForm() {
  const value = (name) => form.elements[name].value.trim();
  const customer = { name: value('customer.name'), language: value('customer.language') };
  for (const key of ['email', 'phone', 'organization']) {
    const v = value(`customer.${key}`);
    if (v) customer[key] = v;
  }
  const body = { customer, subject: value('subject'), description: value('description'), channel: 'web' };
  if (value('category')) body.category = value('category');
  if (value('orderRef')) body.orderRef = value('orderRef');
  const occurred = value('occurredAt');
  if (occurred) {
    const when = new Date(occurred);
    if (!Number.isNaN(when.getTime())) body.occurredAt = when.toISOString();
  }
  return body;
}

form.addEventListener('input', (event) => {
  const field = event.target;
  if (field.getAttribute?.('aria-invalid')) {
    field.removeAttribute('aria-invalid');
    const box = document.getElementById(`${field.id}-error`);
    if (box) box.textContent = '';
    if (Array.isArray(shownErrors)) {
      shownErrors = shownErrors.filter((d) => {
        const path = Array.isArray(d.path) ? d.path.join('.') : String(d.path ?? '');
        return !path || fieldFor(path) !== field;
      });
    }
  }
  // A changed form is another complaint: a new Idempotency-Key.
  idempotencyKey = newIdempotencyKey();
});
languageSelect.addEventListener('change', () => {
  languageTouched = true;
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const body = readForm();
  const problems = localErrors(body);
  if (problems.length > 0) {
    showErrors(problems, { source: 'local' });
    return;
  }
  sendButton.disabled = true;
  sendButton.textContent = t('form.sending');
  try {
    const created = await api('/complaints', {
      method: 'POST',
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });
    await attachments.upload(created);
    showDone(created);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
      showErrors(error.details);
    else if (error instanceof ApiError && error.status === 0)
      formError.textContent = t('common.networkError');
    // throttled (API Gateway answers {"message":"Too Many Requests"}): in the page's language
    else if (error instanceof ApiError && error.status === 429) formError.textContent = t('common.tooMany');
    else if (error instanceof ApiError && error.status < 500) formError.textContent = error.message;
    else formError.textContent = t('common.serverError');
    if (formError.textContent && !form.querySelector('[aria-invalid]')) formError.focus?.();
  } finally {
    sendButton.disabled = false;
    sendButton.textContent = t('form.send');
  }
});

function showDone(created) {
  const link = `status.html?id=${encodeURIComponent(created.id)}#token=${encodeURIComponent(created.accessToken)}`;
  try {
    localStorage.setItem(`complaints.token.${created.id}`, created.accessToken);
  } catch {
    // private mode: the link still carries the token
  }
  document.getElementById('done-ref').textContent = created.id;
  document.getElementById('done-due').textContent = formatDate(created.replyDueBy);
  document.getElementById('done-link').href = link;
  document.getElementById('form-card').hidden = true;
  const done = document.getElementById('done-card');
  done.hidden = false;
  done.focus();
}

document.getElementById('another').addEventListener('click', () => {
  form.reset();
  languageSelect.value = language();
  idempotencyKey = newIdempotencyKey();
  document.getElementById('done-card').hidden = true;
  document.getElementById('form-card').hidden = false;
  form.elements['customer.name'].focus();
});

document.addEventListener('languagechange', () => {
  renderCategories();
  sendButton.textContent = t('form.send');
  if (!languageTouched) languageSelect.value = language();
  // the messages shown follow the language; focus stays on the switch
  const shown = shownErrors;
  if (shown) {
    clearErrors();
    const details = shown === 'local' ? localErrors(readForm()) : shown;
    if (details.length > 0) showErrors(details, { focus: false, source: shown });
  }
});

applyTexts();
mountBranding();
renderCategories();
languageSelect.value = language();
mountLanguageSwitch(document.getElementById('lang'));
formError.tabIndex = -1;
