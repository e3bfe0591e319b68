// Safe-rollout editors of the experiment form: guardrails (a metric, the harmful direction, the
// tolerated relative change and the action), the ramp plan (coverage steps with the minutes to stay
// at each) and the environments it runs in (each registered one on or off, with its own coverage).
// The API checks every value again; these only shape what the form sends.
import { ApiError, get } from './api.js';
import { BUCKETS, h } from './dom.js';

/** Guardrail.Direction and Guardrail.Action as the API spells them. */
const DIRECTIONS = ['increase', 'decrease'];
const ACTIONS = ['kill', 'pause', 'alert'];

function invalid(message, field, input) {
  const err = new ApiError(400, { error: { message, field } });
  err.input = input;
  return err;
}

/**
 * @param initial the stored guardrails
 * @param metricKeys the metric keys the form has now
 * @param lockedWhy why this role may not change them now, or null
 */
export function guardrailsEditor(initial, metricKeys, lockedWhy) {
  const rows = h('tbody#f-guardrails');
  const fill = (select, current) => {
    const keys = metricKeys();
    const chosen = current || keys[0] || '';
    select.replaceChildren(...keys.map((k) => h('option', { value: k }, k)),
      chosen && !keys.includes(chosen) ? h('option', { value: chosen }, `${chosen} (not a metric)`) : null);
    select.value = chosen;
  };
  const add = (g = {}) => {
    const metric = h('select.g-metric', { 'aria-label': 'metric', disabled: !!lockedWhy });
    fill(metric, g.metric);
    const direction = h('select.g-direction', { disabled: !!lockedWhy }, DIRECTIONS.map((d) => h('option', { value: d }, d)));
    direction.value = g.direction || 'increase';
    const action = h('select.g-action', { disabled: !!lockedWhy }, ACTIONS.map((a) => h('option', { value: a }, a)));
    action.value = g.action || 'alert';
    const tr = h('tr.guardrail',
      h('td', metric), h('td', direction),
      h('td', h('input.g-threshold', { type: 'number', min: 0, step: 'any', value: g.threshold ?? 0, disabled: !!lockedWhy, title: 'tolerated relative change: 0.05 = 5 %' })),
      h('td', action),
      h('td', h('button.link', { type: 'button', disabled: !!lockedWhy, onclick: () => tr.remove() }, 'remove')));
    rows.append(tr);
  };
  (initial || []).forEach(add);
  const value = () => [...rows.children].map((tr) => ({
    metric: tr.querySelector('.g-metric').value,
    direction: tr.querySelector('.g-direction').value,
    threshold: Number(tr.querySelector('.g-threshold').value) || 0,
    action: tr.querySelector('.g-action').value,
  }));
  const refresh = () => rows.querySelectorAll('.g-metric').forEach((s) => fill(s, s.value));
  const inputFor = (i, part) => {
    const tr = rows.children[i];
    return tr ? tr.querySelector(`.g-${part || 'metric'}`) : null;
  };
  return { rows, add, value, refresh, inputFor };
}

/** @param initial the stored plan, or null */
export function rampEditor(initial) {
  const rows = h('tbody#f-ramp');
  const rollback = h('input#f-ramp-rollback', { type: 'checkbox', checked: !!(initial && initial.rollback) });
  const add = (s = {}) => {
    const tr = h('tr.ramp-step',
      h('td', h('input.r-coverage', { type: 'number', min: 1, max: BUCKETS, value: s.coverage ?? '', 'aria-label': 'coverage' })),
      h('td', h('input.r-minutes', { type: 'number', min: 0, value: s.minutes ?? 60, 'aria-label': 'minutes' })),
      h('td', h('button.link', { type: 'button', onclick: () => tr.remove() }, 'remove')));
    rows.append(tr);
  };
  ((initial && initial.steps) || []).forEach(add);
  /** No steps: no plan (null). */
  const value = () => {
    const steps = [...rows.children].map((tr, i) => {
      const coverage = tr.querySelector('.r-coverage');
      if (!coverage.value) throw invalid('give each step a coverage', `rampPlan.steps[${i}].coverage`, coverage);
      return { coverage: Number(coverage.value), minutes: Number(tr.querySelector('.r-minutes').value) || 0 };
    });
    if (!steps.length) return null;
    return { steps, rollback: rollback.checked }; // the stored form, so an untouched plan is no change
  };
  const inputFor = (i, part) => {
    const tr = rows.children[i];
    return tr ? tr.querySelector(part === 'minutes' ? '.r-minutes' : '.r-coverage') : null;
  };
  return { rows, rollback, add, value, inputFor };
}

/**
 * @param initial the stored settings (environment → {enabled, coverage?}), or null: everywhere
 * @param lockedWhy why this role may not change them now, or null
 */
export function environmentsEditor(initial, lockedWhy) {
  const everywhere = h('input#f-env-everywhere', { type: 'checkbox', checked: !initial, disabled: !!lockedWhy });
  const rows = h('tbody#f-environments');
  const show = () => { rows.hidden = everywhere.checked; };
  everywhere.addEventListener('change', show);
  const addRow = (key) => {
    const s = (initial && initial[key]) || null;
    rows.append(h('tr.environment', { dataset: { env: key } },
      h('td', key),
      h('td', h('input.e-enabled', { type: 'checkbox', checked: !!(s && s.enabled), disabled: !!lockedWhy, 'aria-label': `${key} enabled` })),
      h('td', h('input.e-coverage', { type: 'number', min: 0, max: BUCKETS, value: s && s.coverage != null ? s.coverage : '', placeholder: 'the experiment\'s', disabled: !!lockedWhy, 'aria-label': `${key} coverage` }))));
  };
  // the registry's environments, and any stored one it no longer lists (the API names it then)
  const ready = get('/v1/environments').then((reply) => {
    const keys = reply.environments.map((e) => e.key);
    Object.keys(initial || {}).filter((k) => !keys.includes(k)).forEach((k) => keys.push(k));
    keys.forEach(addRow);
  }).catch(() => Object.keys(initial || {}).forEach(addRow));
  show();
  const value = () => {
    if (everywhere.checked) return null;
    const settings = {};
    for (const tr of rows.children) {
      const enabled = tr.querySelector('.e-enabled').checked;
      const coverage = tr.querySelector('.e-coverage').value;
      const stored = initial && initial[tr.dataset.env];
      if (!enabled && !coverage && !stored) continue; // off, as every unlisted environment is
      settings[tr.dataset.env] = coverage ? { enabled, coverage: Number(coverage) } : { enabled };
    }
    return settings;
  };
  const inputFor = (key) => {
    const tr = [...rows.children].find((r) => r.dataset.env === key);
    return tr ? tr.querySelector('.e-enabled') : everywhere;
  };
  return { everywhere, rows, value, inputFor, ready };
}
