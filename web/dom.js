/** The one small DOM helper of the pages (no framework, no bundler). */
import { fieldErrorText, t } from './i18n.js';

export const byId = (id) => document.getElementById(id);

/** Builds an element: h('p', {class: 'x'}, 'text', child); `on<event>` attributes add listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false || value === null) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Removes the field errors a form shows. */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
}

/**
 * Shows the API's field errors (`{path, code, message}`) under their fields, worded by code in
 * the page language (`scope`: the form's action, for texts that depend on it); the rest in
 * `message`. Focus goes to the first bad field.
 */
export function showFieldErrors(form, details, message, { scope } = {}) {
  const unplaced = [];
  let first;
  for (const d of details) {
    const path = String(d.path ?? '');
    const control = form.elements[path];
    const box =
      form.querySelector(`#${CSS.escape(control?.id ?? `${path}-group`)}-error`) ??
      form.querySelector(`#${CSS.escape(`${path}-group`)}-error`);
    const single = control instanceof RadioNodeList ? control[0] : control;
    const max = single?.getAttribute?.('maxlength');
    const text = fieldErrorText(d, {
      scope,
      values: max ? { max: Number(max).toLocaleString() } : undefined,
    });
    if (!box) {
      unplaced.push(text);
      continue;
    }
    box.textContent = text;
    single?.setAttribute?.('aria-invalid', 'true');
    first ??= single;
  }
  message.className = 'notice error';
  message.textContent = [t('common.fixErrors'), ...unplaced].join(' ');
  (first ?? message).focus?.();
}
