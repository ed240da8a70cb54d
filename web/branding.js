/**
 * The operator's branding on the pages (config/branding.json, delivered in web/config.js as
 * `config.branding`): company name, logo, colours, and a footer with the hotline, address and
 * privacy notice. Without branding the pages keep their neutral look.
 */
import { config } from './config.js';
import { h } from './dom.js';
import { language, t } from './i18n.js';

export const branding = () => config.branding ?? undefined;

/** The privacy notice's address, or nothing when none is configured. */
export const privacyNoticeUrl = () => branding()?.privacyNoticeUrl || undefined;

function render() {
  const b = branding();
  if (!b) return;
  const lang = language();
  const name = b.companyName?.[lang] ?? b.companyName?.['zh-CN'];
  for (const el of document.querySelectorAll('.topbar .brand')) {
    if (!el.dataset.page) el.dataset.page = el.textContent;
    el.textContent = name ? `${name} · ${t(el.dataset.i18n ?? 'app.name')}` : el.textContent;
    if (b.logoUrl) el.classList.add('has-logo');
  }
  let footer = document.querySelector('footer.site-footer');
  if (!footer) {
    footer = h('footer', { class: 'site-footer' });
    document.body.append(footer);
  }
  footer.replaceChildren(
    h('p', { text: name }),
    b.hotline
      ? h(
          'p',
          {},
          `${t('brand.hotline')}: `,
          h('a', { href: `tel:${b.hotline.replace(/[^0-9+]/g, '')}`, text: b.hotline }),
        )
      : null,
    b.address?.[lang] ? h('p', { text: `${t('brand.address')}: ${b.address[lang]}` }) : null,
    b.privacyNoticeUrl ? h('p', {}, h('a', { href: b.privacyNoticeUrl, text: t('brand.privacy') })) : null,
  );
  for (const link of document.querySelectorAll('a[data-privacy-link]')) link.href = b.privacyNoticeUrl;
}

export function mountBranding() {
  const b = branding();
  if (b?.colors) {
    const root = document.documentElement.style;
    root.setProperty('--brand', b.colors.brand);
    root.setProperty('--brand-ink', b.colors.brandInk);
  }
  if (b?.logoUrl) document.documentElement.style.setProperty('--logo', `url("${encodeURI(b.logoUrl)}")`);
  render();
  document.addEventListener('languagechange', render);
}
