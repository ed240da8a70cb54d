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
  defaultProfile,
  durationFor,
  escalationTarget,
  extendDeadline,
  extensionAllowed,
  isSatisfied,
  journeyDeadlines,
  loadPolicy,
  type Policy,
  PolicyConfigError,
  parsePolicy,
  planStep,
  profileNamed,
  promisedReply,
  repeatsNeedManager,
  replyDeadline,
  selectProfile,
  setPolicy,
  stepDeadline,
  workingDaysFor,
} from '../../../functions/domain/policy.js';

const REPO_CONFIG = path.resolve(__dirname, '../../../config');
const cn = defaultCalendar();
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
      (DEFAULT_POLICY.steps.implementation.serious as { amount: number }).amount = 1;
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
    custom.steps.proposal = { amount: 2, unit: 'workingDays' };
    custom.escalation.interval = { amount: 4, unit: 'workingDays' };
    expect(deadlineFor('proposal', {}, at, cn, custom).dueAt).toBe('2026-10-09T18:00:00+08:00');
    expect(deadlineFor('proposal', { level: 1 }, at, cn, custom).dueAt).toBe('2026-10-12T18:00:00+08:00');
  });

  it('defaults to the process-wide policy', () => {
    const custom = clone();
    custom.steps.review = { amount: 3, unit: 'workingDays' };
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
      readFileSync(path.join(REPO_CONFIG, 'policy.json'), 'utf8').replace(
        '"review": { "amount": 1,',
        '"review": { "amount": 2,',
      ),
    );
    const saved = process.env.CONFIG_DIR;
    process.env.CONFIG_DIR = dir;
    try {
      expect(configuredPolicy().steps.review).toEqual({ amount: 2, unit: 'workingDays' });
    } finally {
      if (saved === undefined) delete process.env.CONFIG_DIR;
      else process.env.CONFIG_DIR = saved;
    }
  });

  it('refuses a file that is not JSON', () => {
    expect(() => loadPolicy(dirWith('{ "steps": '))).toThrow(/policy\.json: not valid JSON/);
  });

  it.each<[string, (p: Json) => void, string]>([
    [
      'a zero deadline',
      (p) => (p.steps.review.amount = 0),
      'steps.review.amount: must be at least 1 (got 0)',
    ],
    [
      'a fraction',
      (p) => (p.steps.implementation.serious.amount = 2.5),
      'steps.implementation.serious.amount: must be a whole number (got 2.5)',
    ],
    [
      'a bare number (a deadline names its unit)',
      (p) => (p.steps.proposal = 3),
      'steps.proposal: must name its unit, e.g. { "amount": 5, "unit": "workingDays" } (got 3)',
    ],
    [
      'a string',
      (p) => (p.steps.proposal = '3'),
      'steps.proposal: must be a deadline such as { "amount": 5, "unit": "workingDays" } (got "3")',
    ],
    [
      'an unknown unit',
      (p) => (p.steps.proposal.unit = 'weeks'),
      'steps.proposal.unit: must be one of workingDays, calendarDays, hours, workingHours (got "weeks")',
    ],
    [
      'a missing severity',
      (p) => delete p.steps.implementation.minor,
      'steps.implementation.minor: must be a deadline such as',
    ],
    ['an unknown step', (p) => (p.steps.triage = p.steps.review), 'steps: Unrecognized key: "triage"'],
    [
      'a misspelt key',
      (p) => (p.escalation.intervalDays = 1),
      'escalation: Unrecognized key: "intervalDays"',
    ],
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
      (p) => (p.customerDecisionReminder.amount = 251),
      'customerDecisionReminder.amount: must be at most 250 working days (got 251)',
    ],
    [
      'more than a year of hours',
      (p) => (p.steps.investigation = { amount: 9000, unit: 'hours' }),
      'steps.investigation.amount: must be at most 8784 hours (got 9000)',
    ],
    [
      'extensions with no maximum',
      (p) => (p.extensions = { count: 2 }),
      'extensions.max: is required when count is more than 0',
    ],
    [
      "a profile's bad deadline, naming the profile",
      (p) => (p.profiles[0].steps = { review: { amount: 400, unit: 'calendarDays' } }),
      'profiles[0] (banking).steps.review.amount: must be at most 366 calendar days (got 400)',
    ],
    [
      'a profile matching nothing',
      (p) => (p.profiles[0].match = {}),
      'profiles[0] (banking).match: needs channels and/or categories',
    ],
    [
      'a profile for an unknown channel',
      (p) => (p.profiles[0].match = { channels: ['fax'] }),
      'profiles[0] (banking).match.channels[0]: ',
    ],
    [
      'a profile with an unknown key',
      (p) => (p.profiles[0].promisedReplyDays = 15),
      'profiles[0] (banking): Unrecognized key: "promisedReplyDays"',
    ],
    [
      'a profile named default',
      (p) => (p.profiles[0].name = 'default'),
      'profiles[0] (default).name: "default" is the top level of the file',
    ],
    [
      'two profiles with one name',
      (p) => p.profiles.push({ name: 'banking', match: { categories: ['price'] } }),
      'profiles[1] (banking).name: "banking" is already the name of profiles[0]',
    ],
    [
      'an unknown step within the reply date',
      (p) => (p.profiles[0].stepsWithinReply = ['proposal', 'triage']),
      'profiles[0] (banking).stepsWithinReply[1]: must be a step',
    ],
  ])('refuses %s, naming the field', (_what, change, message) => {
    const policy = clone() as unknown as Json;
    change(policy);
    const dir = dirWith(JSON.stringify(policy));
    expect(() => loadPolicy(dir)).toThrow(PolicyConfigError);
    expect(() => loadPolicy(dir)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() =>
      parsePolicy(
        { ...clone(), promisedReply: { amount: 0, unit: 'workingDays' }, satisfiedRating: 0 },
        'test',
      ),
    ).toThrow(/test is not a valid deadline policy:\n {2}promisedReply\.amount: .*\n {2}satisfiedRating: /);
  });
});

