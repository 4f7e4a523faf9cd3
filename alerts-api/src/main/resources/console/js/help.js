// The help overlay (?): keyboard shortcuts and where the data comes from.
import { el } from './dom.js';

const SHORTCUTS = [
  ['j / k', 'next / previous alert'],
  ['o or Enter', 'open the selected alert'],
  ['K', "open the selected alert's key"],
  ['a', 'acknowledge'],
  ['r', 'resolve (choose a resolution; Enter submits, Esc cancels)'],
  ['s', 'silence its key and/or rule until a time'],
  ['a / r / s / K', 'on an alert\'s page: the same for that alert'],
  ['/', 'focus the filters'],
  ['?', 'this help'],
];

export function helpDialog() {
  if (document.getElementById('help')) return;
  const dialog = el('dialog', { id: 'help', class: 'dialog' },
    el('h2', {}, 'Keyboard shortcuts'),
    el('table', { class: 'keys' }, el('tbody', {}, SHORTCUTS.map(([key, what]) =>
      el('tr', {}, el('th', {}, el('kbd', {}, key)), el('td', {}, what))))),
    el('p', { class: 'muted' }, 'Buttons your role may not use are hidden; the API refuses them anyway. ',
      'Everything here is the JSON API (README: The API), live through GET /api/v1/alerts/stream.'),
    el('form', { method: 'dialog' }, el('button', { type: 'submit', id: 'help-close' }, 'Close')));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
}
