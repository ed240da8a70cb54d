/**
 * Every email carries the operator's branding (config/branding.json) in its HTML and text
 * parts, and a hidden preview text (preheader) in its language; branding and customer text
 * are escaped, lone surrogates included.
 */
import { describe, expect, it } from 'vitest';
import { type Branding, emailBranding, loadBranding } from '../../../../functions/domain/branding.js';
import { render } from '../../../../functions/domain/email/index.js';
import type { Language } from '../../../../functions/domain/model.js';

const ID = 'C2610-7K4Q-9XW2';
const STATUS_URL = `https://complaints.example.com/status.html?id=${ID}#token=tok`;
const shipped = loadBranding(process.cwd());

const acknowledgement = (name: string, subject: string) =>
  ({
    reference: ID,
    customerName: name,
    complaintSubject: subject,
    receivedAt: '2026-10-09T02:15:00Z',
    statusUrl: STATUS_URL,
    description: `${name} wrote: ${subject}`,
    replyDueBy: '2026-10-16T10:00:00Z',
  }) as never;

const PREHEADER = /<div style="display:none;[^"]*">([^<]*)<\/div>/;

describe.each(['zh-CN', 'en'] as Language[])('branding in every email (%s)', (language) => {
  const branding = emailBranding({ ...shipped, logoUrl: 'logo.png' }, 'https://complaints.example.com');

  it('shows the company name, logo, colours, hotline, address and privacy notice in HTML and text', () => {
    for (const [template, data] of [
      ['acknowledgement', acknowledgement('Li Na', 'Late delivery')],
      [
        'escalation',
        {
          reference: ID,
          consoleUrl: `https://staff.example.com/console.html#${ID}`,
          step: 'review',
          level: 1,
          dueAt: '2026-10-13T10:00:00Z',
          reason: 'timeout',
        },
      ],
    ] as const) {
      const email = render(template, data as never, language, { branding });
      expect(email.html).toContain(shipped.companyName[language]);
      expect(email.html).toContain('src="https://complaints.example.com/logo.png"');
      expect(email.html).toContain(shipped.colors.brand);
      expect(email.html).toContain(shipped.hotline);
      expect(email.html).toContain(shipped.address[language]);
      expect(email.html).toContain('href="https://complaints.example.com/privacy.html"');
      expect(email.text).toContain(shipped.companyName[language]);
      expect(email.text).toContain(shipped.hotline);
      expect(email.text).toContain(shipped.address[language]);
      expect(email.text).toContain('https://complaints.example.com/privacy.html');
      // the hidden preview text, in the email's language, before the visible content
      const preheader = PREHEADER.exec(email.html)?.[1] ?? '';
      expect(preheader.length).toBeGreaterThan(10);
      expect(email.html.indexOf(preheader)).toBeLessThan(email.html.indexOf('<h1'));
      if (language === 'zh-CN') expect(preheader).toMatch(/[\u4e00-\u9fff]/);
      else expect(preheader).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('escapes HTML and lone surrogates in branding and customer text', () => {
    const hostile: Branding = {
      ...shipped,
      companyName: { 'zh-CN': '<b>坏</b>公司 "x"\ud800', en: '<b>Bad</b> & Co "x"\ud800' },
      address: { 'zh-CN': '<script>alert(1)</script>路', en: '<script>alert(1)</script> Road' },
    };
    const email = render(
      'acknowledgement',
      acknowledgement('Eve <img src=x onerror=alert(1)>\udc00', 'x\ud800y'),
      language,
      {
        branding: emailBranding(hostile, 'https://complaints.example.com'),
      },
    );
    for (const part of [email.subject, email.html, email.text]) {
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(part)).toBe(false);
      expect(() => encodeURIComponent(part)).not.toThrow();
    }
    expect(email.html).not.toContain('<b>');
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img src=x');
    expect(email.html).toContain('&lt;b&gt;');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('\ufffd');
  });
});
