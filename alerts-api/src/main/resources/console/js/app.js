// The shell: sign-in, header (who, role, nav, sign-out), the page for the route, the help overlay.
import { api, ApiError, onUnauthorized } from './api.js';
import { el, replace, notice, typing } from './dom.js';
import { session } from './session.js';
import { current } from './router.js';
import * as alerts from './pages/alerts.js';
import * as alert from './pages/alert.js';
import * as revocations from './pages/revocations.js';
import * as webhooks from './pages/webhooks.js';
import { pendingBadge } from './pending.js';
import * as keyList from './pages/keys.js';
import * as key from './pages/key.js';
import { helpDialog } from './help.js';
import { ssoConfig, beginSignIn, completeSignIn, isReturn, bounded } from './sso.js';

const root = document.getElementById('app');
let me = null;
let page = null;
let main = null;
let fromSso = false; // the token being tried came from the identity provider just now

const PAGES = {
  alerts: (segments) => (segments.length > 1 ? alert : alerts),
  keys: (segments) => (segments.length > 1 ? key : keyList),
  revocations: () => revocations,
  webhooks: () => webhooks,
};

function signInScreen(message) {
  leavePage();
  me = null;
  const input = el('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off',
    placeholder: 'kw_... token, admin token or SSO access token', required: true, size: 60 });
  const error = el('div', { id: 'signin-error' }, message ? notice('error', message) : null);
  const form = el('form', { id: 'signin', class: 'signin', onsubmit: async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    session.signIn(token);
    await start();
  } },
  el('h1', {}, 'keywatch'),
  el('p', {}, 'Sign in with a keywatch API token (kw_...), the admin token or an SSO access token. ',
    'It is kept in this tab only (sessionStorage) and sent as Authorization: Bearer.'),
  el('label', { for: 'token' }, 'Token'), input,
  el('button', { type: 'submit', id: 'signin-submit' }, 'Sign in'),
  error);
  replace(root, form);
  input.focus();
  ssoSection(form);
}

// "Sign in with SSO" when the console has an SSO client (GET /console/config.json); data-sso says what was found
function ssoSection(form) {
  ssoConfig().then(({ sso }) => {
    if (!form.isConnected) return;
    form.dataset.sso = sso ? (sso.error ? 'unavailable' : 'on') : 'off';
    if (!sso) return;
    const section = el('div', { id: 'signin-sso-section', class: 'signin-sso' });
    if (sso.error) {
      // a whole sentence from the API ("SSO unavailable: …", or "SSO is starting: …" after two retries)
      section.append(notice('error', bounded(sso.error)));
    } else {
      const failure = el('div', { id: 'signin-sso-error' });
      const button = el('button', { type: 'button', id: 'signin-sso', onclick: async () => {
        button.disabled = true;
        try {
          await beginSignIn(sso);
        } catch (e) {
          button.disabled = false;
          replace(failure, notice('error', 'SSO sign-in failed: ' + bounded(e.message)));
        }
      } }, 'Sign in with SSO');
      section.append(button, el('p', { class: 'muted' }, 'Signs you in at ', bounded(sso.issuer),
        '; keywatch keeps only the access token, in this tab. Signing out here does not sign you out there.'),
        failure, el('p', { class: 'or' }, 'or paste a token:'));
    }
    form.insertBefore(section, form.querySelector('label'));
  });
}

onUnauthorized((message) => {
  const wasSignedIn = me !== null;
  session.signOut();
  const reason = message || 'the credential was refused';
  if (wasSignedIn) {
    signInScreen('Session expired or credential revoked — Sign in again (' + reason + ').');
  } else if (fromSso) {
    signInScreen('keywatch did not accept the identity provider\'s token (' + reason + '). Its audience (aud) must '
      + 'be keywatch\'s (KEYWATCH_OIDC_AUDIENCE) and your groups must map to a role (KEYWATCH_OIDC_ROLE_MAP); '
      + 'the API\'s log says which at debug level.');
  } else {
    signInScreen('Sign-in refused: ' + reason);
  }
  fromSso = false;
});

function leavePage() {
  page?.unmount?.();
  page = null;
}

function shell() {
  const nav = el('nav', { class: 'nav' },
    ['alerts', 'keys', 'revocations', 'webhooks'].map((name) =>
      el('a', { href: '#/' + name, id: 'nav-' + name }, name[0].toUpperCase() + name.slice(1))));
  main = el('main', { id: 'main' });
  replace(root,
    el('header', { class: 'top' },
      el('a', { class: 'brand', href: '#/alerts' }, 'keywatch'), nav,
      el('span', { class: 'spacer' }),
      el('span', { id: 'whoami', class: 'whoami' }, me.name, ' ', el('span', { id: 'role', class: 'role role-' + me.role }, me.role)),
      el('button', { type: 'button', id: 'help-button', title: 'Keyboard shortcuts (?)', onclick: () => helpDialog() }, '?'),
      el('button', { type: 'button', id: 'signout', onclick: () => {
        session.signOut();
        // keywatch's sign-out only: the identity provider's session (if any) is the provider's
        signInScreen('Signed out.');
      } }, 'Sign out')),
    main,
    el('footer', { class: 'foot' }, 'Press ? for keyboard shortcuts · times are UTC · data from the keywatch API (',
      el('a', { href: '/docs/', id: 'api-docs-link' }, 'API reference'), ')'));
  // what waits for a person, beside Revocations
  const badge = pendingBadge();
  root.querySelector('#nav-revocations').append(' ', badge.node);
  badge.start();
}

function route() {
  if (!me) return;
  leavePage();
  const { segments, params } = current();
  const chooser = PAGES[segments[0]] || PAGES.alerts;
  for (const a of root.querySelectorAll('nav a')) {
    a.classList.toggle('active', a.id === 'nav-' + (PAGES[segments[0]] ? segments[0] : 'alerts'));
  }
  replace(main);
  page = chooser(segments).mount(main, { me, segments, params });
}

async function start() {
  if (isReturn()) {
    const { refusal, signedIn } = await completeSignIn();
    if (refusal) {
      signInScreen(refusal);
      return;
    }
    fromSso = Boolean(signedIn);
  }
  if (!session.token()) {
    signInScreen();
    return;
  }
  try {
    me = await api.me();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return; // onUnauthorized showed the sign-in screen
    fromSso = false;
    session.signOut();
    signInScreen(e.message);
    return;
  }
  fromSso = false;
  shell();
  route();
}

window.addEventListener('hashchange', route);
document.addEventListener('keydown', (event) => {
  if (!me || typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  // Enter on a focused button or link is that control's own click
  if (event.key === 'Enter' && event.target instanceof Element && event.target.closest('button, a')) return;
  if (document.querySelector('dialog[open]')) return;
  if (event.key === '?') {
    event.preventDefault();
    helpDialog();
    return;
  }
  if (page?.onKey?.(event)) event.preventDefault();
});

start();
