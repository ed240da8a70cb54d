/**
 * The customer's status page: `status.html?id=<id>#token=<accessToken>` (the link in every
 * customer email). The token moves from the URL fragment to localStorage (per complaint) and
 * out of the address bar; it never goes to the server in a URL. The page speaks the link's
 * `lang=`, else the visitor's choice, else the complaint's language, else the browser's.
 */
import { ApiError, api } from './api.js';
import { renderStatusAttachments } from './attachments.js';
import { mountBranding } from './branding.js';
import { STAGES } from './generated/catalogue.js';
import {
  applyTexts,
  fieldErrorText,
  formatDate,
  formatDateTime,
  label,
  mountLanguageSwitch,
  setFallbackLanguage,
  t,
} from './i18n.js';

const id = new URLSearchParams(location.search).get('id')?.trim() ?? '';
const storageKey = `complaints.token.${id}`;
const $ = (elementId) => document.getElementById(elementId);
let view;

function readToken() {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromLink = fragment.get('token');
  if (fromLink) {
    try {
      localStorage.setItem(storageKey, fromLink);
    } catch {
      // private mode: keep it for this visit only
    }
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return fromLink;
  }
  try {
    return localStorage.getItem(storageKey) ?? '';
  } catch {
    return '';
  }
}

const token = id ? readToken() : '';

function showError(message) {
  $('loading').hidden = true;
  $('page-error').textContent = message;
  $('page-error').focus();
}

async function load() {
  if (!id || !token) {
    showError(t('status.noLink'));
    return;
  }
  try {
    view = await api(`/complaints/${encodeURIComponent(id)}`, { token });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 401))
      showError(t('status.notFound'));
    else if (error instanceof ApiError && error.status === 0) showError(t('common.networkError'));
    else if (error instanceof ApiError && error.status === 429) showError(t('common.tooMany'));
    else showError(t('common.serverError'));
    return;
  }
  $('loading').hidden = true;
  $('page-error').textContent = '';
  // without ?lang= or a stored choice: the complaint's language (renders through languagechange)
  setFallbackLanguage(view.language ?? view.customer?.language);
  render();
}

function render() {
  if (!view) return;
  $('summary').hidden = false;
  $('subject').textContent = view.subject ?? '';
  $('ref').textContent = view.id;
  const closed = view.stage === 'closed';
  const stage = $('stage');
  stage.textContent = closed
    ? `${label('customerStage', 'closed')} · ${label('outcome', view.outcome)}`
    : label('customerStage', view.stage);
  stage.className = `badge ${closed ? (view.outcome === 'resolved' ? 'ok' : 'warn') : ''}`;
  $('created').textContent = formatDateTime(view.createdAt);
  $('reply-due').textContent =
    `${formatDate(view.replyDueBy)}${view.replyDueProvisional ? t('status.provisional') : ''}`;
  // an extension (延期): the new date and the reason the customer was told
  const extension = view.extension;
  $('extension-label').hidden = !extension;
  $('extension').hidden = !extension;
  $('extension').textContent = extension
    ? t('status.extensionText', { date: formatDateTime(extension.dueAt), reason: extension.reason })
    : '';
  $('closed-label').hidden = !view.closedAt;
  $('closed').hidden = !view.closedAt;
  $('closed').textContent = view.closedAt ? formatDateTime(view.closedAt) : '';
  renderStages();

  const deciding = view.awaiting?.action === 'decision' && view.proposal;
  $('decision').hidden = !deciding;
  if (deciding) {
    $('plan').textContent = view.proposal.plan;
    $('decision-due').textContent = formatDateTime(view.awaiting.dueAt);
  }
  const surveying = view.awaiting?.action === 'survey';
  $('survey').hidden = !surveying;
  if (surveying) $('survey-due').textContent = formatDateTime(view.awaiting.dueAt);
  renderRatingScale();

  // what the customer told us, and the plan they accepted (when the API gives them)
  $('told').hidden = !view.description;
  $('description').textContent = view.description ?? '';
  const accepted = view.acceptedPlan ?? (!deciding && view.proposal?.acceptedAt ? view.proposal : undefined);
  $('accepted').hidden = !accepted;
  $('accepted-plan').textContent = accepted?.plan ?? '';

  const result = view.result;
  // a complaint found not valid: the investigation's opinion (as emailed) is its result
  const opinion = view.opinion;
  $('result').hidden = !result && view.rating === undefined && !opinion;
  $('opinion').hidden = !opinion;
  $('opinion-text').textContent = opinion ?? '';
  for (const rowId of ['result-text-label', 'result-text', 'result-basis-label', 'result-basis'])
    $(rowId).hidden = !result;
  $('result-facts').hidden = !result && view.rating === undefined;
  $('result-text').textContent = result?.result ?? t('common.none');
  $('result-basis').textContent = result?.basis ?? t('common.none');
  $('result-suggestions-label').hidden = !result?.suggestions;
  $('result-suggestions').hidden = !result?.suggestions;
  $('result-suggestions').textContent = result?.suggestions ?? '';
  $('rating-label').hidden = view.rating === undefined;
  $('rating-value').hidden = view.rating === undefined;
  $('rating-value').textContent = view.rating !== undefined ? `${view.rating} / 5` : '';

  renderConversation();

  const list = $('timeline');
  list.replaceChildren(
    ...[...(view.timeline ?? [])].reverse().map((entry) => {
      const item = document.createElement('li');
      const time = document.createElement('time');
      time.dateTime = entry.at;
      time.textContent = formatDateTime(entry.at);
      const text = document.createElement('span');
      text.textContent = label('timeline', entry.event);
      item.append(time, text);
      return item;
    }),
  );
  $('history').hidden = (view.timeline ?? []).length === 0;
  renderStatusAttachments($('main'), view, token, load);
}

