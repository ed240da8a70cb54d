/**
 * The search box over the queues: GET /staff/complaints?q= finds complaints by reference,
 * customer email, phone (any format) or order reference — exact matches, every stage, closed
 * ones too. While a search is shown it takes the queues' place; "Back to the queues" (or an
 * empty search) brings them back.
 */
import { byId, h } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from './errors.js';
import { queueRow } from './queues.js';

export function mountSearch(app) {
  const { state } = app;
  const form = byId('search');
  const input = byId('search-q');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) {
      clear();
      return;
    }
    state.search = { q, busy: true };
    render();
    try {
      const data = await app.call(`/staff/complaints?${new URLSearchParams({ q })}`);
      if (state.search?.q !== q) return; // another search started meanwhile
      state.search = { q, items: data.items ?? [] };
    } catch (error) {
      if (state.search?.q !== q) return;
      state.search = { q, error: errorText(error) };
    }
    render();
  });

  function clear() {
    state.search = undefined;
    input.value = '';
    render();
  }

  /** The results in place of the tabs and the queue, or the queues when no search is shown. */
  function render() {
    const s = state.search;
    const panel = byId('search-results');
    const showQueues = !s;
    byId('tabs').hidden = !showQueues;
    byId('queue-panel').hidden = !showQueues;
    byId('filters').hidden = !showQueues;
    panel.hidden = showQueues;
    if (!s) return;
    const head = s.busy
      ? t('console.searching')
      : s.error
        ? null
        : t('console.searchFound', { n: s.items.length, q: s.q });
    panel.replaceChildren(
      h(
        'div',
        { class: 'search-head' },
        head ? h('p', { role: 'status', text: head }) : null,
        h('button', { type: 'button', class: 'link-button', onclick: clear }, t('console.searchBack')),
      ),
      s.error ? h('div', { class: 'notice error', role: 'alert', text: s.error }) : null,
      s.items
        ? h(
            'ul',
            { class: 'queue', id: 'search-list' },
            s.items.length === 0
              ? h('li', { class: 'empty', text: t('console.searchNone') })
              : s.items.map((item) => queueRow(app, item, { showStage: true })),
          )
        : null,
    );
  }

  return { render, clear };
}
