/**
 * What makes a restart of the local stack lose nothing. Complaints live in DynamoDB Local's
 * files; the local engine's executions live in memory. On start, every complaint waiting on a
 * step (store.listWaiting) gets its journey started again at that step's Await state, with
 * the step as Plan left it (same level, same deadline): the await-step handler records a new
 * task token, and the deadline still fires at the same instant — at once when it passed
 * while the stack was down.
 */
import type { Clock } from '../functions/domain/clock.js';
import type { Complaint, Step } from '../functions/domain/model.js';
import type { ComplaintStore } from '../functions/domain/store.js';
import type { LocalStepFunctions } from './stepfunctions/engine.js';

/**
 * The handlers' store, imported on first use: importing functions/runtime/ creates the SDK
 * clients and Powertools, which read the environment the local stack sets first.
 */
async function getStore(): Promise<ComplaintStore> {
  const { getStore: store } = await import('../functions/adapters/store.js');
  return store();
}

/** `customer_decision` → `AwaitCustomerDecision`, as named in the ASL. */
export function awaitStateOf(step: Step): string {
  return `Await${step
    .split('_')
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('')}`;
}

/**
 * The state data the Await state had: `{complaintId, step: {step, level, dueAt,
 * provisional, timeoutSeconds, reminder?}}` (docs/ARCHITECTURE.md, "The journey contract").
 */
export async function awaitStateInput(complaint: Complaint, clock: Clock): Promise<Record<string, unknown>> {
  const pending = complaint.pending;
  if (!pending) throw new Error(`${complaint.id} is not waiting on a step`);
  const seconds = Math.max(1, Math.ceil((Date.parse(pending.dueAt) - clock.now().getTime()) / 1000));
  const step: Record<string, unknown> = {
    step: pending.step,
    level: pending.escalationLevel,
    dueAt: pending.dueAt,
    provisional: pending.provisional,
    timeoutSeconds: seconds,
  };
  if (pending.step === 'customer_decision' && (await reminderSent(complaint))) step.reminder = true;
  return { complaintId: complaint.id, step };
}

/**
 * Whether the waiting customer decision is the wait after the one reminder (then its timeout
 * closes the complaint as no_response instead of reminding again). The await-step task
 * records it in the data of its `step_opened` audit event.
 */
async function reminderSent(complaint: Complaint): Promise<boolean> {
  const events = await (await getStore()).events(complaint.id);
  const opened = events.filter((e) => e.type === 'step_opened').at(-1);
  return opened?.data?.step === 'customer_decision' && opened.data.reminder === true;
}

export async function resumeWaitingJourneys(
  engine: LocalStepFunctions,
  clock: Clock,
): Promise<{ resumed: string[]; skipped: string[] }> {
  const waiting = await (await getStore()).listWaiting();
  const resumed: string[] = [];
  const skipped: string[] = [];
  const tokens = new Map<string, string>();
  for (const complaint of waiting) {
    const pending = complaint.pending;
    if (!pending || complaint.stage === 'closed' || complaint.needsAttention) {
      skipped.push(complaint.id);
      continue;
    }
    const running = engine.listExecutions('RUNNING').some((e) => e.name === complaint.id);
    if (running) continue;
    // The engine keeps `deadline` for the first wait (the exact instant; the state input's
    // timeoutSeconds, whole seconds from now, is what AWS would see).
    engine.resumeExecution({
      name: complaint.id,
      startAt: awaitStateOf(pending.step),
      input: await awaitStateInput(complaint, clock),
      deadline: pending.dueAt,
    });
    resumed.push(complaint.id);
    tokens.set(complaint.id, pending.taskToken);
  }
  // Each resumed journey's await-step task records a new task token: wait until the store
  // has it, so that an action right after the start reaches the new task.
  await Promise.all([...tokens].map(([id, oldToken]) => newTokenStored(engine, id, oldToken)));
  return { resumed, skipped };
}

async function newTokenStored(engine: LocalStepFunctions, id: string, oldToken: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const complaint = await (await getStore()).get(id);
    if (!complaint?.pending || complaint.pending.taskToken !== oldToken) return;
    const execution = engine.describeExecution(id);
    if (execution.status !== 'RUNNING') return;
    if (Date.now() > deadline)
      throw new Error(`The resumed journey of ${id} did not reach its waiting step in 15 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
