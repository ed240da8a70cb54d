/**
 * What makes a restart of the local stack lose nothing, as Step Functions does on AWS.
 *
 * 1. The engine's write-ahead journal (stepfunctions/journal.ts) resumes every unfinished
 *    execution from its last Task state; callbacks answered before the stop are replayed;
 *    a journey waiting on a step keeps its task token and deadline, so nothing is written
 *    to the complaint (no audit event) and the token the complaint holds stays valid.
 * 2. A cross-check against the store: a complaint waiting on a step (store.listWaiting)
 *    with no running journey (a data folder from before the journal, data seeded directly)
 *    gets its journey resumed at that step's Await state, with the step as Plan left it
 *    (same level, same deadline, the token it holds — again without rewriting it).
 * 3. A journey that cannot be resumed either way is logged and flagged (needsAttention with
 *    a `needs_attention` audit event), and never fails the start.
 * No per-complaint engine listing: whether a journey runs is one map lookup.
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
export async function awaitStateInput(
  complaint: Pick<Complaint, 'id' | 'pending'>,
  clock: Clock,
): Promise<Record<string, unknown>> {
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
 * closes the complaint as no_response instead of reminding again). The await-step task keeps
 * it on the pending step (`reminder`); a step opened before that says it in the data of its
 * `step_opened` audit event, which costs reading the complaint's history.
 */
async function reminderSent(complaint: Pick<Complaint, 'id' | 'pending'>): Promise<boolean> {
  if (typeof complaint.pending?.reminder === 'boolean') return complaint.pending.reminder;
  const events = await (await getStore()).events(complaint.id);
  const opened = events.filter((e) => e.type === 'step_opened').at(-1);
  return opened?.data?.step === 'customer_decision' && opened.data.reminder === true;
}

export interface ResumeReport {
  /** every journey running again, from the journal or (when checked before ready) the store */
  resumed: string[];
  /** how many the journal resumed, and how many waiting complaints the store check did */
  fromJournal: number;
  fromStore: number;
  /** waiting complaints left alone: closed or already needing attention */
  skipped: string[];
  /** journeys that could not be resumed (flagged needsAttention) */
  failed: { id: string; error: string }[];
  /** real ms the journal recovery took, and the store check when it ran before ready */
  ms: number;
  /**
   * With a journal, the store check runs after the stack is ready (it only concerns
   * complaints the journal never knew); this settles when it is done.
   */
  later?: Promise<StoreCheck>;
}

export interface StoreCheck {
  resumed: string[];
  skipped: string[];
  failed: { id: string; error: string }[];
}

/** How many store reads and writes the resume runs at once. */
const RESUME_CONCURRENCY = 8;

export async function resumeWaitingJourneys(
  engine: LocalStepFunctions,
  clock: Clock,
  log: (line: string) => void = () => undefined,
): Promise<ResumeReport> {
  const t0 = performance.now();
  const journal = engine.recover();
  const journalFailed = journal.failed.map((f) => ({ id: f.name, error: f.error }));
  const report: ResumeReport = {
    resumed: journal.resumed,
    fromJournal: journal.resumed.length,
    fromStore: 0,
    skipped: [],
    failed: [],
    ms: 0,
  };
  if (journal.records === 0) {
    // no journal yet (a new folder, or one from before the journal): the store says it all
    const check = await checkStore(engine, clock, log, journalFailed);
    report.resumed = [...report.resumed, ...check.resumed];
    report.fromStore = check.resumed.length;
    report.skipped = check.skipped;
    report.failed = check.failed;
  } else {
    report.later = checkStore(engine, clock, log, journalFailed).then(
      (check) => {
        if (check.resumed.length > 0)
          log(`resumed ${check.resumed.length} waiting journey(s) the journal did not know`);
        return check;
      },
      (error: unknown) => {
        log(
          `the check of waiting complaints failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return { resumed: [], skipped: [], failed: [] };
      },
    );
  }
  report.ms = performance.now() - t0;
  return report;
}

/**
 * Resumes every complaint waiting on a step whose journey the engine never heard of, at its
 * Await state (same deadline, the token it holds: nothing rewritten), and flags what cannot
 * be resumed. A journey the engine knows (running or finished) is left to the engine: its
 * stored step may be older than the journey (a journey finishing while this reads).
 */
async function checkStore(
  engine: LocalStepFunctions,
  clock: Clock,
  log: (line: string) => void,
  journalFailed: { id: string; error: string }[],
): Promise<StoreCheck> {
  const store = await getStore();
  const resumed: string[] = [];
  const skipped: string[] = [];
  const problems = new Map(journalFailed.map((f) => [f.id, f.error]));
  const waiting = await store.listWaiting();
  await eachLimited(waiting, RESUME_CONCURRENCY, async (complaint) => {
    const pending = complaint.pending;
    if (!pending || engine.knows(complaint.id)) return;
    if (complaint.stage === 'closed' || complaint.needsAttention) {
      skipped.push(complaint.id);
      return;
    }
    try {
      const input = await awaitStateInput(complaint, clock);
      if (engine.knows(complaint.id)) return;
      // The engine keeps `deadline` for the first wait (the exact instant; the state input's
      // timeoutSeconds, whole seconds from now, is what AWS would see) and the stored token.
      engine.resumeExecution({
        name: complaint.id,
        startAt: awaitStateOf(pending.step),
        input,
        deadline: pending.dueAt,
        ...(isLocalToken(pending.taskToken) ? { token: pending.taskToken, handlerDone: true } : {}),
      });
      resumed.push(complaint.id);
      problems.delete(complaint.id);
    } catch (error) {
      problems.set(complaint.id, error instanceof Error ? error.message : String(error));
    }
  });

  const failed = [...problems].map(([id, error]) => ({ id, error }));
  await eachLimited(failed, RESUME_CONCURRENCY, async ({ id, error }) => {
    log(`the journey of ${id} could not be resumed (${error}); it is flagged as needing attention`);
    try {
      await store.update(id, (c) =>
        c.needsAttention
          ? undefined
          : {
              set: { needsAttention: true },
              event: {
                type: 'needs_attention',
                actor: { kind: 'system' },
                data: { error: 'local_resume_failed' },
              },
            },
      );
    } catch (flagError) {
      log(`could not flag ${id}: ${flagError instanceof Error ? flagError.message : String(flagError)}`);
    }
  });
  return { resumed, skipped, failed };
}

/** A token this engine issued (kept by the complaint's pending step). */
function isLocalToken(token: string | undefined): token is string {
  return typeof token === 'string' && /^LSFN1\.[A-Za-z0-9_-]{16,2000}$/.test(token);
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
