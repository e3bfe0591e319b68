// Live results over the WebSocket: per metric the variants with mean, lift, the CI drawn around
// zero, p-value, probability to beat and verdict; warnings as banners; progress to the target;
// and the primary metric's lift with its confidence band over time.
import { get, inEnvironment, resultsSocketProtocols, resultsSocketUrl } from './api.js';
import { BUCKETS, fmt, h, pct } from './dom.js';
import { liftChart } from './chart.js';

const WARNINGS = {
  srm: 'Sample ratio mismatch: the exposure counts do not match the weights (p < 0.001). Check the assignment and logging before trusting any result.',
  below_sample_size_target: 'Below the sample-size target: a verdict now may not hold.',
  peeking_fixed_horizon: 'Peeking: this fixed-horizon experiment has been looked at before its target; use a sequential method for continuous monitoring.',
  multiple_exposures: 'Some units were exposed to more than one variant.',
};

/**
 * Results with an environment picker: production's by default; another environment's (its own
 * traffic, counted apart) on choosing it, with a fresh socket and chart.
 */
export function environmentResults(experiment) {
  const picker = h('select#results-environment', h('option', { value: 'production' }, 'production'));
  const slot = h('div.environment-results');
  let current = null;
  function show(environment) {
    if (current) current.close();
    current = liveResults(experiment, environment, picker);
    slot.replaceChildren(current.element);
  }
  picker.addEventListener('change', () => show(picker.value));
  get('/v1/environments').then((reply) => {
    for (const env of reply.environments || []) {
      if (env.key !== 'production') picker.append(h('option', { value: env.key }, env.key));
    }
  }).catch(() => {});
  show('production');
  return { element: slot, close: () => { if (current) current.close(); } };
}

export function liveResults(experiment, environment = 'production', picker = null) {
  const banners = h('div.banners#warnings');
  const progress = h('div.progress#progress');
  const units = h('tbody#variant-units');
  const epochs = h('tbody#srm-epochs');
  const metrics = h('div.metrics#metrics');
  const guardrails = h('div.guardrails#guardrails');
  const state = h('span.live#live-state', 'connecting…');
  const chart = liftChart(experiment);
  let socket = null;
  let closed = false;
  let retry = 500;

  function render(doc) {
    banners.replaceChildren(...(doc.warnings || []).map((w) =>
      h(`div.banner.${w === 'srm' ? 'error' : 'warn'}`, { dataset: { warning: w } }, WARNINGS[w] || w)));
    const total = (doc.variants || []).reduce((s, v) => s + v.units, 0);
    const target = experiment.sampleSizeTarget;
    progress.replaceChildren(target
      ? h('div', h('div.bar', h('div.fill', { style: `width: ${Math.min(100, (100 * total) / target)}%` })),
        `${total.toLocaleString('en-US')} of ${target.toLocaleString('en-US')} units (${pct(total / target, 0)})`)
      : h('div.muted', `${total.toLocaleString('en-US')} units · no sample-size target`));
    const weights = Object.fromEntries(experiment.variants.map((v) => [v.key, v.weight / BUCKETS]));
    units.replaceChildren(...(doc.variants || []).map((v) => h('tr', { dataset: { variant: v.variant } },
      h('td', v.variant), h('td.units', v.units.toLocaleString('en-US')),
      h('td', total ? pct(v.units / total) : '–'), h('td', pct(weights[v.variant] ?? 0)))));
    units.parentElement.nextElementSibling.textContent = doc.srm && doc.srm.pValue !== null
      ? `SRM check: p = ${fmt(doc.srm.pValue)}${doc.srm.mismatch ? ' — mismatch' : ''}` : '';
    epochs.replaceChildren(...epochRows(doc.srm && doc.srm.epochs));
    epochs.parentElement.hidden = !(doc.srm && doc.srm.epochs && doc.srm.epochs.length > 1);
    metrics.replaceChildren(...(doc.metrics || []).map((m) => metricTable(m, m.metric === experiment.primaryMetric)));
    guardrails.replaceChildren(...guardrailTable(doc.guardrails || []));
    chart.live(doc);
  }

  function connect() {
    if (closed) return;
    socket = new WebSocket(resultsSocketUrl(experiment.key, environment), resultsSocketProtocols());
    socket.onopen = () => { state.textContent = 'live'; state.className = 'live on'; retry = 500; };
    socket.onmessage = (event) => { state.dataset.updates = Number(state.dataset.updates || 0) + 1; render(JSON.parse(event.data)); };
    socket.onclose = () => {
      state.textContent = closed ? 'closed' : 'reconnecting…';
      state.className = 'live';
      if (!closed) setTimeout(connect, retry = Math.min(retry * 2, 10000));
    };
  }

  get(`/v1/experiments/${encodeURIComponent(experiment.key)}/results/timeseries${inEnvironment(environment)}`)
    .then((series) => chart.history(series))
    .catch(() => chart.history(null));
  connect();

  const element = h('section.card.results#results',
    h('div.toolbar', h('h2', 'Results'), picker ? h('label.inline', 'in ', picker) : null, state),
    banners, guardrails, progress,
    h('table.grid.compact.units', h('thead', h('tr', ['Variant', 'Units', 'Share', 'Expected'].map((t) => h('th', t)))), units),
    h('p.muted.srm'),
    h('table.grid.compact.epochs', { hidden: true },
      h('thead', h('tr', ['Weights from', 'Weights', 'Units'].map((t) => h('th', t)))), epochs),
    metrics,
    chart.element);
  return { element, close: () => { closed = true; if (socket) socket.close(); chart.destroy(); } };
}

