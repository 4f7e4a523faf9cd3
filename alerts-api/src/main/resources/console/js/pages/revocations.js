// Revocations (#/revocations): automatic revocation decisions waiting for a person (approve / deny: responder),
// four-eyes approval requests (approve / deny: admin, not the requester), and the recent decisions' log.
import { api } from '../api.js';
import { el, replace, notice, routeHref, time, table } from '../dom.js';
import { may } from '../roles.js';
import { formDialog } from '../triage.js';
import { pendingChanged, PENDING_CHANGED } from '../pending.js';

const RECENT = 25;
const WHY_PENDING = {
  PROTECTED: ['protected key', 'registered with autoRevoke: false: never revoked without a person'],
  GUARD: ['blast-radius guard', 'more automatic revocations in the window than KEYWATCH_REVOKE_MAX_PER_WINDOW allows'],
};
const APPROVAL_WHAT = { 'reinstate-key': 'reinstate key', 'rule-wide-silence': 'silence rule for every key' };

const keyLink = (keyId) => (keyId ? el('a', { href: routeHref('keys', keyId) }, keyId) : '');
const muted = (text) => el('span', { class: 'muted' }, text);

/** Approve or deny with an optional note; resolves to the API's answer, null when cancelled. API errors stay in it. */
function decideDialog(id, title, subject, approve, send) {
  const note = el('input', { type: 'text', name: 'note', id: id + '-note', maxlength: 2000, size: 50,
    placeholder: approve ? 'note (optional), e.g. confirmed with the owner' : 'note (optional), e.g. load test' });
  return formDialog(id, title, [el('p', {}, subject), el('label', { for: id + '-note' }, 'Note'), note],
    approve ? 'Approve' : 'Deny', () => send(note.value.trim() || undefined));
}

