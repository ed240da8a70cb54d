import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../../functions/domain/calendar/index.js';
import type { Complaint } from '../../../functions/domain/model.js';
import { analyse, distribution, measure } from '../../../functions/domain/reports.js';

const now = new Date('2026-12-31T00:00:00Z');
let n = 0;

function complaint(overrides: Partial<Complaint> = {}): Complaint {
  n += 1;
  return {
    id: `C2611-0000-${String(n).padStart(4, '0')}`,
    channel: 'web',
    customer: { name: '张三', email: 'z@example.com', language: 'zh-CN' },
    subject: 'secret subject',
    description: 'secret description',
    stage: 'investigation',
    createdAt: '2026-11-02T10:00:00+08:00', // Monday
    replyDueBy: '2026-11-09T18:00:00+08:00',
    replyDueProvisional: false,
    declines: 0,
    reopens: 0,
    proposalRounds: 0,
    escalations: 0,
    maxEscalationLevel: 0,
    repeat: false,
    version: 1,
    ...overrides,
  };
}

const resolved = (o: Partial<Complaint> = {}) =>
  complaint({
    stage: 'closed',
    outcome: 'resolved',
    closedAt: '2026-11-20T10:00:00+08:00',
    proposalRounds: 1,
    ...o,
  });

describe('distribution', () => {
  it('gives mean and nearest-rank p90', () => {
    expect(distribution([])).toEqual({ n: 0, mean: null, p90: null });
    expect(distribution([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ n: 10, mean: 5.5, p90: 9 });
    expect(distribution([4])).toEqual({ n: 1, mean: 4, p90: 4 });
  });
});

describe('measure', () => {
  it('computes every rate with its numerator and denominator', () => {
    const m = measure(
      [
        // answered within 2 working days, on time, first proposal, satisfied
        resolved({
          firstResponseAt: '2026-11-04T10:00:00+08:00',
          survey: { rating: 5, answeredAt: '2026-11-20T10:00:00+08:00', by: 'customer' },
        }),
        // answered late; reopened once; rated 2; escalated
        resolved({
          firstResponseAt: '2026-11-10T10:00:00+08:00',
          reopens: 1,
          proposalRounds: 2,
          escalations: 1,
          maxEscalationLevel: 1,
          survey: { rating: 2, answeredAt: '2026-11-20T10:00:00+08:00', by: 'staff' },
          repeat: true,
        }),
        // rejected at investigation
        complaint({
          stage: 'closed',
          outcome: 'rejected',
          closedAt: '2026-11-03T10:00:00+08:00',
          firstResponseAt: '2026-11-03T10:00:00+08:00',
          investigation: { valid: false, category: 'other', severity: 'minor', findings: 'x' },
        }),
        // unanswered, promised date passed → not timely
        complaint({ replyDueBy: '2026-11-09T18:00:00+08:00' }),
        // unanswered, promised date still ahead → not counted for timeliness
        complaint({ replyDueBy: '2027-01-10T18:00:00+08:00' }),
      ],
      now,
      defaultCalendar(),
    );
    expect(m.complaints).toBe(5);
    expect(m.open).toBe(2);
    expect(m.closed).toBe(3);
    expect(m.outcomes).toEqual({ resolved: 2, rejected: 1, no_response: 0 });
    expect(m.timelyHandling).toEqual({ count: 2, of: 4, rate: 0.5 });
    expect(m.onTimeCompletion).toEqual({ count: 2, of: 3, rate: 0.6667 });
    expect(m.satisfaction).toEqual({ count: 1, of: 2, rate: 0.5, meanRating: 3.5 });
    expect(m.repeat).toEqual({ count: 1, of: 5, rate: 0.2 });
    expect(m.firstContactResolution).toEqual({ count: 1, of: 2, rate: 0.5 });
    expect(m.escalation).toEqual({ count: 1, of: 5, rate: 0.2 });
    expect(m.rejected).toEqual({ count: 1, of: 1, rate: 1 });
    // 48 h, 192 h, 24 h
    expect(m.timeToFirstResponse.hours).toEqual({ n: 3, mean: 88, p90: 192 });
    // Mon→Wed 2, Mon→next Tue 6, Mon→Tue 1
    expect(m.timeToFirstResponse.workingDays).toEqual({ n: 3, mean: 3, p90: 6 });
  });

  it('counts only missed deadlines against on-time completion, not the alerts for repeated declines', () => {
    const closedOnTime = [
      // declined 3 times (threshold 2): one manager alert, no deadline missed
      resolved({ declines: 3, proposalRounds: 4, escalations: 1, maxEscalationLevel: 2 }),
      // reopened 4 times: two alerts, no deadline missed
      resolved({ reopens: 4, proposalRounds: 5, escalations: 2, maxEscalationLevel: 2 }),
    ];
    const late = [
      // one alert for a third decline, and one missed deadline
      resolved({ declines: 3, proposalRounds: 4, escalations: 2, maxEscalationLevel: 2 }),
      resolved({ escalations: 1, maxEscalationLevel: 1 }),
    ];
    const m = measure([...closedOnTime, ...late], now);
    expect(m.onTimeCompletion).toEqual({ count: 2, of: 4, rate: 0.5 });
    // every one of them was escalated, though
    expect(m.escalation).toEqual({ count: 4, of: 4, rate: 1 });
    // a higher threshold: those declines and reopens were no alerts, so the escalations were missed deadlines
    expect(measure(closedOnTime, now, undefined, 5).onTimeCompletion).toEqual({ count: 0, of: 2, rate: 0 });
    const report = analyse({
      complaints: closedOnTime,
      period: { from: '2026-10-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
      now,
      repeatEscalationThreshold: 3,
    });
    // threshold 3: the first one's escalation was a missed deadline, the second had one alert
    expect(report.overall.onTimeCompletion).toEqual({ count: 0, of: 2, rate: 0 });
    expect(report.byChannel.web?.onTimeCompletion).toEqual({ count: 0, of: 2, rate: 0 });
  });

  it('gives null rates, not NaN, for empty groups', () => {
    const m = measure([], now);
    expect(m.timelyHandling).toEqual({ count: 0, of: 0, rate: null });
    expect(m.satisfaction.meanRating).toBeNull();
    expect(m.timeToFirstResponse.workingDays).toBeUndefined();
  });
});

describe('analyse', () => {
  it('breaks down by category, severity, channel and department, with no personal data', () => {
    const report = analyse({
      complaints: [
        resolved({ category: 'delivery', severity: 'minor', channel: 'phone', department: 'logistics' }),
        complaint({ category: 'delivery', channel: 'web' }),
        complaint({}),
      ],
      period: { from: '2026-10-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
      now,
    });
    expect(Object.keys(report.byCategory)).toEqual(['delivery', 'uncategorized']);
    expect(report.byCategory.delivery?.complaints).toBe(2);
    expect(Object.keys(report.bySeverity)).toEqual(['minor', 'unassessed']);
    expect(Object.keys(report.byChannel)).toEqual(['phone', 'web']);
    expect(report.byDepartment.unassigned?.complaints).toBe(2);
    expect(report.overall.complaints).toBe(3);
    const text = JSON.stringify(report);
    for (const pii of ['张三', 'z@example.com', 'secret', 'C2611']) expect(text).not.toContain(pii);
  });
});