// The weight epochs SRM tests against (a bandit's reallocations): one row each, newest last.
function epochRows(epochs) {
  return (epochs || []).map((e) => h('tr', { dataset: { from: e.from } },
    h('td', new Date(e.from).toISOString().replace('T', ' ').slice(0, 19)),
    h('td', Object.keys(e.weights).length
      ? Object.entries(e.weights).map(([v, w]) => `${v} ${pct(w / BUCKETS, 0)}`).join(' · ') : 'unknown'),
    h('td', Object.entries(e.units).map(([v, n]) => `${v} ${n.toLocaleString('en-US')}`).join(' · '))));
}

const GUARDRAIL_STATUS = { ok: 'holds', violated: 'violated', insufficient_data: 'not enough data yet' };

// Each guardrail's state: a violated one first in the reader's eye (error banner colours).
function guardrailTable(list) {
  if (list.length === 0) return [];
  return [h('h3', 'Guardrails'), h('table.grid.compact',
    h('thead', h('tr', ['Metric', 'Harmful', 'Tolerated', 'Action', 'Status', 'Treatments'].map((t) => h('th', t)))),
    h('tbody', list.map((g) => h(`tr.guardrail.${g.status}`, { dataset: { metric: g.metric, status: g.status } },
      h('td', g.metric), h('td', g.direction), h('td', g.threshold ? `${pct(g.threshold, 1)} change` : 'none'),
      h('td', g.action), h('td', h(`span.verdict.${g.status === 'violated' ? 'significant' : 'not_significant'}`, GUARDRAIL_STATUS[g.status] || g.status)),
      h('td', (g.variants || []).map((v) => `${v.variant}: ${fmt(v.diff)} [${fmt(v.csLow)}, ${fmt(v.csHigh)}]`).join(' · '))))))];
}

