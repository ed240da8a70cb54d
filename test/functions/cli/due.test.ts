import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDue, USAGE } from '../../../functions/cli/due.js';

const ROOT = path.resolve(__dirname, '../../..');
const EMPTY_CONFIG = mkdtempSync(path.join(tmpdir(), 'due-config-'));

function due(args: string[], env: NodeJS.ProcessEnv = { CONFIG_DIR: EMPTY_CONFIG }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runDue(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function file(name: string, content: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'due-'));
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

describe('due', () => {
  it.each([
    // the example: National Day Oct 1–7 off, Saturday Oct 10 worked
    ['2026-09-30T10:00:00+08:00', '5', '2026-10-13T18:00:00+08:00'],
    // started on a day off (National Day) and after hours
    ['2026-10-02T09:00:00+08:00', '1', '2026-10-08T18:00:00+08:00'],
    ['2026-10-09T19:45:00+08:00', '1', '2026-10-10T18:00:00+08:00'],
    // Spring Festival 2026: Saturday Feb 14 worked, Feb 15–23 off, Saturday Feb 28 worked
    ['2026-02-13T12:00:00+08:00', '5', '2026-02-27T18:00:00+08:00'],
    ['2026-02-13T12:00:00+08:00', '6', '2026-02-28T18:00:00+08:00'],
    // 2025: National Day + Mid-Autumn Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 worked
    ['2025-09-27T10:00:00+08:00', '1', '2025-09-28T18:00:00+08:00'],
    ['2025-09-30T10:00:00+08:00', '2', '2025-10-10T18:00:00+08:00'],
    ['2025-09-30T10:00:00+08:00', '3', '2025-10-11T18:00:00+08:00'],
    // an instant in UTC, already the next day in Shanghai
    ['2026-09-30T17:00:00Z', '1', '2026-10-08T18:00:00+08:00'],
    // N = 0: by today's close
    ['2026-09-30T10:00:00+08:00', '0', '2026-09-30T18:00:00+08:00'],
    // a year with no notice yet: projected, provisional
    ['2027-02-04T10:00:00+08:00', '1', '2027-02-11T18:00:00+08:00 provisional'],
    // 2027 国庆 Oct 1 (Fri) – 3 (Sun), 补假 for Sat/Sun → Mon Oct 4, Tue Oct 5 off
    ['2027-09-30T10:00:00+08:00', '5', '2027-10-12T18:00:00+08:00 provisional'],
  ])('%s %s → %s', (start, n, expected) => {
    expect(due([start, n])).toEqual({ code: 0, out: expected, err: '' });
  });

  it.each([
    // the examples
    ['2026-09-20T10:00:00+08:00', '15', 'calendarDays', '2026-10-08T18:00:00+08:00'],
    ['2026-09-30T19:30:00+08:00', '24', 'hours', '2026-10-01T19:30:00+08:00'],
    // day 15 (Oct 5) is in National Day; Oct 8 is the next working day (art. 203)
    ['2026-09-20T10:00:00+08:00', '14', 'calendarDays', '2026-10-08T18:00:00+08:00'],
    ['2026-09-20T10:00:00+08:00', '10', 'calendarDays', '2026-09-30T18:00:00+08:00'],
    // Sep 30 19:30 → Oct 8 09–18 (9), Oct 9 (18), make-up Saturday Oct 10 09:00–15:00 (24)
    ['2026-09-30T19:30:00+08:00', '24', 'workingHours', '2026-10-10T15:00:00+08:00'],
    ['2026-09-30T10:00:00+08:00', '5', 'workingDays', '2026-10-13T18:00:00+08:00'],
    // a projected year
    ['2026-12-30T17:00:00+08:00', '2', 'calendarDays', '2027-01-04T18:00:00+08:00 provisional'],
    ['2026-12-31T17:00:00+08:00', '2', 'hours', '2026-12-31T19:00:00+08:00'],
  ])('%s %s --unit %s → %s', (start, n, unit, expected) => {
    expect(due([start, n, '--unit', unit])).toEqual({ code: 0, out: expected, err: '' });
    expect(due([`--unit=${unit}`, start, n])).toEqual({ code: 0, out: expected, err: '' });
  });

  it('applies a --calendar file (a 2027 notice makes 2027 exact)', () => {
    const notice = file('2027.json', {
      year: 2027,
      daysOff: ['2027-02-05/2027-02-12'],
      workdays: ['2027-02-14'],
    });
    expect(due(['2027-02-04T10:00:00+08:00', '1', '--calendar', notice]).out).toBe(
      '2027-02-14T18:00:00+08:00',
    );
    expect(due(['2027-02-04T10:00:00+08:00', '1', `--calendar=${notice}`]).out).toBe(
      '2027-02-14T18:00:00+08:00',
    );
  });

  it("uses CONFIG_DIR's calendar folder, with --calendar winning", () => {
    const config = mkdtempSync(path.join(tmpdir(), 'due-config-'));
    mkdirSync(path.join(config, 'calendar'));
    writeFileSync(
      path.join(config, 'calendar', 'company.json'),
      JSON.stringify({ base: 'mainland-china', closeOfBusiness: '17:00' }),
    );
    expect(due(['2026-09-30T10:00:00+08:00', '5'], { CONFIG_DIR: config }).out).toBe(
      '2026-10-13T17:00:00+08:00',
    );
    const custom = file('utc.json', { timeZone: 'UTC' });
    expect(
      due(['2026-09-30T10:00:00+08:00', '5', '--calendar', custom], { CONFIG_DIR: config }),
    ).toMatchObject({
      code: 1,
      err: expect.stringContaining('only one calendar file is allowed'),
    });
  });

  it('prints help', () => {
    expect(due(['--help'])).toEqual({ code: 0, out: USAGE, err: '' });
    expect(USAGE).toMatch(
      /^Usage: npm run --silent due -- <start> <N> \[--unit <unit>\] \[--calendar <file>\]/,
    );
    for (const unit of ['workingDays', 'calendarDays', 'hours', 'workingHours'])
      expect(USAGE).toContain(unit);
    // the examples in the help are true
    for (const [, start, n, unit, expected] of USAGE.matchAll(
      /due -- (\S+) (\d+)(?: --unit (\w+))?\s+→\s+(\S+)/g,
    )) {
      expect(due([start as string, n as string, '--unit', unit ?? 'workingDays']).out).toBe(expected);
    }
  });

  it.each([
    [[], 'expected <start> and <N>, got 0'],
    [['2026-09-30T10:00:00+08:00'], 'expected <start> and <N>, got 1'],
    [['2026-09-30T10:00:00+08:00', '5', '6'], 'expected <start> and <N>, got 3'],
    [['2026-09-30T10:00:00', '5'], 'is not an instant with a UTC offset'],
    [['yesterday', '5'], '<start>: "yesterday"'],
    [['2026-09-30', '5'], '<start>: "2026-09-30" is not an instant with a UTC offset'],
    [['2026-02-30T10:00:00+08:00', '5'], 'is not an ISO 8601 instant'],
    [['2026-09-30T10:00:00+08:00', '-1'], '<N> must be a whole number of working days ≥ 0, got "-1"'],
    [['2026-09-30T10:00:00+08:00', '1.5'], 'got "1.5"'],
    [['2026-09-30T10:00:00+08:00', 'five'], 'got "five"'],
    [['2026-09-30T10:00:00+08:00', '99999'], 'at most 10000'],
    [['2026-09-30T10:00:00+08:00', '5', '--calendar'], '--calendar needs a file'],
    [['2026-09-30T10:00:00+08:00', '5', '--verbose'], 'unknown option --verbose'],
    [
      ['2026-09-30T10:00:00+08:00', '5', '--unit', 'weeks'],
      'unknown unit "weeks": use workingDays, calendarDays',
    ],
    [['2026-09-30T10:00:00+08:00', '5', '--unit=days'], 'unknown unit "days"'],
    [['2026-09-30T10:00:00+08:00', '5', '--unit'], '--unit needs a unit'],
    [
      ['2026-09-30T10:00:00+08:00', '1.5', '--unit', 'hours'],
      '<N> must be a whole number of hours ≥ 0, got "1.5"',
    ],
    [['2026-09-30T10:00:00+08:00', '100001', '--unit', 'hours'], 'hours must be at most 100000'],
    [['2003-09-30T10:00:00+08:00', '5'], 'no data before 2004'],
  ])('refuses %j with usage and exit 2', (args, message) => {
    const r = due(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage: npm run --silent due');
  });

  it('refuses a malformed calendar file, naming the entry, exit 1', () => {
    const bad = file('2027.json', {
      year: 2027,
      daysOff: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-30'],
    });
    const r = due(['2027-02-04T10:00:00+08:00', '1', '--calendar', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/2027\.json: daysOff\[3\] "2027-02-30" is not a date/);
  });

  it('runs as the npm script does (tsx), with exit codes', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'functions/cli/due.ts', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CONFIG_DIR: EMPTY_CONFIG },
      });
    const ok = run('2026-09-30T10:00:00+08:00', '5');
    expect([ok.status, ok.stdout]).toEqual([0, '2026-10-13T18:00:00+08:00\n']);
    const hours = run('2026-09-30T19:30:00+08:00', '24', '--unit', 'hours');
    expect([hours.status, hours.stdout]).toEqual([0, '2026-10-01T19:30:00+08:00\n']);
    const unknown = run('2026-09-30T10:00:00+08:00', '5', '--unit', 'fortnights');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Usage:');
    const bad = run('2026-09-30T10:00:00+08:00');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('Usage:');
  });
});
