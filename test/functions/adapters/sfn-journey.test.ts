import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resumeStep, startJourney } from '../../../functions/adapters/sfn-journey.js';
import { setStore } from '../../../functions/adapters/store.js';
import { ConflictError } from '../../../functions/domain/errors.js';
import type { Actor } from '../../../functions/domain/model.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { captureOutput, givenComplaint, openStep, STATE_MACHINE_ARN } from '../api/helpers.js';

const sfnMock = mockClient(SFNClient);
let store: MemoryComplaintStore;
let output: ReturnType<typeof captureOutput>;
const agent: Actor = { kind: 'staff', sub: 'a-1', role: 'agent' };

beforeEach(() => {
  sfnMock.reset();
  store = new MemoryComplaintStore();
  setStore(store);
  vi.stubEnv('STATE_MACHINE_ARN', STATE_MACHINE_ARN);
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  vi.unstubAllEnvs();
  setStore(undefined);
});

describe('startJourney', () => {
  it('starts one execution named by the complaint id', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
    expect(await startJourney('C2611-AAAA-BBBB')).toEqual({ started: true });
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'C2611-AAAA-BBBB',
      input: '{"complaintId":"C2611-AAAA-BBBB"}',
    });
  });

  it('treats ExecutionAlreadyExists as started before', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    expect(await startJourney('C2611-AAAA-BBBB')).toEqual({ started: false });
  });

  it('fails fast without STATE_MACHINE_ARN', async () => {
    vi.stubEnv('STATE_MACHINE_ARN', '');
    await expect(startJourney('C2611-AAAA-BBBB')).rejects.toThrow(/STATE_MACHINE_ARN/);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });
});

describe('resumeStep', () => {
  it('still answers 409 when releasing the claim fails too (the lease expires on its own)', async () => {
    sfnMock.on(SendTaskSuccessCommand).rejects(new InvalidToken({ message: 'invalid', $metadata: {} }));
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'investigation');
    store.releaseClaim = async () => Promise.reject(new Error('network'));
    const attempt = resumeStep({
      complaintId: id,
      steps: ['investigation'],
      action: 'investigation',
      data: { valid: false, category: 'other', severity: 'minor', findings: 'f' },
      actor: agent,
    });
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ code: 'step_stale' });
  });

  it('does not call Step Functions when the claim is refused', async () => {
    const { id } = await givenComplaint(store);
    await openStep(store, id, 'review');
    await expect(
      resumeStep({
        complaintId: id,
        steps: ['proposal'],
        action: 'proposal',
        data: { plan: 'p' },
        actor: agent,
      }),
    ).rejects.toMatchObject({ code: 'wrong_stage' });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 0);
  });
});
