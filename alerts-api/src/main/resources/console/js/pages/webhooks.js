// Webhooks (#/webhooks): the subscriptions with their health, never a secret (only its fingerprint);
// #/webhooks/{id}?status= : one subscription's delivery log, every attempt, and Redeliver (admin).
// Creating, deleting and rotating secrets stay in the API: a secret shown once has no place in a page's state.
import { api } from '../api.js';
import { el, replace, notice, routeHref, time, table } from '../dom.js';
import { href, go } from '../router.js';
import { may } from '../roles.js';

const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'];
const PAGE = 50;
/** After a redelivery the relay sends within a moment: read the log again a few times to show the new attempt. */
const AFTER_REDELIVER_MS = [700, 2000, 4000, 8000];

const muted = (text) => el('span', { class: 'muted' }, text);
const orDash = (v) => (v === null || v === undefined || v === '' ? muted('—') : String(v));

function stateBadge(w) {
  if (!w.enabled) return el('span', { class: 'state state-disabled', title: w.disabledReason || '' }, 'DISABLED');
  return el('span', { class: 'state state-' + String(w.state).toLowerCase() }, w.state || '');
}

export function mount(root, ctx) {
  return ctx.segments.length > 1 ? detail(root, ctx) : list(root, ctx);
}

function list(root) {
  let gone = false;
  const content = el('div', { id: 'webhooks' }, muted('Loading…'));
  replace(root, el('div', { class: 'toolbar' }, el('h1', {}, 'Webhooks')),
    el('p', { class: 'muted' }, 'Subscriptions are created, deleted and given new secrets through the API ',
      '(POST /api/v1/webhooks, DELETE /api/v1/webhooks/{id}, POST …/rotate-secret): a secret is shown once, there.'),
    content);

  async function load() {
    try {
      const data = await api.webhooks();
      if (gone) return;
      const t = table(data.items, [
        { title: 'URL', class: 'url', cell: (w) => el('a', { href: routeHref('webhooks', w.id) }, w.url) },
        { title: 'Events', cell: (w) => (w.eventTypes || []).join(', ') },
        { title: 'Owner / service', cell: (w) => [w.owner || '', w.service ? muted(' / ' + w.service) : null] },
        { title: 'State', cell: (w) => [stateBadge(w),
          w.failingSince ? el('div', { class: 'muted' }, 'failing since ', time(w.failingSince)) : null,
          w.nextProbeAt ? el('div', { class: 'muted' }, 'next probe ', time(w.nextProbeAt)) : null] },
        { title: 'Last error', class: 'text', cell: (w) => w.lastError || '' },
        { title: 'Secret', cell: (w) => el('code', { title: 'fingerprint of the signing secret' },
          w.secretFingerprint || '') },
        { title: 'Created', cell: (w) => [time(w.createdAt), w.createdBy ? muted(' by ' + w.createdBy) : null] },
      ], (w) => ({ dataset: { id: w.id } }));
      t.id = 'subscriptions';
      if (!data.items.length) {
        t.tBodies[0].appendChild(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No subscription yet.')));
      }
      replace(content, t);
    } catch (e) {
      if (!gone) replace(content, notice('error', e.message));
    }
  }

  window.addEventListener('focus', load);
  load();
  return {
    unmount() {
      gone = true;
      window.removeEventListener('focus', load);
    },
  };
}

function detail(root, { me, segments, params }) {
  const id = segments[1];
  const filter = DELIVERY_STATUSES.includes(params.get('status')) ? params.get('status') : '';
  const redeliver = may(me, 'manageWebhooks');
  let subscription = null;
  let deliveries = [];
  let nextCursor = null;
  let gone = false;
  const timers = new Set();

  const status = el('div', { id: 'webhook-status' });
  const facts = el('div', { id: 'webhook-facts' }, muted('Loading…'));
  const body = el('tbody', { id: 'delivery-rows' });
  const more = el('button', { type: 'button', id: 'deliveries-more', hidden: true, onclick: () => load(true) },
    'Load more');
  const select = el('select', { id: 'delivery-status', title: 'status', onchange: () =>
    go(href('/webhooks/' + encodeURIComponent(id), { status: select.value })) },
  el('option', { value: '' }, 'any status'), DELIVERY_STATUSES.map((s) => el('option', { value: s }, s)));
  select.value = filter;

  replace(root, el('p', {}, el('a', { href: '#/webhooks' }, '← Webhooks')), status, facts,
    el('div', { class: 'toolbar' }, el('h2', {}, 'Delivery log'), select),
    el('table', { class: 'data deliveries', id: 'deliveries' },
      el('thead', {}, el('tr', {}, ['Created', 'Event', 'Key', 'Status', 'Attempts', 'Last status', 'Last error',
        'Next attempt', ''].map((t) => el('th', {}, t)))), body),
    more);

  function renderFacts(w) {
    const row = (label, value) => [el('dt', {}, label), el('dd', {}, value)];
    replace(facts, el('h1', {}, 'Webhook ', el('code', {}, w.url)), el('dl', { class: 'facts' },
      row('State', [stateBadge(w), w.disabledReason ? muted(' ' + w.disabledReason) : null]),
      row('Failing since', time(w.failingSince)),
      row('Next probe', time(w.nextProbeAt)),
      row('Last error', orDash(w.lastError)),
      row('Events', (w.eventTypes || []).join(', ')),
      row('Owner', orDash(w.owner)),
      row('Service', orDash(w.service)),
      row('Description', orDash(w.description)),
      row('Secret fingerprint', el('code', {}, w.secretFingerprint || '')),
      row('Created', [time(w.createdAt), w.createdBy ? muted(' by ' + w.createdBy) : null]),
      row('Id', el('code', {}, w.id))));
  }

  function attemptsRow(d) {
    const attempts = d.attemptLog || [];
    const inner = attempts.length ? table(attempts, [
      { title: '#', class: 'num', cell: (a) => a.attempt },
      { title: 'At', cell: (a) => time(a.attemptedAt) },
      { title: 'Outcome', cell: (a) => el('span', { class: 'outcome outcome-' + String(a.outcome).toLowerCase() },
        a.outcome) },
      { title: 'Status', class: 'num', cell: (a) => orDash(a.statusCode) },
      { title: 'Latency', class: 'num', cell: (a) => a.latencyMs + ' ms' },
      { title: 'Error', class: 'text', cell: (a) => a.error || '' },
      { title: 'Then', cell: (a) => [a.nextStep || '', a.nextAttemptAt ? [' at ', time(a.nextAttemptAt)] : null] },
    ], (a) => ({ class: 'attempt', dataset: { attempt: String(a.attempt) } })) : muted('not attempted yet');
    return el('tr', { class: 'attempts', dataset: { delivery: d.id } }, el('td', { colspan: 9 }, inner));
  }

  function deliveryRow(d) {
    const button = redeliver && subscription?.enabled !== false
      ? el('button', { type: 'button', class: 'act-redeliver', title: 'send again now, with the same webhook-id',
        onclick: () => redeliverOne(d, button) }, 'Redeliver')
      : null;
    return el('tr', { class: 'delivery', dataset: { id: d.id } },
      el('td', {}, time(d.createdAt)),
      el('td', {}, d.eventType),
      el('td', { class: 'key' }, d.keyId ? el('a', { href: routeHref('keys', d.keyId) }, d.keyId) : ''),
      el('td', {}, el('span', { class: 'delivery-status status-' + String(d.status).toLowerCase() }, d.status)),
      el('td', { class: 'num' }, d.attempts),
      el('td', { class: 'num' }, orDash(d.lastStatusCode)),
      el('td', { class: 'text' }, d.lastError || ''),
      el('td', {}, d.status === 'PENDING' ? time(d.nextAttemptAt) : muted('—')),
      el('td', { class: 'actions' }, button));
  }

  function render() {
    replace(body, deliveries.map((d) => [deliveryRow(d), attemptsRow(d)]));
    if (!deliveries.length) {
      body.appendChild(el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'No delivery' + (filter ? ' ' + filter : '')
        + ' yet.')));
    }
    more.hidden = !nextCursor;
  }

  async function redeliverOne(d, button) {
    replace(status);
    button.disabled = true;
    try {
      await api.redeliver(id, d.id);
      if (gone) return;
      replace(status, notice('info', 'Redelivery of ' + d.eventType + ' queued: sending now with the same webhook-id.'));
      for (const ms of AFTER_REDELIVER_MS) {
        const t = setTimeout(() => {
          timers.delete(t);
          load(false);
        }, ms);
        timers.add(t);
      }
    } catch (e) {
      replace(status, notice('error', e.message));
    } finally {
      button.disabled = false;
    }
  }

  /** Reads the subscription and the log's first page again (append: the next page). */
  async function load(append) {
    try {
      if (!append) {
        subscription = await api.webhook(id);
        if (gone) return;
        renderFacts(subscription);
      }
      const page = await api.deliveries(id, { status: filter, limit: PAGE, cursor: append ? nextCursor : '' });
      if (gone) return;
      deliveries = append ? deliveries.concat(page.items.filter((d) => !deliveries.some((x) => x.id === d.id)))
        : page.items;
      nextCursor = page.nextCursor;
      render();
    } catch (e) {
      if (!gone) replace(status, notice('error', e.message));
    }
  }

  const refresh = () => load(false);
  window.addEventListener('focus', refresh);
  const every = setInterval(refresh, 30_000);
  load(false);
  return {
    unmount() {
      gone = true;
      clearInterval(every);
      timers.forEach(clearTimeout);
      window.removeEventListener('focus', refresh);
    },
  };
}
