// Experiments: status, layer, traffic, start, and the primary metric's verdict; filter and search.
import { can, get } from './api.js';
import { BUCKETS, date, h, pct } from './dom.js';

const STATUSES = ['', 'DRAFT', 'RUNNING', 'PAUSED', 'CONCLUDED', 'KILLED'];

export async function experimentList() {
  // archived experiments come from their own list, shown when asked for
  const [current, archivedOnes] = await Promise.all([
    get('/v1/experiments'), get('/v1/experiments?archived=true')]);
  const experiments = current.concat(archivedOnes);
  const body = h('tbody');
  const status = h('select#status-filter', STATUSES.map((s) => h('option', { value: s }, s || 'any status')));
  const showArchived = h('input#show-archived', { type: 'checkbox' });
  const search = h('input#search', { type: 'search', placeholder: 'search key or name' });
  const rows = experiments
    .sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || ''))
    .map((e) => ({ e, tr: row(e) }));

  function filter() {
    const text = search.value.trim().toLowerCase();
    for (const { e, tr } of rows) {
      const shown = (!status.value || e.status === status.value)
        && (showArchived.checked || !e.archived)
        && (!text || e.key.toLowerCase().includes(text) || (e.name || '').toLowerCase().includes(text));
      tr.hidden = !shown;
    }
  }
  status.addEventListener('change', filter);
  showArchived.addEventListener('change', filter);
  search.addEventListener('input', filter);
  rows.forEach(({ tr }) => body.append(tr));
  filter();
  rows.filter(({ e }) => e.status !== 'DRAFT').forEach(({ e, tr }) => {
    verdictOf(e, tr);
    startedAt(e, tr);
  });

  const element = h('section',
    h('div.toolbar',
      h('h1', 'Experiments'),
      status, h('label', showArchived, ' archived'), search,
      h('a.button.primary#new-experiment', { href: '#/experiments/new', hidden: !can.edit() }, 'New experiment')),
    rows.length === 0 ? h('p.muted', 'No experiments yet.') : null,
    h('table.grid#experiments',
      h('thead', h('tr', ['Key', 'Name', 'Status', 'Layer', 'Traffic', 'Started', 'Primary metric'].map((t) => h('th', t)))),
      body));
  return { element };
}

function row(e) {
  return h('tr', { dataset: { key: e.key, status: e.status } },
    h('td', h('a', { href: `#/experiments/${encodeURIComponent(e.key)}` }, e.key)),
    h('td', e.name || ''),
    h('td', h(`span.status.${e.status.toLowerCase()}`, e.status), e.archived ? h('span.muted', ' archived') : null),
    h('td', e.layer ? `${e.layer} [${e.layerSlots[0]}, ${e.layerSlots[1]})` : '–'),
    h('td', pct(e.coverage / BUCKETS, 0)),
    h('td.started', e.status === 'DRAFT' ? '–' : '…'),
    h('td.verdict', e.primaryMetric ? '…' : '–'));
}

/** The primary metric's best comparison verdict, filled in when the results arrive. */
async function verdictOf(e, tr) {
  const cell = tr.querySelector('.verdict');
  if (!e.primaryMetric) return;
  try {
    const results = await get(`/v1/experiments/${encodeURIComponent(e.key)}/results`);
    const metric = (results.metrics || []).find((m) => m.metric === e.primaryMetric);
    const comparisons = (metric && metric.comparisons) || [];
    const order = ['significant', 'trending', 'not_significant'];
    const best = comparisons.map((c) => c.verdict).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
    cell.replaceChildren(best ? h(`span.verdict.${best}`, best.replace('_', ' ')) : '–');
    if ((results.warnings || []).includes('srm')) cell.append(' ', h('span.badge.warn', 'SRM'));
  } catch {
    cell.textContent = '–';
  }
}

/** When it was first started: the first start in its audit trail. */
async function startedAt(e, tr) {
  const cell = tr.querySelector('.started');
  try {
    const history = await get(`/v1/experiments/${encodeURIComponent(e.key)}/history`);
    const start = (history.history || []).find((entry) => entry.action === 'start');
    cell.textContent = start ? date(start.at) : '–';
  } catch {
    cell.textContent = '–';
  }
}
