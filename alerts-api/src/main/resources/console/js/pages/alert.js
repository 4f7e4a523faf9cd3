// One alert (#/alerts/{id}): summary, evidence as the API returns it, history. Wave 2 adds the timeline.
import { api } from '../api.js';
import { el, replace, notice, routeHref, time, jsonBlock, table } from '../dom.js';
import { may } from '../roles.js';
import { acknowledge, resolveDialog, silenceDialog } from '../triage.js';

const FIELDS = [['Status', 'status'], ['Severity', 'severity'], ['Rule', 'rule'], ['Resolution', 'resolution'],
  ['Occurrences', 'occurrences'], ['Silenced', 'silenced'], ['Automatic revocation', 'autoRevocation'],
  ['Observed', 'observed'], ['Threshold', 'threshold'], ['Baseline', 'baseline'],
  ['Window', null], ['First seen', 'firstSeen'], ['Last seen', 'lastSeen'], ['Triggered', 'triggeredAt'],
  ['Stored', 'storedAt'], ['Acknowledged', 'acknowledgedAt'], ['Acknowledged by', 'acknowledgedBy'],
  ['Resolved', 'resolvedAt'], ['Resolved by', 'resolvedBy']];

export function mount(root, { me, segments }) {
  const id = segments[1];
  let gone = false;
  const status = el('div', { id: 'alert-status' });
  const content = el('div', { id: 'alert-detail' }, el('p', { class: 'muted' }, 'Loading…'));
  replace(root, el('p', {}, el('a', { href: '#/alerts' }, '← Alerts')), status, content);

  function value(alert, field) {
    const v = alert[field];
    if (v === null || v === undefined) return el('span', { class: 'muted' }, '—');
    return /At$|Seen$/.test(field) ? time(v) : String(v);
  }

  function render(alert) {
    const triage = may(me, 'acknowledge');
    const act = async (action) => {
      replace(status);
      try {
        const changed = action === 'ack' ? await acknowledge(alert)
          : action === 'resolve' ? await resolveDialog(alert) : await silenceDialog(alert, me);
        if (changed && !gone) render(changed);
      } catch (e) {
        replace(status, notice('error', e.message));
      }
    };
    replace(content,
      el('h1', { class: 'sev-' + String(alert.severity).toLowerCase() }, el('span', { class: 'sev' }, alert.severity),
        ' ', alert.summary || alert.id),
      el('p', {}, 'Key ', el('a', { id: 'alert-key', href: routeHref('keys', alert.keyId) }, alert.keyId),
        ' · id ', el('code', {}, alert.id)),
      el('div', { class: 'buttons' },
        triage && alert.status === 'OPEN' ? el('button', { type: 'button', id: 'detail-ack', onclick: () => act('ack') },
          'Acknowledge') : null,
        triage && alert.status !== 'RESOLVED' ? [
          el('button', { type: 'button', id: 'detail-resolve', onclick: () => act('resolve') }, 'Resolve'),
          el('button', { type: 'button', id: 'detail-silence', onclick: () => act('silence') }, 'Silence')] : null),
      el('dl', { class: 'facts' }, FIELDS.map(([label, field]) => [el('dt', {}, label),
        el('dd', {}, field ? value(alert, field) : [time(alert.windowStart), ' – ', time(alert.windowEnd)])])),
      el('h2', {}, 'Evidence'), jsonBlock(alert.evidence ?? {}),
      el('h2', {}, 'History'),
      table(alert.history || [], [
        { title: 'When', cell: (h) => time(h.at) },
        { title: 'Who', cell: (h) => h.actor + (h.onBehalfOf ? ' (for ' + h.onBehalfOf + ')' : '') },
        { title: 'What', cell: (h) => h.action },
        { title: 'Status', cell: (h) => [h.fromStatus, h.toStatus].filter(Boolean).join(' → ') },
        { title: 'Resolution', cell: (h) => h.resolution || '' },
        { title: 'Note', cell: (h) => h.note || '' }]));
  }

  api.alert(id).then((alert) => { if (!gone) render(alert); })
    .catch((e) => { if (!gone) replace(content, notice('error', e.message)); });

  return {
    onKey(event) {
      if (event.key === 'K') {
        document.getElementById('alert-key')?.click();
        return true;
      }
      return false;
    },
    unmount() {
      gone = true;
    },
  };
}
