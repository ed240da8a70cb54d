/**
 * cdk.json decides every feature flag of the installed aws-cdk-lib that CDK would report as
 * unconfigured, and the test stacks are built with those flags (fixture.ts).
 */
import { FLAGS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { CDK_JSON_CONTEXT } from './fixture.js';

describe('cdk.json feature flags', () => {
  it('sets every configurable v2 flag', () => {
    const configurable = Object.entries(FLAGS)
      .filter(([, flag]) => flag.introducedIn?.v2 && flag.introducedIn.v2 !== '2.0.0')
      .map(([name]) => name);
    expect(configurable.length).toBeGreaterThan(70);
    expect(configurable.filter((name) => !(name in CDK_JSON_CONTEXT))).toEqual([]);
  });

  it('uses weak cross-stack references (the edge stack is read with Fn::GetStackOutput)', () => {
    expect(CDK_JSON_CONTEXT['@aws-cdk/core:defaultCrossStackReferences']).toBe('weak');
  });
});
