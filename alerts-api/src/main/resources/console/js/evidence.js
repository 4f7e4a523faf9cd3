// An alert's evidence for people: counted values (top IPs, countries, paths, auth results, scopes) as small tables
// with bars, lists as chips, measurements as a key/value table; anything of another shape as JSON text.
// Every name and value here came from a usage event: text only, and bounded.
import { el } from './dom.js';

const MAX_ROWS = 25;
const MAX_SECTIONS = 20;
const MAX_FACTS = 100;
const MAX_TEXT = 300;

/** Names the detectors use (streams: AlertFactory and the rules), in the order people read them. */
const TITLES = {
  topClientIps: 'Top client IPs', clientIps: 'Client IPs', topIps: 'Top IPs', topCountries: 'Countries',
  topPaths: 'Paths', authResults: 'Auth results', scopesRequested: 'Scopes requested', userAgents: 'User agents',
  scopesHeld: 'Scopes held', knownCountries: 'Countries seen before', allowedCountries: 'Allowed countries',
  allowedCidrs: 'Allowed networks',
};

const short = (value) => {
  const text = String(value);
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '…' : text;
};

// own names only: an evidence name like "__proto__" or "constructor" is a name, not a way into the object's prototype
const title = (name) => (Object.hasOwn(TITLES, name) ? TITLES[name] : short(name));

const isCounts = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0
  && Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n));
const isScalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isList = (v) => Array.isArray(v) && v.every(isScalar);

/** Counted values, largest first, with a bar (a <meter>: no inline style needed) relative to the largest. */
function counts(name, values) {
  const rows = Object.entries(values).sort((a, b) => b[1] - a[1]);
  const max = Math.max(...rows.map(([, n]) => n), 1);
  const shown = rows.slice(0, MAX_ROWS);
  return el('section', { class: 'evidence-counts', dataset: { name } },
    el('h3', {}, title(name)),
    el('table', { class: 'data bars' },
      el('tbody', {}, shown.map(([label, n]) => el('tr', {},
        el('td', { class: 'label' }, short(label)),
        el('td', { class: 'num' }, String(n)),
        el('td', { class: 'bar' }, el('meter', { min: 0, max, value: Math.max(0, n), title: String(n) })))))),
    rows.length > shown.length ? el('p', { class: 'muted' }, '… ' + (rows.length - shown.length) + ' more') : null);
}

function list(name, values) {
  return el('section', { class: 'evidence-list', dataset: { name } },
    el('h3', {}, title(name)),
    el('p', {}, values.slice(0, MAX_ROWS).map((v) => el('span', { class: 'chip' }, short(v))),
      values.length > MAX_ROWS ? el('span', { class: 'muted' }, ' … ' + (values.length - MAX_ROWS) + ' more') : null,
      values.length === 0 ? el('span', { class: 'muted' }, 'none') : null));
}

/** The evidence object as sections: counted maps and lists first (known names in reading order), then the rest. */
export function evidenceView(evidence) {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) {
    return el('pre', { class: 'json' }, short(JSON.stringify(evidence)));
  }
  const entries = Object.entries(evidence);
  const order = Object.keys(TITLES);
  const rank = ([name]) => (Object.hasOwn(TITLES, name) ? order.indexOf(name) : order.length);
  const charts = entries.filter(([, v]) => isCounts(v) || isList(v)).sort((a, b) => rank(a) - rank(b));
  const facts = entries.filter(([, v]) => !isCounts(v) && !isList(v));
  return el('div', { class: 'evidence', id: 'alert-evidence' },
    el('div', { class: 'evidence-grid' },
      charts.slice(0, MAX_SECTIONS).map(([name, v]) => (isCounts(v) ? counts(name, v) : list(name, v)))),
    charts.length > MAX_SECTIONS ? el('p', { class: 'muted' }, '… ' + (charts.length - MAX_SECTIONS)
      + ' more tables not shown') : null,
    facts.length ? el('section', { class: 'evidence-facts' },
      el('h3', {}, 'Measurements'),
      el('table', { class: 'data kv' }, el('tbody', {}, facts.slice(0, MAX_FACTS).map(([name, v]) => el('tr', {},
        el('th', {}, short(name)),
        el('td', {}, isScalar(v) ? short(v) : el('code', {}, short(JSON.stringify(v))))))))) : null,
    !entries.length ? el('p', { class: 'muted' }, 'No evidence recorded.') : null);
}
