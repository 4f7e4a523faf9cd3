// Triage actions shared by the inbox and the alert page: acknowledge, resolve (dialog), silence (dialog).
// Each resolves to the changed alert as the API returns it, or null when cancelled; API errors are shown in place.
import { api } from './api.js';
import { el, replace, notice } from './dom.js';
import { may } from './roles.js';

export const RESOLUTIONS = ['false_positive', 'revoked', 'expected', 'fixed', 'other'];
const SILENCE_FOR = [['1 hour', 1], ['4 hours', 4], ['24 hours', 24], ['3 days', 72], ['7 days', 168]];

export function acknowledge(alert) {
  return api.acknowledge(alert.id);
}

/** A modal form; submit(form) resolves to the result, or throws an ApiError shown in the dialog. */
export function formDialog(id, title, fields, submitLabel, submit) {
  return new Promise((resolve) => {
    const error = el('div', { class: 'dialog-error', id: id + '-error' });
    const button = el('button', { type: 'submit', id: id + '-submit' }, submitLabel);
    const form = el('form', { class: 'dialog-form' }, el('h2', {}, title), fields, error,
      el('div', { class: 'buttons' }, button,
        el('button', { type: 'button', id: id + '-cancel', onclick: () => dialog.close() }, 'Cancel')));
    const dialog = el('dialog', { id, class: 'dialog' }, form);
    let result = null;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      try {
        result = await submit(form);
        dialog.close();
      } catch (e) {
        replace(error, notice('error', e.message));
      } finally {
        button.disabled = false;
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    form.querySelector('select, input')?.focus();
  });
}

/** Resolve with a resolution and a note (Enter submits, Esc cancels). */
export function resolveDialog(alert) {
  const select = el('select', { name: 'resolution', id: 'resolve-resolution' },
    RESOLUTIONS.map((r) => el('option', { value: r }, r.replace('_', ' '))));
  const note = el('input', { type: 'text', name: 'note', id: 'resolve-note', maxlength: 2000, size: 50,
    placeholder: 'note (required for "other")' });
  return formDialog('resolve-dialog', 'Resolve alert', [
    el('p', { class: 'muted' }, alert.rule, ' on ', el('code', {}, alert.keyId)),
    el('label', { for: 'resolve-resolution' }, 'Resolution'), select,
    el('label', { for: 'resolve-note' }, 'Note'), note,
  ], 'Resolve', () => api.resolve(alert.id, select.value, note.value.trim() || undefined));
}

/** Silence the alert's key and/or rule until a time (a rule-wide silence is admin work: offered to admins only). */
export function silenceDialog(alert, me) {
  const byKey = el('input', { type: 'checkbox', id: 'silence-key', checked: true });
  const byRule = el('input', { type: 'checkbox', id: 'silence-rule', checked: true });
  const until = el('select', { id: 'silence-until' },
    SILENCE_FOR.map(([label, hours]) => el('option', { value: hours }, label)));
  const comment = el('input', { type: 'text', id: 'silence-comment', maxlength: 1000, size: 50,
    placeholder: 'why (e.g. load test until tomorrow)' });
  if (!may(me, 'silenceRule')) {
    // without the key, a silence covers the rule for every key: only admins may
    byKey.disabled = true;
  }
  return formDialog('silence-dialog', 'Silence', [
    el('label', { class: 'check' }, byKey, ' key ', el('code', {}, alert.keyId)),
    el('label', { class: 'check' }, byRule, ' rule ', el('code', {}, alert.rule)),
    el('label', { for: 'silence-until' }, 'For'), until,
    el('label', { for: 'silence-comment' }, 'Comment'), comment,
  ], 'Silence', async () => {
    const body = {};
    if (byKey.checked) body.keyId = alert.keyId;
    if (byRule.checked) body.rule = alert.rule;
    if (!body.keyId && !body.rule) throw new Error('choose the key, the rule or both');
    body.expiresAt = new Date(Date.now() + Number(until.value) * 3600_000).toISOString();
    if (comment.value.trim()) body.comment = comment.value.trim();
    await api.silence(body);
    return api.alert(alert.id);
  });
}
