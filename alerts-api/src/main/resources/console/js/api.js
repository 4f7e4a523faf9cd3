// The one API client: every call sends the session's bearer token; a 401 anywhere returns to sign-in.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let unauthorized = () => {};

/** Called with the server's message when any call answers 401. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export function authHeaders(extra = {}) {
  return { Authorization: 'Bearer ' + (session.token() || ''), ...extra };
}

async function call(method, path, body) {
  const headers = authHeaders({ Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', redirect: 'error',
    });
  } catch (e) {
    throw new ApiError(0, 'keywatch is not reachable (' + e.message + ')');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    // the API's one error shape: {"status":400,"error":"Bad Request","message":"..."}
    const message = json && typeof json === 'object'
      ? [json.error, json.message].filter(Boolean).join(': ')
      : 'HTTP ' + response.status;
    if (response.status === 401) unauthorized(message);
    throw new ApiError(response.status, message || 'HTTP ' + response.status);
  }
  return json;
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

const seg = encodeURIComponent;

export const api = {
  me: () => call('GET', '/api/v1/me'),
  alerts: (params) => call('GET', '/api/v1/alerts' + query(params)),
  alert: (id) => call('GET', '/api/v1/alerts/' + seg(id)),
  history: (id) => call('GET', '/api/v1/alerts/' + seg(id) + '/history'),
  timeline: (id) => call('GET', '/api/v1/alerts/' + seg(id) + '/timeline'),
  acknowledge: (id, note) => call('POST', '/api/v1/alerts/' + seg(id) + '/acknowledge', note ? { note } : {}),
  resolve: (id, resolution, note) => call('POST', '/api/v1/alerts/' + seg(id) + '/resolve',
    note ? { resolution, note } : { resolution }),
  silence: (body) => call('POST', '/api/v1/silences', body),
  silences: () => call('GET', '/api/v1/silences'),
  keys: (params) => call('GET', '/api/v1/keys' + query(params)),
  key: (keyId) => call('GET', '/api/v1/keys/' + seg(keyId)),
  usage: (keyId, params) => call('GET', '/api/v1/keys/' + seg(keyId) + '/usage' + query(params)),
  leastPrivilege: (keyId) => call('GET', '/api/v1/reports/least-privilege/' + seg(keyId)),
  revoke: (keyId, reason) => call('POST', '/api/v1/keys/' + seg(keyId) + '/revoke', { reason }),
  // the key as it is now, or (under four eyes, 202) a pending approval request with action 'reinstate-key'
  reinstate: (keyId, reason) => call('POST', '/api/v1/keys/' + seg(keyId) + '/reinstate', { reason }),
  revocations: (params) => call('GET', '/api/v1/revocations' + query(params)),
  approvals: (params) => call('GET', '/api/v1/approvals' + query(params)),
  webhooks: () => call('GET', '/api/v1/webhooks'),
  // revocations and webhooks pages
  decideRevocation: (id, approve, note) => call('POST', '/api/v1/revocations/' + seg(id)
    + (approve ? '/approve' : '/deny'), note ? { note } : {}),
  decideApproval: (id, approve, note) => call('POST', '/api/v1/approvals/' + seg(id)
    + (approve ? '/approve' : '/deny'), note ? { note } : {}),
  audit: (params) => call('GET', '/api/v1/audit' + query(params)),
  webhook: (id) => call('GET', '/api/v1/webhooks/' + seg(id)),
  deliveries: (id, params) => call('GET', '/api/v1/webhooks/' + seg(id) + '/deliveries' + query(params)),
  redeliver: (id, deliveryId) => call('POST', '/api/v1/webhooks/' + seg(id) + '/deliveries/' + seg(deliveryId)
    + '/redeliver'),
};
