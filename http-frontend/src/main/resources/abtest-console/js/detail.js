// One experiment: its definition, lifecycle buttons (as the role and status allow), live results
// and the audit trail.
import { call, can, get } from './api.js';
import { BUCKETS, confirmDialog, date, h, pct } from './dom.js';
import { environmentResults } from './results.js';

/**
 * Which actions each status allows and who may take them: a copy of protocol's Lifecycle, held
 * against it by ConsoleExperimentFieldsTest (a button the API would refuse is never enabled).
 */
const ACTIONS = [
  { action: 'start', from: ['DRAFT'], allowed: can.edit },
  { action: 'pause', from: ['RUNNING'], allowed: can.edit },
  { action: 'resume', from: ['PAUSED'], allowed: can.edit },
  { action: 'conclude', from: ['RUNNING', 'PAUSED'], allowed: can.adminOnly, ship: true,
    confirm: 'Conclude this experiment? Assignment stops and the results are final. Ship a variant to keep serving it to everyone the experiment targets, or ship nothing and everyone gets the default experience.' },
  // a concluded experiment is killed only to take back the variant it ships (Lifecycle.allowedOn)
  { action: 'kill', from: ['RUNNING', 'PAUSED', 'CONCLUDED'], allowed: can.adminOnly, danger: true,
    when: (e) => e.status !== 'CONCLUDED' || Boolean(e.shipped),
    confirm: 'Kill this experiment? Everyone gets the default experience within seconds. This cannot be undone.' },
  { action: 'delete', from: ['DRAFT'], allowed: can.adminOnly, danger: true, method: 'DELETE',
    confirm: 'Delete this draft? It disappears from the console and the API; its history is kept, and its key cannot be used again.' },
];

/** Archive is not a status change: an ended experiment leaves the default list (admin). */
const ARCHIVABLE = ['CONCLUDED', 'KILLED'];

