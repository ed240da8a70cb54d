/** One complaint as a record: its facts, what each step recorded, and its history as sentences. */
import { h } from '../dom.js';
import { formatDate, formatDateTime, label, t } from '../i18n.js';
import { noteSentence } from './notes.js';
import { deadlineBadge } from './queues.js';

function fact(name, value) {
  if (value === undefined || value === null || value === '') return [];
  return [h('dt', { text: name }), h('dd', {}, value)];
}

/** Who did it, in the page language: "王伟（客服专员 · 售后服务部）", "The customer", "The system". */
export function actorText(actor) {
  if (!actor || actor.kind === 'system') return t('actor.system');
  if (actor.kind === 'customer') return t('actor.customer');
  const values = {
    name: actor.name ?? actor.sub,
    role: label('role', actor.role),
    dept: actor.department ? label('dept', actor.department) : '',
  };
  return t(actor.department ? 'actor.staffDept' : 'actor.staff', values);
}

/** One history event as a sentence in the page language, with the actor and local times. */
export function historySentence(e) {
  const d = e.data ?? {};
  const values = {
    actor: actorText(e.actor),
    step: d.step ? label('step', d.step) : label('stage', e.stage),
    due: d.dueAt ? formatDateTime(d.dueAt) : '',
    missed: d.missedDueAt ? formatDateTime(d.missedDueAt) : '',
    level: d.level ?? '',
    count: d.count ?? '',
    round: d.round ?? '',
    channel: d.channel ? label('channel', d.channel) : '',
    outcome: d.outcome ? label('outcome', d.outcome) : '',
    notice: d.template ? label('template', d.template) : '',
    attempt: d.attempt ?? '',
    of: d.of ?? '',
    event: label('event', e.type),
  };
  if (e.type === 'note_added') return noteSentence(e, values.actor);
  if (e.type === 'assigned') {
    if (!d.assignee) return t('history.assigned.released', values);
    return t('history.assigned', {
      ...values,
      owner: d.assignee === e.actor?.sub ? t('owner.themselves') : d.assignee,
    });
  }
  if (e.type === 'step_opened' && d.reminder) return t('history.step_opened.reminder', values);
  if (e.type === 'registered' && d.receivedAt)
    return t('history.registered.receivedAt', { ...values, received: formatDateTime(d.receivedAt) });
  if (e.type === 'escalated' && (d.reason === 'declines' || d.reason === 'reopens'))
    return t(`history.escalated.${d.reason}`, values);
  if (e.type === 'escalated' && !d.step) return t('history.escalated.any', values);
  const key = `history.${e.type}`;
  const text = t(key, values);
  return text === e.type ? t('history.other', values) : text;
}

/** The same customer's other complaints (earlier and later), each a link that opens it. */
function relatedSection(related) {
  if (!related?.length) return null;
  return h(
    'section',
    { class: 'related', 'aria-labelledby': 'related-title' },
    h('h3', { id: 'related-title', text: t('console.related') }),
    h(
      'ul',
      {},
      related.map((r) =>
        h(
          'li',
          {},
          h('a', { href: `#${encodeURIComponent(r.id)}`, class: 'reference', text: r.reference }),
          ' ',
          h('span', {
            class: 'badge',
            text: r.stage === 'closed' && r.outcome ? label('outcome', r.outcome) : label('stage', r.stage),
          }),
          ' ',
          h('time', { datetime: r.createdAt, text: formatDate(r.createdAt) }),
        ),
      ),
    ),
  );
}

/** The record's cards; `extraCards` (e.g. the notes form) follow the step's action card. */
export function renderRecord(c, actionCard, ...extraCards) {
  const pending = c.pending;
  const head = h(
    'div',
    { class: 'card' },
    h(
      'div',
      { class: 'detail-head' },
      h('h2', { id: 'detail-title' }, h('span', { class: 'reference', text: c.id }), ' ', c.subject),
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
        fact(t('status.received'), formatDateTime(c.receivedAt ?? c.createdAt)),
        c.receivedAt ? fact(t('console.registeredAt'), formatDateTime(c.createdAt)) : [],
        fact(t('status.replyDue'), formatDate(c.replyDueBy)),
        pending ? fact(t('console.waitingFor'), label('step', pending.step)) : [],
        pending
          ? fact(
              t('console.due'),
              `${formatDateTime(pending.dueAt)}${pending.provisional ? t('status.provisional') : ''}`,
            )
          : [],
        pending ? fact(t('console.escalation'), String(pending.escalationLevel)) : [],
        fact(
          t('console.maxEscalation'),
          c.maxEscalationLevel > 0 ? String(c.maxEscalationLevel) : t('console.neverEscalated'),
        ),
        fact(t('status.closedAt'), c.closedAt ? formatDateTime(c.closedAt) : undefined),
      ),
    ),
    h('h3', { text: t('console.description') }),
    h('p', { class: 'pre', text: c.description }),
    relatedSection(c.related),
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
  const escalations = c.escalationHistory ?? [];
  if (escalations.length) {
    sections.push(
      h(
        'div',
        {},
        h('h3', { text: `${t('console.escalations')} (${escalations.length})` }),
        h(
          'ol',
          { class: 'history-list escalation-list' },
          escalations.map((x) =>
            h(
              'li',
              {},
              h('time', { datetime: x.at, text: formatDateTime(x.at) }),
              h('span', {
                class: 'sentence',
                text: historySentence({
                  type: 'escalated',
                  at: x.at,
                  actor: { kind: 'system' },
                  data: x.reason === 'timeout' ? x : { ...x, step: undefined },
                }),
              }),
            ),
          ),
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
      'ol',
      { class: 'history-list', reversed: true },
      [...(c.history ?? [])]
        .reverse()
        .map((e) =>
          h(
            'li',
            {},
            h('time', { datetime: e.at, text: formatDateTime(e.at) }),
            h('span', { class: 'sentence', text: historySentence(e) }),
          ),
        ),
    ),
  );
  return [head, actionCard, ...extraCards, record, history].filter(Boolean);
}
