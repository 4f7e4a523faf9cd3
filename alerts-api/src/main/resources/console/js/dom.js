// The one way the console puts data on the page: elements and text nodes, never HTML parsed from a string.
// Every string the API returns (key ids, paths, user agents, notes, reasons) may be an attacker's.

/**
 * el('a', {href: '#/alerts', class: 'x', onclick: fn, dataset: {id: '1'}}, 'text', child, [more])
 * Strings become text nodes; null/undefined/false children are skipped; arrays are flattened.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) {
      // an inline handler from a string would be code built from data: only functions
      if (typeof value !== 'function') throw new TypeError('event handler ' + name + ' must be a function');
      node.addEventListener(name.slice(2), value);
    } else if (name === 'style' || name === 'srcdoc') throw new TypeError(name + ' is not set from data');
    else if (name === 'value') node.value = value;
    else if (name === 'href') node.setAttribute('href', safeHref(value));
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** Paths of this server outside the console that it links to: the API reference page (README: API reference). */
const OWN_PAGES = new Set(['/docs/']);

/**
 * Only the console's own hash routes and OWN_PAGES are links; anything else (javascript:, data:, other origins) is
 * neutralised.
 */
function safeHref(value) {
  const href = String(value);
  return href.startsWith('#/') || OWN_PAGES.has(href) ? href : '#/';
}

/** Replaces a node's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A route link with a path segment built from data: the segment is percent-encoded. */
export function routeHref(...segments) {
  return '#/' + segments.map((s) => encodeURIComponent(String(s))).join('/');
}

/** A table of rows: columns = [{title, cell: item => node|string, class}]. */
export function table(items, columns, rowAttrs = () => ({})) {
  return el('table', { class: 'data' },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.class }, c.title)))),
    el('tbody', {}, items.map((item) => el('tr', rowAttrs(item),
      columns.map((c) => el('td', { class: c.class }, c.cell(item)))))));
}

/** JSON for people: indented, as text. */
export function jsonBlock(value) {
  return el('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

/** An instant as the API gives it (UTC ISO-8601), shortened for tables; the full value in the title. */
export function time(iso) {
  if (!iso) return el('span', { class: 'muted' }, '—');
  return el('time', { datetime: iso, title: iso }, String(iso).replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
}

/** A notice line: kind is 'error' or 'info'. */
export function notice(kind, message) {
  return el('p', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, message);
}

/** Whether a key press belongs to a text field (shortcuts then stay out of the way). */
export function typing(event) {
  const t = event.target;
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}
