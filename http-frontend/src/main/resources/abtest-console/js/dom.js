// A tiny element builder: h('div.card#x', {onclick: f, disabled: true}, child, 'text', [more]).
export function h(spec, attrs, ...children) {
  const tag = spec.match(/^[a-z0-9]*/i)[0];
  const el = document.createElement(tag || 'div');
  for (const [, kind, name] of spec.slice(tag.length).matchAll(/([.#])([^.#]+)/g)) {
    if (kind === '#') el.id = name;
    else el.classList.add(name);
  }
  // anything but a plain object in the attributes' place is the first child (0 and '' too)
  if (attrs !== undefined && attrs !== null
      && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function fmt(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (typeof x !== 'number') return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return x.toPrecision(digits);
}

/** Basis points in a whole: weights, coverage and layer slots (Bucketing.BUCKETS on the server). */
export const BUCKETS = 10000;

export function pct(x, digits = 1) {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : (x * 100).toFixed(digits) + ' %';
}

export function date(text) {
  return text ? new Date(text).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '–';
}

/** An instant (RFC 3339) as a datetime-local input's value in this browser's time zone; '' for none. */
export function localInput(instant) {
  if (!instant) return '';
  const d = new Date(instant);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A datetime-local input's value (local wall time, no offset, so read as local) as a UTC instant, or null. */
export function instantOf(local) {
  return local ? new Date(local).toISOString() : null;
}

/** A modal yes/no question; resolves true when confirmed. */
export function confirmDialog(text, extra = null) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  // a choice that goes with the confirmation (the variant a conclude ships), else nothing
  document.getElementById('confirm-extra').replaceChildren(...(extra ? [extra] : []));
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}
