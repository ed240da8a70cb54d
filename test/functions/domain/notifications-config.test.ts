import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DepartmentDefinition,
  encodeMailbox,
  escalationRecipients,
  loadNotificationsConfig,
  type NotificationsFile,
  ownerRecipients,
  parseNotificationsConfig,
  stepOwnerDepartment,
} from '../../../functions/domain/notifications-config.js';

const DEPARTMENTS: DepartmentDefinition[] = (
  JSON.parse(readFileSync('config/departments.json', 'utf8')) as { departments: DepartmentDefinition[] }
).departments;

const shipped = JSON.parse(readFileSync('config/notifications.json', 'utf8')) as NotificationsFile;
const valid = (): NotificationsFile => structuredClone(shipped);

describe('config/notifications.json as shipped', () => {
  it('loads, with recipients for every department of departments.json', () => {
    const config = loadNotificationsConfig({ configDir: 'config', env: {} });
    expect(Object.keys(config.departments).sort()).toEqual(DEPARTMENTS.map((d) => d.id).sort());
    expect(DEPARTMENTS).toHaveLength(6);
    for (const d of Object.values(config.departments)) {
      expect(d.email).toMatch(/@example\.com$/);
      expect(d.supervisorEmail).toMatch(/@example\.com$/);
    }
    expect(config.departments.logistics?.name['zh-CN']).toBe('物流部');
    expect(config.statusPageBaseUrl).toBe('https://complaints.example.com');
    expect(config.consoleBaseUrl).toBe('https://complaints.example.com');
    expect(config.replyTo).toEqual(['customer-care@example.com']);
    expect(config.staffLanguage).toBe('zh-CN');
  });
});

