/**
 * CDK's built-in CloudFormation validation (resource schemas and lint rules, run during
 * synthesis) finds nothing in the stack. Strict mode, as in infra/app.ts: a finding fails
 * synthesis. Separate from stack.test.ts because this synthesis takes ~10 s.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ComplaintStack } from '../../infra/complaint-stack.js';
import { EDGE_REGION, EdgeStack } from '../../infra/edge-stack.js';
import { CDK_JSON_CONTEXT, makeFixtureRoot, TEST_CONFIG, TEST_ENV } from './fixture.js';

describe('CloudFormation validation', () => {
  it('synthesizes with no findings', () => {
    const { root, aslPath } = makeFixtureRoot();
    const outdir = mkdtempSync(path.join(tmpdir(), 'complaint-cfn-'));
    const app = new App({
      outdir,
      context: CDK_JSON_CONTEXT,
      postCliContext: { '@aws-cdk/core:validateAgainstDefaultRules': true, 'aws:cdk:bundling-stacks': [] },
    });
    const edge = new EdgeStack(app, 'CfnValidation-Edge', {
      env: { ...TEST_ENV, region: EDGE_REGION },
      clientLimits: TEST_CONFIG.clientLimits,
      logRetentionDays: TEST_CONFIG.logRetentionDays,
    });
    new ComplaintStack(app, 'CfnValidation', {
      env: TEST_ENV,
      config: TEST_CONFIG,
      edge,
      repoRoot: root,
      aslPath,
    });
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations?: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  }, 120_000);
});