describe("journeyDeadlines (the journey tasks' policy port)", () => {
  const at = new Date('2026-09-30T02:00:00Z');
  const custom = clone();
  custom.customerDecisionReminder = { amount: 2, unit: 'workingDays' };
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

describe('profiles', () => {
  const banking = selectProfile(DEFAULT_POLICY, { channel: 'regulator', category: 'service' });
  const dflt = defaultProfile(DEFAULT_POLICY);

  it('selects banking for complaints referred by a regulator, the default for the rest', () => {
    expect(banking.name).toBe('banking');
    expect(profileNamed(DEFAULT_POLICY, 'banking')).toBe(banking);
    for (const channel of ['web', 'phone', 'email', 'app'] as const)
      expect(selectProfile(DEFAULT_POLICY, { channel, category: 'service' })).toBe(dflt);
    expect(selectProfile(DEFAULT_POLICY, {})).toBe(dflt);
    expect(profileNamed(DEFAULT_POLICY, 'default')).toBe(dflt);
    expect(() => profileNamed(DEFAULT_POLICY, 'insurance')).toThrow(
      'no deadline profile "insurance" (the policy has default, banking)',
    );
  });

  it('matches every criterion given, first profile in file order wins', () => {
    const policy = parsePolicy({
      ...clone(),
      profiles: [
        { name: 'pricing-web', match: { channels: ['web'], categories: ['price'] } },
        { name: 'pricing', match: { categories: ['price'] } },
        { name: 'web', match: { channels: ['web', 'app'] } },
      ],
    });
    const pick = (channel?: 'web' | 'app' | 'phone', category?: 'price' | 'service') =>
      selectProfile(policy, { channel, category }).name;
    expect(pick('web', 'price')).toBe('pricing-web');
    expect(pick('phone', 'price')).toBe('pricing');
    expect(pick(undefined, 'price')).toBe('pricing');
    expect(pick('app', 'service')).toBe('web');
    expect(pick('phone', 'service')).toBe('default');
    expect(pick('web')).toBe('web');
  });

  it('fills what a profile leaves out from the default profile', () => {
    expect(banking.steps).toEqual(dflt.steps);
    expect(banking.customerDecisionReminder).toEqual(dflt.customerDecisionReminder);
    const policy = parsePolicy({
      ...clone(),
      profiles: [
        {
          name: 'fast',
          match: { channels: ['social'] },
          steps: {
            investigation: { amount: 24, unit: 'hours' },
            implementation: { serious: { amount: 2, unit: 'workingDays' } },
          },
        },
      ],
    });
    const fast = selectProfile(policy, { channel: 'social' });
    expect(fast.steps.investigation).toEqual({ amount: 24, unit: 'hours' });
    expect(fast.steps.implementation).toEqual({
      minor: { amount: 3, unit: 'workingDays' },
      general: { amount: 5, unit: 'workingDays' },
      serious: { amount: 2, unit: 'workingDays' },
    });
    expect(fast.promisedReply).toEqual(dflt.promisedReply);
    expect(fast.extensions).toEqual(dflt.extensions);
  });

  it('gives the default profile exactly the old table', () => {
    for (const step of STEPS) {
      const d = durationFor(dflt, step, { severity: 'serious' });
      expect(d.unit).toBe('workingDays');
      expect(d.amount).toBe(workingDaysFor(step, { severity: 'serious' }, DEFAULT_POLICY));
    }
    expect(dflt.stepsWithinReply).toEqual([]);
  });
});

describe('the banking profile: decision within 15 calendar days of receipt', () => {
  const banking = profileNamed(DEFAULT_POLICY, 'banking');
  const received = new Date('2026-09-20T10:00:00+08:00');
  const replyBy = replyDeadline(banking, received, cn);

  it('promises the reply on day 15, moved past National Day (art. 203)', () => {
    // day 15 is Mon Oct 5, inside Oct 1–7: the next working day is Thu Oct 8
    expect(replyBy).toEqual({ dueAt: '2026-10-08T18:00:00+08:00', provisional: false });
    expect(promisedReply(received, cn, DEFAULT_POLICY, banking)).toEqual(replyBy);
    // the default profile: 5 working days (中秋 Sep 25–27 off)
    expect(promisedReply(received, cn, DEFAULT_POLICY).dueAt).toBe('2026-09-28T18:00:00+08:00');
  });

  it('caps the steps before the decision at the reply date, not the later ones', () => {
    const late = new Date('2026-09-30T10:00:00+08:00'); // proposal would be due Sat Oct 10 (make-up day)
    expect(stepDeadline(banking, 'proposal', late, { calendar: cn, replyBy })).toEqual(replyBy);
    expect(stepDeadline(banking, 'proposal', late, { calendar: cn }).dueAt).toBe('2026-10-10T18:00:00+08:00');
    // an early step keeps its own, earlier deadline
    expect(stepDeadline(banking, 'investigation', received, { calendar: cn, replyBy }).dueAt).toBe(
      '2026-09-21T18:00:00+08:00',
    );
    // implementation comes after the decision: not capped
    expect(
      stepDeadline(banking, 'implementation', late, { calendar: cn, replyBy, severity: 'serious' }).dueAt,
    ).toBe('2026-10-20T18:00:00+08:00');
    // escalations of a capped step are capped too
    expect(
      stepDeadline(banking, 'review', new Date('2026-10-08T12:00:00+08:00'), {
        calendar: cn,
        replyBy,
        level: 1,
      }),
    ).toEqual(replyBy);
    // a step opened after the reply date has passed gets its own deadline (no instant escalation)
    expect(
      stepDeadline(banking, 'review', new Date('2026-10-09T10:00:00+08:00'), { calendar: cn, replyBy }).dueAt,
    ).toBe('2026-10-10T18:00:00+08:00');
    // the same under the older entry points with the profile passed
    expect(deadlineFor('proposal', { profile: banking, replyBy }, late, cn, DEFAULT_POLICY)).toEqual(replyBy);
    expect(journeyDeadlines(cn, DEFAULT_POLICY, banking).stepDeadline('proposal', late, { replyBy })).toEqual(
      replyBy,
    );
  });

  it('extends the reply date once by at most 15 calendar days', () => {
    expect(extensionAllowed(banking, 0, { amount: 15, unit: 'calendarDays' })).toEqual({ ok: true });
    expect(extensionAllowed(banking, 0, { amount: 16, unit: 'calendarDays' })).toEqual({
      ok: false,
      reason:
        'the banking deadline profile allows an extension of at most 15 calendar days, not 16 calendar days',
    });
    expect(extensionAllowed(banking, 1, { amount: 1, unit: 'calendarDays' })).toEqual({
      ok: false,
      reason: 'the banking deadline profile allows one extension, and it has been used',
    });
    expect(extensionAllowed(banking, 0, { amount: 10, unit: 'workingDays' })).toEqual({
      ok: false,
      reason: 'extensions under the banking deadline profile are counted in calendar days, not working days',
    });
    expect(extensionAllowed(banking, 0, { amount: 0, unit: 'calendarDays' }).ok).toBe(false);
    expect(extensionAllowed(banking, 0, { amount: 1.5, unit: 'calendarDays' }).ok).toBe(false);
    expect(() => extensionAllowed(banking, -1, { amount: 1, unit: 'calendarDays' })).toThrow(RangeError);
    // the new date: 15 days after Oct 8 is Fri Oct 23
    const extended = replyDeadline(banking, received, cn, [{ amount: 15, unit: 'calendarDays' }]);
    expect(extended).toEqual({ dueAt: '2026-10-23T18:00:00+08:00', provisional: false });
    expect(extendDeadline(cn, replyBy, { amount: 15, unit: 'calendarDays' })).toEqual(extended);
    // and the capped steps follow it
    expect(
      stepDeadline(banking, 'proposal', new Date('2026-10-20T10:00:00+08:00'), {
        calendar: cn,
        replyBy: extended,
      }).dueAt,
    ).toBe('2026-10-23T18:00:00+08:00');
  });

  it('the default profile allows one extension of up to 5 working days; a profile may allow none', () => {
    const dflt = defaultProfile(DEFAULT_POLICY);
    expect(extensionAllowed(dflt, 0, { amount: 5, unit: 'workingDays' })).toEqual({ ok: true });
    expect(extensionAllowed(dflt, 1, { amount: 1, unit: 'workingDays' }).ok).toBe(false);
    const none = defaultProfile(parsePolicy({ ...clone(), extensions: { count: 0 } }));
    expect(extensionAllowed(none, 0, { amount: 1, unit: 'workingDays' })).toEqual({
      ok: false,
      reason: 'the default deadline profile allows no extension',
    });
    const extended = extendDeadline(
      cn,
      { dueAt: '2026-12-30T18:00:00+08:00', provisional: false },
      { amount: 2, unit: 'workingDays' },
    );
    expect(extended).toEqual({ dueAt: '2027-01-04T18:00:00+08:00', provisional: true });
  });
});

describe('a 24-hour initial investigation (seed 000)', () => {
  const policy = parsePolicy({
    ...clone(),
    steps: { ...clone().steps, investigation: { amount: 24, unit: 'hours' } },
  });

  it('is due 24 hours after it opens, holidays or not', () => {
    // Wednesday 19:30 before National Day: 24 hours, not eight calendar days
    const at = new Date('2026-09-30T19:30:00+08:00');
    expect(deadlineFor('investigation', {}, at, cn, policy)).toEqual({
      dueAt: '2026-10-01T19:30:00+08:00',
      provisional: false,
    });
    expect(planStep('investigation', {}, at, cn, policy).timeoutSeconds).toBe(86_400);
    expect(() => workingDaysFor('investigation', {}, policy)).toThrow(
      'the investigation deadline is 24 hours, not working days: use durationFor',
    );
    // the rest of the table is unchanged
    expect(deadlineFor('proposal', {}, at, cn, policy).dueAt).toBe('2026-10-10T18:00:00+08:00');
  });
});

describe("README's policy examples", () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```json\n(\{\n {2}"name": [\s\S]*?)\n```/g)].map(
    (m) => JSON.parse(m[1] as string) as Json,
  );

  it('shows the banking profile as shipped', () => {
    const shipped = loadPolicy(REPO_CONFIG).profiles.find((p) => p.name === 'banking');
    const { description: _, ...rest } = shipped as Json;
    expect(blocks.find((b) => b.name === 'banking')).toEqual(rest);
  });

  it('a 24-hour investigation profile works as described', () => {
    const example = blocks.find((b) => b.name === 'urgent-social');
    const policy = parsePolicy({ ...clone(), profiles: [example] });
    const profile = selectProfile(policy, { channel: 'social' });
    expect(
      stepDeadline(profile, 'investigation', new Date('2026-09-30T19:30:00+08:00'), { calendar: cn }),
    ).toEqual({
      dueAt: '2026-10-01T19:30:00+08:00',
      provisional: false,
    });
  });
});