export async function experimentDetail(key) {
  const path = `/v1/experiments/${encodeURIComponent(key)}`;
  const e = await get(path);
  const status = h(`span.status.${e.status.toLowerCase()}#status`, e.status);
  const message = h('div.banner#action-message', { hidden: true });
  const warned = sessionStorage.getItem(`abtest.warnings.${key}`);
  sessionStorage.removeItem(`abtest.warnings.${key}`);
  const overlaps = warned
    ? h('div.banners#create-warnings', JSON.parse(warned).map((w) =>
      h('div.banner.warn', { dataset: { warning: w.code, experiment: w.experiment } }, w.message)))
    : null;
  const buttons = ACTIONS.map((a) => {
    const button = h(`button#action-${a.action}${a.danger ? '.danger' : ''}`, { type: 'button' }, a.action);
    button.addEventListener('click', async () => {
      const ship = a.ship ? shipChoice(e) : null;
      if (a.confirm && !(await confirmDialog(a.confirm, ship))) return;
      try {
        if (a.method === 'DELETE') {
          await call('DELETE', path);
          window.location.hash = '#/experiments';
          return;
        }
        await call('POST', `${path}/${a.action}`, ship && ship.value ? { ship: ship.value } : undefined);
        // re-render the whole screen: new status, history entry, and a fresh results socket
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (err) {
        message.hidden = false;
        message.className = 'banner error';
        message.textContent = err.message;
      }
    });
    return { a, button };
  });
  const archive = h('button#action-archive', { type: 'button' }, e.archived ? 'unarchive' : 'archive');
  archive.addEventListener('click', async () => {
    try {
      await call('POST', `${path}/${e.archived ? 'unarchive' : 'archive'}`);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (err) {
      message.hidden = false;
      message.className = 'banner error';
      message.textContent = err.message;
    }
  });
  function refresh() {
    status.textContent = e.status;
    status.className = `status ${e.status.toLowerCase()}`;
    for (const { a, button } of buttons) {
      const permitted = a.allowed();
      button.disabled = !permitted || !a.from.includes(e.status) || (a.when !== undefined && !a.when(e));
      button.title = permitted ? '' : `your role (${sessionRole()}) may not ${a.action}`;
    }
    archive.hidden = !ARCHIVABLE.includes(e.status);
    archive.disabled = !can.adminOnly();
    archive.title = can.adminOnly() ? '' : `your role (${sessionRole()}) may not ${e.archived ? 'unarchive' : 'archive'}`;
    edit.hidden = !can.edit() || ['CONCLUDED', 'KILLED'].includes(e.status);
  }
  const edit = h('a.button#edit', { href: `#/experiments/${encodeURIComponent(key)}/edit` }, 'Edit');
  const history = historyPanel(path);
  const results = e.status === 'DRAFT'
    ? { element: h('section.card#results', h('h2', 'Results'), h('p.muted', 'Results appear here, live, once the experiment is started.')), close: () => {} }
    : environmentResults(e);
  refresh();

  const element = h('section.detail',
    h('div.toolbar', h('h1', e.name && e.name !== e.key ? `${e.name}` : e.key), status,
      h('div.spacer'), edit, buttons.map((b) => b.button), archive),
    message,
    overlaps,
    h('p.muted', `${e.key} · phase ${e.phase} · version ${e.version} · created ${date(e.createdAt)}`),
    e.hypothesis ? h('p.hypothesis', e.hypothesis) : null,
    e.description ? h('p.description', e.description) : null,
    summary(e),
    results.element,
    history.element);
  return { element, leave: results.close };
}

/** The variant a conclude ships: none (everyone gets defaults) or one of the experiment's. */
function shipChoice(e) {
  return h('select#ship', { 'aria-label': 'ship' },
    h('option', { value: '' }, 'ship nothing: everyone gets the default'),
    e.variants.map((v) => h('option', { value: v.key }, `ship ${v.key}`)));
}

function sessionRole() {
  return document.getElementById('role').textContent;
}

function summary(e) {
  return h('dl.summary',
    h('dt', 'Variants'), h('dd', e.variants.map((v) => `${v.key} ${pct(v.weight / BUCKETS, 0)}`).join(' · ')),
    e.type && e.type !== 'experiment' ? [h('dt', 'Type'), h('dd#type', e.type)] : null,
    h('dt', 'Traffic'), h('dd', `${pct(e.coverage / BUCKETS, 0)} coverage` + (e.layer ? ` · layer ${e.layer} [${e.layerSlots[0]}, ${e.layerSlots[1]})` : '')
      + (e.holdout ? ' · global holdout kept out' : '')
      + (e.stickyBucketing ? ' · sticky bucketing' : '')),
    e.startAt || e.endAt ? [h('dt', 'Schedule'), h('dd#schedule', `starts ${date(e.startAt)} · ends ${date(e.endAt)}`)] : null,
    overrideCount(e) ? [h('dt', 'QA overrides'), h('dd#overrides', overridesText(e))] : null,
    h('dt', 'Targeting'), h('dd', h('code', e.targeting ? JSON.stringify(e.targeting) : 'everyone')),
    e.rampPlan ? [h('dt', 'Ramp'), h('dd#ramp', rampText(e))] : null,
    e.shipped ? [h('dt', 'Shipped'), h('dd#shipped', `${e.shipped}, served to everyone targeted (no exposures; results frozen)`)] : null,
    h('dt', 'Metrics'), h('dd', (e.metrics || []).map((m) => `${m.key} (${m.kind === 'ratio' ? `ratio of ${m.numerator.aggregate}(${m.numerator.event}) to ${m.denominator.aggregate}(${m.denominator.event})` : `${m.kind} of ${m.event}`}${m.cap ? `, capped at ${m.cap.value}` : ''})${m.key === e.primaryMetric ? ' ★' : ''}`).join(' · ') || '–'),
    h('dt', 'Analysis'), h('dd', `alpha ${e.alpha} · sequential ${e.sequential}${e.looks ? ` (${e.looks} looks)` : ''} · target ${e.sampleSizeTarget ? e.sampleSizeTarget.toLocaleString('en-US') + ' units' : 'none'}`));
}

/** The ramp's steps, the one the coverage is at marked (the server widens it on schedule). */
function rampText(e) {
  const steps = e.rampPlan.steps;
  const at = steps.findIndex((s) => s.coverage === e.coverage);
  const text = steps.map((s, i) => {
    const step = `${pct(s.coverage / BUCKETS, 2)}${i < steps.length - 1 ? ` for ${s.minutes} min` : ''}`;
    return i === at ? `[${step}]` : step;
  }).join(' → ');
  const where = at < 0 ? 'coverage is off the plan' : at === steps.length - 1 ? 'fully ramped' : `step ${at + 1} of ${steps.length}`;
  const halted = e.rampHalted ? ` · halted by a guardrail (save a new plan to ramp again): ${e.rampHalted}` : '';
  return `${text} · ${where}${e.status === 'PAUSED' ? ' · paused: the clock stops' : ''}${halted}`;
}

function overrideCount(e) {
  return Object.keys(e.overrides || {}).length;
}

/** The first few forced units; the API has them all. */
function overridesText(e) {
  const entries = Object.entries(e.overrides);
  return entries.slice(0, 5).map(([unit, variant]) => `${unit} → ${variant}`).join(' · ')
    + (entries.length > 5 ? ` · and ${entries.length - 5} more` : '');
}

/** A value of the history, short: the full JSON is in the cell's title. */
function brief(value) {
  if (value === null || value === undefined) return '–';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** What an entry changed: field names on creation, else each field's old → new value. */
function changesText(entry) {
  const changes = entry.changes || [];
  if (entry.event === 'ExperimentCreated' || changes.length === 0) return (entry.changed || []).join(', ');
  return h('span', { title: changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('\n') },
    changes.map((c) => `${c.field} ${brief(c.from)} → ${brief(c.to)}`).join(' · '));
}

function historyPanel(path) {
  const body = h('tbody#history');
  async function reload() {
    try {
      const reply = await get(`${path}/history`);
      body.replaceChildren(...reply.history.slice().reverse().map((entry) => h('tr',
        h('td', date(entry.at)),
        h('td', entry.action || entry.event.replace(/^Experiment/, '').toLowerCase()),
        h('td', changesText(entry), entry.reason ? h('div.muted.small.reason', entry.reason) : null),
        h('td', entry.actorName && entry.actorName !== 'unnamed' ? `${entry.actorName} (${entry.actorId})` : entry.actorId || ''),
        h('td', entry.region || ''))));
    } catch (err) {
      body.replaceChildren(h('tr', h('td', { colspan: 5 }, err.message)));
    }
  }
  reload();
  return {
    reload,
    element: h('section.card', h('h2', 'History'),
      h('table.grid', h('thead', h('tr', ['When', 'What', 'Changed', 'Who', 'Region'].map((t) => h('th', t)))), body)),
  };
}
