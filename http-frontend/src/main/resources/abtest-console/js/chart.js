// The primary metric's relative lift (first treatment vs the baseline) with its confidence band
// over time: points from …/results/timeseries (5-minute buckets on a phase's first day, hours
// after), then a live point per second.
import uPlot from '/console/vendor/uplot/dist/uPlot.esm.js';
import { h } from './dom.js';

const Z = { 0.01: 2.576, 0.05: 1.96, 0.1: 1.645 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
// tick steps in seconds: whole minutes, hours or days, never an odd number of seconds
const TIME_STEPS = [5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];

const two = (n) => String(n).padStart(2, '0');
const dayLabel = (d) => `${MONTHS[d.getMonth()]} ${d.getDate()}`;

/**
 * Time tick labels in the viewer's time zone: "14:05" within a day, with the date under the first
 * tick of each day; only "Nov 22" once ticks are a day or more apart.
 */
export function timeTicks(ticks, step) {
  return ticks.map((t, i) => {
    const d = new Date(t * 1000);
    if (step >= DAY) return dayLabel(d);
    const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
    const prev = i > 0 ? new Date(ticks[i - 1] * 1000) : null;
    return !prev || prev.toDateString() !== d.toDateString() ? `${hm}\n${dayLabel(d)}` : hm;
  });
}

export function liftChart(experiment) {
  const metricKey = experiment.primaryMetric || (experiment.metrics[0] && experiment.metrics[0].key);
  const baseline = experiment.variants[0] && experiment.variants[0].key;
  const treatment = experiment.variants[1] && experiment.variants[1].key;
  const holder = h('div.chart#lift-chart');
  const caption = h('p.muted.small');
  const element = h('div.chart-card', h('h3', `Lift over time`), caption, holder);
  const data = [[], [], [], []];
  let plot = null;
  let lastLive = 0;

  if (!metricKey || !treatment) {
    caption.textContent = 'No metric or only one variant: nothing to chart.';
    return { element, history() {}, live() {}, destroy() {} };
  }
  caption.textContent = `${metricKey}: ${treatment} vs ${baseline}, relative lift with its confidence interval`;

  function draw() {
    if (!holder.isConnected) return;
    const width = Math.max(320, holder.clientWidth || 720);
    if (!plot) {
      plot = new uPlot({
        width, height: 240,
        scales: { x: { time: true } },
        axes: [{ incrs: TIME_STEPS, space: 70, size: 50, values: (u, ticks, axis, space, step) => timeTicks(ticks, step) }, { values: (u, ticks) => ticks.map((t) => `${(t * 100).toFixed(1)}%`), size: 60 }],
        series: [{},
          { label: 'lift', stroke: '#2563eb', width: 2, value: (u, v) => (v === null ? '–' : `${(v * 100).toFixed(2)}%`) },
          { label: 'low', stroke: 'rgba(37,99,235,0.3)', value: (u, v) => (v === null ? '–' : `${(v * 100).toFixed(2)}%`) },
          { label: 'high', stroke: 'rgba(37,99,235,0.3)', value: (u, v) => (v === null ? '–' : `${(v * 100).toFixed(2)}%`) }],
        bands: [{ series: [3, 2], fill: 'rgba(37,99,235,0.12)' }],
      }, data, holder);
    } else {
      plot.setData(data);
    }
  }

  const points = [];
  /** Kept in time order: the hourly history may arrive after the first live point. */
  function push(t, lift, low, high) {
    if (![lift, low, high].every(Number.isFinite)) return;
    points.push([t, lift, low, high]);
    if (points.length > 1 && points[points.length - 2][0] > t) points.sort((a, b) => a[0] - b[0]);
    if (points.length > 2000) points.shift();
    for (let i = 0; i < 4; i++) data[i] = points.map((p) => p[i]);
    holder.dataset.points = points.length;
    draw();
  }

  return {
    element,
    /** Bucket snapshots: the lift and a delta-method interval from the per-variant sums. */
    history(series) {
      const z = Z[experiment.alpha] || 1.96;
      for (const point of (series && series.points) || []) {
        const metric = (point.metrics || []).find((m) => m.metric === metricKey);
        const a = metric && metric.variants.find((v) => v.variant === baseline);
        const b = metric && metric.variants.find((v) => v.variant === treatment);
        if (!a || !b || !(a.n > 1 && b.n > 1 && a.mean > 0)) continue;
        const lift = b.mean / a.mean - 1;
        const se = Math.sqrt(b.variance / b.n / a.mean ** 2 + (b.mean ** 2 * a.variance) / a.n / a.mean ** 4);
        // a bucket's snapshot holds the totals at its end (or now, for the current bucket and for
        // the open last row of a long series, whose end is null)
        const end = Math.min(point.end ? Date.parse(point.end) : Date.now(), Date.now()) / 1000;
        push(end, lift, lift - z * se, lift + z * se);
      }
      if (!data[0].length) holder.append(h('p.muted.small.empty', 'Waiting for data…'));
    },
    /** A point per second at most from the live document. */
    live(doc) {
      const now = Date.now();
      if (now - lastLive < 1000) return;
      const metric = (doc.metrics || []).find((m) => m.metric === metricKey);
      const c = metric && (metric.comparisons || []).find((x) => x.variant === treatment);
      if (!c || !Number.isFinite(c.relLift)) return;
      lastLive = now;
      holder.querySelectorAll('.empty').forEach((e) => e.remove());
      push(now / 1000, c.relLift, c.relCiLow, c.relCiHigh);
    },
    destroy() { if (plot) plot.destroy(); },
  };
}
