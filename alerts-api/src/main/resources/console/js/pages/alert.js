// One alert (#/alerts/{id}): summary, evidence for people, the timeline from the triggering event to the webhook
// deliveries with each step's latency, and the history of who did what. Triage as in the inbox (a, r, s; K the key).
import { api } from '../api.js';
import { el, replace, notice, routeHref, time, table } from '../dom.js';
import { may } from '../roles.js';
import { acknowledge, resolveDialog, silenceDialog } from '../triage.js';
import { evidenceView } from '../evidence.js';
import { subscribe } from '../sse.js';

/** How often an open alert page reads its timeline again (deliveries and retries change it, not the alert). */
const TIMELINE_REFRESH_MS = 10000;

const SUMMARY = [['Rule', 'rule'], ['Severity', 'severity'], ['Status', 'status'], ['Resolution', 'resolution'],
  ['First seen', 'firstSeen'], ['Last seen', 'lastSeen'], ['Occurrences', 'occurrences'], ['Silenced', 'silenced'],
  ['Automatic revocation', 'autoRevocation'], ['Observed', 'observed'], ['Threshold', 'threshold'],
  ['Baseline', 'baseline'], ['Window', null]];

/** What each timeline step is called on the page. */
const STEP_LABELS = {
  triggered: 'Triggering event', detected: 'Detected', stored: 'Stored', 'revocation-decided': 'Revocation decided',
  'revocation-approved': 'Revocation approved', 'revocation-denied': 'Revocation denied', 'key-revoked': 'Key revoked',
  'webhook-delivered': 'Webhook delivered', 'webhook-failed': 'Webhook failed', 'webhook-pending': 'Webhook pending',
  acknowledged: 'Acknowledged', resolved: 'Resolved',
};

/** A latency for people: "+45 ms", "+1.4 s", "+2 min 5 s", "+3.2 h"; negative when the sender's clock ran ahead. */
export function latency(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  const sign = ms < 0 ? '−' : '+';
  const a = Math.abs(ms);
  if (a < 1000) return sign + Math.round(a) + ' ms';
  if (a < 60_000) return sign + (a / 1000).toFixed(1) + ' s';
  if (a < 3_600_000) return sign + Math.floor(a / 60_000) + ' min ' + Math.round((a % 60_000) / 1000) + ' s';
  return sign + (a / 3_600_000).toFixed(1) + ' h';
}

function timelineView(timeline) {
  const steps = Array.isArray(timeline?.steps) ? timeline.steps : [];
  return [
    el('ol', { class: 'timeline', id: 'alert-timeline' }, steps.map((s) => el('li', {
      class: 'step step-' + String(s.step).replace(/[^a-z-]/g, ''), dataset: { step: String(s.step) } },
    el('span', { class: 'latency', title: 'since the step before' }, latency(s.sincePreviousMs)),
    el('div', { class: 'what' },
      el('strong', {}, Object.hasOwn(STEP_LABELS, s.step) ? STEP_LABELS[s.step] : String(s.step)), ' ', time(s.at),
      el('span', { class: 'muted since' }, ' · T', latency(s.sinceTriggerMs)),
      s.status ? el('span', { class: 'tag' }, s.status) : null,
      s.actor ? el('span', { class: 'actor' }, ' by ', s.actor) : null,
      s.detail ? el('div', { class: 'detail muted' }, s.detail) : null,
      s.eventType && s.lastStatusCode ? el('div', { class: 'detail muted' },
        'first attempt ', time(s.firstAttemptAt), ' · last answer HTTP ', String(s.lastStatusCode)) : null)))),
    timeline?.truncated ? el('p', { class: 'muted' }, 'Some decisions or deliveries are not listed (too many).') : null,
  ];
}

