// Keys, listed plainly for now (wave 2 gives it a page module of its own).
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
