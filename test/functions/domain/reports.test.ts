import { beforeEach, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../../functions/domain/calendar/index.js';
import type { AuditEventType, Complaint, Step } from '../../../functions/domain/model.js';
import { STAGE_OF_STEP } from '../../../functions/domain/model.js';
import { warningInstant } from '../../../functions/domain/policy.js';
import {
  Analysis,
  analyse,
  analyseStored,
  bucketer,
  distribution,
  measure,
  type ReportInput,
} from '../../../functions/domain/reports.js';
import { BOM, csvField, reportCsv } from '../../../functions/domain/reports-csv.js';
import { reportRecordOf } from '../../../functions/domain/reports-record.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { createInput, newComplaint } from './store/fixtures.js';

const calendar = defaultCalendar();
const workingHours = (a: number, b: number) => calendar.workingHoursBetween(a, b);
const system = { kind: 'system' } as const;
const H = 3_600_000;
const ms = (iso: string) => Date.parse(iso);

describe('working hours', () => {
  it('counts 09:00–18:00 of working days in Asia/Shanghai', () => {
    // Monday 10:00 → Monday 15:00
    expect(workingHours(ms('2026-11-02T10:00:00+08:00'), ms('2026-11-02T15:00:00+08:00'))).toBe(5);
    // Friday 17:00 → Monday 10:00: 1 h Friday, 1 h Monday, nothing at the weekend or at night
    expect(workingHours(ms('2026-11-06T17:00:00+08:00'), ms('2026-11-09T10:00:00+08:00'))).toBe(2);
    // National Day week 2026 (Oct 1–7 off; Saturday Oct 10 is a make-up working day)
    expect(workingHours(ms('2026-09-30T17:00:00+08:00'), ms('2026-10-08T10:00:00+08:00'))).toBe(2);
    expect(workingHours(ms('2026-10-10T00:00:00+08:00'), ms('2026-10-11T00:00:00+08:00'))).toBe(9);
    expect(workingHours(ms('2026-11-02T20:00:00+08:00'), ms('2026-11-02T10:00:00+08:00'))).toBe(0);
  });

  it('buckets weeks and months in the calendar zone, not UTC', () => {
    const week = bucketer('week', calendar.timeZone);
    // Monday 00:30 in Shanghai is Sunday in UTC: still the Monday's week
    expect(week(ms('2026-11-09T00:30:00+08:00') / 1000)).toBe('2026-11-09');
    expect(week(ms('2026-11-08T23:30:00+08:00') / 1000)).toBe('2026-11-02');
    const month = bucketer('month', calendar.timeZone);
    expect(month(ms('2026-12-01T00:30:00+08:00') / 1000)).toBe('2026-12-01');
  });
});

describe('distribution', () => {
  it('gives mean and nearest-rank p90', () => {
    expect(distribution([])).toEqual({ n: 0, mean: null, p90: null });
    expect(distribution([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ n: 10, mean: 5.5, p90: 9 });
    expect(distribution([4])).toEqual({ n: 1, mean: 4, p90: 4 });
  });
});

/**
 * A seeded data set driven through the store the way the journey changes complaints, so
 * that the report records are kept by the store, as in production. Every figure below is
 * computed by hand from this script.
 */
describe('analysis of a seeded quarter', () => {
  let now = new Date('2026-11-02T10:00:00+08:00');
  let store: MemoryComplaintStore;
  beforeEach(() => {
    store = new MemoryComplaintStore({ clock: () => now });
  });
  const at = (iso: string) => {
    now = new Date(iso);
  };

  async function file(createdAt: string, o: Partial<Complaint> = {}): Promise<string> {
    at(createdAt);
    const { complaint } = await store.create(
      createInput({
        complaint: newComplaint({ createdAt, replyDueBy: calendar.addWorkingDays(createdAt, 5).dueAt, ...o }),
      }),
    );
    return complaint.id;
  }
  async function open(id: string, when: string, step: Step, dueAt: string, level = 0) {
    at(when);
    await store.update(id, () => ({
      set: {
        stage: STAGE_OF_STEP[step],
        pending: {
          step,
          stage: STAGE_OF_STEP[step],
          taskToken: 't',
          dueAt,
          provisional: false,
          escalationLevel: level,
          since: when,
        },
      },
      event: { type: 'step_opened', actor: system, data: { step, level } },
    }));
  }
  async function act(
    id: string,
    when: string,
    type: AuditEventType,
    set: Partial<Complaint>,
    data?: Record<string, unknown>,
  ) {
    at(when);
    await store.update(id, () => ({
      set,
      remove: ['pending'],
      event: { type, actor: system, ...(data ? { data } : {}) },
    }));
  }
  async function escalate(id: string, when: string, level: number) {
    at(when);
    await store.update(id, (c) => ({
      set: { escalations: c.escalations + 1, maxEscalationLevel: Math.max(level, c.maxEscalationLevel) },
      event: { type: 'escalated', actor: system, data: { level } },
    }));
  }
  const survey = (rating: 1 | 2 | 3 | 4 | 5, answeredAt: string) => ({
    rating,
    answeredAt,
    by: 'customer' as const,
  });

  async function seed() {
    const due = '2026-12-31T18:00:00+08:00';
    // A: delivery / logistics. Reopened after a rating of 2, then rated 5.
    const a = await file('2026-11-02T10:00:00+08:00', { category: 'delivery', department: 'logistics' });
    await open(a, '2026-11-02T10:00:00+08:00', 'investigation', due);
    await act(a, '2026-11-02T15:00:00+08:00', 'investigated', {
      stage: 'proposal',
      category: 'delivery',
      severity: 'general',
      department: 'logistics',
      investigation: {
        valid: true,
        category: 'delivery',
        severity: 'general',
        department: 'logistics',
        findings: 'x',
      },
    });
    await open(a, '2026-11-02T15:00:00+08:00', 'proposal', due);
    await act(a, '2026-11-03T11:00:00+08:00', 'proposed', { stage: 'review', proposalRounds: 1 });
    await open(a, '2026-11-03T11:00:00+08:00', 'review', due);
    await act(a, '2026-11-03T14:00:00+08:00', 'approved', {
      stage: 'customer_decision',
      firstResponseAt: '2026-11-03T14:00:00+08:00',
    });
    await open(a, '2026-11-03T14:00:00+08:00', 'customer_decision', due);
    await act(a, '2026-11-04T14:00:00+08:00', 'accepted', { stage: 'implementation' });
    await open(a, '2026-11-04T14:00:00+08:00', 'implementation', due);
    await act(a, '2026-11-05T14:00:00+08:00', 'implemented', { stage: 'follow_up' });
    await open(a, '2026-11-05T14:00:00+08:00', 'follow_up', due);
    await act(a, '2026-11-06T14:00:00+08:00', 'reopened', {
      stage: 'proposal',
      reopens: 1,
      survey: survey(2, '2026-11-06T14:00:00+08:00'),
    });
    await open(a, '2026-11-06T14:00:00+08:00', 'proposal', due);
    await act(a, '2026-11-09T10:00:00+08:00', 'proposed', { stage: 'review', proposalRounds: 2 });
    await open(a, '2026-11-09T10:00:00+08:00', 'review', due);
    await act(a, '2026-11-09T11:00:00+08:00', 'approved', { stage: 'customer_decision' });
    await open(a, '2026-11-09T11:00:00+08:00', 'customer_decision', due);
    await act(a, '2026-11-09T12:00:00+08:00', 'accepted', { stage: 'implementation' });
    await open(a, '2026-11-09T12:00:00+08:00', 'implementation', due);
    await act(a, '2026-11-09T13:00:00+08:00', 'implemented', { stage: 'follow_up' });
    await open(a, '2026-11-09T13:00:00+08:00', 'follow_up', due);
    await act(a, '2026-11-09T14:00:00+08:00', 'surveyed', { survey: survey(5, '2026-11-09T14:00:00+08:00') });
    at('2026-11-09T14:00:00+08:00');
    await store.update(a, () => ({
      set: { stage: 'closed', outcome: 'resolved', closedAt: '2026-11-09T14:00:00+08:00' },
      event: { type: 'closed', actor: system },
    }));

    // B: price / billing. The supervisor returned the first plan (internal), then the
    // customer accepted the second, rated 4: first-contact resolution all the same.
    const b = await file('2026-11-02T10:00:00+08:00', {
      category: 'price',
      department: 'billing',
      channel: 'phone',
      repeat: true,
    });
    await open(b, '2026-11-02T10:00:00+08:00', 'investigation', due);
    await act(b, '2026-11-02T12:00:00+08:00', 'investigated', {
      stage: 'proposal',
      category: 'price',
      severity: 'minor',
      investigation: { valid: true, category: 'price', severity: 'minor', findings: 'x' },
    });
    await open(b, '2026-11-02T12:00:00+08:00', 'proposal', '2026-11-02T14:00:00+08:00');
    await escalate(b, '2026-11-02T14:00:00+08:00', 1); // missed its deadline
    await act(b, '2026-11-02T16:00:00+08:00', 'proposed', { stage: 'review', proposalRounds: 1 });
    await open(b, '2026-11-02T16:00:00+08:00', 'review', due);
    await act(b, '2026-11-02T17:00:00+08:00', 'returned', { stage: 'proposal' });
    await open(b, '2026-11-02T17:00:00+08:00', 'proposal', due);
    await act(b, '2026-11-03T10:00:00+08:00', 'proposed', { stage: 'review', proposalRounds: 2 });
    await open(b, '2026-11-03T10:00:00+08:00', 'review', due);
    await act(b, '2026-11-03T11:00:00+08:00', 'approved', {
      stage: 'customer_decision',
      firstResponseAt: '2026-11-03T11:00:00+08:00',
    });
    await open(b, '2026-11-03T11:00:00+08:00', 'customer_decision', due);
    await act(b, '2026-11-03T12:00:00+08:00', 'accepted', { stage: 'implementation' });
    await open(b, '2026-11-03T12:00:00+08:00', 'implementation', due);
    await act(b, '2026-11-03T13:00:00+08:00', 'implemented', { stage: 'follow_up' });
    await open(b, '2026-11-03T13:00:00+08:00', 'follow_up', due);
    await act(b, '2026-11-03T15:00:00+08:00', 'surveyed', { survey: survey(4, '2026-11-03T15:00:00+08:00') });
    at('2026-11-03T15:00:00+08:00');
    await store.update(b, () => ({
      set: { stage: 'closed', outcome: 'resolved', closedAt: '2026-11-03T15:00:00+08:00' },
      event: { type: 'closed', actor: system },
    }));

    // C: rejected at investigation, answered the next day.
    const c = await file('2026-11-16T09:00:00+08:00', { channel: 'email' });
    await open(c, '2026-11-16T09:00:00+08:00', 'investigation', due);
    at('2026-11-17T09:00:00+08:00');
    await store.update(c, () => ({
      set: {
        stage: 'closed',
        outcome: 'rejected',
        closedAt: '2026-11-17T09:00:00+08:00',
        firstResponseAt: '2026-11-17T09:00:00+08:00',
        category: 'other',
        severity: 'minor',
        investigation: { valid: false, category: 'other', severity: 'minor', findings: 'x' },
      },
      remove: ['pending'],
      event: { type: 'rejected', actor: system },
    }));

    // D: open, its investigation 1 working day (09:00–18:00 Mon Nov 30), 90% elapsed at 17:06 → at risk
    const d = await file('2026-11-30T09:00:00+08:00', { category: 'product', department: 'quality' });
    await open(d, '2026-11-30T09:00:00+08:00', 'investigation', '2026-11-30T18:00:00+08:00');
    // E: open, investigation due Nov 27 18:00: breached, escalated twice (levels 1 and 2)
    const e = await file('2026-11-26T09:00:00+08:00');
    await open(e, '2026-11-26T09:00:00+08:00', 'investigation', '2026-11-27T18:00:00+08:00');
    await escalate(e, '2026-11-27T18:00:00+08:00', 1);
    await escalate(e, '2026-11-30T18:00:00+08:00', 2);
    // F: open, investigation just opened: neither at risk nor breached
    const f = await file('2026-11-30T16:00:00+08:00');
    await open(f, '2026-11-30T16:00:00+08:00', 'investigation', '2026-12-01T18:00:00+08:00');
    // G: received in the previous quarter, still open and breached: in the risk list, not in the figures
    const g = await file('2026-09-30T23:30:00+08:00');
    await open(g, '2026-09-30T23:30:00+08:00', 'investigation', '2026-10-08T18:00:00+08:00');
    return { a, b, c, d, e, f, g };
  }

  const period = { from: '2026-10-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };
  async function report(interval?: 'week' | 'month', options: Pick<ReportInput, 'warning'> = {}) {
    store = new MemoryComplaintStore({ clock: () => now }); // a fresh data set per report
    const ids = await seed();
    at('2026-11-30T17:06:00+08:00');
    const r = analyse({
      records: await store.reportRecords(period.from, period.to),
      open: await store.openReportRecords(),
      period,
      now,
      calendar,
      workingHours,
      ...(interval ? { interval } : {}),
      ...options,
    });
    return { ids, r };
  }

  it('gives the same report fed record by record in any order (analyseStored, Analysis) as analyse over all the records', async () => {
    const { r } = await report('week');
    const options = { period, now, calendar, workingHours, interval: 'week' as const };
    expect(await analyseStored(store, options)).toEqual(r);
    const records = await store.reportRecords(period.from, period.to);
    expect(records.length).toBeGreaterThan(3);
    const reversed = new Analysis(options);
    for (const record of [...records].reverse()) reversed.add(record);
    expect(reversed.report(await store.openReportRecords())).toEqual(r);
    // a record fed twice is counted twice: the totals are the records', not a set's
    const twice = new Analysis(options);
    for (const record of [...records, records[0] as (typeof records)[number]]) twice.add(record);
    expect(twice.report().overall.complaints).toBe(r.overall.complaints + 1);
  });

  it('counts every survey, not only the last, and an internal return keeps first-contact resolution', async () => {
    const { r } = await report();
    const m = r.overall;
    expect(m.complaints).toBe(6); // A–F; G was received in Q3
    expect(m.closed).toBe(3);
    expect(m.outcomes).toEqual({ resolved: 2, rejected: 1, no_response: 0 });
    // ratings 2 and 5 (A), 4 (B): 2 of 3 satisfied, mean 11/3
    expect(m.satisfaction).toEqual({ count: 2, of: 3, rate: 0.6667, meanRating: 3.67 });
    // B was returned by the supervisor once and still counts; A was reopened and does not
    expect(m.firstContactResolution).toEqual({ count: 1, of: 2, rate: 0.5 });
    expect(m.loopBacks).toEqual({ returns: 1, declines: 0, reopens: 1 });
    expect(m.repeat).toEqual({ count: 1, of: 6, rate: 0.1667 });
    // A, B, C answered in time; D, E, F are not answered and their promised date is ahead
    expect(m.timelyHandling).toEqual({ count: 3, of: 3, rate: 1 });
    // B missed a deadline (escalated at level 1): 2 of 3 closed on time
    expect(m.onTimeCompletion).toEqual({ count: 2, of: 3, rate: 0.6667 });
    expect(m.escalation).toEqual({ count: 2, of: 6, rate: 0.3333 });
    expect(m.escalationsByLevel).toEqual({ '1': 2, '2': 1, '3+': 0 });
    expect(m.rejected).toEqual({ count: 1, of: 3, rate: 0.3333 });
    // first response: A 28 h, B 25 h, C 24 h
    expect(m.timeToFirstResponse.hours).toEqual({ n: 3, mean: 25.67, p90: 28 });
    expect(m.reached.proposal).toBe(2);
    expect(m.reached.investigation).toBe(6);
    expect(m.reached.closed).toBe(3);
  });

  it('measures time in each stage in working hours, per pass', async () => {
    const { r } = await report();
    const t = r.overall.timeInStage;
    // investigation passes: A 5 h (Mon 10–15), B 2 h (10–12), C 9 h (Mon 09:00 → Tue 09:00)
    expect(t?.investigation).toEqual({ n: 3, mean: 5.33, p90: 9 });
    // proposal passes: A 5 h (Mon 15 → Tue 11), A 5 h (Fri 14 → Mon 10: 4 + 1), B 4 h (12–16), B 2 h (Mon 17 → Tue 10: 1 + 1)
    expect(t?.proposal).toEqual({ n: 4, mean: 4, p90: 5 });
    // review passes: A 3 h, A 1 h, B 1 h (returned), B 1 h
    expect(t?.review).toEqual({ n: 4, mean: 1.5, p90: 3 });
    // by department: billing is B alone
    expect(r.byDepartment.billing?.timeInStage?.proposal).toEqual({ n: 2, mean: 3, p90: 4 });
    expect(r.byDepartment.billing?.loopBacks).toEqual({ returns: 1, declines: 0, reopens: 0 });
    expect(r.byCategory.delivery?.loopBacks).toEqual({ returns: 0, declines: 0, reopens: 1 });
  });

  it('lists open steps at risk and breached, whenever the complaint came in', async () => {
    const { ids, r } = await report();
    expect(r.risk?.open).toBe(4); // D, E, F, G
    expect(r.risk?.breached).toBe(2); // E, G
    expect(r.risk?.atRisk).toBe(1); // D: 8.1 of 9 working hours
    expect(r.risk?.items.map((i) => [i.id, i.state])).toEqual([
      [ids.g, 'breached'],
      [ids.e, 'breached'],
      [ids.d, 'at_risk'],
    ]);
    expect(r.risk?.items[2]?.elapsed).toBe(0.9);
    expect(r.risk?.items[1]?.level).toBe(0);
  });

  it("puts a step at risk from the policy's warning point, as the step warnings job warns", async () => {
    // D: 8.1 of 9 working hours elapsed; F (Mon 16:00 → Tue 18:00, 11 working hours): 1.1 elapsed
    const later = await report(undefined, { warning: { fraction: 0.95 } });
    expect(later.r.risk?.atRisk).toBe(0); // D at 0.9 < 0.95
    expect(later.r.risk?.breached).toBe(2);
    // 10 working hours before the deadline: F warns 1 h after it opened; D (9 h, not longer than
    // 10) at the default 80%
    const before = await report(undefined, { warning: { workingHoursBefore: 10 } });
    expect(before.r.risk?.items.filter((i) => i.state === 'at_risk').map((i) => i.id)).toEqual([
      before.ids.d,
      before.ids.f,
    ]);
    // the same instants as the warnings job's: at risk exactly when its warning time has come
    for (const warning of [{ fraction: 0.95 }, { fraction: 0.5 }, { workingHoursBefore: 10 }]) {
      const { r } = await report(undefined, { warning });
      const atRisk = new Set(r.risk?.items.filter((i) => i.state === 'at_risk').map((i) => i.id));
      for (const record of await store.openReportRecords()) {
        const p = record.pending;
        if (!p || p.due * 1000 < now.getTime()) continue;
        const warnAt = warningInstant(
          calendar,
          warning,
          new Date(p.since * 1000),
          new Date(p.due * 1000).toISOString(),
        );
        expect(atRisk.has(record.id), `${record.id} ${JSON.stringify(warning)}`).toBe(
          warnAt !== undefined && Date.parse(warnAt) <= now.getTime(),
        );
      }
    }
  });

  it('counts a complaint registered late by an agent from its receipt (receivedAt)', async () => {
    // received Wed Sep 30 (Q3), registered Thu Oct 8 (Q4): not in Q4
    await file('2026-10-08T10:00:00+08:00', { receivedAt: '2026-09-30T17:00:00+08:00' });
    // received Fri Oct 30 17:00, registered Mon Nov 2 10:00, answered Mon Nov 2 17:00
    const late = await file('2026-11-02T10:00:00+08:00', { receivedAt: '2026-10-30T17:00:00+08:00' });
    at('2026-11-02T17:00:00+08:00');
    await store.update(late, () => ({
      set: { firstResponseAt: '2026-11-02T17:00:00+08:00' },
      event: { type: 'acknowledged', actor: system },
    }));
    const r = analyse({
      records: await store.reportRecords(period.from, period.to),
      period,
      now,
      calendar,
      workingHours,
      interval: 'month',
    });
    expect(r.overall.complaints).toBe(1);
    // 72 h from the receipt (Fri 17:00 → Mon 17:00), not 7 h from the registration; working
    // days Fri 17:00 → Mon 17:00: 1
    expect(r.overall.timeToFirstResponse.hours).toEqual({ n: 1, mean: 72, p90: 72 });
    expect(r.overall.timeToFirstResponse.workingDays).toEqual({ n: 1, mean: 1, p90: 1 });
    // in October's point of the series (received), not November's (registered)
    expect(r.series?.map((p) => [p.start, p.measures.complaints])).toEqual([
      ['2026-10-01', 1],
      ['2026-11-01', 0],
      ['2026-12-01', 0],
    ]);
    const q3 = await store.reportRecords('2026-07-01T00:00:00+08:00', period.from);
    expect(q3.length).toBe(1);
  });

  it('adds a weekly series in the calendar zone with empty weeks present', async () => {
    const { r } = await report('week');
    expect(r.series?.[0]?.start).toBe('2026-09-28'); // Oct 1 2026 is a Thursday
    expect(r.series?.length).toBe(14);
    const byStart = Object.fromEntries((r.series ?? []).map((p) => [p.start, p.measures.complaints]));
    expect(byStart['2026-11-02']).toBe(2);
    expect(byStart['2026-11-16']).toBe(1);
    expect(byStart['2026-11-23']).toBe(1);
    expect(byStart['2026-11-30']).toBe(2);
    expect(byStart['2026-10-05']).toBe(0);
  });

  it('exports CSV with a BOM, quoting and no personal data', async () => {
    const { ids, r } = await report('month');
    const csv = reportCsv(r, 'zh-CN', (section, key) =>
      section === 'department' && key === 'billing' ? '财务, "结算"部' : key,
    );
    expect(csv.startsWith(BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]?.startsWith('维度,分组,投诉数,')).toBe(true);
    expect(csv).toContain('部门,"财务, ""结算""部",1,');
    expect(lines.find((l) => l.startsWith('月,2026-11-01'))?.split(',')[2]).toBe('6');
    expect(lines.at(-1)).toBe('');
    for (const pii of ['张三', 'zhang@example.com', '快递延误', ids.a]) expect(csv).not.toContain(pii);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('csv fields', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(csvField('物流部')).toBe('物流部');
  });
});

describe('measure on records built from complaints', () => {
  it('counts only missed deadlines against on-time completion, not the alerts for repeated declines', () => {
    const base = newComplaint({
      stage: 'closed',
      outcome: 'resolved',
      closedAt: '2026-11-20T10:00:00+08:00',
    });
    const c = (o: Partial<Complaint>) => reportRecordOf({ ...base, version: 1, ...o });
    const closedOnTime = [
      c({ declines: 3, escalations: 1, maxEscalationLevel: 2 }),
      c({ reopens: 4, escalations: 2, maxEscalationLevel: 2 }),
    ];
    const late = [
      c({ declines: 3, escalations: 2, maxEscalationLevel: 2 }),
      c({ escalations: 1, maxEscalationLevel: 1 }),
    ];
    const now = new Date('2026-12-31T00:00:00Z');
    expect(measure([...closedOnTime, ...late], now).onTimeCompletion).toEqual({ count: 2, of: 4, rate: 0.5 });
    expect(measure(closedOnTime, now, { repeatEscalationThreshold: 5 }).onTimeCompletion).toEqual({
      count: 0,
      of: 2,
      rate: 0,
    });
    expect(measure([], now).timelyHandling).toEqual({ count: 0, of: 0, rate: null });
    expect(measure([], now).timeInStage).toBeUndefined();
  });
});
void H;
