// SSO sign-in: OAuth 2.0 Authorization Code flow with PKCE (RFC 7636, S256) as a public client. No client secret
// (nothing stays secret in a browser) and no server-side session: the access token is kept exactly like a pasted one.
// No refresh token is kept: in sessionStorage it would be a long-lived secret any XSS could take; when the access
// token expires the API answers 401 and the person signs in again (usually one click, the provider remembers them).
import { session } from './session.js';

const PENDING = 'keywatch.sso.pending'; // verifier, state, nonce of the sign-in this tab started
const PENDING_MAX_AGE_MS = 10 * 60 * 1000;
const SHOWN_CHARS = 300; // what the provider (or whoever crafted the return URL) says is shown as text, this long at most
const MAX_TOKEN_CHARS = 8192; // the API refuses longer ones anyway (OidcAuthenticator.MAX_TOKEN_CHARS)

const STARTING_RETRIES = 2; // the API discovers the provider in the background just after it starts
const STARTING_RETRY_MS = 1500;

let config = null;

function fetchConfig() {
  return fetch('/console/config.json', { cache: 'no-store', credentials: 'omit', redirect: 'error' })
    .then(async (response) => {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    });
}

/**
 * The console's SSO settings ({sso: null} when off), fetched once per page load without a credential; asked again
 * after a short delay, twice at most, while the API says it is still starting.
 */
export function ssoConfig() {
  config ??= (async () => {
    let answer = await fetchConfig();
    for (let retry = 0; retry < STARTING_RETRIES && answer?.sso?.starting === true; retry++) {
      await new Promise((resolve) => setTimeout(resolve, STARTING_RETRY_MS));
      answer = await fetchConfig();
    }
    return answer;
  })().catch((e) => ({ sso: { error: 'SSO unavailable: the console could not load its SSO settings (' + e.message + ')' } }));
  return config;
}

/** Attacker-controllable text made safe to show: a string, no control characters, bounded. */
export function bounded(value) {
  const text = String(value ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return text.length > SHOWN_CHARS ? text.slice(0, SHOWN_CHARS) + '…' : text;
}

function base64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** PKCE's S256: base64url(SHA-256(verifier)). */
async function challenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function redirectUri() {
  return location.origin + '/';
}

function httpUrl(value) {
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not an http(s) URL: ' + bounded(value));
  return url;
}

/** Leaves for the provider's sign-in page; it sends the browser back to / with ?code&state (or ?error). */
export async function beginSignIn(sso) {
  if (!window.isSecureContext || !crypto.subtle) {
    throw new Error('SSO sign-in needs HTTPS (the browser offers SHA-256 only to secure pages)');
  }
  const verifier = random(48); // 64 characters of [A-Za-z0-9_-], within PKCE's 43-128
  const pending = { verifier, state: random(24), nonce: random(24), at: Date.now() };
  const url = httpUrl(sso.authorizationEndpoint);
  const params = new URLSearchParams({
    response_type: 'code', client_id: sso.clientId, redirect_uri: redirectUri(), scope: sso.scopes,
    state: pending.state, nonce: pending.nonce,
    code_challenge: await challenge(verifier), code_challenge_method: 'S256',
  });
  for (const [name, value] of params) url.searchParams.set(name, value);
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(url.toString());
}

/** Whether the page was loaded as the provider's answer (?code&state or ?error). */
export function isReturn() {
  const params = new URLSearchParams(location.search);
  return params.has('code') || params.has('error') || params.has('state');
}

function takePending() {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  try {
    const pending = raw ? JSON.parse(raw) : null;
    return pending && Date.now() - pending.at < PENDING_MAX_AGE_MS ? pending : null;
  } catch (e) {
    return null;
  }
}

/**
 * Finishes a return from the provider: the query goes from the address bar and history first (the code must not stay
 * there), the verifier and state are wiped, then the state is checked and the code traded for an access token.
 * Resolves to {signedIn: true} when the provider's token is in the session, {refusal} with the message the sign-in
 * screen shows, or {} for a return nobody started here while signed in (ignored).
 */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  history.replaceState(null, '', location.pathname + location.hash);
  const pending = takePending();
  // signed in and no sign-in started here: an unsolicited "return" (a crafted link) is ignored, its text unshown
  if (!pending && session.token()) return {};
  const stateMatches = pending !== null && params.get('state') === pending.state;
  if (params.has('error')) {
    // the provider's text only for the sign-in this tab started: anyone can craft a link that carries ?error=…
    if (!stateMatches) {
      return { refusal: 'SSO sign-in: an SSO answer this tab did not ask for was ignored. Start again with '
        + '"Sign in with SSO" if you meant to sign in.' };
    }
    const description = params.get('error_description');
    return { refusal: 'The identity provider did not sign you in: ' + bounded(params.get('error'))
      + (description ? ' — ' + bounded(description) : '') };
  }
  if (!pending) {
    return { refusal: 'SSO sign-in refused: this tab has no sign-in in progress (it expired or was started '
      + 'elsewhere). Start again with "Sign in with SSO".' };
  }
  if (!stateMatches) {
    return { refusal: 'SSO sign-in refused: the state in the answer is not the one this tab sent (a forged '
      + 'or replayed sign-in link). Start again with "Sign in with SSO".' };
  }
  const code = params.get('code');
  if (!code) return { refusal: 'SSO sign-in refused: the identity provider sent no authorization code.' };
  const { sso } = await ssoConfig();
  // the API's error texts are whole sentences ("SSO unavailable: …", "SSO is starting: …")
  if (!sso || sso.error) return { refusal: bounded(sso ? sso.error : 'SSO unavailable: not configured') };
  let response;
  try {
    response = await fetch(httpUrl(sso.tokenEndpoint), {
      method: 'POST', cache: 'no-store', credentials: 'omit', redirect: 'error',
      headers: { Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(),
        client_id: sso.clientId, code_verifier: pending.verifier }),
    });
  } catch (e) {
    return { refusal: 'SSO sign-in failed: the identity provider\'s token endpoint is not reachable from this '
      + 'page (' + bounded(e.message) + '; is CORS allowed for ' + location.origin + '?)' };
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok || !body || typeof body.access_token !== 'string') {
    const why = body && body.error ? bounded(body.error) + (body.error_description
      ? ' — ' + bounded(body.error_description) : '') : 'HTTP ' + response.status;
    return { refusal: 'SSO sign-in failed: the identity provider issued no access token: ' + why };
  }
  if (!body.access_token || body.access_token.length > MAX_TOKEN_CHARS) {
    return { refusal: 'SSO sign-in failed: the access token is empty or longer than ' + MAX_TOKEN_CHARS
      + ' characters.' };
  }
  // the refresh token and ID token, if any, are dropped here on purpose (see the top of this file)
  session.signIn(body.access_token);
  return { signedIn: true };
}
