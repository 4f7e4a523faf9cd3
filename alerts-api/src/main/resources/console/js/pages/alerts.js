// The alert inbox (#/alerts?rule=&severity=&status=&keyId=&silenced=&since=&until=): filters in the URL, keyset
// pagination ("load more"), live updates from GET /api/v1/alerts/stream, keyboard triage.
import { api, query } from '../api.js';
import { el, replace, notice, routeHref, time } from '../dom.js';
import { href, go } from '../router.js';
import { may } from '../roles.js';
import { subscribe } from '../sse.js';
import { acknowledge, resolveDialog, silenceDialog } from '../triage.js';

// every AlertRule, in stored-code order (ConsoleRuleListTest keeps it so)
const RULES = ['VOLUME_SPIKE', 'AUTH_FAILURE_BURST', 'REVOKED_KEY_USED', 'EXPIRED_KEY_USED', 'SCOPE_VIOLATION',
  'RATE_LIMIT_EXCEEDED', 'IP_FANOUT', 'NEW_COUNTRY', 'INSECURE_TRANSPORT', 'KEY_IN_URL', 'DORMANT_KEY_REACTIVATED',
  'KEY_EXPIRING', 'KEY_ROTATION_DUE', 'KEY_UNUSED', 'UNKNOWN_KEY', 'REVOCATION_GUARD_TRIPPED', 'SECRET_IN_TELEMETRY',
  'WEBHOOK_FAILING', 'CANARY_KEY_USED', 'VOLUME_DROP', 'KEY_OVERPRIVILEGED'];
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'];
/** The filters the URL carries, in the API's parameter names; the stream takes all but since/until. */
const FILTERS = ['rule', 'severity', 'status', 'keyId', 'silenced', 'since', 'until'];
const STREAM_FILTERS = ['keyId', 'rule', 'severity', 'status', 'silenced'];
const LIVE_LABEL = { connecting: 'connecting…', live: '● live', reconnecting: 'reconnecting…',
  unavailable: 'live updates unavailable' };

