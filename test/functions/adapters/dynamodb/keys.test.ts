import { describe, expect, it } from 'vitest';
import { indexKeys, monthSegments } from '../../../../functions/adapters/dynamodb/keys.js';

describe('monthSegments', () => {
  it('covers a quarter in the calendar zone with contiguous ranges inside each month partition', () => {
    const ranges = monthSegments('2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00');
    // Sep 30 16:00 UTC → Dec 31 16:00 UTC: Sep (1 range), Oct (4), Nov (4), Dec (4)
    expect(ranges.map((r) => r.pk)).toEqual([
      'MONTH#2026-09',
      ...Array(4).fill('MONTH#2026-10'),
      ...Array(4).fill('MONTH#2026-11'),
      ...Array(4).fill('MONTH#2026-12'),
    ]);
    expect(ranges[0]).toEqual({
      pk: 'MONTH#2026-09',
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
    });
    expect(ranges.at(-1)?.to).toBe('2026-12-31T16:00:00.000Z');
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.from).toBe(ranges[i - 1]?.to);
  });

  it("puts every instant's key in exactly one range, by its receipt", () => {
    const ranges = monthSegments('2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z');
    const at = (instant: string, receivedAt?: string) => {
      const keys = indexKeys({
        id: 'C2610-AAAA-BBBB',
        stage: 'received',
        createdAt: instant,
        ...(receivedAt ? { receivedAt } : {}),
      });
      return ranges.filter((r) => r.pk === keys.gsi3pk && r.from <= keys.gsi3sk && keys.gsi3sk <= r.to);
    };
    for (const instant of ['2026-10-01T00:00:00Z', '2026-10-09T00:00:00Z', '2026-10-31T23:59:59.999Z'])
      expect(at(instant)).toHaveLength(1);
    expect(at('2026-12-01T00:00:00Z')).toHaveLength(0); // `to` is excluded
    // registered in the period, received before it: not in its ranges
    expect(at('2026-10-02T00:00:00Z', '2026-09-29T00:00:00Z')).toHaveLength(0);
    expect(monthSegments('2026-12-01T00:00:00Z', '2026-10-01T00:00:00Z')).toEqual([]);
  });
});
