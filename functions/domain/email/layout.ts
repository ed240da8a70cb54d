import type { EmailBranding } from '../branding.js';
import type { Language } from '../model.js';
import { escapeHtml, oneLine, wellFormed } from './escape.js';

/**
 * An email as a few kinds of blocks. Every string in here is plain text, never markup:
 * the layout escapes all of it for the HTML part, so a template cannot forget to escape a
 * user-supplied value.
 */
export type Block =
  /** a paragraph of running text */
  | { kind: 'paragraph'; text: string }
  /** label/value pairs: reference, dates, levels */
  | { kind: 'facts'; rows: { label: string; value: string }[] }
  /** a longer text, usually written by someone (the customer, an agent, a department); line breaks are kept */
  | { kind: 'quote'; label: string; text: string }
  /** a numbered list under a title */
  | { kind: 'steps'; title: string; items: string[] }
  /** small print */
  | { kind: 'note'; text: string };

export interface EmailContent {
  language: Language;
  subject: string;
  heading: string;
  greeting: string;
  blocks: Block[];
  action?: { label: string; url: string; fallback: string };
  closing: string[];
  footer: string[];
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const FONT =
  "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',Arial,Helvetica,sans-serif";
const INK = '#1f2328';
const MUTED = '#57606a';
const ACCENT = '#0b57d0';
const RULE = '#d0d7de';

function assertHttpUrl(url: string): void {
  if (!/^https?:\/\//i.test(url)) throw new Error('email links must be http(s) URLs');
}

/** Escapes a multi-line text and keeps its line breaks (email clients ignore white-space: pre-wrap). */
function multiline(text: string): string {
  return escapeHtml(text.replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>\n');
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;">${multiline(block.text)}</p>`;
    case 'note':
      return `<p style="margin:0 0 16px;font-size:14px;color:${MUTED};">${multiline(block.text)}</p>`;
    case 'facts': {
      const rows = block.rows
        .map(
          (row) =>
            `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:6px 16px 6px 0;font-weight:600;color:${MUTED};white-space:nowrap;">${escapeHtml(row.label)}</th>` +
            `<td style="vertical-align:top;padding:6px 0;color:${INK};">${multiline(row.value)}</td></tr>`,
        )
        .join('\n');
      return `<table style="border-collapse:collapse;margin:0 0 20px;font-size:15px;">\n${rows}\n</table>`;
    }
    case 'quote':
      return (
        `<p style="margin:0 0 6px;font-weight:600;">${escapeHtml(block.label)}</p>\n` +
        `<div style="margin:0 0 20px;padding:12px 16px;background:#f6f8fa;border-left:4px solid ${ACCENT};">${multiline(block.text)}</div>`
      );
    case 'steps': {
      const items = block.items
        .map((item) => `<li style="margin:0 0 6px;">${multiline(item)}</li>`)
        .join('\n');
      return `<p style="margin:0 0 6px;font-weight:600;">${escapeHtml(block.title)}</p>\n<ol style="margin:0 0 20px;padding-left:24px;">\n${items}\n</ol>`;
    }
  }
}

/** Room for the preview text most inboxes show after the subject. */
const PREHEADER_LENGTH = 140;

/**
 * The hidden preview text (preheader): the heading and the first paragraph, in the email's
 * language, on one line and cut at PREHEADER_LENGTH characters (never inside a surrogate pair).
 */
export function preheaderOf(email: EmailContent): string {
  const first = email.blocks.find((b) => b.kind === 'paragraph');
  const separator = email.language === 'zh-CN' ? '：' : ': ';
  const full = oneLine(`${email.heading}${first ? `${separator}${first.text}` : ''}`);
  const chars = Array.from(full);
  return chars.length <= PREHEADER_LENGTH ? full : `${chars.slice(0, PREHEADER_LENGTH - 1).join('')}…`;
}

const LABELS: Record<Language, { hotline: string; address: string; privacy: string }> = {
  'zh-CN': { hotline: '客服热线', address: '地址', privacy: '隐私政策' },
  en: { hotline: 'Hotline', address: 'Address', privacy: 'Privacy notice' },
};

/** The branding's footer lines (company, hotline, address, privacy notice) in the email's language. */
function brandLines(
  branding: EmailBranding,
  language: Language,
): { company: string; hotline?: string; address: string; privacy: string } {
  const labels = LABELS[language] ?? LABELS['zh-CN'];
  const colon = language === 'zh-CN' ? '：' : ': ';
  return {
    company: branding.companyName[language] ?? branding.companyName['zh-CN'],
    ...(branding.hotline ? { hotline: `${labels.hotline}${colon}${branding.hotline}` } : {}),
    address: `${labels.address}${colon}${branding.address[language] ?? branding.address['zh-CN']}`,
    privacy: labels.privacy,
  };
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function renderHtml(email: EmailContent, branding?: EmailBranding): string {
  const accent = branding && HEX_COLOR.test(branding.colors.brand) ? branding.colors.brand : ACCENT;
  const accentInk =
    branding && HEX_COLOR.test(branding.colors.brandInk) ? branding.colors.brandInk : '#ffffff';
  const parts: string[] = [
    `<h1 style="margin:0 0 20px;font-size:20px;line-height:1.4;color:${INK};">${escapeHtml(email.heading)}</h1>`,
    `<p style="margin:0 0 16px;">${escapeHtml(email.greeting)}</p>`,
    ...email.blocks.map(blockHtml),
  ];
  if (email.action) {
    assertHttpUrl(email.action.url);
    const href = escapeHtml(email.action.url);
    parts.push(
      `<p style="margin:24px 0 8px;"><a href="${href}" style="display:inline-block;padding:12px 24px;background:${accent};color:${accentInk};font-weight:600;text-decoration:none;border-radius:4px;">${escapeHtml(email.action.label)}</a></p>`,
      `<p style="margin:0 0 20px;font-size:13px;color:${MUTED};">${escapeHtml(email.action.fallback)}<br>\n<a href="${href}" style="color:${accent};word-break:break-all;">${href}</a></p>`,
    );
  }
  parts.push(`<p style="margin:24px 0 0;">${email.closing.map(escapeHtml).join('<br>\n')}</p>`);
  const footerLines = email.footer.map((line) => `<p style="margin:0 0 6px;">${escapeHtml(line)}</p>`);
  let header = '';
  if (branding) {
    const b = brandLines(branding, email.language);
    if (branding.logoUrl) assertHttpUrl(branding.logoUrl);
    assertHttpUrl(branding.privacyNoticeUrl);
    const logo = branding.logoUrl
      ? `<img src="${escapeHtml(branding.logoUrl)}" alt="${escapeHtml(b.company)}" height="32" style="display:block;height:32px;border:0;margin:0 0 8px;">`
      : '';
    header = `<tr><td style="padding:16px 32px;background:${accent};color:${accentInk};font-family:${FONT};font-size:18px;font-weight:600;border-radius:6px 6px 0 0;">${logo}${escapeHtml(b.company)}</td></tr>\n`;
    footerLines.push(
      `<p style="margin:12px 0 6px;font-weight:600;">${escapeHtml(b.company)}</p>`,
      ...(b.hotline ? [`<p style="margin:0 0 6px;">${escapeHtml(b.hotline)}</p>`] : []),
      `<p style="margin:0 0 6px;">${escapeHtml(b.address)}</p>`,
      `<p style="margin:0 0 6px;"><a href="${escapeHtml(branding.privacyNoticeUrl)}" style="color:${accent};">${escapeHtml(b.privacy)}</a></p>`,
    );
  }
  const footer = footerLines.join('\n');
  // hidden preview text: shown by inboxes after the subject, never in the opened message
  const preheader = `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:#f4f5f7;opacity:0;">${escapeHtml(preheaderOf(email))}</div>`;
  return `<!DOCTYPE html>
<html lang="${email.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(oneLine(email.subject))}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;">
${preheader}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid ${RULE};border-radius:6px;">
${header}<tr><td style="padding:28px 32px;font-family:${FONT};font-size:16px;line-height:1.7;color:${INK};">
${parts.join('\n')}
</td></tr>
<tr><td style="padding:16px 32px 20px;border-top:1px solid ${RULE};font-family:${FONT};font-size:12px;line-height:1.6;color:${MUTED};">
${footer}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

export function renderText(email: EmailContent, branding?: EmailBranding): string {
  const colon = email.language === 'zh-CN' ? '：' : ': ';
  const colonEol = colon.trimEnd();
  const normalize = (text: string) => text.replace(/\r\n?/g, '\n');
  const sections: string[] = [email.heading, email.greeting];
  for (const block of email.blocks) {
    switch (block.kind) {
      case 'paragraph':
      case 'note':
        sections.push(normalize(block.text));
        break;
      case 'facts':
        sections.push(block.rows.map((row) => `${row.label}${colon}${oneLine(row.value)}`).join('\n'));
        break;
      case 'quote':
        sections.push(
          `${block.label}${colonEol}\n${normalize(block.text)
            .split('\n')
            .map((line) => `    ${line}`)
            .join('\n')}`,
        );
        break;
      case 'steps':
        sections.push(
          `${block.title}\n${block.items.map((item, i) => `${i + 1}. ${normalize(item)}`).join('\n')}`,
        );
        break;
    }
  }
  if (email.action) {
    assertHttpUrl(email.action.url);
    sections.push(`${email.action.label}${colonEol}\n${email.action.url}`);
  }
  sections.push(email.closing.join('\n'));
  const footer = [...email.footer];
  if (branding) {
    const b = brandLines(branding, email.language);
    footer.push(
      '',
      b.company,
      ...(b.hotline ? [b.hotline] : []),
      b.address,
      `${b.privacy}${colon}${branding.privacyNoticeUrl}`,
    );
  }
  sections.push(`--\n${footer.join('\n')}`);
  return `${sections.join('\n\n')}\n`;
}

export function renderEmail(email: EmailContent, branding?: EmailBranding): RenderedEmail {
  return {
    subject: wellFormed(oneLine(email.subject)),
    html: wellFormed(renderHtml(email, branding)),
    text: wellFormed(renderText(email, branding)),
  };
}