export function mount(root, { me, params }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || '']));
  const alerts = []; // in display order, newest first
  let nextCursor = null;
  let selected = -1;
  let stream = null;
  let gone = false;

  const status = el('div', { id: 'inbox-status' });
  const live = el('span', { id: 'live', class: 'live', title: 'GET /api/v1/alerts/stream' }, LIVE_LABEL.connecting);
  const body = el('tbody', { id: 'alert-rows' });
  const more = el('button', { type: 'button', id: 'load-more', hidden: true, onclick: () => load(true) }, 'Load more');
  const triage = may(me, 'acknowledge');

  const select = (name, values, label) => el('select', { name, id: 'filter-' + name, title: label },
    el('option', { value: '' }, label), values.map((v) => el('option', { value: v }, v)));
  const form = el('form', { id: 'filters', class: 'filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
    select('rule', RULES, 'any rule'),
    select('severity', SEVERITIES, 'any severity'),
    select('status', STATUSES, 'any status'),
    el('input', { name: 'keyId', id: 'filter-keyId', placeholder: 'key id', size: 18 }),
    select('silenced', ['true', 'false'], 'silenced?'),
    el('input', { name: 'since', id: 'filter-since', placeholder: 'since (ISO-8601)', size: 20 }),
    el('input', { name: 'until', id: 'filter-until', placeholder: 'until (ISO-8601)', size: 20 }),
    el('button', { type: 'submit', id: 'filter-apply' }, 'Filter'),
    el('a', { href: '#/alerts', class: 'clear' }, 'clear'));
  for (const f of FILTERS) form.elements[f].value = filters[f];
  form.addEventListener('change', (e) => { if (e.target.tagName === 'SELECT') apply(); });

  replace(root,
    el('div', { class: 'toolbar' }, el('h1', {}, 'Alerts'), live), form, status,
    el('table', { class: 'data alerts', id: 'alerts' },
      el('thead', {}, el('tr', {}, ['Severity', 'Rule', 'Key', 'Status', 'Summary', '#', 'Last seen', '']
        .map((t) => el('th', {}, t)))),
      body),
    more);

  function apply() {
    const chosen = Object.fromEntries(FILTERS.map((f) => [f, form.elements[f].value.trim()]));
    go(href('/alerts', chosen));
  }

  function row(alert) {
    const actions = [];
    if (triage && alert.status === 'OPEN') {
      actions.push(el('button', { type: 'button', class: 'act-ack', onclick: () => act('ack', alert.id) }, 'Ack'));
    }
    if (triage && alert.status !== 'RESOLVED') {
      actions.push(el('button', { type: 'button', class: 'act-resolve', onclick: () => act('resolve', alert.id) },
        'Resolve'));
      actions.push(el('button', { type: 'button', class: 'act-silence', onclick: () => act('silence', alert.id) },
        'Silence'));
    }
    return el('tr', { class: 'sev-' + String(alert.severity).toLowerCase(), dataset: { id: alert.id },
      onclick: (e) => { if (!e.target.closest('a, button')) setSelected(alerts.findIndex((a) => a.id === alert.id)); } },
    el('td', {}, el('span', { class: 'sev' }, alert.severity)),
    el('td', {}, alert.rule),
    el('td', { class: 'key' }, el('a', { href: routeHref('keys', alert.keyId) }, alert.keyId)),
    el('td', { class: 'status' }, el('span', { class: 'status-' + String(alert.status).toLowerCase() }, alert.status),
      alert.silenced ? el('span', { class: 'tag' }, 'silenced') : null),
    el('td', { class: 'summary' }, el('a', { href: routeHref('alerts', alert.id) }, alert.summary || alert.id)),
    el('td', { class: 'num' }, alert.occurrences),
    el('td', {}, time(alert.lastSeen)),
    el('td', { class: 'actions' }, actions));
  }

  function render() {
    replace(body, alerts.map(row));
    if (!alerts.length) body.appendChild(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No alerts match.')));
    more.hidden = !nextCursor;
    highlight();
  }

  function highlight() {
    body.querySelectorAll('tr.selected').forEach((tr) => tr.classList.remove('selected'));
    const tr = selected >= 0 ? body.querySelector(`tr[data-id="${CSS.escape(alerts[selected].id)}"]`) : null;
    if (tr) {
      tr.classList.add('selected');
      tr.scrollIntoView({ block: 'nearest' });
    }
  }

  function setSelected(i) {
    if (!alerts.length) return;
    selected = Math.max(0, Math.min(alerts.length - 1, i));
    highlight();
  }

  /** Puts a changed alert in place (or at the top when new), keeping the selection on the same alert. */
  function upsert(alert, fresh) {
    const selectedId = selected >= 0 ? alerts[selected]?.id : null;
    const i = alerts.findIndex((a) => a.id === alert.id);
    if (i >= 0) alerts[i] = alert;
    else alerts.unshift(alert);
    render();
    if (selectedId) selected = alerts.findIndex((a) => a.id === selectedId);
    highlight();
    const tr = body.querySelector(`tr[data-id="${CSS.escape(alert.id)}"]`);
    if (tr && fresh) tr.classList.add('fresh'); // a CSS animation: highlighted briefly
  }

  /** Removes an alert that no longer passes the filters, keeping the selection near where it was. */
  function drop(id) {
    const i = alerts.findIndex((a) => a.id === id);
    if (i < 0) return; // never shown: nothing to do
    const selectedId = selected >= 0 ? alerts[selected]?.id : null;
    alerts.splice(i, 1);
    // before render, which highlights alerts[selected]
    selected = selectedId && selectedId !== id ? alerts.findIndex((a) => a.id === selectedId)
      : Math.min(selected, alerts.length - 1);
    render();
  }

  async function act(action, id) {
    const alert = alerts.find((a) => a.id === id);
    if (!alert) return;
    replace(status);
    try {
      let changed = null;
      if (action === 'ack') changed = await acknowledge(alert);
      else if (action === 'resolve') changed = await resolveDialog(alert);
      else if (action === 'silence') changed = await silenceDialog(alert, me);
      if (changed && !gone) {
        upsert(changed, false);
        replace(status, notice('info', action === 'ack' ? 'Acknowledged.' : action === 'resolve' ? 'Resolved.'
          : 'Silenced.'));
      }
    } catch (e) {
      replace(status, notice('error', e.message));
    }
  }

  async function load(append) {
    const params = Object.fromEntries(FILTERS.map((f) => [f, filters[f]]));
    params.view = 'summary'; // the rows show no evidence or measurements: the compact list is half the bytes
    if (append) params.cursor = nextCursor;
    more.disabled = true;
    try {
      const page = await api.alerts(params);
      if (gone) return;
      if (!append) {
        alerts.length = 0;
        selected = -1;
      }
      for (const a of page.items) {
        if (!alerts.some((b) => b.id === a.id)) alerts.push(a);
      }
      nextCursor = page.nextCursor;
      render();
      if (selected < 0 && alerts.length) setSelected(0);
    } catch (e) {
      replace(status, notice('error', e.message));
    } finally {
      more.disabled = false;
    }
  }

  function startStream() {
    const streamParams = Object.fromEntries(STREAM_FILTERS.map((f) => [f, filters[f]]));
    stream = subscribe('/api/v1/alerts/stream' + query(streamParams), {
      onState: (state) => {
        live.textContent = LIVE_LABEL[state] || state;
        live.className = 'live live-' + state;
      },
      onUnauthorized: () => api.me().catch(() => {}), // the client's 401 handling shows the sign-in screen
      onEvent: (event) => {
        if (gone) return;
        if (event.event === 'reset') {
          load(false);
          return;
        }
        if (event.event !== 'alert') return;
        let data;
        try {
          data = JSON.parse(event.data);
        } catch (e) {
          return; // not keywatch's event: ignore it rather than break the inbox
        }
        if (!data || typeof data !== 'object' || !data.alert || typeof data.alert.id !== 'string') return;
        if (data.change === 'left') { // no longer passes the filters (acknowledged under status=OPEN, ...)
          drop(data.alert.id);
          return;
        }
        if (!withinTime(data.alert)) return;
        upsert(data.alert, data.change === 'created' || !alerts.some((a) => a.id === data.alert.id));
      },
    });
  }

  /** The stream has no since/until: the inbox applies them (detectedAt in [since, until), as the list does). */
  function withinTime(alert) {
    const at = Date.parse(alert.detectedAt);
    const since = filters.since ? Date.parse(filters.since) : NaN;
    const until = filters.until ? Date.parse(filters.until) : NaN;
    return !(at < since) && !(at >= until);
  }

  function onKey(event) {
    const alert = selected >= 0 ? alerts[selected] : null;
    switch (event.key) {
      case 'j': setSelected(selected + 1); return true;
      case 'k': setSelected(selected - 1); return true;
      case '/': form.elements.rule.focus(); return true;
      case 'o': case 'Enter': if (alert) go(routeHref('alerts', alert.id)); return !!alert;
      case 'K': if (alert) go(routeHref('keys', alert.keyId)); return !!alert;
      case 'a': if (alert && triage) act('ack', alert.id); return !!alert;
      case 'r': if (alert && triage) act('resolve', alert.id); return !!alert;
      case 's': if (alert && triage) act('silence', alert.id); return !!alert;
      default: return false;
    }
  }

  load(false);
  startStream();
  return {
    onKey,
    unmount() {
      gone = true;
      stream?.close();
    },
  };
}
