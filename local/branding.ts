/**
 * The operator's branding (config/branding.json): company name, logo, colours, hotline,
 * address and the privacy notice's address, validated once. The pages get it through
 * web/config.js (`config.branding`): `configJs()` writes that file's text with the branding
 * filled in — the local gateway serves it; a deployment writes the same at deploy.
 */
import { type Branding, brandingSchema, loadBranding } from '../functions/domain/branding.js';

export { type Branding, brandingSchema, loadBranding };

/** web/config.js's text with `branding` set from the validated branding. */
export function configJs(webConfigSource: string, branding: Branding): string {
  return `${webConfigSource.trimEnd()}\n\n// filled in from config/branding.json\nconfig.branding = ${JSON.stringify(branding, null, 2)};\n`;
}