function metricTable(metric, primary) {
  const comparisons = Object.fromEntries((metric.comparisons || []).map((c) => [c.variant, c]));
  const useRel = (metric.comparisons || []).every((c) => c.relLift !== null && c.relLift !== undefined);
  const scale = Math.max(1e-9, ...(metric.comparisons || []).flatMap((c) =>
    (useRel ? [c.relCiLow, c.relCiHigh] : [c.ciLow, c.ciHigh]).filter(Number.isFinite).map(Math.abs)));
  // Bayesian expected loss, where the engine gives one (proportions and means)
  const withLoss = (metric.comparisons || []).some((c) => Number.isFinite(c.expectedLoss));
  const rows = (metric.variants || []).map((v) => {
    const c = comparisons[v.variant];
    const mean = metric.kind === 'proportion' ? pct(v.mean, 2) : fmt(v.mean);
    if (!c) {
      return h('tr.baseline', { dataset: { variant: v.variant } }, h('td', v.variant), h('td.n', fmt(v.n)), h('td', mean),
        h('td.muted', { colspan: withLoss ? 6 : 5 }, 'baseline'));
    }
    const [lift, low, high] = useRel ? [c.relLift, c.relCiLow, c.relCiHigh] : [c.diff, c.ciLow, c.ciHigh];
    const show = useRel ? (x) => pct(x) : (x) => fmt(x);
    return h('tr', { dataset: { variant: v.variant } },
      h('td', v.variant), h('td.n', fmt(v.n)), h('td', mean),
      h('td.lift', `${show(lift)}`, h('div.muted.small', `[${show(low)}, ${show(high)}]`), cupedLine(c.cuped)),
      h('td', ciBar(lift, low, high, scale)),
      h('td.p', fmt(c.adjustedPValue ?? c.pValue)),
      h('td', c.probabilityToBeat === null || c.probabilityToBeat === undefined ? '–' : pct(c.probabilityToBeat)),
      withLoss ? h('td.expected-loss', { title: 'expected loss of choosing this variant (Bayesian)' },
        Number.isFinite(c.expectedLoss) ? fmt(c.expectedLoss) : '–') : null,
      h('td', h(`span.verdict.${c.verdict}`, c.verdict.replace('_', ' '))));
  });
  const heads = ['Variant', 'n', metric.kind === 'proportion' ? 'Rate' : metric.kind === 'ratio' ? 'Ratio' : 'Mean',
    useRel ? 'Lift' : 'Difference', 'Confidence interval', 'p-value', 'P(beat)', withLoss ? 'Expected loss' : null, 'Verdict']
    .filter((t) => t !== null);
  return h('div.metric', { dataset: { metric: metric.metric } },
    h('h3', metric.metric, h('span.muted', ` ${metric.kind}`), primary ? h('span.badge', 'primary') : null,
      metric.cap ? h('span.badge', { title: 'each unit counts at most this much' }, `capped at ${fmt(metric.cap.value)}`) : null),
    h('table.grid.compact',
      h('thead', h('tr', heads.map((t) => h('th', t)))),
      h('tbody', rows)));
}

/** The CUPED-adjusted difference under the plain one, when the engine could adjust (covariates). */
function cupedLine(cuped) {
  if (!cuped || !Number.isFinite(cuped.diff)) return null;
  const reduction = Number.isFinite(cuped.varianceReduction) ? ` · variance −${pct(cuped.varianceReduction, 0)}` : '';
  return h('div.small.cuped', { title: 'adjusted for each unit\'s pre-exposure value of the metric (CUPED)' },
    `CUPED ${fmt(cuped.diff)} [${fmt(cuped.ciLow)}, ${fmt(cuped.ciHigh)}], p = ${fmt(cuped.pValue)}${reduction}`);
}

/** The interval as a bar on a scale symmetric around zero, the estimate as a tick. */
function ciBar(lift, low, high, scale) {
  if (![lift, low, high].every(Number.isFinite)) return h('span.muted', '–');
  const at = (x) => 50 + (50 * Math.max(-scale, Math.min(scale, x))) / scale;
  const side = low > 0 ? 'up' : high < 0 ? 'down' : 'flat';
  return h('div.ci',
    h('div.zero'),
    h(`div.range.${side}`, { style: `left: ${at(low)}%; width: ${Math.max(0.5, at(high) - at(low))}%` }),
    h('div.point', { style: `left: ${at(lift)}%` }));
}
