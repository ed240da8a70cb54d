/** What the console shows for a failed call: the API's own words, except where it has none for people. */
import { ApiError } from '../api.js';
import { language, t } from '../i18n.js';

/** A 409 as the API words it (which step, what stage), after a line in the page language. */
function conflictText(error) {
  if (language() === 'en' || !error.message) return error.message || t('common.conflict');
  const kind = t(`conflict.${error.code}`);
  const lead = kind === error.code ? t('common.conflict') : kind;
  return `${lead}（${error.message}）`;
}

export function errorText(error) {
  if (!(error instanceof ApiError)) return t('common.serverError');
  if (error.status === 0) return t('common.networkError');
  if (error.status === 409) return conflictText(error);
  if (error.status === 429) return t('common.tooMany');
  if (error.status >= 500) return t('common.serverError');
  return error.message;
}
