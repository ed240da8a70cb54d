/**
 * The form of the step a complaint waits on, built from the step catalogue
 * (web/generated/catalogue.js: its action, roles and fields), for the roles allowed to take it.
 */
import { ApiError } from '../api.js';
import { clearFieldErrors, h, showFieldErrors } from '../dom.js';
import * as catalogue from '../generated/catalogue.js';
import { formatDateTime, label, t } from '../i18n.js';
import { errorText } from './errors.js';
import { mayTake } from './queues.js';

/** The label of a field: the step's own wording where it has one, else the field's. */
const FIELD_TEXT = {
  'investigation.valid': 'action.valid',
  'investigation.category': 'console.category',
  'investigation.severity': 'console.severity',
  'investigation.department': 'action.responsibleDept',
  'investigation.findings': 'action.findings',
  'investigation.opinion': 'action.opinion',
  'proposal.plan': 'action.plan',
  'review.approved': 'action.review',
  'review.comment': 'action.reviewComment',
  'decision.accept': 'action.customerAccepts',
  'decision.comment': 'status.comment',
  'implementation.result': 'action.result',
  'implementation.basis': 'action.basis',
  'implementation.suggestions': 'action.suggestions',
  'survey.rating': 'status.rating',
  'survey.comment': 'status.surveyComment',
  'survey.unreachable': 'field.unreachable',
};
/** yes/no wording of a boolean field where it is not "yes"/"no" */
const BOOLEAN_TEXT = {
  approved: ['action.approve', 'action.return'],
  // the agent's follow-up call: "nobody answered" first
  unreachable: ['action.unreachable', 'action.reached'],
};
/** the label kind of each choice list of the catalogue */
const CHOICE_KIND = {
  CATEGORIES: 'category',
  SEVERITIES: 'severity',
  DEPARTMENTS: 'dept',
  CHANNELS: 'channel',
};

