/**
 * Guards the cdk-nag test in stack.test.ts against passing vacuously: in this setup the
 * AwsSolutions pack must still see (and report) an unacknowledged finding, and an
 * acknowledgment must silence exactly that finding.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';

describe('cdk-nag in this project', () => {
  it('reports an unacknowledged finding and honours an acknowledgment', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'NagSanity');
    const queue = new Queue(stack, 'Queue', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    Template.fromStack(stack);
    const rules = () => new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(rules()).toEqual(['AwsSolutions-SQS3']); // no dead-letter queue
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'sanity check of the acknowledgment mechanism',
    });
    expect(rules()).toEqual([]);
  });
});
