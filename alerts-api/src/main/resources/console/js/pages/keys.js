// The keys (#/keys?owner=&service=&status=&q=): registered and revoked keys by key id, filters in the URL,
// keyset pagination ("load more"); each row opens the key's page.
import { api } from '../api.js';
import { el, replace, notice, routeHref, time } from '../dom.js';
import { href, go } from '../router.js';

const FILTERS = ['owner', 'service', 'status', 'q'];
const PAGE_SIZE = 50;

export function mount(root, { params }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || '']));
  let nextCursor = null;
  let gone = false;

  const status = el('div', { id: 'keys-status' });
  const body = el('tbody', { id: 'key-rows' });
  const more = el('button', { type: 'button', id: 'keys-more', hidden: true, onclick: () => load(true) }, 'Load more');
  const form = el('form', { id: 'key-filters', class: 'filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
    el('input', { name: 'q', id: 'keys-q', placeholder: 'key id starts with', size: 20 }),
    el('input', { name: 'owner', id: 'keys-owner', placeholder: 'owner', size: 16 }),
    el('input', { name: 'service', id: 'keys-service', placeholder: 'service', size: 16 }),
    el('select', { name: 'status', id: 'keys-status-filter', title: 'status' },
      el('option', { value: '' }, 'any status'), ['ACTIVE', 'REVOKED'].map((s) => el('option', { value: s }, s))),
    el('button', { type: 'submit', id: 'keys-apply' }, 'Filter'),
    el('a', { href: '#/keys', class: 'clear' }, 'clear'));
  for (const f of FILTERS) form.elements[f].value = filters[f];
  form.elements.status.addEventListener('change', apply);

  replace(root, el('div', { class: 'toolbar' }, el('h1', {}, 'Keys')), form, status,
    el('table', { class: 'data', id: 'keys' },
      el('thead', {}, el('tr', {}, ['Key', 'Status', 'Owner', 'Service', 'Scopes', 'Expires', 'Changed', 'By']
        .map((t) => el('th', {}, t)))),
      body),
    more);

  function apply() {
    go(href('/keys', Object.fromEntries(FILTERS.map((f) => [f, form.elements[f].value.trim()]))));
  }

  function row(key) {
    const m = key.metadata || {};
    return el('tr', { dataset: { key: key.keyId } },
      el('td', { class: 'key' }, el('a', { href: routeHref('keys', key.keyId) }, key.keyId)),
      el('td', {}, el('span', { class: 'key-status key-' + String(key.status).toLowerCase() }, key.status),
        m.canary === true ? [' ', el('span', { class: 'key-status key-canary' }, 'CANARY')] : null),
      el('td', {}, m.owner || ''),
      el('td', {}, m.service || ''),
      el('td', {}, (m.scopes || []).join(', ')),
      el('td', {}, time(m.expiresAt)),
      el('td', {}, time(key.changedAt)),
      el('td', {}, key.changedBy || ''));
  }

  async function load(append) {
    const query = { ...filters, limit: PAGE_SIZE };
    if (append) query.cursor = nextCursor;
    more.disabled = true;
    try {
      const page = await api.keys(query);
      if (gone) return;
      if (!append) replace(body);
      for (const key of page.items || []) body.appendChild(row(key));
      if (!body.children.length) {
        body.appendChild(el('tr', {}, el('td', { colspan: 8, class: 'muted' },
          'No keys match. (Keys seen only in alerts are not listed; open one from its alert.)')));
      }
      nextCursor = page.nextCursor;
      more.hidden = !nextCursor;
    } catch (e) {
      if (!gone) replace(status, notice('error', e.message));
    } finally {
      more.disabled = false;
    }
  }

  load(false);
  return {
    unmount() {
      gone = true;
    },
  };
}