describe('parseNotificationsConfig', () => {
  it('names every bad entry', () => {
    const file = valid() as Record<string, unknown>;
    file.from = 'not an address';
    file.statusPageBaseUrl = 'ftp://example.com';
    const departments = file.departments as Record<string, { email: string; supervisorEmail: string }>;
    departments.sales = { email: 'sales-at-example.com', supervisorEmail: 'sales-supervisor@example.com' };
    file.managers = [];
    file.escalationChain = [['bosses']];
    file.unknownKey = 1;
    let message = '';
    try {
      parseNotificationsConfig(file, DEPARTMENTS, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid config\/notifications\.json: /);
    for (const part of [
      'from:',
      'statusPageBaseUrl:',
      'departments.sales.email:',
      'managers:',
      'escalationChain.0.0:',
      'unknownKey',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('requires recipients for every configured department, and no others', () => {
    const file = valid();
    delete (file.departments as Record<string, unknown>).billing;
    (file.departments as Record<string, unknown>).legal = {
      email: 'l@example.com',
      supervisorEmail: 's@example.com',
    };
    expect(() => parseNotificationsConfig(file, DEPARTMENTS, {})).toThrow(
      /departments\.billing: missing.*departments\.legal: not a department/,
    );
  });

  it('applies the deployment overrides from the environment', () => {
    const config = parseNotificationsConfig(valid(), DEPARTMENTS, {
      SENDER_EMAIL: 'complaints@corp.example.net',
      STATUS_PAGE_BASE_URL: 'http://localhost:3000/',
    });
    expect(config.from).toBe('Customer Care <complaints@corp.example.net>');
    expect(config.statusPageBaseUrl).toBe('http://localhost:3000');
    // the console follows the status page unless configured
    expect(config.consoleBaseUrl).toBe('http://localhost:3000');
    const withConsole = parseNotificationsConfig(
      { ...valid(), consoleBaseUrl: 'https://staff.example.com/' },
      DEPARTMENTS,
      {
        STATUS_PAGE_BASE_URL: 'http://localhost:3000',
      },
    );
    expect(withConsole.consoleBaseUrl).toBe('https://staff.example.com');
    expect(
      parseNotificationsConfig(valid(), DEPARTMENTS, { CONSOLE_BASE_URL: 'https://console.example.com' })
        .consoleBaseUrl,
    ).toBe('https://console.example.com');
    expect(() => parseNotificationsConfig(valid(), DEPARTMENTS, { SENDER_EMAIL: 'nobody' })).toThrow(
      /SENDER_EMAIL/,
    );
  });

  it('accepts a single reply-to address, none, and defaults for the optional keys', () => {
    const { replyTo, staffLanguage, escalationChain, signature, customerServiceDepartment, ...rest } =
      valid();
    void [replyTo, staffLanguage, escalationChain, signature, customerServiceDepartment];
    const config = parseNotificationsConfig(rest, DEPARTMENTS, {});
    expect(config.replyTo).toEqual([]);
    expect(config.staffLanguage).toBe('zh-CN');
    expect(config.customerServiceDepartment).toBe('customer-service');
    expect(config.escalationChain).toEqual([['stepOwnerSupervisor'], ['managers'], ['seniorManagement']]);
    expect(
      parseNotificationsConfig({ ...rest, replyTo: 'help@example.com' }, DEPARTMENTS, {}).replyTo,
    ).toEqual(['help@example.com']);
  });
});

describe('loadNotificationsConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notifications-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads CONFIG_DIR and says which file is wrong', () => {
    writeFileSync(path.join(dir, 'departments.json'), readFileSync('config/departments.json'));
    writeFileSync(path.join(dir, 'notifications.json'), '{ "from": ');
    expect(() => loadNotificationsConfig({ env: { CONFIG_DIR: dir } })).toThrow(
      `${path.join(dir, 'notifications.json')} is not valid JSON`,
    );
    writeFileSync(path.join(dir, 'notifications.json'), JSON.stringify({ ...valid(), managers: ['x'] }));
    expect(() => loadNotificationsConfig({ env: { CONFIG_DIR: dir } })).toThrow(
      /managers\.0: Must be an email address/,
    );
    rmSync(path.join(dir, 'notifications.json'));
    expect(() => loadNotificationsConfig({ env: { CONFIG_DIR: dir } })).toThrow(
      /Cannot read .*notifications\.json: ENOENT/,
    );
  });
});

describe('escalation recipients', () => {
  const config = parseNotificationsConfig(
    {
      ...valid(),
      managers: ['m1@example.com', 'm2@example.com'],
      escalationChain: [
        ['stepOwnerSupervisor', 'stepOwnerDepartment'],
        ['stepOwnerSupervisor', 'managers'],
        ['seniorManagement', 'ceo@example.com'],
      ],
    },
    DEPARTMENTS,
    {},
  );

  it('follows the chain per level; levels past the end use the last entry', () => {
    expect(escalationRecipients(config, 1, 'quality')).toEqual([
      'quality-supervisor@example.com',
      'quality@example.com',
    ]);
    expect(escalationRecipients(config, 2, 'quality')).toEqual([
      'quality-supervisor@example.com',
      'm1@example.com',
      'm2@example.com',
    ]);
    expect(escalationRecipients(config, 3, 'quality')).toEqual([
      'senior-management@example.com',
      'ceo@example.com',
    ]);
    expect(escalationRecipients(config, 9, 'quality')).toEqual([
      'senior-management@example.com',
      'ceo@example.com',
    ]);
    expect(escalationRecipients(config, 0, 'quality')).toEqual(escalationRecipients(config, 1, 'quality'));
  });

  it("escalates the supervisor's own review step to the managers at level 1, and takes a step's own chain", () => {
    expect(escalationRecipients(config, 1, 'quality', 'review')).toEqual([
      'm1@example.com',
      'm2@example.com',
    ]);
    expect(escalationRecipients(config, 1, 'quality', 'proposal')).toEqual([
      'quality-supervisor@example.com',
      'quality@example.com',
    ]);
    const own = parseNotificationsConfig(
      { ...valid(), stepEscalationChains: { proposal: [['ops@example.com']] } },
      DEPARTMENTS,
      {},
    );
    expect(escalationRecipients(own, 4, 'quality', 'proposal')).toEqual(['ops@example.com']);
    expect(escalationRecipients(own, 1, 'quality', 'review')).toEqual(['complaints-manager@example.com']);
    expect(() =>
      parseNotificationsConfig({ ...valid(), stepEscalationChains: { review: [] } }, DEPARTMENTS, {}),
    ).toThrow('stepEscalationChains.review: Must have at least one level');
  });

  it('knows which department owns a step', () => {
    expect(stepOwnerDepartment(config, 'investigation', 'quality')).toBe('customer-service');
    expect(stepOwnerDepartment(config, 'agent_follow_up', 'quality')).toBe('customer-service');
    expect(stepOwnerDepartment(config, 'proposal', 'quality')).toBe('quality');
    expect(stepOwnerDepartment(config, 'review', undefined)).toBe('customer-service');
    expect(stepOwnerDepartment(config, 'implementation', 'gone')).toBe('customer-service');
  });
});

describe('arrival notices and owners', () => {
  it('ships the defaults explicitly, and uses them when the key is absent', () => {
    const shippedConfig = parseNotificationsConfig(valid(), DEPARTMENTS, {});
    const { arrivalNotices, ...rest } = valid() as Record<string, unknown>;
    void arrivalNotices;
    const defaulted = parseNotificationsConfig(rest, DEPARTMENTS, {});
    expect(defaulted.arrivalNotices).toEqual(shippedConfig.arrivalNotices);
    expect(defaulted.arrivalNotices).toEqual({
      proposal: ['owner'],
      review: ['stepOwnerSupervisor'],
      implementation: ['owner'],
      agent_follow_up: ['owner'],
    });
    expect(defaulted.staffTimeZone).toBe('Asia/Shanghai');
    expect(defaulted.departments.quality?.timeZone).toBe('Asia/Shanghai');
  });

  it('refuses customer steps, unknown steps, unknown references and bad time zones, naming each', () => {
    const file = valid() as Record<string, unknown>;
    file.arrivalNotices = {
      customer_decision: ['owner'],
      lunch: ['owner'],
      review: ['theBoss'],
    };
    file.staffTimeZone = 'Mars/Olympus';
    (file.departments as Record<string, Record<string, unknown>>).quality = {
      email: 'quality@example.com',
      supervisorEmail: 'quality-supervisor@example.com',
      timeZone: 'UTC+8',
    };
    let message = '';
    try {
      parseNotificationsConfig(file, DEPARTMENTS, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/arrivalNotices\.customer_decision: Must be a staff step/);
    expect(message).toMatch(/arrivalNotices\.lunch: Must be a staff step/);
    expect(message).toMatch(/arrivalNotices\.review\.0: Must be one of owner, assignee/);
    expect(message).toMatch(/staffTimeZone: Must be an IANA time zone/);
    expect(message).toMatch(/departments\.quality\.timeZone: Must be an IANA time zone/);
  });

  it('resolves owner references: the named owner instead of the department when their address is known', () => {
    const config = parseNotificationsConfig(
      {
        ...valid(),
        departments: {
          ...valid().departments,
          quality: {
            email: 'quality@example.com',
            supervisorEmail: 'quality-supervisor@example.com',
            timeZone: 'Europe/Berlin',
          },
        },
      },
      DEPARTMENTS,
      {},
    );
    expect(ownerRecipients(config, ['owner'], 'quality')).toEqual({
      to: ['quality@example.com'],
      audience: 'department',
      timeZone: 'Europe/Berlin',
    });
    expect(ownerRecipients(config, ['owner'], 'quality', 'li.na@example.com').to).toEqual([
      'li.na@example.com',
    ]);
    expect(ownerRecipients(config, ['owner'], 'quality', 'li.na@example.com').audience).toBe('assignee');
    expect(ownerRecipients(config, ['assignee'], 'quality')).toMatchObject({ to: [], audience: '' });
    expect(
      ownerRecipients(config, ['assignee', 'stepOwnerDepartment', 'agents'], 'quality', 'li.na@example.com'),
    ).toMatchObject({
      to: ['li.na@example.com', 'quality@example.com', 'customer-service@example.com'],
      audience: 'assignee+department+agents',
    });
    expect(ownerRecipients(config, ['stepOwnerSupervisor', 'x@example.com'], 'sales')).toMatchObject({
      to: ['sales-supervisor@example.com', 'x@example.com'],
      audience: 'supervisor+address',
      timeZone: 'Asia/Shanghai',
    });
  });
});

describe('encodeMailbox', () => {
  it('keeps SES Source ASCII', () => {
    expect(encodeMailbox('a@example.com')).toBe('a@example.com');
    expect(encodeMailbox('Customer Care <a@example.com>')).toBe('Customer Care <a@example.com>');
    expect(encodeMailbox('Care, Inc. <a@example.com>')).toBe('"Care, Inc." <a@example.com>');
    expect(encodeMailbox('客户服务中心 <a@example.com>')).toBe(
      `=?UTF-8?B?${Buffer.from('客户服务中心').toString('base64')}?= <a@example.com>`,
    );
  });
});