export function field(labelText, control, { required = false, id } = {}) {
  const controlId = id ?? control.id;
  const tag = required ? h('span', { class: 'tag', text: t('common.required') }) : null;
  const errorId = `${controlId}-error`;
  // a radio group is named by aria-labelledby (a <label for> only names form controls)
  const group = control.getAttribute('role') === 'radiogroup';
  if (group) control.setAttribute('aria-labelledby', `${controlId}-label`);
  control.setAttribute('aria-describedby', errorId);
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

export function select(id, name, values, kind, { empty } = {}) {
  const el = h('select', { id, name });
  if (empty !== undefined) el.append(new Option(empty, ''));
  for (const v of values) el.append(new Option(label(kind, v), v));
  return el;
}

function radios(name, options, className = 'choices') {
  return h(
    'div',
    { class: className, role: 'radiogroup', id: `${name}-group` },
    options.map(([value, text]) =>
      h('label', {}, h('input', { type: 'radio', name, value: String(value) }), h('span', { text })),
    ),
  );
}

export const textarea = (id, name, max) => h('textarea', { id, name, maxlength: String(max) });

function radio(form, name) {
  const value = form.querySelector(`input[name="${name}"]:checked`)?.value;
  return value === undefined ? undefined : value;
}

/** The control of one catalogue field. */
function control(spec, complaint) {
  const id = `f-${spec.name}`;
  switch (spec.kind) {
    case 'boolean': {
      const [yes, no] = BOOLEAN_TEXT[spec.name] ?? ['common.yes', 'common.no'];
      return radios(spec.name, [
        [true, t(yes)],
        [false, t(no)],
      ]);
    }
    case 'rating': {
      const values = [];
      for (let n = spec.min ?? 1; n <= (spec.max ?? 5); n++) values.push([n, String(n)]);
      return radios(spec.name, values, 'rating');
    }
    case 'choice': {
      const list = catalogue[spec.options] ?? [];
      const values = list.map((v) => (typeof v === 'object' ? v.id : v));
      const el = select(id, spec.name, values, CHOICE_KIND[spec.options] ?? spec.name, { empty: '' });
      if (complaint[spec.name]) el.value = complaint[spec.name];
      return el;
    }
    default:
      return textarea(id, spec.name, spec.maxLength ?? 10000);
  }
}

function fieldValue(form, spec) {
  if (spec.kind === 'boolean') {
    const v = radio(form, spec.name);
    return v === undefined ? undefined : v === 'true';
  }
  if (spec.kind === 'rating') {
    const v = radio(form, spec.name);
    return v === undefined ? undefined : Number(v);
  }
  const v = form.elements[spec.name]?.value;
  return v === '' || v === undefined ? undefined : v;
}

/** The action card: the step's form, or a sentence why there is none. */
export function actionCard(app, c) {
  const card = h('div', { class: 'card' }, h('h2', { text: t('console.action') }));
  const stepName = c.pending?.step;
  if (!stepName) {
    card.append(h('p', { class: 'empty', text: t('console.noAction') }));
    return card;
  }
  const step = catalogue.STEPS.find((s) => s.step === stepName);
  if (!step || !mayTake(stepName, c, app.state.user)) {
    card.append(h('p', { class: 'empty', text: `${label('step', stepName)}: ${t('console.notYours')}` }));
    return card;
  }
  const form = h('form', { novalidate: true, id: 'action-form' });
  const message = h('div', { class: 'notice', role: 'status', tabindex: '-1' });
  const fields = {};
  for (const spec of step.fields) {
    const el = control(spec, c);
    const id = el.getAttribute('role') === 'radiogroup' ? el.id : undefined;
    fields[spec.name] = field(t(FIELD_TEXT[`${step.action}.${spec.name}`] ?? `field.${spec.name}`), el, {
      required: spec.required,
      id,
    });
  }
  // investigation: the opinion to the customer only when the complaint is not valid
  const hasOpinion = fields.valid && fields.opinion;
  if (hasOpinion) {
    fields.opinion.querySelector('label')?.append(h('span', { class: 'tag', text: t('common.required') }));
    fields.opinion.append(h('p', { class: 'hint', text: t('action.opinionHint') }));
    fields.opinion.hidden = true;
    form.addEventListener('change', (event) => {
      if (event.target.name !== 'valid') return;
      fields.opinion.hidden = radio(form, 'valid') !== 'false';
    });
  }
  // the follow-up call: no rating when nobody answered (then the call is tried again, or closes)
  const hasUnreachable = fields.unreachable && fields.rating;
  if (hasUnreachable) {
    fields.rating.querySelector('.label')?.append(h('span', { class: 'tag', text: t('common.required') }));
    fields.unreachable.append(h('p', { class: 'hint', text: t('action.unreachableHint') }));
    form.addEventListener('change', (event) => {
      if (event.target.name !== 'unreachable') return;
      fields.rating.hidden = radio(form, 'unreachable') === 'true';
    });
  }
  const rows = ['category', 'severity', 'department'].filter((n) => fields[n]);
  for (const spec of step.fields) {
    if (rows.includes(spec.name)) {
      if (spec.name === rows[0])
        form.append(
          h(
            'div',
            { class: 'row' },
            rows.map((n) => fields[n]),
          ),
        );
      continue;
    }
    form.append(fields[spec.name]);
  }
  const read = () => {
    const body = {};
    for (const spec of step.fields) {
      if (hasOpinion && spec.name === 'opinion' && fields.opinion.hidden) continue;
      if (hasUnreachable && spec.name === 'rating' && fields.rating.hidden) continue;
      const v = fieldValue(form, spec);
      // "reached the customer" is the answer itself: only "nobody answered" is sent
      if (spec.name === 'unreachable' && v !== true) continue;
      if (v !== undefined) body[spec.name] = v;
    }
    return body;
  };
  const check = () =>
    hasOpinion && !fields.opinion.hidden && form.elements.opinion.value.trim() === ''
      ? [{ path: 'opinion', code: 'required', message: t('action.opinionRequired') }]
      : [];
  const submit = h('button', { type: 'submit', class: 'primary', text: t(`action.${step.action}`) });
  form.append(h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    message.textContent = '';
    message.className = 'notice';
    const problems = check();
    if (problems.length) {
      showFieldErrors(form, problems, message, { scope: step.action });
      return;
    }
    submit.disabled = true;
    try {
      await app.call(`/staff/complaints/${encodeURIComponent(c.id)}/${step.action}`, {
        method: 'POST',
        body: read(),
      });
      message.className = 'notice ok';
      message.textContent = t('console.sent');
      form.hidden = true;
      await waitUntilMoved(app, c);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length) {
        showFieldErrors(form, error.details, message, { scope: step.action });
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
      text: `${label('step', stepName)} · ${t('console.due')} ${formatDateTime(c.pending.dueAt)}`,
    }),
    message,
    form,
  );
  return card;
}

/** The journey records the action in the background: reload until the step changed. */
async function waitUntilMoved(app, before) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    try {
      const next = await app.call(`/staff/complaints/${encodeURIComponent(before.id)}`);
      const moved =
        next.stage !== before.stage ||
        next.pending?.step !== before.pending?.step ||
        next.pending?.since !== before.pending?.since;
      if (moved) break;
    } catch {
      break;
    }
  }
  await app.refreshQueues();
  await app.openComplaint(before.id, { keepFocus: true });
}
