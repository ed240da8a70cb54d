/**
 * The emails of the complaint journey: pure functions from data to {subject, html, text}.
 * No AWS here; functions/adapters/ses-notifier.ts gathers the data and sends the result.
 *
 * Every value is plain text; the layout escapes all of it for the HTML part.
 */
import type { Language } from '../model.js';
import { type RenderedEmail, renderEmail } from './layout.js';
import { type RenderOptions, TEMPLATES, type TemplateData, type TemplateId } from './templates.js';

export { escapeHtml } from './escape.js';
export { DISPLAY_TIME_ZONE, formatDateTime } from './format.js';
export type { RenderedEmail } from './layout.js';
export {
  CUSTOMER_TEMPLATES,
  type CustomerEmailBase,
  type CustomerTemplateId,
  isCustomerTemplate,
  type RenderOptions,
  STAFF_TEMPLATES,
  type StaffEmailBase,
  type StaffTemplateId,
  TEMPLATE_IDS,
  type TemplateData,
  type TemplateId,
} from './templates.js';

/** Renders one email in one language (`zh-CN` when the language is unknown). */
export function render<T extends TemplateId>(
  template: T,
  data: TemplateData[T],
  language: Language = 'zh-CN',
  options: RenderOptions = {},
): RenderedEmail {
  const templates = TEMPLATES[language] ?? TEMPLATES['zh-CN'];
  const build = templates[template] as (
    data: TemplateData[T],
    options: RenderOptions,
  ) => Parameters<typeof renderEmail>[0];
  if (!build) throw new Error(`unknown email template: ${String(template)}`);
  return renderEmail(build(data, options), options.branding);
}
