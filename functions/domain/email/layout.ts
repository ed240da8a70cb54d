import type { Language } from '../model.js';
import { escapeHtml, oneLine } from './escape.js';

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

export function renderHtml(email: EmailContent): string {
  const parts: string[] = [
    `<h1 style="margin:0 0 20px;font-size:20px;line-height:1.4;color:${INK};">${escapeHtml(email.heading)}</h1>`,
    `<p style="margin:0 0 16px;">${escapeHtml(email.greeting)}</p>`,
    ...email.blocks.map(blockHtml),
  ];
  if (email.action) {
    assertHttpUrl(email.action.url);
    const href = escapeHtml(email.action.url);
    parts.push(
      `<p style="margin:24px 0 8px;"><a href="${href}" style="display:inline-block;padding:12px 24px;background:${ACCENT};color:#ffffff;font-weight:600;text-decoration:none;border-radius:4px;">${escapeHtml(email.action.label)}</a></p>`,
      `<p style="margin:0 0 20px;font-size:13px;color:${MUTED};">${escapeHtml(email.action.fallback)}<br>\n<a href="${href}" style="color:${ACCENT};word-break:break-all;">${href}</a></p>`,
    );
  }
  parts.push(`<p style="margin:24px 0 0;">${email.closing.map(escapeHtml).join('<br>\n')}</p>`);
  const footer = email.footer.map((line) => `<p style="margin:0 0 6px;">${escapeHtml(line)}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${email.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(oneLine(email.subject))}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid ${RULE};border-radius:6px;">
<tr><td style="padding:28px 32px;font-family:${FONT};font-size:16px;line-height:1.7;color:${INK};">
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

export function renderText(email: EmailContent): string {
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
  sections.push(`--\n${email.footer.join('\n')}`);
  return `${sections.join('\n\n')}\n`;
}

export function renderEmail(email: EmailContent): RenderedEmail {
  return { subject: oneLine(email.subject), html: renderHtml(email), text: renderText(email) };
}
