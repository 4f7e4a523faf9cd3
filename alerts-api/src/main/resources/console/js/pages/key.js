// One key (#/keys/{keyId}?range=30m|2h|retention): its status, registry entry, least-privilege verdict (which
// registered scopes it used), traffic chart (refreshed every 30 s while open), recent alerts, and revoke (responder) /
// reinstate (admin) with a reason.
import { api, ApiError } from '../api.js';
import { el, replace, notice, routeHref, time, table } from '../dom.js';
import { href } from '../router.js';
import { may } from '../roles.js';
import { formDialog } from '../triage.js';
import { usageChart } from '../chart.js';

const REFRESH_MS = 30_000;
const RANGES = [['30m', 'last 30 min', 30], ['2h', 'last 2 h', 120], ['retention', 'all kept', null]];
const RECENT_ALERTS = 20;

export function mount(root, { me, segments, params }) {
  const keyId = segments[1];
  const range = RANGES.some(([id]) => id === params.get('range')) ? params.get('range') : '2h';
  let gone = false;
  let chart = null;
  let retentionMinutes = null; // from the usage answer: "all kept" asks for that much
  let timer = null;

  const status = el('div', { id: 'key-status' });
  const facts = el('div', { id: 'key-detail' }, el('p', { class: 'muted' }, 'Loading…'));
  const usageNote = el('div', { id: 'usage-note' });
  const chartBox = el('div', { id: 'usage-chart', class: 'chart' });
  const summary = el('p', { id: 'usage-summary', class: 'muted' });
  const alertsBox = el('div', { id: 'key-alerts' }, el('p', { class: 'muted' }, 'Loading…'));
  const scopesBox = el('div', { id: 'key-least-privilege' }, el('p', { class: 'muted' }, 'Loading…'));
  const picker = el('div', { class: 'range', id: 'range-picker', role: 'group', 'aria-label': 'time range' },
    RANGES.map(([id, label]) => el('a', { href: href('/keys/' + encodeURIComponent(keyId), { range: id }),
      id: 'range-' + id, class: id === range ? 'active' : null }, label)));

  const state = el('div', { id: 'key-state-box' });
  // the state and the traffic first (what a responder opens the page for), then the registry entry and the alerts
  replace(root,
    el('p', {}, el('a', { href: '#/keys' }, '← Keys')),
    el('h1', { class: 'key-title' }, 'Key ', el('code', { id: 'key-id' }, keyId)),
    status, state,
    el('div', { class: 'toolbar' }, el('h2', {}, 'Traffic'), picker,
      el('span', { class: 'muted' }, 'per minute, UTC · refreshes every 30 s')),
    usageNote, chartBox, summary,
    el('h2', {}, 'Registry entry'), facts,
    el('h2', {}, 'Least privilege'), scopesBox,
    el('h2', {}, 'Recent alerts'), alertsBox);

  function field(label, value) {
    const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);
    return [el('dt', {}, label), el('dd', {}, empty ? el('span', { class: 'muted' }, '—') : value)];
  }

  function renderKey(key) {
    const m = key.metadata || {};
    const revoked = key.status === 'REVOKED';
    const buttons = [];
    if (!revoked && may(me, 'revoke')) {
      buttons.push(el('button', { type: 'button', id: 'key-revoke', class: 'danger', onclick: revoke }, 'Revoke…'));
    }
    if (revoked && may(me, 'reinstate')) {
      buttons.push(el('button', { type: 'button', id: 'key-reinstate', onclick: reinstate }, 'Reinstate…'));
    }
    replace(state,
      el('p', { class: 'key-state' },
        el('span', { id: 'key-state', class: 'key-status key-' + String(key.status).toLowerCase() }, key.status),
        // a decoy: any use is an attacker's, and keywatch never revokes it by itself (that would tell them)
        m.canary === true ? [' ', el('span', { id: 'key-canary', class: 'key-status key-canary',
          title: 'a decoy key: any use raises CANARY_KEY_USED; never revoked automatically' }, 'CANARY')] : null,
        revoked ? [' since ', time(key.revokedAt), ' by ', key.changedBy || '?',
          key.changedOnBehalfOf ? ' (for ' + key.changedOnBehalfOf + ')' : '', ': ',
          el('q', { id: 'key-reason' }, key.reason || '')] : null),
      buttons.length ? el('div', { class: 'buttons' }, buttons) : null);
    replace(facts, key.registered ? null : el('p', { class: 'muted' }, 'Not in the registry.'),
      el('dl', { class: 'facts compact', id: 'key-registry' },
        m.canary === true ? field('Planted at', m.plantedAt) : null,
        field('Owner', m.owner),
        field('Service', m.service),
        field('Scopes', (m.scopes || []).join(', ')),
        field('Created', m.createdAt ? time(m.createdAt) : null),
        field('Expires', m.expiresAt ? time(m.expiresAt) : null),
        field('Rate limit', m.rateLimitPerMinute != null ? m.rateLimitPerMinute + ' requests/min' : null),
        field('Automatic revocation', key.registered ? (m.autoRevoke === false ? 'never' : 'allowed') : null),
        field('Allowed countries', (m.allowedCountries || []).join(', ')),
        field('Allowed CIDRs', (m.allowedCidrs || []).join(', ')),
        field('Thresholds', m.thresholds ? Object.entries(m.thresholds).map(([k, v]) => k + '=' + v).join(', ') : null),
        field('Registered', key.registeredAt ? time(key.registeredAt) : null),
        field('Registry updated', key.registryUpdatedAt
          ? [time(key.registryUpdatedAt), ' by ', key.registryUpdatedBy || '?'] : null)));
  }

  async function loadKey() {
    try {
      const key = await api.key(keyId);
      if (!gone) renderKey(key);
    } catch (e) {
      if (gone) return;
      // a key never registered, revoked or alerted on can still have traffic: say so, keep the chart
      const unknown = e instanceof ApiError && e.status === 404;
      replace(state, unknown ? notice('info', 'keywatch has no registry entry, revocation or alert for this key.')
        : notice('error', e.message));
      replace(facts, el('p', { class: 'muted' }, unknown ? 'Not in the registry.' : '—'));
    }
  }

  function usageWindow() {
    const minutes = RANGES.find(([id]) => id === range)[2] ?? retentionMinutes ?? 120;
    const to = Math.floor(Date.now() / 60_000) * 60_000 + 60_000; // through the current minute
    return { from: new Date(to - minutes * 60_000).toISOString(), to: new Date(to).toISOString(), step: 'minute' };
  }

  const VERDICTS = {
    OVERPRIVILEGED: 'Holds scopes it did not use',
    LEAST_PRIVILEGE: 'Used every registered scope',
    NOT_ENOUGH_HISTORY: 'Watched for too short a time to tell',
    NEVER_SEEN: 'keywatch has not seen this key used',
    NO_SCOPES_REGISTERED: 'No scopes registered',
  };

  async function loadScopes() {
    let report;
    try {
      report = await api.leastPrivilege(keyId);
    } catch (e) {
      if (gone) return;
      // a key that is not registered has nothing to compare with
      replace(scopesBox, e instanceof ApiError && e.status === 404
        ? el('p', { class: 'muted' }, 'Not in the registry: no scopes to compare with.') : notice('error', e.message));
      return;
    }
    if (gone) return;
    const list = (scopes) => (scopes || []).map((s, i) => [i ? ', ' : '', el('code', {}, s)]);
    scopesBox.dataset.verdict = report.verdict;
    replace(scopesBox,
      el('p', { id: 'lp-verdict', class: report.verdict === 'OVERPRIVILEGED' ? 'notice warn' : 'muted' },
        VERDICTS[report.verdict] || report.verdict, ' (last ', String(report.days), ' days',
        report.observedSince ? ['; watched since ', report.observedSince] : null, ')'),
      el('dl', { class: 'facts compact' },
        field('Used', (report.usedScopes || []).map((u, i) => [i ? ', ' : '', el('code', {}, u.scope),
          ' (last ', u.lastUsed, ')'])),
        field('Unused', list(report.unusedScopes)),
        report.verdict === 'OVERPRIVILEGED' ? field('Grant instead', list(report.suggestedScopes)) : null,
        (report.usedUnregistered || []).length
          ? field('Used, not registered', list(report.usedUnregistered)) : null),
      report.truncated ? el('p', { class: 'muted' }, 'The key used more unregistered scopes than keywatch keeps: '
        + 'some old ones are not listed.') : null);
  }

  async function loadUsage() {
    let usage;
    try {
      usage = await api.usage(keyId, usageWindow());
    } catch (e) {
      if (gone) return;
      chart?.destroy();
      chart = null;
      replace(chartBox);
      delete chartBox.dataset.points;
      replace(summary);
      replace(usageNote, notice('error', e instanceof ApiError && e.status === 503
        ? 'Usage unavailable: ' + e.message + '. The chart needs the topology\'s state (README: Live alerts and key '
          + 'usage); it is tried again every 30 s.'
        : e.message));
      return;
    }
    if (gone) return;
    const points = Array.isArray(usage.points) ? usage.points : [];
    if (range === 'retention' && retentionMinutes === null && Number.isInteger(usage.retentionMinutes)) {
      retentionMinutes = usage.retentionMinutes;
    }
    const maxRequests = points.reduce((max, p) => Math.max(max, Number(p.requests) || 0), 0);
    const alertMinutes = points.filter((p) => p.alerts && Object.keys(p.alerts).length);
    const total = points.reduce((sum, p) => sum + (Number(p.requests) || 0), 0);
    // what the page drew, for people and tests alike (not pixels)
    Object.assign(chartBox.dataset, { points: points.length, maxRequests, alertMinutes: alertMinutes.length });
    replace(usageNote, total === 0 ? notice('info', 'No traffic from this key in this range.') : null);
    if (chart) chart.update(points);
    else chart = usageChart(chartBox, points);
    replace(summary, total + ' requests, busiest minute ' + maxRequests + '; ',
      alertMinutes.length ? ['alerts in ', alertMinutes.length, ' minute(s): ', alertMinutes.map((p, i) => [
        i ? '; ' : '', time(p.t), ' ', Object.entries(p.alerts).map(([r, s]) => r + ' (' + s + ')').join(', ')])]
        : 'no alerts', '. Kept: ' + (usage.retentionMinutes ?? '?') + ' min.');
  }

  async function loadAlerts() {
    try {
      const page = await api.alerts({ keyId, limit: RECENT_ALERTS });
      if (gone) return;
      const items = page.items || [];
      replace(alertsBox, items.length ? table(items, [
        { title: 'Severity', cell: (a) => el('span', { class: 'sev' }, a.severity) },
        { title: 'Rule', cell: (a) => a.rule },
        { title: 'Summary', cell: (a) => el('a', { href: routeHref('alerts', a.id) }, a.summary || a.id),
          class: 'summary' },
        { title: 'Status', cell: (a) => a.status },
        { title: 'Detected', cell: (a) => time(a.detectedAt) },
      ], (a) => ({ class: 'sev-' + String(a.severity).toLowerCase(), dataset: { id: a.id } }))
        : el('p', { class: 'muted' }, 'No alerts for this key.'),
      items.length ? el('p', {}, el('a', { href: href('/alerts', { keyId }), id: 'key-all-alerts' },
        'All alerts of this key in the inbox →')) : null);
    } catch (e) {
      if (!gone) replace(alertsBox, notice('error', e.message));
    }
  }

  function reasonField(id) {
    return el('textarea', { id, name: 'reason', rows: 3, cols: 50, maxlength: 1000, required: true,
      placeholder: 'why (kept in the key\'s history and sent to the issuer\'s webhooks)' });
  }

  async function revoke() {
    const reason = reasonField('revoke-reason');
    const key = await formDialog('revoke-dialog', 'Revoke key', [
      el('p', {}, 'Services will refuse ', el('code', {}, keyId), ' once they read the revocation.'),
      el('label', { for: 'revoke-reason' }, 'Reason'), reason,
    ], 'Revoke', () => api.revoke(keyId, reason.value.trim()));
    if (key && !gone) {
      renderKey(key);
      replace(status, notice('info', 'Revoked.'));
    }
  }

  async function reinstate() {
    const reason = reasonField('reinstate-reason');
    const answer = await formDialog('reinstate-dialog', 'Reinstate key', [
      el('p', {}, el('code', {}, keyId), ' becomes ACTIVE again. Under four eyes a second admin must approve.'),
      el('label', { for: 'reinstate-reason' }, 'Reason'), reason,
    ], 'Reinstate', () => api.reinstate(keyId, reason.value.trim()));
    if (!answer || gone) return;
    if (answer.action === 'reinstate-key') {
      // 202: a pending approval request, nothing changed yet
      replace(status, el('p', { class: 'notice info', id: 'key-pending', role: 'status' },
        'Reinstatement requested: approval request ', el('code', {}, answer.id), ' waits for a second admin. ',
        el('a', { href: '#/revocations' }, 'Approvals →')));
    } else {
      renderKey(answer);
      replace(status, notice('info', 'Reinstated.'));
    }
  }

  loadKey();
  loadScopes();
  loadUsage();
  loadAlerts();
  timer = setInterval(() => { if (!gone) loadUsage(); }, REFRESH_MS);

  return {
    unmount() {
      gone = true;
      clearInterval(timer);
      chart?.destroy();
    },
  };
}
