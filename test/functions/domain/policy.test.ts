import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../../functions/domain/calendar/index.js';
import { STEPS } from '../../../functions/domain/model.js';
import {
  configuredPolicy,
  DEFAULT_POLICY,
  deadlineFor,
  escalationTarget,
  isSatisfied,
  journeyDeadlines,
  loadPolicy,
  type Policy,
  PolicyConfigError,
  parsePolicy,
  planStep,
  promisedReply,
  repeatsNeedManager,
  setPolicy,
  workingDaysFor,
} from '../../../functions/domain/policy.js';

const REPO_CONFIG = path.resolve(__dirname, '../../../config');
const cn = defaultCalendar();
// biome-ignore lint/suspicious/noExplicitAny: the tests break the policy JSON on purpose
type Json = Record<string, any>;
const clone = (): Policy => JSON.parse(JSON.stringify(DEFAULT_POLICY));

function dirWith(policy: string | undefined): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
  if (policy !== undefined) writeFileSync(path.join(dir, 'policy.json'), policy);
  return dir;
}

afterEach(() => setPolicy(undefined));

describe('the default policy (SPEC journey table)', () => {
  it('is what config/policy.json says', () => {
    expect(loadPolicy(REPO_CONFIG)).toEqual(DEFAULT_POLICY);
  });

  it.each([
    ['investigation', {}, 1],
    ['proposal', {}, 3],
    ['review', {}, 1],
    ['customer_decision', {}, 5],
    ['customer_decision', { reminder: true }, 5],
    ['implementation', { severity: 'minor' }, 3],
    ['implementation', { severity: 'general' }, 5],
    ['implementation', { severity: 'serious' }, 10],
    ['follow_up', {}, 5],
    ['agent_follow_up', {}, 1],
    ['proposal', { level: 1 }, 1],
    ['implementation', { severity: 'serious', level: 3 }, 1],
  ] as const)('gives %s %j %i working days', (step, options, days) => {
    expect(workingDaysFor(step, options, DEFAULT_POLICY)).toBe(days);
  });

  it('has a deadline for every step', () => {
    for (const step of STEPS) {
      expect(workingDaysFor(step, { severity: 'general' }, DEFAULT_POLICY)).toBeGreaterThan(0);
    }
  });

  it('escalates to supervisor, manager, then senior management for every higher level', () => {
    expect([1, 2, 3, 4, 9].map((l) => escalationTarget(l, DEFAULT_POLICY))).toEqual([
      'supervisor',
      'manager',
      'senior_management',
      'senior_management',
      'senior_management',
    ]);
    expect(() => escalationTarget(0, DEFAULT_POLICY)).toThrow(RangeError);
  });

  it('sends more than 2 declines or reopens to the manager', () => {
    expect(repeatsNeedManager({ declines: 2, reopens: 2 }, DEFAULT_POLICY)).toBe(false);
    expect(repeatsNeedManager({ declines: 3, reopens: 0 }, DEFAULT_POLICY)).toBe(true);
    expect(repeatsNeedManager({ declines: 0, reopens: 3 }, DEFAULT_POLICY)).toBe(true);
  });

  it('counts 4 and 5 as satisfied', () => {
    expect([1, 2, 3, 4, 5].map((r) => isSatisfied(r, DEFAULT_POLICY))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('cannot be changed by accident', () => {
    expect(() => {
      (DEFAULT_POLICY.steps.implementation as { serious: number }).serious = 1;
    }).toThrow(TypeError);
  });
});

describe('deadlines', () => {
  const at = new Date('2026-09-30T02:00:00Z'); // 10:00 in Shanghai

  it('uses the calendar: the proposal deadline across National Day', () => {
    // Oct 8 (1), Oct 9 (2), Saturday Oct 10 is a make-up working day (3)
    expect(deadlineFor('proposal', {}, at, cn, DEFAULT_POLICY)).toEqual({
      dueAt: '2026-10-10T18:00:00+08:00',
      provisional: false,
    });
    expect(deadlineFor('implementation', { severity: 'serious' }, at, cn, DEFAULT_POLICY)).toEqual({
      dueAt: '2026-10-20T18:00:00+08:00',
      provisional: false,
    });
  });

  it('gives the promised reply date', () => {
    expect(promisedReply(at, cn, DEFAULT_POLICY)).toEqual({
      dueAt: '2026-10-13T18:00:00+08:00',
      provisional: false,
    });
  });

  it('plans a step as the Plan task returns it', () => {
    expect(planStep('investigation', {}, at, cn, DEFAULT_POLICY)).toEqual({
      step: 'investigation',
      level: 0,
      dueAt: '2026-10-08T18:00:00+08:00',
      provisional: false,
      timeoutSeconds: (Date.parse('2026-10-08T10:00:00Z') - at.getTime()) / 1000,
    });
    const escalated = planStep('review', { level: 2 }, new Date('2026-12-31T10:00:00Z'), cn, DEFAULT_POLICY);
    expect(escalated).toMatchObject({
      step: 'review',
      level: 2,
      dueAt: '2027-01-04T18:00:00+08:00',
      provisional: true,
    });
  });

  it('refuses what has no deadline', () => {
    expect(() => workingDaysFor('implementation', {}, DEFAULT_POLICY)).toThrow(/depends on severity/);
    expect(() => workingDaysFor('proposal', { reminder: true }, DEFAULT_POLICY)).toThrow(
      /only customer_decision/,
    );
    expect(() => workingDaysFor('proposal', { level: -1 }, DEFAULT_POLICY)).toThrow(/escalation level/);
    expect(() => workingDaysFor('triage' as never, {}, DEFAULT_POLICY)).toThrow(/unknown step "triage"/);
  });

  it('follows a configured policy', () => {
    const custom = clone();
    custom.steps.proposal = 2;
    custom.escalation.intervalDays = 4;
    expect(deadlineFor('proposal', {}, at, cn, custom).dueAt).toBe('2026-10-09T18:00:00+08:00');
    expect(deadlineFor('proposal', { level: 1 }, at, cn, custom).dueAt).toBe('2026-10-12T18:00:00+08:00');
  });

  it('defaults to the process-wide policy', () => {
    const custom = clone();
    custom.steps.review = 3;
    setPolicy(custom);
    expect(configuredPolicy()).toBe(custom);
    expect(workingDaysFor('review')).toBe(3);
    expect(deadlineFor('review', {}, at, cn).dueAt).toBe('2026-10-10T18:00:00+08:00');
  });
});

describe('loading', () => {
  it('uses the defaults when there is no policy.json', () => {
    expect(loadPolicy(dirWith(undefined))).toBe(DEFAULT_POLICY);
  });

  it('reads CONFIG_DIR by default', () => {
    const dir = dirWith(
      readFileSync(path.join(REPO_CONFIG, 'policy.json'), 'utf8').replace('"review": 1', '"review": 2'),
    );
    const saved = process.env.CONFIG_DIR;
    process.env.CONFIG_DIR = dir;
    try {
      expect(configuredPolicy().steps.review).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.CONFIG_DIR;
      else process.env.CONFIG_DIR = saved;
    }
  });

  it('refuses a file that is not JSON', () => {
    expect(() => loadPolicy(dirWith('{ "steps": '))).toThrow(/policy\.json: not valid JSON/);
  });

  it.each<[string, (p: Json) => void, string]>([
    ['a zero deadline', (p) => (p.steps.review = 0), 'steps.review: must be at least 1 working day (got 0)'],
    [
      'a fraction',
      (p) => (p.steps.implementation.serious = 2.5),
      'steps.implementation.serious: must be a whole number of working days (got 2.5)',
    ],
    [
      'a string',
      (p) => (p.steps.proposal = '3'),
      'steps.proposal: must be a whole number of working days (got "3")',
    ],
    [
      'a missing severity',
      (p) => delete p.steps.implementation.minor,
      'steps.implementation.minor: must be a whole number of working days',
    ],
    ['an unknown step', (p) => (p.steps.triage = 1), 'steps: Unrecognized key: "triage"'],
    ['a misspelt key', (p) => (p.escalation.interval = 1), 'escalation: Unrecognized key: "interval"'],
    ['an empty chain', (p) => (p.escalation.chain = []), 'escalation.chain: needs at least one level'],
    ['an unknown role', (p) => (p.escalation.chain = ['supervisor', 'ceo']), 'escalation.chain[1]: '],
    ['a rating of 6', (p) => (p.satisfiedRating = 6), 'satisfiedRating: must be 1–5 (got 6)'],
    [
      'a negative threshold',
      (p) => (p.escalation.maxDeclinesOrReopens = -1),
      'escalation.maxDeclinesOrReopens: must be 0 or more (got -1)',
    ],
    [
      'a year-long deadline',
      (p) => (p.customerDecisionReminderDays = 251),
      'customerDecisionReminderDays: must be at most 250 working days (got 251)',
    ],
  ])('refuses %s, naming the field', (_what, change, message) => {
    const policy = clone() as unknown as Json;
    change(policy);
    const dir = dirWith(JSON.stringify(policy));
    expect(() => loadPolicy(dir)).toThrow(PolicyConfigError);
    expect(() => loadPolicy(dir)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => parsePolicy({ ...clone(), promisedReplyDays: 0, satisfiedRating: 0 }, 'test')).toThrow(
      /test is not a valid deadline policy:\n {2}promisedReplyDays: .*\n {2}satisfiedRating: /,
    );
  });
});

describe("journeyDeadlines (the journey tasks' policy port)", () => {
  const at = new Date('2026-09-30T02:00:00Z');
  const custom = clone();
  custom.customerDecisionReminderDays = 2;
  custom.escalation.maxDeclinesOrReopens = 3;
  const port = journeyDeadlines(cn, custom);

  it('gives step, reminder and escalation deadlines from the policy', () => {
    expect(port.stepDeadline('implementation', at, { severity: 'minor' }).dueAt).toBe(
      '2026-10-10T18:00:00+08:00',
    );
    expect(port.stepDeadline('customer_decision', at, { reminder: true }).dueAt).toBe(
      '2026-10-09T18:00:00+08:00',
    );
    expect(port.stepDeadline('customer_decision', at, {}).dueAt).toBe('2026-10-13T18:00:00+08:00');
    expect(port.escalationDeadline('review', 2, at).dueAt).toBe('2026-10-08T18:00:00+08:00');
    expect(port.repeatEscalationThreshold).toBe(3);
  });
});
