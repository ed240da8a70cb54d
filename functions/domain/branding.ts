/**
 * The operator's branding (config/branding.json): company name, logo, colours, hotline,
 * address and the privacy notice's address, validated once. The pages get it through
 * web/config.js (local/branding.ts); the emails through the notifier (`emailBranding`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { Language } from './vocabulary.js';

/** The branding file's schema, built on its first parse (a `z.lazy`), not when a bundle loads. */
function buildBrandingSchema() {
  const text = z.string().trim().min(1).max(200);
  const localized = z.object({ 'zh-CN': text, en: text }).strict();
  const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #0b5cad');
  /** a page-relative path (privacy.html) or an https address; never javascript: or data: */
  const link = z
    .string()
    .trim()
    .max(2048)
    .refine((v) => v === '' || /^https:\/\/[^\s]+$/.test(v) || /^[A-Za-z0-9._\-/]+$/.test(v), {
      message: 'an https:// address or a path relative to the pages',
    });

  return z
    .object({
      companyName: localized,
      logoUrl: link.default(''),
      colors: z.object({ brand: color, brandInk: color }).strict(),
      hotline: z
        .string()
        .trim()
        .max(40)
        .regex(/^[0-9+() -]*$/, 'digits, spaces, + ( ) -'),
      address: localized,
      privacyNoticeUrl: link.refine(
        (v) => v !== '',
        'required: the pages show it before taking personal data',
      ),
    })
    .strict();
}

export const brandingSchema = z.lazy(buildBrandingSchema);

export type Branding = z.output<typeof brandingSchema>;

/** Reads and validates config/branding.json (or `file`); a clear error naming each bad field. */
export function loadBranding(rootDir: string, file = join(rootDir, 'config', 'branding.json')): Branding {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const result = brandingSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new Error(`${file} is not valid branding:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** The branding as the emails use it: every link absolute (an email has no page to be relative to). */
export interface EmailBranding {
  companyName: Record<Language, string>;
  /** absolute https address, or absent */
  logoUrl?: string;
  colors: { brand: string; brandInk: string };
  hotline?: string;
  address: Record<Language, string>;
  /** absolute address of the privacy notice */
  privacyNoticeUrl: string;
}

/** `branding` for the emails: page-relative links resolved against the pages' base URL. */
export function emailBranding(branding: Branding, pagesBaseUrl: string): EmailBranding {
  const absolute = (link: string) =>
    /^https?:\/\//i.test(link) ? link : `${pagesBaseUrl.replace(/\/+$/, '')}/${link.replace(/^\/+/, '')}`;
  return {
    companyName: branding.companyName,
    ...(branding.logoUrl ? { logoUrl: absolute(branding.logoUrl) } : {}),
    colors: branding.colors,
    ...(branding.hotline ? { hotline: branding.hotline } : {}),
    address: branding.address,
    privacyNoticeUrl: absolute(branding.privacyNoticeUrl),
  };
}
