import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../functions/domain/steps/index.js';
import { ROLES, STAGES } from '../../functions/domain/vocabulary.js';
import { CATALOGUE_FILE, generateCatalogue } from '../../scripts/generate-catalogue.js';

describe('web/generated/catalogue.js', () => {
  it('is what npm run generate writes from the step catalogue and config/ (run it after a change)', () => {
    expect(readFileSync(CATALOGUE_FILE, 'utf8')).toBe(generateCatalogue());
  });

  it('gives the pages every step with its action, roles, fields and labels, and the lists they use', async () => {
    const generated = await import(pathToFileURL(CATALOGUE_FILE).href);
    expect(generated.STAGES).toEqual(STAGES);
    expect(generated.ROLES).toEqual(ROLES);
    expect(generated.DEPARTMENTS.map((d: { id: string }) => d.id)).toContain('after-sales');
    expect(generated.STEPS.map((s: { step: string }) => s.step)).toEqual(CATALOGUE.map((d) => d.step));
    const review = generated.STEPS.find((s: { step: string }) => s.step === 'review');
    expect(review).toMatchObject({
      stage: 'review',
      action: 'review',
      roles: ['supervisor', 'manager'],
      ownDepartment: false,
      customerActs: false,
      fields: [
        { name: 'approved', kind: 'boolean', required: true },
        { name: 'comment', kind: 'text', required: false, maxLength: 2000 },
      ],
      label: { 'zh-CN': '主管审核', en: 'Supervisor review' },
    });
    const customerActs = generated.STEPS.filter((s: { customerActs: boolean }) => s.customerActs);
    expect(customerActs.map((s: { step: string }) => s.step)).toEqual(['customer_decision', 'follow_up']);
  });
});
