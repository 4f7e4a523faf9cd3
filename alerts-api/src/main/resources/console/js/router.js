// Hash routing (#/alerts?severity=HIGH&status=OPEN): the server needs no fallback route, and a view's URL
// (filters included) can be shared and survives a reload.

/** The current route: {segments: ['alerts', '<id>'], params: URLSearchParams}. */
export function current() {
  const hash = location.hash.replace(/^#/, '') || '/alerts';
  const q = hash.indexOf('?');
  const path = q < 0 ? hash : hash.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  const segments = path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  });
  return { segments, params };
}

/** The hash for a path and parameters (empty values left out). */
export function href(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return '#' + path + (s ? '?' + s : '');
}

export function go(hash) {
  if (location.hash !== hash) location.hash = hash;
}