export function mount(root, { me, segments }) {
  const id = segments[1];
  let gone = false;
  let current = null;
  const triage = may(me, 'acknowledge');
  const status = el('div', { id: 'alert-status' });
  const content = el('div', { id: 'alert-detail' }, el('p', { class: 'muted' }, 'Loading…'));
  const timelineBox = el('div', { id: 'alert-timeline-box' }, el('p', { class: 'muted' }, 'Loading…'));
  replace(root, el('p', {}, el('a', { href: '#/alerts' }, '← Alerts')), status, content);

  function value(alert, field) {
    const v = alert[field];
    if (v === null || v === undefined) return el('span', { class: 'muted' }, '—');
    return /At$|Seen$/.test(field) ? time(v) : String(v);
  }

  async function act(action) {
    const alert = current;
    if (!alert || !triage) return;
    replace(status);
    try {
      const changed = action === 'ack' ? await acknowledge(alert)
        : action === 'resolve' ? await resolveDialog(alert) : await silenceDialog(alert, me);
      if (changed && !gone) {
        render(changed);
        loadTimeline();
        replace(status, notice('info', action === 'ack' ? 'Acknowledged.' : action === 'resolve' ? 'Resolved.'
          : 'Silenced.'));
      }
    } catch (e) {
      replace(status, notice('error', e.message));
    }
  }

  function render(alert) {
    current = alert;
    replace(content,
      el('h1', { class: 'sev-' + String(alert.severity).toLowerCase() }, el('span', { class: 'sev' }, alert.severity),
        ' ', alert.summary || alert.id),
      el('p', {}, 'Key ', el('a', { id: 'alert-key', href: routeHref('keys', alert.keyId) }, alert.keyId),
        ' · id ', el('code', {}, alert.id)),
      el('div', { class: 'buttons' },
        triage && alert.status === 'OPEN' ? el('button', { type: 'button', id: 'detail-ack', title: 'a',
          onclick: () => act('ack') }, 'Acknowledge') : null,
        triage && alert.status !== 'RESOLVED' ? [
          el('button', { type: 'button', id: 'detail-resolve', title: 'r', onclick: () => act('resolve') }, 'Resolve'),
          el('button', { type: 'button', id: 'detail-silence', title: 's', onclick: () => act('silence') },
            'Silence')] : null),
      el('div', { class: 'alert-columns' },
        el('div', {},
          el('h2', {}, 'Summary'),
          el('dl', { class: 'facts', id: 'alert-summary' }, SUMMARY.map(([label, field]) => [el('dt', {}, label),
            el('dd', {}, field ? value(alert, field) : [time(alert.windowStart), ' – ', time(alert.windowEnd)])])),
          el('h2', {}, 'Timeline'), timelineBox),
        el('div', {}, el('h2', {}, 'Evidence'), evidenceView(alert.evidence ?? {}))),
      el('h2', {}, 'History'),
      el('div', { id: 'alert-history' }, table(alert.history || [], [
        { title: 'When', cell: (h) => time(h.at) },
        { title: 'Who', cell: (h) => h.actor + (h.onBehalfOf ? ' (for ' + h.onBehalfOf + ')' : '') },
        { title: 'What', cell: (h) => h.action },
        { title: 'Status', cell: (h) => [h.fromStatus, h.toStatus].filter(Boolean).join(' → ') },
        { title: 'Resolution', cell: (h) => h.resolution || '' },
        { title: 'Note', cell: (h) => h.note || '' }])));
  }

  function loadTimeline() {
    api.timeline(id).then((timeline) => { if (!gone) replace(timelineBox, timelineView(timeline)); })
      .catch((e) => { if (!gone) replace(timelineBox, notice('error', e.message)); });
  }

  // live: the alert's changes come on the stream (filtered to its key); webhook deliveries change the timeline
  // without changing the alert, so the timeline is also read again while the page is open
  let stream = null;
  let timer = null;
  function reload() {
    api.alert(id).then((alert) => { if (!gone) { render(alert); loadTimeline(); } }).catch(() => {});
  }
  function follow(alert) {
    stream = subscribe('/api/v1/alerts/stream?keyId=' + encodeURIComponent(alert.keyId), {
      onState: () => {},
      onUnauthorized: () => api.me().catch(() => {}), // the client's 401 handling shows the sign-in screen
      onEvent: (event) => {
        if (gone || event.event !== 'alert') return;
        let data;
        try {
          data = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        if (data?.alert?.id === current?.id) reload();
      },
    });
    timer = setInterval(() => { if (!gone) loadTimeline(); }, TIMELINE_REFRESH_MS);
  }

  api.alert(id).then((alert) => {
    if (gone) return;
    render(alert);
    loadTimeline();
    follow(alert);
  }).catch((e) => { if (!gone) replace(content, notice('error', e.message)); });

  return {
    onKey(event) {
      switch (event.key) {
        case 'K': document.getElementById('alert-key')?.click(); return true;
        case 'a': if (current?.status === 'OPEN') act('ack'); return triage;
        case 'r': if (current && current.status !== 'RESOLVED') act('resolve'); return triage;
        case 's': if (current && current.status !== 'RESOLVED') act('silence'); return triage;
        default: return false;
      }
    },
    unmount() {
      gone = true;
      stream?.close();
      clearInterval(timer);
    },
  };
}