/** An element with its text (never HTML: the texts are the company's and the customer's words). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A list of label/text pairs (the empty ones left out). */
function factsOf(pairs) {
  const facts = el('dl', 'facts');
  for (const [key, text] of pairs) {
    if (text === undefined || text === '') continue;
    facts.append(el('dt', undefined, t(key)), el('dd', 'pre', text));
  }
  return facts;
}

/** What the company told the customer and what they answered, oldest first. */
function renderConversation() {
  const messages = Array.isArray(view.messages) ? view.messages : [];
  $('conversation').hidden = messages.length === 0;
  $('messages').replaceChildren(
    ...messages.map((message) => {
      const fromCustomer = message.from === 'customer';
      const item = el('li', `message ${fromCustomer ? 'from-customer' : 'from-company'}`);
      const meta = el('p', 'meta');
      const time = el('time', undefined, formatDateTime(message.at));
      time.dateTime = message.at;
      meta.append(
        el('span', 'who', t(fromCustomer ? 'status.from.customer' : 'status.from.company')),
        ' · ',
        time,
      );
      item.append(meta, el('p', 'kind', t(`status.message.${message.kind}`)));
      switch (message.kind) {
        case 'opinion':
          item.append(el('p', 'pre', message.opinion));
          break;
        case 'proposal':
          item.append(el('p', 'pre', message.plan));
          break;
        case 'result':
          item.append(
            factsOf([
              ['status.result', message.result],
              ['status.basis', message.basis],
              ['status.suggestions', message.suggestions],
            ]),
          );
          break;
        case 'decision':
          item.append(el('p', 'answer', t(message.accept ? 'status.accepted' : 'status.declined')));
          item.append(factsOf([[message.accept ? 'status.comment' : 'status.reason', message.comment]]));
          break;
        case 'survey':
          item.append(
            factsOf([
              ['status.yourRating', t('status.ratingOf', { rating: message.rating })],
              ['status.surveyComment', message.comment],
            ]),
          );
          break;
      }
      // an empty list (no comment) says nothing: left out
      for (const facts of item.querySelectorAll('dl.facts')) if (!facts.children.length) facts.remove();
      return item;
    }),
  );
}

function renderStages() {
  const shown = STAGES.filter((s) => s !== 'received');
  const current = shown.indexOf(view.stage);
  $('stages').replaceChildren(
    ...shown.map((stage, i) => {
      const item = document.createElement('li');
      item.textContent = label('customerStage', stage);
      if (i < current || view.stage === 'closed') item.className = 'done';
      if (i === current) {
        item.className = 'current';
        item.setAttribute('aria-current', 'step');
      }
      return item;
    }),
  );
}

