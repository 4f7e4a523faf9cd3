// The nav's count of what waits for a person: automatic revocations PENDING_APPROVAL and four-eyes requests.
// Kept fresh every 30 s, when the tab regains focus, and when a page says it decided something.
import { api } from './api.js';
import { el } from './dom.js';

const EVERY_MS = 30_000;
/** Dispatched on window by a page after it approved or denied something: the badge reads the counts again. */
export const PENDING_CHANGED = 'keywatch:pending-changed';

/** Tells the badge (and any page listening) that the pending counts may have changed. */
export function pendingChanged() {
  window.dispatchEvent(new Event(PENDING_CHANGED));
}

/** The API's pending counts: {decisions, approvals, more} (more: a list was cut at its limit). */
export async function pendingCounts() {
  const [decisions, approvals] = await Promise.all([
    api.revocations({ status: 'PENDING_APPROVAL', limit: 500 }),
    api.approvals({ status: 'pending' })]);
  return { decisions: decisions.items.length, approvals: approvals.items.length, more: !!decisions.nextCursor };
}

/** A badge node that keeps itself fresh while it is on the page, and stops once the shell that holds it is gone. */
export function pendingBadge() {
  const node = el('span', { id: 'pending-badge', class: 'badge', hidden: true });
  let timer = null;

  const stop = () => {
    clearInterval(timer);
    window.removeEventListener('focus', refresh);
    window.removeEventListener(PENDING_CHANGED, refresh);
  };

  async function refresh() {
    if (!node.isConnected) {
      stop(); // signed out: the header was replaced
      return;
    }
    try {
      const { decisions, approvals, more } = await pendingCounts();
      const total = decisions + approvals;
      node.textContent = String(total) + (more ? '+' : '');
      node.title = decisions + ' automatic revocation(s) and ' + approvals + ' approval request(s) wait for a person';
      node.hidden = total === 0;
      node.classList.remove('badge-error');
    } catch (e) {
      // a 401 already returned to sign-in; anything else is shown on the badge rather than dropped
      node.textContent = '!';
      node.title = 'pending count unavailable: ' + e.message;
      node.hidden = false;
      node.classList.add('badge-error');
    }
  }

  return {
    node,
    start() {
      refresh();
      timer = setInterval(refresh, EVERY_MS);
      window.addEventListener('focus', refresh);
      window.addEventListener(PENDING_CHANGED, refresh);
    },
  };
}
