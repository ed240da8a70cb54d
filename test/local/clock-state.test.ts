import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/domain/clock.js';
import { chooseClock } from '../../local/clock-state.js';

const dirs: string[] = [];
const file = () => {
  const dir = mkdtempSync(join(tmpdir(), 'clock-state-'));
  dirs.push(dir);
  return join(dir, 'clock.json');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the local stack clock', () => {
  it('is the system clock unless told otherwise', () => {
    const choice = chooseClock({ file: file() });
    expect(choice.simulated).toBe(false);
    expect(Math.abs(choice.clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('stands at CLOCK_START until the stack runs it, then moves CLOCK_SPEED times faster', async () => {
    const choice = chooseClock({ file: file(), clockStart: '2026-11-23T09:00:00+08:00', clockSpeed: 3600 });
    const start = Date.parse('2026-11-23T09:00:00+08:00');
    expect(choice.clock.now().getTime()).toBe(start);
    await new Promise((r) => setTimeout(r, 20));
    expect(choice.clock.now().getTime()).toBe(start);
    choice.run();
    const realStart = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    const elapsedSimulated = choice.clock.now().getTime() - start;
    expect(elapsedSimulated).toBeGreaterThanOrEqual(40 * 3600);
    expect(elapsedSimulated).toBeLessThanOrEqual((Date.now() - realStart + 5) * 3600);
  });

  it('continues where the last run in the data folder stopped, never going back to CLOCK_START', async () => {
    const f = file();
    const first = chooseClock({ file: f, clockStart: '2026-11-23T09:00:00+08:00', clockSpeed: 3600 });
    first.run();
    const start = Date.parse('2026-11-23T09:00:00+08:00');
    while (first.clock.now().getTime() <= start) await new Promise((r) => setTimeout(r, 1));
    const saved = first.clock.now().getTime();
    first.save();
    const again = chooseClock({ file: f, clockStart: '2026-11-23T09:00:00+08:00', clockSpeed: 3600 });
    expect(again.clock.now().getTime()).toBeGreaterThanOrEqual(saved);
    expect(again.note).toContain('continues');
    // without CLOCK_START the data folder's simulated clock still continues
    const bare = chooseClock({ file: f });
    expect(bare.simulated).toBe(true);
    expect(bare.clock.now().getTime()).toBeGreaterThanOrEqual(saved);
    // a later CLOCK_START jumps forward
    const later = chooseClock({ file: f, clockStart: '2027-01-04T09:00:00+08:00' });
    expect(later.clock.now().toISOString()).toBe('2027-01-04T01:00:00.000Z');
  });

  it('uses a given clock as it is (tests)', () => {
    const manual = new ManualClock('2026-01-01T00:00:00Z');
    expect(chooseClock({ file: file(), clock: manual }).clock).toBe(manual);
  });

  it('refuses an unreadable CLOCK_START', () => {
    expect(() => chooseClock({ file: file(), clockStart: 'tomorrow' })).toThrow(
      'CLOCK_START must be an ISO instant',
    );
  });

  it('refuses a CLOCK_START that Date would bend: no offset, a day that does not exist, not ISO', () => {
    // a bare local time would silently follow the machine's time zone
    expect(() => chooseClock({ file: file(), clockStart: '2026-11-23T09:00:00' })).toThrow(
      'CLOCK_START needs its UTC offset (+08:00 for Shanghai, or Z)',
    );
    // Date rolls these over to 2026-03-02 and to the next day
    expect(() => chooseClock({ file: file(), clockStart: '2026-02-30T09:00:00+08:00' })).toThrow(
      'CLOCK_START is not a real date and time',
    );
    expect(() => chooseClock({ file: file(), clockStart: '2026-11-23T24:00:00Z' })).toThrow(
      'CLOCK_START is not a real date and time',
    );
    expect(() => chooseClock({ file: file(), clockStart: '11/23/2026' })).toThrow(
      'CLOCK_START must be an ISO instant',
    );
    const utc = chooseClock({ file: file(), clockStart: '2026-11-23T01:00Z' });
    expect(utc.clock.now().toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });
});
