// QA overrides: unit id → variant key, one row each. The variant choices follow the form's variant
// rows; a stored override whose variant is gone stays selected, marked, so the API's
// unknown_variant names it rather than the form silently moving the unit elsewhere. How many rows
// and how long an id may be are the server's limits (DefinitionLimits), answered at the list.
import { ApiError } from './api.js';
import { h } from './dom.js';

/** An error of the form's own, shown at {@code input}. */
function invalid(message, field, input) {
  const err = new ApiError(400, { error: { message, field } });
  err.input = input;
  return err;
}

/**
 * @param initial the stored overrides (unit id → variant key)
 * @param variantKeys the variant keys the form has now
 */
export function overridesEditor(initial, variantKeys) {
  const rows = h('tbody#f-overrides');

  function fill(select, current) {
    const keys = variantKeys();
    const chosen = current || keys[0] || '';
    select.replaceChildren(...keys.map((k) => h('option', { value: k }, k)),
      chosen && !keys.includes(chosen) ? h('option', { value: chosen }, `${chosen} (not a variant)`) : null);
    select.value = chosen;
  }

  const add = (unit = '', variant = '') => {
    const select = h('select.o-variant', { 'aria-label': 'variant' });
    fill(select, variant);
    const tr = h('tr.override',
      h('td', h('input.o-unit', { value: unit, placeholder: 'user-42', 'aria-label': 'unit id' })),
      h('td', select),
      h('td', h('button.link', { type: 'button', onclick: () => tr.remove() }, 'remove')));
    rows.append(tr);
    return tr;
  };
  Object.entries(initial || {}).forEach(([unit, variant]) => add(unit, variant));

  /** The overrides as the API takes them; a blank or repeated unit id is refused here. */
  function value() {
    const map = Object.create(null); // a unit id such as "__proto__" is a plain key
    for (const tr of rows.children) {
      const input = tr.querySelector('.o-unit');
      const unit = input.value.trim();
      if (!unit) throw invalid('a unit id must not be empty', 'overrides', input);
      if (Object.hasOwn(map, unit)) throw invalid(`unit id '${unit}' is listed twice`, `overrides.${unit}`, input);
      map[unit] = tr.querySelector('.o-variant').value;
    }
    return map;
  }

  /** The variant select of the row for {@code unit}, which the API's overrides.<unit> names. */
  function inputFor(unit) {
    const tr = [...rows.children].find((r) => r.querySelector('.o-unit').value.trim() === unit);
    return tr ? tr.querySelector('.o-variant') : null;
  }

  const refresh = () => rows.querySelectorAll('.o-variant').forEach((s) => fill(s, s.value));
  return { rows, add, value, inputFor, refresh };
}
