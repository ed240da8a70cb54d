/**
 * Call tasks: the notices of a customer without an email address (phone only), for an agent
 * to tell them by phone (SPEC "Work finds its people", seed 000 §3.1 the customer's channel).
 * The notifier opens one instead of an email, with the email's own subject and text in the
 * complaint's language; logging the call (`POST /staff/complaints/{id}/notes` with kind `call`
 * and `callTask`) completes it. Contract: docs/ARCHITECTURE.md, "Call tasks".
 *
 * The tasks live on the complaint (`callTasks`, so the staff view and the history have them);
 * the store keeps one queue item per open task on an index (the agents' queue), in the same
 * write as the change that opens or completes it.
 */
import type { CustomerTemplateId } from './email/templates.js';
import { ConflictError, NotFoundError } from './errors.js';
import type { Actor, Complaint } from './model.js';
import type { ComplaintChange } from './store.js';

/** The customer notices, each of which becomes a call task (functions/domain/email/templates.ts). */
export type CallTaskTemplate = CustomerTemplateId;

export interface CallTask {
  /** `T` + 10 characters, unique within the complaint */
  id: string;
  template: CallTaskTemplate;
  status: 'open' | 'done';
  /** when the notice was due to go out (business clock) */
  createdAt: string;
  /** when a later notice of the same kind replaced the text of a still-open task */
  updatedAt?: string;
  /** what the email would have said: its subject and plain text, in the complaint's language */
  subject: string;
  text: string;
  /** the date the notice names for the customer's answer (decision, survey), when it has one */
  dueAt?: string;
  /** set when the call was logged */
  doneAt?: string;
  doneBy?: Actor;
  /** the `note_added` event (its seq) that logged the call */
  noteSeq?: number;
}

/** A row of the agents' call queue (`GET /staff/call-tasks`): the task and whom to call. */
export interface CallTaskQueueItem {
  complaintId: string;
  taskId: string;
  template: CallTaskTemplate;
  createdAt: string;
  dueAt?: string;
  subject: string;
  text: string;
  language: Complaint['customer']['language'];
  customerName: string;
  phone?: string;
}

export const CALL_TASK_ID = /^T[0-9A-Za-z]{10}$/;

export interface CallTaskDraft {
  id: string;
  template: CallTaskTemplate;
  subject: string;
  text: string;
  dueAt?: string;
}

/**
 * The change that opens a call task for `draft` at `at`: a new open task, or, when a task of the
 * same notice is still open (a second proposal round before anybody called), the same task with
 * the newer text, so the agent tells the customer the latest. Undefined when that open task
 * already says exactly this (a retry of the same notice): nothing to write.
 */
export function openCallTask(
  c: Complaint,
  draft: CallTaskDraft,
  at: string,
  actor: Actor,
): { change: ComplaintChange; taskId: string } | undefined {
  const tasks = c.callTasks ?? [];
  const open = tasks.find((t) => t.status === 'open' && t.template === draft.template);
  const content = {
    subject: draft.subject,
    text: draft.text,
    ...(draft.dueAt ? { dueAt: draft.dueAt } : {}),
  };
  if (open) {
    if (open.subject === draft.subject && open.text === draft.text && open.dueAt === draft.dueAt)
      return undefined;
    const { dueAt: _old, ...rest } = open;
    const refreshed: CallTask = { ...rest, ...content, updatedAt: at };
    return {
      taskId: open.id,
      change: {
        set: { callTasks: tasks.map((t) => (t.id === open.id ? refreshed : t)) },
        event: {
          type: 'call_task_opened',
          actor,
          data: { callTask: open.id, template: draft.template, refreshed: true },
        },
      },
    };
  }
  const task: CallTask = {
    id: draft.id,
    template: draft.template,
    status: 'open',
    createdAt: at,
    ...content,
  };
  return {
    taskId: task.id,
    change: {
      set: { callTasks: [...tasks, task] },
      event: { type: 'call_task_opened', actor, data: { callTask: task.id, template: draft.template } },
    },
  };
}

/**
 * The complaint's tasks with `taskId` done by `actor` at `at` (the call logged as event `seq`).
 * NotFoundError when the complaint has no such task, ConflictError (`call_task_done`) when it
 * was done already.
 */
export function completeCallTask(
  c: Complaint,
  taskId: string,
  done: { at: string; actor: Actor; seq: number },
): CallTask[] {
  const tasks = c.callTasks ?? [];
  const task = tasks.find((t) => t.id === taskId);
  if (!task) throw new NotFoundError('This complaint has no such call task.');
  if (task.status === 'done')
    throw new ConflictError('This call task was completed already; reload the complaint.', 'call_task_done');
  return tasks.map((t) =>
    t.id === taskId ? { ...t, status: 'done', doneAt: done.at, doneBy: done.actor, noteSeq: done.seq } : t,
  );
}

/** The queue row of an open task. */
export function callQueueItem(c: Complaint, task: CallTask): CallTaskQueueItem {
  return {
    complaintId: c.id,
    taskId: task.id,
    template: task.template,
    createdAt: task.createdAt,
    ...(task.dueAt ? { dueAt: task.dueAt } : {}),
    subject: task.subject,
    text: task.text,
    language: c.customer.language,
    customerName: c.customer.name,
    ...(c.customer.phone ? { phone: c.customer.phone } : {}),
  };
}