export function mount(root, { me }) {
  let gone = false;
  const status = el('div', { id: 'revocations-status' });
  const decisionsBox = el('section', { id: 'pending-decisions' }, muted('Loading…'));
  const approvalsBox = el('section', { id: 'approval-requests' }, muted('Loading…'));
  const recentBox = el('section', { id: 'recent-decisions' }, muted('Loading…'));
  const decideRevocations = may(me, 'decideRevocation');
  const decideApprovals = may(me, 'decideApproval');

  replace(root, el('div', { class: 'toolbar' }, el('h1', {}, 'Revocations')), status,
    el('h2', {}, 'Automatic revocations waiting for a person'), decisionsBox,
    el('h2', {}, 'Four-eyes approval requests'), approvalsBox,
    el('h2', {}, 'Recent decisions'), recentBox);

  const decisionColumns = [
    { title: 'Waiting since', cell: (d) => time(d.createdAt) },
    { title: 'Key', class: 'key', cell: (d) => keyLink(d.keyId) },
    { title: 'Rule', cell: (d) => d.rule || '' },
    { title: 'Severity', cell: (d) => el('span', { class: 'sev' }, d.severity || '') },
    { title: 'Why pending', cell: (d) => {
      const [why, whyTitle] = WHY_PENDING[d.pendingReason] || [d.pendingReason || '', ''];
      return el('span', { class: 'why', title: whyTitle }, why);
    } },
    { title: 'Reason', class: 'text', cell: (d) => d.reason || '' },
    { title: 'Alert', cell: (d) => (d.alertId ? el('a', { href: routeHref('alerts', d.alertId) }, 'open') : '') },
    { title: '', class: 'actions', cell: (d) => (decideRevocations ? [
      el('button', { type: 'button', class: 'act-approve', onclick: () => decideRevocation(d, true) }, 'Approve'),
      el('button', { type: 'button', class: 'act-deny', onclick: () => decideRevocation(d, false) }, 'Deny')]
      : null) },
  ];

  function decideRevocation(d, approve) {
    const subject = [d.rule, ' (', d.severity, ') on ', el('code', {}, d.keyId)];
    return act(() => decideDialog('decision-dialog', approve ? 'Approve: revoke the key' : 'Deny: keep the key active',
      subject, approve, (note) => api.decideRevocation(d.id, approve, note)),
    approve ? 'Approved: ' + d.keyId + ' is revoked.' : 'Denied: ' + d.keyId + ' stays active.');
  }

  /** What an approval request would change, as fresh nodes (each use needs its own). */
  const approvalWhat = (a) => [APPROVAL_WHAT[a.action] || a.action, ' ',
    a.keyId ? keyLink(a.keyId) : el('code', {}, a.rule || ''), a.silenceExpiresAt ? [' until ', time(a.silenceExpiresAt)] : null];

  const approvalColumns = [
    { title: 'Requested', cell: (a) => time(a.requestedAt) },
    { title: 'What', class: 'key', cell: approvalWhat },
    { title: 'Reason', class: 'text', cell: (a) => a.reason || '' },
    { title: 'Requested by', cell: (a) => [a.requestedBy, a.requestedRole ? muted(' (' + a.requestedRole + ')') : null,
      a.onBehalfOf ? muted(' for ' + a.onBehalfOf) : null] },
    { title: 'Expires', cell: (a) => time(a.expiresAt) },
    { title: '', class: 'actions', cell: (a) => {
      if (!decideApprovals) return null;
      const mine = a.requestedBy === me.name;
      // the requester may withdraw (deny) its own request, never approve it; the API checks both again
      return [mine ? null : el('button', { type: 'button', class: 'act-approve', onclick: () => decideApproval(a, true) },
        'Approve'),
      el('button', { type: 'button', class: 'act-deny', onclick: () => decideApproval(a, false) },
        mine ? 'Withdraw' : 'Deny')];
    } },
  ];

  function decideApproval(a, approve) {
    const mine = a.requestedBy === me.name;
    return act(() => decideDialog('approval-dialog', approve ? 'Approve and carry out' : mine ? 'Withdraw your request'
      : 'Deny', approvalWhat(a), approve, (note) => api.decideApproval(a.id, approve, note)),
    approve ? 'Approved: ' + (a.keyId || a.rule) + '.' : 'Denied.');
  }

  /** A table with an id, rows carrying their item's id, and a line saying so when it is empty. */
  function listTable(items, columns, id, empty) {
    const t = table(items, columns, (item) => ({ dataset: { id: String(item.id) },
      class: item.severity ? 'sev-' + String(item.severity).toLowerCase() : null }));
    t.id = id;
    if (!items.length) {
      t.tBodies[0].appendChild(el('tr', {}, el('td', { colspan: columns.length, class: 'muted' }, empty)));
    }
    return t;
  }

  const recentTable = (items) => listTable(items, [
    { title: 'When', cell: (e) => time(e.at) },
    { title: 'Outcome', cell: (e) => el('span', { class: 'outcome outcome-' + String(e.action).toLowerCase() }, e.action) },
    { title: 'Key', class: 'key', cell: (e) => keyLink(e.keyId) },
    { title: 'By', cell: (e) => [e.actor || '', e.onBehalfOf ? muted(' for ' + e.onBehalfOf) : null] },
    { title: 'Reason', class: 'text', cell: (e) => e.reason || '' },
    { title: 'Alerts', cell: (e) => (e.alertIds || []).map((id) => el('a', { href: routeHref('alerts', id),
      class: 'alert-link' }, id)) }], 'recent', 'No decision yet.');

  async function act(open, done) {
    replace(status);
    try {
      const answer = await open();
      if (answer === null || gone) return;
      replace(status, notice('info', done));
      pendingChanged();
    } catch (e) {
      replace(status, notice('error', e.message));
    }
  }

  async function load() {
    const parts = [
      [decisionsBox, () => api.revocations({ status: 'PENDING_APPROVAL', limit: 500 }),
        (data) => listTable(data.items, decisionColumns, 'decisions', 'Nothing waits: every automatic decision was taken.')],
      [approvalsBox, () => api.approvals({ status: 'pending' }),
        (data) => listTable(data.items, approvalColumns, 'approvals', 'No approval request waits.')],
      [recentBox, () => api.audit({ limit: RECENT }), (data) => recentTable(data.items)],
    ];
    // each part on its own: one refused call leaves the others readable
    await Promise.all(parts.map(async ([box, get, render]) => {
      try {
        const data = await get();
        if (!gone) replace(box, render(data));
      } catch (e) {
        if (!gone) replace(box, notice('error', e.message));
      }
    }));
  }

  // the badge's refresh (every 30 s, on focus, after a decision) refreshes the page too
  window.addEventListener(PENDING_CHANGED, load);
  window.addEventListener('focus', load);
  const timer = setInterval(load, 30_000);
  load();
  return {
    unmount() {
      gone = true;
      clearInterval(timer);
      window.removeEventListener(PENDING_CHANGED, load);
      window.removeEventListener('focus', load);
    },
  };
}
