import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCalendar } from '../domain/calendar/index.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import {
  type Improvement,
  type ImprovementClock,
  isImprovementId,
  isOverdue,
} from '../domain/improvements.js';
import type { StaffActor } from '../runtime/auth.js';
import { configDir } from '../runtime/env.js';

/** What the improvement-action routes share: the calendar, department ids, scope and view. */

/** The business calendar, read once per container on its first use (not at import). */
let loaded: ReturnType<typeof loadCalendar> | undefined;
const calendar = () => {
  loaded ??= loadCalendar(configDir());
  return loaded;
};

export const improvementClock: ImprovementClock = {
  addWorkingDays: (from, n) => calendar().addWorkingDays(from, n),
  workingHours: (a: number, b: number) => calendar().workingHoursBetween(a, b),
};

/** Department ids from `<config>/departments.json`, read once at load. */
export const DEPARTMENT_IDS: readonly string[] =
  (
    JSON.parse(readFileSync(path.join(configDir(), 'departments.json'), 'utf8')) as {
      departments?: { id?: unknown }[];
    }
  ).departments
    ?.map((d) => d.id)
    .filter((id): id is string => typeof id === 'string') ?? [];

/** A path id that is no improvement id answers 404 like an unknown one. */
export function improvementIdOf(raw: string | undefined): string {
  if (!raw || !isImprovementId(raw)) throw new NotFoundError('No improvement action with this id was found.');
  return raw;
}

/** The `department` role sees and works on its own department's actions only. */
export function assertImprovementScope(
  actor: StaffActor,
  improvement: Pick<Improvement, 'department'>,
): void {
  if (actor.role === 'department' && improvement.department !== actor.department) {
    throw new ForbiddenError('This improvement action belongs to another department.');
  }
}

/** The action as the API shows it: with `overdue`; staff names left out of the analyst's view. */
export function improvementView(i: Improvement, now: Date, actor: StaffActor) {
  const { version: _version, ...rest } = i;
  const view = { ...rest, overdue: isOverdue(i, now) };
  if (actor.role !== 'analyst') return view;
  const anonymous = <T extends { by: unknown }>(x: T) => ({ ...x, by: role(x.by) });
  return {
    ...view,
    openedBy: role(i.openedBy),
    progress: i.progress.map(anonymous),
    reviews: i.reviews.map(anonymous),
  };
}

function role(actor: unknown) {
  const a = actor as { kind: string; role?: string };
  return a.kind === 'staff' ? { kind: 'staff', role: a.role } : { kind: a.kind };
}
