/**
 * The lookup of the pages' texts: one catalogue per language (web/i18n/<language>.js), the
 * names of departments and steps from web/generated/catalogue.js, dates in the reader's time.
 * Elements with `data-i18n="key"` get their text, `data-i18n-placeholder` /
 * `data-i18n-aria-label` their attribute.
 */
import { config } from './config.js';
import { DEPARTMENTS, LANGUAGES, STEPS } from './generated/catalogue.js';
import en from './i18n/en.js';
import zh from './i18n/zh-CN.js';

const DICTIONARIES = { 'zh-CN': zh, en };
const STORAGE_KEY = 'complaints.language';
/** the zone of the business calendar: working-day deadlines are days there */
export const BUSINESS_ZONE = 'Asia/Shanghai';

const known = (lang) => LANGUAGES.includes(lang);
let fallbackLanguage;

/**
 * The page's language: `?lang=` in the address, else the visitor's stored choice, else a
 * fallback the page set (the status page: the complaint's language), else the browser's,
 * else the configured default.
 */
export function language() {
  const chosen = new URLSearchParams(location.search).get('lang') ?? storedLanguage();
  if (known(chosen)) return chosen;
  if (known(fallbackLanguage)) return fallbackLanguage;
  return browserLanguage() ?? (known(config.defaultLanguage) ? config.defaultLanguage : 'zh-CN');
}

/** The first of the browser's languages the pages have (zh-* → zh-CN, en-* → en). */
export function browserLanguage() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return undefined;
}

/** Used when neither the address nor a stored choice names a language. */
export function setFallbackLanguage(lang) {
  if (!known(lang) || lang === fallbackLanguage) return;
  const before = language();
  fallbackLanguage = lang;
  if (language() !== before) {
    applyTexts();
    document.dispatchEvent(new CustomEvent('languagechange', { detail: lang }));
  }
}

/** the stored choice; storage can be blocked (site data off): then none */
function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setLanguage(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage blocked: the choice lasts as long as the address carries it
  }
  // A ?lang= in the address wins over the stored choice: change it too, or the switch would
  // do nothing on a page opened with one (and a reload would go back).
  const url = new URL(location.href);
  if (url.searchParams.has('lang') || storedLanguage() !== lang) {
    url.searchParams.set('lang', lang);
    history.replaceState(history.state, '', url);
  }
  applyTexts();
  document.dispatchEvent(new CustomEvent('languagechange', { detail: lang }));
}

/** The text for `key` with `{name}` placeholders filled, or the last part of the key. */
export function t(key, values) {
  const text = DICTIONARIES[language()][key] ?? zh[key] ?? key.split('.').pop();
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}

/** Whether the language has a text for `key`. */
export function has(key) {
  return DICTIONARIES[language()][key] !== undefined;
}

/** Label of a vocabulary value, e.g. label('stage', 'review'); departments and steps from the catalogue. */
export function label(kind, value) {
  if (value === undefined || value === null || value === '') return t('common.none');
  const lang = language();
  if (kind === 'dept') {
    const department = DEPARTMENTS.find((d) => d.id === value);
    if (department) return department.name[lang] ?? department.name['zh-CN'] ?? value;
  }
  if (kind === 'step') {
    const step = STEPS.find((s) => s.step === value);
    if (step) return step.label[lang] ?? step.label['zh-CN'] ?? value;
  }
  return DICTIONARIES[lang][`${kind}.${value}`] ?? String(value);
}

export function applyTexts(root = document) {
  document.documentElement.lang = language();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}

/** Wires a language switch button: it shows the other language's name. */
export function mountLanguageSwitch(button) {
  const render = () => {
    button.textContent = t('lang.switch');
    button.setAttribute('aria-label', t('lang.switchLabel'));
    button.lang = language() === 'en' ? 'zh-CN' : 'en';
  };
  button.addEventListener('click', () => setLanguage(language() === 'en' ? 'zh-CN' : 'en'));
  document.addEventListener('languagechange', render);
  render();
}

/** The reader's time zone (the browser's). */
export function readerZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function offsetOf(zone, date) {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** The name of `zone` in the page language, e.g. "中国标准时间" / "China Standard Time". */
function zoneName(zone, date) {
  const part = new Intl.DateTimeFormat(language(), { timeZone: zone, timeZoneName: 'long' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** true when `zone` shows the same clock time as the reader's zone at `date` */
function sameAsReader(zone, date) {
  return offsetOf(zone, date) === offsetOf(readerZone(), date);
}

/**
 * A date and time in the reader's own zone (so no zone is written), or in `zone` with the
 * zone's name after it when that is not the reader's.
 */
export function formatDateTime(iso, { zone } = {}) {
  if (!iso) return t('common.none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const shown = zone && !sameAsReader(zone, date) ? zone : undefined;
  const text = new Intl.DateTimeFormat(language(), {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(shown ? { timeZone: shown } : {}),
  }).format(date);
  return shown ? `${text} (${zoneName(shown, date)})` : text;
}

/**
 * A working-day deadline's date: the day in the business calendar's zone, with that zone's
 * name after it when the reader is elsewhere.
 */
export function formatDate(iso) {
  if (!iso) return t('common.none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const text = new Intl.DateTimeFormat(language(), { dateStyle: 'long', timeZone: BUSINESS_ZONE }).format(
    date,
  );
  return sameAsReader(BUSINESS_ZONE, date) ? text : `${text} (${zoneName(BUSINESS_ZONE, date)})`;
}

/**
 * A field error of the API (`{path, code, message}`) in the page language, by code:
 * `error.<scope>.<field>.<code>`, `error.<field>.<code>`, `error.<field>`, `error.<code>`
 * (`field` is the last part of the path; `scope` the form, e.g. the action). `values` fill
 * placeholders such as `{max}`.
 */
export function fieldErrorText(detail, { scope, values } = {}) {
  const path = String(detail?.path ?? '');
  const field = path.split('.').pop();
  const code = detail?.code ?? 'invalid_value';
  const keys = [
    scope ? `error.${scope}.${path}.${code}` : undefined,
    `error.${path}.${code}`,
    `error.${field}.${code}`,
    `error.${path}`,
    `error.${field}`,
    `error.${code}`,
  ].filter(Boolean);
  const key = keys.find(has);
  if (!key) return detail?.message ?? t('error.invalid_value');
  if (code === 'too_big' && key === 'error.too_big' && !values?.max) return t('error.too_big.any');
  return t(key, values);
}
