// The power calculator (POST /v1/power): the MDE a sample-size target can detect, or the target
// an MDE needs, and how long the experiment runs at a given daily traffic.
import { post } from './api.js';
import { h } from './dom.js';

export function powerCalculator({ kind, variants, coverage, alpha, target }) {
  const baseline = h('input#p-baseline', { type: 'number', step: 'any', value: 0.1 });
  const baselineLabel = h('span', 'Baseline rate');
  const mde = h('input#p-mde', { type: 'number', step: 'any', placeholder: 'e.g. 0.01' });
  const relative = h('input#p-relative', { type: 'checkbox' });
  const power = h('input#p-power', { type: 'number', step: 0.05, min: 0.5, max: 0.99, value: 0.8 });
  const daily = h('input#p-daily', { type: 'number', min: 1, value: 10000 });
  const out = h('div.power-result#power-result');

  const common = () => {
    const isMean = kind() === 'mean';
    const body = { kind: kind(), alpha: alpha() || 0.05, power: Number(power.value) };
    if (isMean) body.sd = Number(baseline.value);
    else body.baseline = Number(baseline.value);
    return body;
  };
  const runTime = (totalUnits) => {
    const perDay = Number(daily.value) * coverage();
    if (!(perDay > 0)) return '';
    const days = totalUnits / perDay;
    return days < 1 ? `${Math.ceil(days * 24)} hours` : `${Math.ceil(days)} days`;
  };
  const show = (...parts) => out.replaceChildren(...parts);
  const fail = (err) => show(h('span.error', err.field ? `${err.field}: ${err.message}` : err.message));

  async function mdeForTarget() {
    const n = Number(target.value);
    if (!(n > 0)) return show(h('span.error', 'Set a sample-size target first.'));
    const perGroup = Math.floor(n / variants());
    try {
      const reply = await post('/v1/power', { ...common(), nPerGroup: perGroup });
      const rel = kind() === 'proportion' && Number(baseline.value) > 0 ? reply.mde / Number(baseline.value) : null;
      show(h('div', 'MDE: ', h('strong#power-mde', `±${reply.mde.toPrecision(3)}`),
        rel !== null ? ` (${(rel * 100).toFixed(1)} % relative)` : '',
        ` with ${perGroup.toLocaleString('en-US')} units per variant`),
      h('div', 'Run time: ', h('strong#power-runtime', runTime(n)), ` at ${Number(daily.value).toLocaleString('en-US')} eligible units/day`));
    } catch (err) { fail(err); }
  }

  async function targetForMde() {
    if (!(Number(mde.value) > 0)) return show(h('span.error', 'Set an MDE first.'));
    try {
      const reply = await post('/v1/power', { ...common(), mde: Number(mde.value), relative: relative.checked });
      const total = reply.nPerGroup * variants();
      target.value = total;
      show(h('div', h('strong#power-n', reply.nPerGroup.toLocaleString('en-US')), ' units per variant → target ',
        h('strong', total.toLocaleString('en-US'))),
      h('div', 'Run time: ', h('strong#power-runtime', runTime(total))));
    } catch (err) { fail(err); }
  }

  const element = h('div.power',
    h('h3', 'Power calculator'),
    h('div.row',
      h('label', baselineLabel, baseline), h('label', 'Power', power),
      h('label', 'Eligible units/day', daily)),
    h('div.row',
      h('button.secondary#power-mde-button', { type: 'button', onclick: mdeForTarget }, 'MDE for this target'),
      h('label', 'MDE', mde), h('label.inline', relative, ' relative'),
      h('button.secondary#power-n-button', { type: 'button', onclick: targetForMde }, 'Target for this MDE')),
    out);
  element.addEventListener('focusin', () => {
    baselineLabel.textContent = kind() === 'mean' ? 'Standard deviation' : 'Baseline rate';
  });
  return element;
}
