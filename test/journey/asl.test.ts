import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../functions/domain/steps/index.js';
import { JOURNEY_TASKS } from '../../functions/routes.js';
import { stateName } from '../../statemachines/asl.js';
import { generateAsl } from '../../statemachines/generate.js';
import { ASL_PATH } from './harness.js';

const text = readFileSync(ASL_PATH, 'utf8');
const asl = JSON.parse(text) as { StartAt: string; States: Record<string, any> };
const keys = JOURNEY_TASKS.map((t) => `${t.key}FunctionArn`);

describe('statemachines/complaint-journey.asl.json', () => {
  it('is what the description (statemachines/journey.ts) generates: run npm run asl after changing it', () => {
    expect(text).toBe(generateAsl());
  });

  it('plans, awaits and records every step of the step catalogue', () => {
    /** the states that go to `target` (Next, a Choice's rules and Default, a Catch) */
    const into = (target: string) =>
      Object.entries(asl.States)
        .filter(([, s]) =>
          [
            s.Next,
            s.Default,
            ...(s.Choices ?? []).map((c: any) => c.Next),
            ...(s.Catch ?? []).map((c: any) => c.Next),
          ]
            .filter(Boolean)
            .includes(target),
        )
        .map(([name]) => name);
    /**
     * Every way into Await<Step> carries `$.step` planned for this step: walking back through
     * Choices and states that keep the data (ResultPath null), the last task that replaced the
     * data planned it (a Plan state of the step, a task given `plan: step`, or its Escalate).
     */
    const plannedBy = (state: string, step: string, seen = new Set<string>()): string[] => {
      if (seen.has(state)) return [];
      seen.add(state);
      const s = asl.States[state];
      const payload = s.Parameters?.Payload ?? {};
      const keeps = s.Type === 'Choice' || (s.Type === 'Task' && s.ResultPath === null);
      if (!keeps) {
        const plans =
          payload.plan === step ||
          (payload.step === step && String(s.Parameters.FunctionName).includes('PlanStep')) ||
          state === `Escalate${stateName(step as never)}`;
        return plans ? [] : [state];
      }
      return into(state).flatMap((from) => plannedBy(from, step, seen));
    };
    for (const step of STEPS) {
      const name = stateName(step);
      expect(asl.States[`Await${name}`]?.Resource).toMatch(/waitForTaskToken$/);
      expect(asl.States[`Record${name}`]?.Parameters.Payload.step).toBe(step);
      const sources = into(`Await${name}`).filter((s) => s !== `Escalate${name}`);
      expect(sources.length, step).toBeGreaterThan(0);
      expect(
        sources.flatMap((from) => plannedBy(from, step)),
        `${step}: states that reach Await${name} without planning it`,
      ).toEqual([]);
    }
  });

  it('passes asl-validator, as written and with the CDK substitutions applied', () => {
    const raw = aslValidator(asl);
    expect(raw.errors).toEqual([]);
    const substituted = JSON.parse(
      text.replace(
        /\$\{(\w+)\}/g,
        (_m, key: string) => `arn:aws:lambda:us-east-1:123456789012:function:${key}`,
      ),
    );
    const result = aslValidator(substituted);
    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });

  it('uses only JOURNEY_TASKS keys as substitutions, and every key', () => {
    const used = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...used].filter((k) => !keys.includes(k!))).toEqual([]);
    expect(keys.filter((k) => !used.has(k))).toEqual([]);
  });

  it('waits for every human step with a callback task whose timeout is the planned deadline', () => {
    const awaits = Object.entries(asl.States).filter(([name]) => name.startsWith('Await'));
    expect(awaits.map(([name]) => name).sort()).toEqual(
      [
        'AwaitAgentFollowUp',
        'AwaitCustomerDecision',
        'AwaitFollowUp',
        'AwaitImplementation',
        'AwaitInvestigation',
        'AwaitProposal',
        'AwaitReview',
      ].sort(),
    );
    for (const [name, state] of awaits) {
      expect(state.Resource, name).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(state.Parameters.Payload['taskToken.$'], name).toBe('$$.Task.Token');
      expect(state.TimeoutSecondsPath, name).toBe('$.step.timeoutSeconds');
      expect(state.Catch[0].ErrorEquals, name).toEqual(['States.Timeout']);
      expect(state.Catch.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'NeedsAttention' });
    }
  });

  it('retries every Lambda task with backoff and routes what still fails to NeedsAttention', () => {
    for (const [name, state] of Object.entries(asl.States)) {
      if (state.Type !== 'Task') continue;
      expect(state.Retry?.[0]?.ErrorEquals, name).toEqual(
        expect.arrayContaining(['States.TaskFailed', 'Lambda.ServiceException']),
      );
      expect(state.Retry[0].ErrorEquals, name).not.toContain('States.Timeout');
      expect(state.Retry[0].BackoffRate, name).toBeGreaterThan(1);
      const catchAll = state.Catch?.find((c: { ErrorEquals: string[] }) =>
        c.ErrorEquals.includes('States.ALL'),
      );
      expect(catchAll?.Next, name).toBe(name === 'NeedsAttention' ? 'Failed' : 'NeedsAttention');
    }
    expect(asl.States.NeedsAttention.Next).toBe('Failed');
    expect(asl.States.Failed.Type).toBe('Fail');
  });

  it('has no unreachable state and no transition to a missing one', () => {
    const targets = new Set<string>([asl.StartAt]);
    for (const state of Object.values(asl.States)) {
      for (const next of [
        state.Next,
        state.Default,
        ...(state.Choices ?? []).map((c: any) => c.Next),
        ...(state.Catch ?? []).map((c: any) => c.Next),
      ]) {
        if (next) targets.add(next);
      }
    }
    expect([...targets].filter((t) => !asl.States[t])).toEqual([]);
    expect(Object.keys(asl.States).filter((n) => !targets.has(n))).toEqual([]);
  });
});
