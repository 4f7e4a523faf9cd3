// Keys, revocations and webhooks, listed plainly for now (wave 2 gives each a page module of its own).
import { api } from '../api.js';
import { el, replace, notice, routeHref, time, table, jsonBlock } from '../dom.js';

function page(title, load, render) {
  return {
    mount(root, ctx) {
      let gone = false;
      const content = el('div', {}, el('p', { class: 'muted' }, 'Loading…'));
      replace(root, el('h1', {}, title), content);
      load(ctx).then((data) => { if (!gone) replace(content, render(data, ctx)); })
        .catch((e) => { if (!gone) replace(content, notice('error', e.message)); });
      return { unmount() { gone = true; } };
    },
  };
}

const keyLink = (keyId) => el('a', { href: routeHref('keys', keyId) }, keyId);

const keyList = page('Keys', () => api.keys({ limit: 200 }), (data) => table(data.items || [], [
  { title: 'Key', cell: (k) => keyLink(k.keyId) },
  { title: 'Status', cell: (k) => k.status },
  { title: 'Owner', cell: (k) => k.owner || k.metadata?.owner || '' },
  { title: 'Service', cell: (k) => k.service || k.metadata?.service || '' },
  { title: 'Changed', cell: (k) => time(k.changedAt) },
  { title: 'By', cell: (k) => k.changedBy || '' }]));

const keyDetail = page('Key', ({ segments }) => api.key(segments[1]), (key, { segments }) => el('div', {},
  el('p', {}, el('a', { href: '#/keys' }, '← Keys')),
  el('h2', {}, el('code', {}, segments[1]), ' ', key.status || ''),
  jsonBlock(key)));

export const keys = {
  mount: (root, ctx) => (ctx.segments.length > 1 ? keyDetail : keyList).mount(root, ctx),
};

export const revocations = page('Revocations',
  () => Promise.all([api.revocations({ limit: 100 }), api.approvals({ status: 'pending' })]),
  ([decisions, approvals]) => el('div', {},
    el('h2', {}, 'Automatic revocation decisions'),
    table(decisions.items || [], [
      { title: 'When', cell: (d) => time(d.decidedAt || d.createdAt) },
      { title: 'Key', cell: (d) => keyLink(d.keyId) },
      { title: 'Status', cell: (d) => d.status || d.outcome || '' },
      { title: 'Rule', cell: (d) => d.rule || '' },
      { title: 'Reason', cell: (d) => d.reason || '' }]),
    el('h2', {}, 'Approval requests waiting'),
    table(approvals.items || [], [
      { title: 'Requested', cell: (a) => time(a.requestedAt) },
      { title: 'Action', cell: (a) => a.action || '' },
      { title: 'Key', cell: (a) => (a.keyId ? keyLink(a.keyId) : a.rule || '') },
      { title: 'Reason', cell: (a) => a.reason || '' },
      { title: 'By', cell: (a) => a.requestedBy || '' },
      { title: 'Status', cell: (a) => a.status || '' }])));

export const webhooks = page('Webhooks', () => api.webhooks(), (data) => table(data.items || [], [
  { title: 'URL', cell: (w) => w.url },
  { title: 'Owner', cell: (w) => w.owner || '' },
  { title: 'State', cell: (w) => w.state || '' },
  { title: 'Events', cell: (w) => (w.eventTypes || []).join(', ') },
  { title: 'Last error', cell: (w) => w.lastError || '' }]));