/** The 1–5 scale, each point with its words (very dissatisfied … very satisfied). */
function renderRatingScale() {
  for (const input of document.querySelectorAll('#survey-form input[name="rating"]')) {
    const words = input.parentElement.querySelector('.words');
    if (words) words.textContent = t(`status.rating.${input.value}`);
  }
}

function setBusy(form, busy) {
  for (const button of form.querySelectorAll('button')) button.disabled = busy;
}

function showFieldError(fieldId, message) {
  // the rating is a group of radio buttons: its message under the group, focus on the first
  const field = fieldId === 'rating' ? document.querySelector('input[name="rating"]') : $(fieldId);
  if (fieldId !== 'rating') field?.setAttribute('aria-invalid', 'true');
  $(`${fieldId}-error`).textContent = message;
  field?.focus();
}

function clearFieldErrors(form) {
  for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  for (const box of form.parentElement.querySelectorAll('.field-error')) box.textContent = '';
}

function showActionError(box, error, fieldIds, scope) {
  if (error instanceof ApiError && error.status === 400 && error.details.length > 0) {
    for (const detail of error.details) {
      const path = String(detail.path ?? '');
      const fieldId = fieldIds[path] ?? fieldIds[''];
      if (fieldId) showFieldError(fieldId, fieldErrorText(detail, { scope }));
    }
    return;
  }
  box.className = 'notice error';
  if (error instanceof ApiError && error.status === 409) box.textContent = t('common.conflict');
  else if (error instanceof ApiError && error.status === 0) box.textContent = t('common.networkError');
  else if (error instanceof ApiError && error.status === 429) box.textContent = t('common.tooMany');
  else if (error instanceof ApiError && error.status < 500) box.textContent = error.message;
  else box.textContent = t('common.serverError');
  box.focus();
}

/** After an action the journey moves on in the background: reload until the stage changes. */
async function reloadUntilMoved(previousStage, previousAction) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 400));
    try {
      const next = await api(`/complaints/${encodeURIComponent(id)}`, { token });
      if (next.stage !== previousStage || next.awaiting?.action !== previousAction) {
        view = next;
        render();
        return;
      }
    } catch {
      return;
    }
  }
}

$('decision-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const accept = event.submitter?.value !== 'decline';
  const comment = $('decision-comment').value.trim();
  const box = $('decision-message');
  clearFieldErrors(form);
  box.textContent = '';
  $('decision-hint').hidden = accept;
  if (!accept && !comment) {
    showFieldError('decision-comment', t('status.declineReasonHint'));
    return;
  }
  setBusy(form, true);
  try {
    await api(`/complaints/${encodeURIComponent(id)}/decision`, {
      method: 'POST',
      token,
      body: { accept, ...(comment ? { comment } : {}) },
    });
    form.hidden = true;
    box.className = 'notice ok';
    box.textContent = t('status.decisionThanks');
    box.focus();
    await reloadUntilMoved(view.stage, view.awaiting?.action);
    form.hidden = false;
    box.textContent = '';
  } catch (error) {
    showActionError(box, error, { comment: 'decision-comment', '': 'decision-comment' }, 'decision');
  } finally {
    setBusy(form, false);
  }
});

$('survey-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const box = $('survey-message');
  clearFieldErrors(form);
  box.textContent = '';
  const rating = Number(form.querySelector('input[name="rating"]:checked')?.value);
  if (!rating) {
    $('rating-error').textContent = fieldErrorText({ path: 'rating', code: 'required' });
    form.querySelector('input[name="rating"]').focus();
    return;
  }
  const comment = $('survey-comment').value.trim();
  setBusy(form, true);
  try {
    await api(`/complaints/${encodeURIComponent(id)}/survey`, {
      method: 'POST',
      token,
      body: { rating, ...(comment ? { comment } : {}) },
    });
    form.hidden = true;
    box.className = 'notice ok';
    box.textContent = t('status.surveyThanks');
    box.focus();
    await reloadUntilMoved(view.stage, view.awaiting?.action);
  } catch (error) {
    showActionError(box, error, { comment: 'survey-comment', rating: 'rating', '': 'rating' }, 'survey');
  } finally {
    setBusy(form, false);
  }
});

document.addEventListener('languagechange', render);
applyTexts();
mountBranding();
mountLanguageSwitch($('lang'));
load();
