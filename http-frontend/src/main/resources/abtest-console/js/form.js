// Create and edit: type, variants with a live weight sum, coverage, layer slots, the holdout,
// the environments it runs in, targeting JSON, a schedule and a ramp plan, QA overrides, metrics
// (funnels too) and guardrails, sequential method and a sample-size target sized with the power
// calculator.
// Slot ranges are [start, end) written as two-element arrays (SlotRange's JSON shape).
import { ApiError, call, can, get, post } from './api.js';
import { BUCKETS, clear, h, instantOf, localInput } from './dom.js';
import { overridesEditor } from './overrides.js';
import { powerCalculator } from './power.js';
import { environmentsEditor, guardrailsEditor, rampEditor } from './rollout.js';

/**
 * The patchable fields (ExperimentField) this form edits; an edit sends the changed ones in a PATCH.
 * ConsoleExperimentFieldsTest names the patchable fields left out, and why.
 */
const MUTABLE = ['name', 'hypothesis', 'description', 'targeting', 'coverage', 'variants', 'metrics',
  'primaryMetric', 'guardrails', 'alpha', 'sampleSizeTarget', 'sequential', 'looks', 'holdout',
  'stickyBucketing', 'overrides', 'startAt', 'endAt', 'rampPlan', 'environments'];
/**
 * The fields only an admin changes once the experiment has started, and the statuses that count as
 * started (ExperimentField.adminOnceStarted, PatchAuthority; ConsoleExperimentFieldsTest holds them).
 */
const ADMIN_ONCE_STARTED = ['guardrails', 'holdout', 'endAt', 'environments'];
const STARTED = ['RUNNING', 'PAUSED'];
/** ExperimentType and MetricKind as the API spells them (the test holds them equal). */
const TYPES = ['experiment', 'flag', 'bandit'];
const METRIC_KINDS = ['proportion', 'mean', 'ratio'];
const TYPE_HINTS = {
  experiment: 'variants compared on the metrics',
  flag: 'one variant of weight 10000 that carries the config',
  bandit: 'the weights move toward the best arm on the primary proportion metric',
};
/** A funnel's steps are written view → cart → purchase (or with commas). */
const STEP_SEPARATOR = /\s*(?:→|->|,)\s*/;
/**
 * The API's key rule, JsonFields.KEY's very text (a test holds them equal). Its '-' is escaped:
 * browsers compile an HTML pattern with the v flag, which refuses an unescaped '-' in a class.
 */
const KEY_PATTERN = String.raw`[a-z0-9][a-z0-9._\-]{0,63}`;

