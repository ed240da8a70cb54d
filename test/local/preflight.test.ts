import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkJava, checkPortsFree, PreflightError, parseJavaMajor } from '../../local/preflight.js';
import { DEFAULT_PORTS } from '../../local/stack.js';
import { freePort } from '../support/free-port.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('preflight checks', () => {
  it('names the taken port and the variable that moves it', async () => {
    const port = await freePort();
    const server = createServer();
    servers.push(server);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    const check = checkPortsFree([{ label: 'the gateway', port, envVar: 'PORT' }], '127.0.0.1');
    await expect(check).rejects.toBeInstanceOf(PreflightError);
    await expect(check).rejects.toThrow(`Port ${port} is in use (the gateway); set PORT=`);
  });

  it('refuses two services on one port', async () => {
    await expect(
      checkPortsFree(
        [
          { label: 'a', port: 4100, envVar: 'PORT' },
          { label: 'b', port: 4100, envVar: 'MAILBOX_PORT' },
        ],
        '127.0.0.1',
      ),
    ).rejects.toThrow('MAILBOX_PORT and PORT are both 4100');
  });

  it('says how to install Java when it is missing', async () => {
    await expect(checkJava('/nonexistent/java')).rejects.toThrow(
      'DynamoDB Local needs Java 17+: apt-get install -y openjdk-17-jre-headless',
    );
  });

  it('reads Java major versions, old and new style', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('nonsense')).toBeUndefined();
  });

  it('start.ts documents the same default ports as the stack', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../local/start.ts', import.meta.url), 'utf8');
    for (const [key, port] of Object.entries(DEFAULT_PORTS)) expect(source).toContain(`${key}: ${port}`);
  });
});
