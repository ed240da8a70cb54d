/** The improvement actions' emails in zh-CN and en: subject, facts, link, escaping. */
import { describe, expect, it } from 'vitest';
import {
  IMPROVEMENT_EMAILS,
  type ImprovementEmailData,
  renderImprovementEmail,
} from '../../../../functions/domain/email/improvements.js';

const data: ImprovementEmailData = {
  id: 'I2611-7K4Q-9XW2',
  title: '快递外包装加固 <b>&',
  departmentName: '物流部',
  dueAt: '2026-11-05T18:00:00+08:00',
  level: 2,
  consoleUrl: 'https://complaints.example.com/console.html',
};

describe('improvement action emails', () => {
  it.each(IMPROVEMENT_EMAILS)(
    '%s in both languages names the action, its deadline and links to the console',
    (kind) => {
      for (const lang of ['zh-CN', 'en'] as const) {
        const email = renderImprovementEmail(kind, data, lang);
        expect(email.subject).toContain('I2611-7K4Q-9XW2');
        expect(email.text).toContain('快递外包装加固 <b>&');
        expect(email.text).toContain('https://complaints.example.com/console.html');
        expect(email.text).toContain(lang === 'zh-CN' ? '2026年11月5日 18:00' : '5 Nov 2026');
        // the title is escaped in the HTML part
        expect(email.html).toContain('快递外包装加固 &lt;b&gt;&amp;');
        expect(email.html).not.toContain('<b>&');
        expect(email.html).toContain(`lang="${lang}"`);
      }
    },
  );

  it('says the escalation level, in each language', () => {
    expect(renderImprovementEmail('improvement_escalation', data, 'zh-CN').subject).toBe(
      '【改进措施升级 2 级】I2611-7K4Q-9XW2：快递外包装加固 <b>& 已逾期',
    );
    expect(renderImprovementEmail('improvement_escalation', data, 'en').subject).toBe(
      '[Improvement action escalation level 2] I2611-7K4Q-9XW2: 快递外包装加固 <b>& overdue',
    );
    expect(renderImprovementEmail('improvement_done', data, 'en').text).toMatch(/review its effect/);
  });
});