export async function experimentForm(key) {
  let original = null;
  let etag = null;
  if (key) {
    const reply = await call('GET', `/v1/experiments/${encodeURIComponent(key)}`);
    original = reply.body;
    etag = reply.etag;
  }
  const e = original || {
    key: '', name: '', type: 'experiment', coverage: BUCKETS, alpha: 0.05, sequential: 'none',
    holdout: false, stickyBucketing: false, overrides: {},
    variants: [{ key: 'control', weight: 5000 }, { key: 'treatment', weight: 5000 }],
    metrics: [{ key: 'conversion', event: 'purchase', kind: 'proportion' }],
    primaryMetric: 'conversion',
  };
  const field = (path, input) => { input.dataset.field = path; return input; };
  const readOnly = !can.edit();
  // a change the API answers 403 for is never offered: the control says why instead
  const started = Boolean(original) && STARTED.includes(original.status);
  const lockedWhy = (path) => (started && !can.adminOnly() && ADMIN_ONCE_STARTED.includes(path)
    ? `only an admin may change ${path} of a ${original.status} experiment` : null);

  const keyInput = field('key', h('input#f-key', { value: e.key, required: true, disabled: !!original, pattern: KEY_PATTERN }));
  const name = field('name', h('input#f-name', { value: e.name || '' }));
  const hypothesis = field('hypothesis', h('textarea#f-hypothesis', { rows: 2, value: e.hypothesis || '' }));
  const description = field('description', h('textarea#f-description', { rows: 3, value: e.description || '' }));
  // the type decides the experiment's kind of allocation, so it is chosen once, at creation
  const type = field('type', h('select#f-type', { disabled: !!original }, TYPES.map((t) => h('option', { value: t }, t))));
  type.value = e.type || 'experiment';
  const typeHint = h('span.muted#f-type-hint');
  const showType = () => { typeHint.textContent = TYPE_HINTS[type.value] || ''; };
  type.addEventListener('change', showType);
  showType();

  // Variants: the weights must total BUCKETS (10000) basis points; the sum updates as you type.
  const variantRows = h('tbody#f-variants');
  const sum = h('span#f-weight-sum');
  const addVariant = (v) => {
    const tr = h('tr.variant',
      h('td', h('input.v-key', { value: v.key || '', required: true })),
      h('td', h('input.v-weight', { type: 'number', min: 0, max: BUCKETS, value: v.weight ?? 0, oninput: updateSum })),
      h('td', h('input.v-config', { value: v.config && Object.keys(v.config).length ? JSON.stringify(v.config) : '', placeholder: '{"color": "green"}' })),
      h('td', h('button.link', { type: 'button', onclick: () => { tr.remove(); updateSum(); overrides.refresh(); } }, 'remove')));
    variantRows.append(tr);
    updateSum();
  };
  function updateSum() {
    const total = [...variantRows.querySelectorAll('.v-weight')].reduce((s, w) => s + (Number(w.value) || 0), 0);
    sum.textContent = `${total} / ${BUCKETS} basis points`;
    sum.className = total === BUCKETS ? 'ok' : 'error';
    sum.dataset.total = total;
  }
  const evenly = () => {
    const weights = [...variantRows.querySelectorAll('.v-weight')];
    weights.forEach((w, i) => { w.value = Math.floor(BUCKETS / weights.length) + (i < BUCKETS % weights.length ? 1 : 0); });
    updateSum();
  };
  e.variants.forEach(addVariant);
  const variantKeys = () => [...variantRows.querySelectorAll('.v-key')].map((i) => i.value.trim()).filter(Boolean);
  const overrides = overridesEditor(e.overrides, variantKeys);
  variantRows.addEventListener('input', (event) => { if (event.target.classList.contains('v-key')) overrides.refresh(); });
  const overridesTable = field('overrides', h('table.grid.compact.overrides',
    h('thead', h('tr', h('th', 'Unit id'), h('th', 'Variant'), h('th', ''))), overrides.rows));

  const coverage = field('coverage', h('input#f-coverage', { type: 'number', min: 0, max: BUCKETS, value: e.coverage }));
  const coveragePct = h('span.muted');
  const showCoverage = () => { coveragePct.textContent = `${(Number(coverage.value) / 100).toFixed(2)} % of eligible units`; };
  coverage.addEventListener('input', showCoverage);
  showCoverage();

  // Layer and slots: the layer's free ranges, one click to take one.
  const layer = field('layer', h('input#f-layer', { value: e.layer || '', disabled: !!original, placeholder: 'none' }));
  const slotStart = field('layerSlots', h('input#f-slot-start', { type: 'number', min: 0, max: BUCKETS, disabled: !!original, value: e.layerSlots ? e.layerSlots[0] : '' }));
  const slotEnd = field('layerSlots', h('input#f-slot-end', { type: 'number', min: 0, max: BUCKETS, disabled: !!original, value: e.layerSlots ? e.layerSlots[1] : '' }));
  const layerInfo = h('div.layer-info#f-layer-info');
  async function showLayer() {
    clear(layerInfo);
    const k = layer.value.trim();
    if (!k) return;
    try {
      const view = await get(`/v1/layers/${encodeURIComponent(k)}`);
      layerInfo.append(h('span', h('span.muted', 'Free: '),
        view.free.length === 0 ? h('span.error', 'no free slots') : null,
        view.free.map((r) => h('button.chip', {
          type: 'button', disabled: !!original,
          onclick: () => { [slotStart.value, slotEnd.value] = r; },
        }, `[${r[0]}, ${r[1]})`)),
        view.used.length ? h('span.muted', ' Used: ' + view.used.map((u) => `${u.experiment} [${u.range[0]}, ${u.range[1]})`).join(', ')) : null));
    } catch (err) {
      if (err.status === 404 && !original && can.edit()) {
        layerInfo.append(h('span.muted', `No layer "${k}". `), h('button.link', {
          type: 'button', onclick: async () => { await post('/v1/layers', { key: k }); showLayer(); },
        }, 'Create it'));
      } else layerInfo.append(h('span.error', err.message));
    }
  }
  layer.addEventListener('change', showLayer);
  if (e.layer) showLayer();
  const holdoutWhy = lockedWhy('holdout');
  const holdout = field('holdout', h('input#f-holdout', { type: 'checkbox', checked: !!e.holdout, disabled: !!holdoutWhy, title: holdoutWhy }));
  const stickyBucketing = field('stickyBucketing', h('input#f-sticky-bucketing', { type: 'checkbox', checked: !!e.stickyBucketing }));

  // Schedule: edited in this browser's time zone, sent as UTC instants; empty = not scheduled.
  const schedule = (path, id) => {
    const why = lockedWhy(path);
    return field(path, h(`input#${id}`, { type: 'datetime-local', value: localInput(e[path]), disabled: !!why, title: why }));
  };
  const startAt = schedule('startAt', 'f-start-at');
  const endAt = schedule('endAt', 'f-end-at');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  /** The input's instant; untouched, the stored one as it is (the input shows whole minutes). */
  const when = (input, path) => {
    if (input.validity.badInput) {
      throw new ApiError(400, { error: { message: 'give both a date and a time, or clear it', field: path } });
    }
    return input.value === localInput(e[path]) ? e[path] ?? null : instantOf(input.value);
  };

  // Targeting: checked as JSON while typing; the API's own validation answers on save.
  const targeting = field('targeting', h('textarea#f-targeting.code', {
    rows: 4, placeholder: '{"country": {"$in": ["US", "CA"]}}',
    value: e.targeting ? JSON.stringify(e.targeting, null, 2) : '',
  }));
  const targetingState = h('span#f-targeting-state.muted');
  targeting.addEventListener('input', () => {
    try {
      const v = targeting.value.trim() ? JSON.parse(targeting.value) : null;
      targetingState.textContent = v === null ? 'everyone' : (typeof v === 'object' && !Array.isArray(v) ? 'valid JSON' : 'must be an object');
      targetingState.className = typeof v === 'object' && !Array.isArray(v) ? 'ok' : 'error';
    } catch (err) {
      targetingState.textContent = err.message;
      targetingState.className = 'error';
    }
  });

  // Metrics and the primary one.
  const metricRows = h('tbody#f-metrics');
  const primary = field('primaryMetric', h('select#f-primary'));
  const refreshPrimary = () => {
    const current = primary.value || e.primaryMetric;
    const keys = [...metricRows.querySelectorAll('.m-key')].map((i) => i.value.trim()).filter(Boolean);
    primary.replaceChildren(h('option', { value: '' }, 'none'), ...keys.map((k) => h('option', { value: k }, k)));
    primary.value = keys.includes(current) ? current : '';
  };
  const addMetric = (m) => {
    const kind = h('select.m-kind', METRIC_KINDS.map((k) => h('option', { value: k }, k)));
    kind.value = m.kind || 'proportion';
    // a funnel: the share of units reaching the last step, each step after the one before
    const steps = h('input.m-steps', {
      value: (m.steps || []).join(' → '), placeholder: 'none',
      title: 'funnel: event types in order (view → cart → purchase); not for ratio metrics',
    });
    const showSteps = () => { steps.disabled = kind.value === 'ratio'; };
    kind.addEventListener('change', showSteps);
    showSteps();
    // a ratio's events are written sum(purchase) / count(session_start) in the event cell
    const event = m.kind === 'ratio' && m.numerator && m.denominator
      ? `${m.numerator.aggregate}(${m.numerator.event}) / ${m.denominator.aggregate}(${m.denominator.event})`
      : m.event || '';
    const tr = h('tr.metric',
      h('td', h('input.m-key', { value: m.key || '', oninput: refreshPrimary })),
      h('td', h('input.m-event', { value: event, title: 'ratio metrics: sum(numerator event) / count(denominator event)' })),
      h('td', kind),
      h('td', steps),
      h('td', h('input.m-window', { type: 'number', min: 1, value: m.attributionWindowHours || '', placeholder: '∞' })),
      h('td', h('input.m-cap', { type: 'number', min: 0, step: 'any', value: m.cap ? m.cap.value : '', placeholder: 'none', title: 'mean metrics: each unit counts at most this much' })),
      h('td', h('button.link', { type: 'button', onclick: () => { tr.remove(); refreshPrimary(); } }, 'remove')));
    tr.dataset.lastStep = m.steps ? m.steps[m.steps.length - 1] : '';
    metricRows.append(tr);
    refreshPrimary();
  };
  (e.metrics || []).forEach(addMetric);
  primary.value = e.primaryMetric || '';
  const metricKeys = () => [...metricRows.querySelectorAll('.m-key')].map((i) => i.value.trim()).filter(Boolean);
  const guardrails = guardrailsEditor(e.guardrails, metricKeys, lockedWhy('guardrails'));
  metricRows.addEventListener('input', (event) => { if (event.target.classList.contains('m-key')) guardrails.refresh(); });
  const guardrailsTable = field('guardrails', h('table.grid.compact.guardrails',
    h('thead', h('tr', h('th', 'Metric'), h('th', 'Harmful direction'), h('th', 'Tolerated change'), h('th', 'Action'), h('th', ''))), guardrails.rows));
  const ramp = rampEditor(e.rampPlan);
  const rampTable = field('rampPlan', h('table.grid.compact.ramp',
    h('thead', h('tr', h('th', 'Coverage (bp)'), h('th', 'Minutes at it'), h('th', ''))), ramp.rows));
  const environments = environmentsEditor(e.environments, lockedWhy('environments'));
  field('environments', environments.everywhere);

  const alpha = field('alpha', h('input#f-alpha', { type: 'number', step: 0.005, min: 0.001, max: 0.5, value: e.alpha }));
  const sequential = field('sequential', h('select#f-sequential', [
    ['none', 'none (fixed horizon)'], ['obf', 'O\'Brien–Fleming (planned looks)'], ['msprt', 'mSPRT (always valid)'],
  ].map(([v, t]) => h('option', { value: v }, t))));
  sequential.value = e.sequential || 'none';
  const looks = field('looks', h('input#f-looks', { type: 'number', min: 1, max: 100, value: e.looks || '' }));
  const looksLabel = h('label', 'Planned looks', looks);
  const showLooks = () => { looksLabel.hidden = sequential.value !== 'obf'; };
  sequential.addEventListener('change', showLooks);
  showLooks();
  const target = field('sampleSizeTarget', h('input#f-target', { type: 'number', min: 1, value: e.sampleSizeTarget || '' }));
  const sticky = h('input#f-sticky', { type: 'checkbox' });

  const error = h('div.banner.error#form-error', { hidden: true });

  function definition() {
    const variants = [...variantRows.children].map((tr, i) => {
      const config = tr.querySelector('.v-config').value.trim();
      let parsed = {};
      if (config) {
        try { parsed = JSON.parse(config); } catch (err) {
          throw new ApiError(400, { error: { message: `config is not JSON: ${err.message}`, field: `variants[${i}].config` } });
        }
      }
      return { key: tr.querySelector('.v-key').value.trim(), weight: Number(tr.querySelector('.v-weight').value), config: parsed };
    });
    const metrics = [...metricRows.children].map((tr, i) => {
      const m = { key: tr.querySelector('.m-key').value.trim(), event: tr.querySelector('.m-event').value.trim(), kind: tr.querySelector('.m-kind').value };
      if (m.kind === 'ratio') {
        const sides = /^\s*(sum|count)\(([^()]+)\)\s*\/\s*(sum|count)\(([^()]+)\)\s*$/.exec(m.event);
        if (!sides) {
          throw new ApiError(400, { error: { message: 'a ratio is written sum(event) / count(event)', field: `metrics[${i}].numerator` } });
        }
        delete m.event;
        m.numerator = { event: sides[2].trim(), aggregate: sides[1] };
        m.denominator = { event: sides[4].trim(), aggregate: sides[3] };
      }
      const w = tr.querySelector('.m-window').value;
      if (w) m.attributionWindowHours = Number(w);
      const steps = tr.querySelector('.m-steps').value.split(STEP_SEPARATOR).map((x) => x.trim()).filter(Boolean);
      if (m.kind !== 'ratio' && steps.length) {
        m.steps = steps;
        // the event follows the last step unless someone chose another one
        if (!m.event || m.event === tr.dataset.lastStep) m.event = steps[steps.length - 1];
      }
      const cap = tr.querySelector('.m-cap').value;
      if (cap) m.cap = { value: Number(cap) };
      return m;
    });
    let targetingValue = null;
    if (targeting.value.trim()) {
      try { targetingValue = JSON.parse(targeting.value); } catch (err) {
        throw new ApiError(400, { error: { message: `targeting is not JSON: ${err.message}`, field: 'targeting' } });
      }
    }
    const d = {
      name: name.value.trim() || null, hypothesis: hypothesis.value.trim() || null,
      description: description.value.trim() || null,
      targeting: targetingValue, coverage: Number(coverage.value), variants, metrics,
      primaryMetric: primary.value || null, alpha: Number(alpha.value),
      sampleSizeTarget: target.value ? Number(target.value) : null,
      sequential: sequential.value, looks: sequential.value === 'obf' && looks.value ? Number(looks.value) : null,
      holdout: holdout.checked, stickyBucketing: stickyBucketing.checked, overrides: overrides.value(),
      startAt: when(startAt, 'startAt'), endAt: when(endAt, 'endAt'),
      guardrails: guardrails.value(), rampPlan: ramp.value(), environments: environments.value(),
    };
    if (!original) {
      d.key = keyInput.value.trim();
      d.type = type.value;
      if (layer.value.trim()) {
        d.layer = layer.value.trim();
        d.layerSlots = [Number(slotStart.value), Number(slotEnd.value)];
      }
      for (const k of Object.keys(d)) if (d[k] === null) delete d[k];
    }
    return d;
  }

  /** Only what changed: an unchanged weight list must not start a new phase. */
  function changes(d) {
    const patch = {};
    for (const k of MUTABLE) {
      const before = original[k] ?? null;
      const after = d[k] ?? null;
      if (canonical(before) !== canonical(after)) patch[k] = after;
    }
    if (patch.variants && sticky.checked) patch.sticky = true;
    return patch;
  }

  function showError(err) {
    form.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    form.querySelectorAll('.field-error').forEach((el) => el.remove());
    error.hidden = false;
    error.textContent = err.field ? `${err.field}: ${err.message}` : err.message;
    const target = err.input || inputFor(err.field);
    if (target) {
      target.classList.add('invalid');
      target.after(h('div.field-error', err.message));
      target.scrollIntoView({ block: 'center' });
    }
  }

  /** The input a field path like variants[1].weight or targeting.country names. */
  function inputFor(path) {
    if (!path) return null;
    const row = path.match(/^(variants|metrics)\[(\d+)\](?:\.(\w+))?/);
    if (row) {
      const tr = (row[1] === 'variants' ? variantRows : metricRows).children[Number(row[2])];
      const inputs = {
        variants: { key: '.v-key', weight: '.v-weight', config: '.v-config' },
        metrics: {
          key: '.m-key', event: '.m-event', kind: '.m-kind', steps: '.m-steps', attributionWindowHours: '.m-window',
          cap: '.m-cap', numerator: '.m-event', denominator: '.m-event',
        },
      }[row[1]];
      return tr ? tr.querySelector(inputs[row[3]] || 'input') : null;
    }
    // overrides.<unit id>: that row's variant (a unit id may itself hold dots)
    if (path.startsWith('overrides.')) return overrides.inputFor(path.slice('overrides.'.length)) || overridesTable;
    const listed = path.match(/^(guardrails|rampPlan\.steps)\[(\d+)\](?:\.(\w+))?/);
    if (listed) {
      const editor = listed[1] === 'guardrails' ? guardrails : ramp;
      return editor.inputFor(Number(listed[2]), listed[3]) || (listed[1] === 'guardrails' ? guardrailsTable : rampTable);
    }
    if (path.startsWith('environments.')) return environments.inputFor(path.split('.')[1]);
    const head = path.split(/[.[]/)[0];
    if (head === 'variants') return sum;
    return form.querySelector(`[data-field="${head}"]`);
  }

  async function save(event) {
    event.preventDefault();
    error.hidden = true;
    try {
      const d = definition();
      if (original) {
        const patch = changes(d);
        if (Object.keys(patch).length === 0) { location.hash = `#/experiments/${encodeURIComponent(original.key)}`; return; }
        await call('PATCH', `/v1/experiments/${encodeURIComponent(original.key)}`, patch, { 'If-Match': etag });
        location.hash = `#/experiments/${encodeURIComponent(original.key)}`;
      } else {
        const created = await post('/v1/experiments', d);
        // the API's overlap warnings, shown once on the new experiment's page
        if (created.warnings) sessionStorage.setItem(`abtest.warnings.${created.key}`, JSON.stringify(created.warnings));
        location.hash = `#/experiments/${encodeURIComponent(created.key)}`;
      }
    } catch (err) {
      if (err.status === 409 && original) err.message += ' — someone changed it meanwhile; reload to see their version.';
      showError(err);
    }
  }

  const power = powerCalculator({
    kind: () => {
      const row = [...metricRows.children].find((tr) => tr.querySelector('.m-key').value.trim() === primary.value);
      return row ? row.querySelector('.m-kind').value : 'proportion';
    },
    variants: () => variantRows.children.length,
    coverage: () => Number(coverage.value) / BUCKETS,
    alpha: () => Number(alpha.value),
    target,
  });

  const form = h('form.card.experiment-form#experiment-form', {
    onsubmit: save,
    novalidate: true,
    // an edited field's old error no longer applies
    oninput: (event) => {
      if (!event.target.classList.contains('invalid')) return;
      event.target.classList.remove('invalid');
      if (event.target.nextElementSibling && event.target.nextElementSibling.classList.contains('field-error')) {
        event.target.nextElementSibling.remove();
      }
    },
  },
    h('h1', original ? `Edit ${original.key}` : 'New experiment'),
    error,
    h('fieldset', h('legend', 'What'),
      h('label', 'Key', keyInput), h('label', 'Type', h('span.row', type, typeHint)), h('label', 'Name', name),
      h('label.wide', 'Hypothesis', hypothesis),
      h('label.wide', 'Description', description)),
    h('fieldset', h('legend', 'Variants'),
      h('table.grid.compact', h('thead', h('tr', h('th', 'Key'), h('th', 'Weight (bp)'), h('th', 'Config (JSON)'), h('th', ''))), variantRows),
      h('div.row', h('button.link#add-variant', { type: 'button', onclick: () => addVariant({ key: '', weight: 0 }) }, '+ variant'),
        h('button.link', { type: 'button', onclick: evenly }, 'split evenly'), h('span', 'Sum: ', sum)),
      original && original.status !== 'DRAFT' ? h('label.inline', sticky, ' keep everyone in their variant when weights change (sticky; otherwise a new phase starts)') : null),
    h('fieldset', h('legend', 'Traffic'),
      h('label', 'Coverage (bp)', coverage, coveragePct),
      h('label', 'Layer', layer),
      h('label', 'Slots', h('span.row', slotStart, ' to ', slotEnd)),
      layerInfo,
      h('label.inline', { title: holdoutWhy }, holdout, ' keep the global holdout out (its units get the default experience)',
        holdoutWhy ? h('span.muted', ` — ${holdoutWhy}`) : null),
      h('label.inline', stickyBucketing, ' sticky bucketing: each unit keeps the first variant it was assigned when weights change (stored per unit)')),
    h('fieldset', h('legend', 'Environments'),
      h('label.inline', environments.everywhere, ' in every environment, at the coverage above'),
      h('table.grid.compact.environments', h('thead', h('tr', h('th', 'Environment'), h('th', 'On'), h('th', 'Coverage (bp)'))), environments.rows),
      lockedWhy('environments') ? h('span.muted', lockedWhy('environments')) : null),
    h('fieldset', h('legend', 'Schedule'),
      h('label', 'Start at', startAt), h('label', 'End at', endAt),
      h('span.muted', `${zone} time; empty = start and conclude by hand. A start starts a draft, an end concludes it.`),
      lockedWhy('endAt') ? h('span.muted', lockedWhy('endAt')) : null,
      h('span.muted.wide', 'Ramp plan: the system widens the coverage through these steps while the experiment runs (the coverage must be one of them).'),
      rampTable,
      h('button.link#add-ramp-step', { type: 'button', onclick: () => ramp.add() }, '+ step'),
      h('label.inline', ramp.rollback, ' when a guardrail halts the ramp, go back to the first step')),
    h('fieldset', h('legend', 'QA overrides'),
      h('span.muted.wide', 'These unit ids always get the chosen variant, whatever the allocation.'),
      overridesTable,
      h('button.link#add-override', { type: 'button', onclick: () => overrides.add() }, '+ override')),
    h('fieldset', h('legend', 'Targeting'),
      h('label.wide', 'Condition (JSON, GrowthBook operators; empty = everyone)', targeting, targetingState)),
    h('fieldset', h('legend', 'Metrics'),
      h('table.grid.compact', h('thead', h('tr', h('th', 'Key'), h('th', 'Event'), h('th', 'Kind'), h('th', 'Funnel steps'), h('th', 'Window (h)'), h('th', 'Cap'), h('th', ''))), metricRows),
      h('button.link#add-metric', { type: 'button', onclick: () => addMetric({}) }, '+ metric'),
      h('label', 'Primary metric', primary)),
    h('fieldset', h('legend', 'Guardrails'),
      h('span.muted.wide', 'Watched continuously (mSPRT): a confirmed harm beyond the tolerated change kills, pauses or alerts, as chosen.'),
      guardrailsTable,
      h('button.link#add-guardrail', { type: 'button', disabled: !!lockedWhy('guardrails'), onclick: () => guardrails.add() }, '+ guardrail'),
      lockedWhy('guardrails') ? h('span.muted', lockedWhy('guardrails')) : null),
    h('fieldset', h('legend', 'Analysis'),
      h('label', 'Alpha', alpha), h('label', 'Sequential method', sequential), looksLabel,
      h('label', 'Sample-size target (units)', target),
      power),
    h('div.actions',
      h('a.button', { href: original ? `#/experiments/${encodeURIComponent(original.key)}` : '#/experiments' }, 'Cancel'),
      h('button.primary#save', { type: 'submit', disabled: readOnly }, original ? 'Save changes' : 'Create')));
  return { element: form };
}

/** JSON with sorted keys and without null fields: the stored form spells absent fields as null. */
function canonical(value) {
  const strip = (v) => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== null).map((k) => [k, strip(v[k])]));
    }
    return v;
  };
  return JSON.stringify(strip(value));
}
