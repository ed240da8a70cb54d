/**
 * `npm start`: the whole system on this machine. See `npm start -- --help`.
 */
import { parseArgs } from 'node:util';
import { PreflightError, parseClockStart } from './preflight.js';
import type { LocalStack } from './stack.js';

/** kept in step with DEFAULT_PORTS in ./stack.ts (imported only after the settings are checked) */
const DEFAULT_PORTS = { port: 3000, mailboxPort: 8005, dynamodbPort: 8000, sfnPort: 8083 } as const;

const HELP = `npm start — the complaint journey on one machine, no AWS account needed

Starts DynamoDB Local, the local Step Functions engine, the local SES mailbox and the
local gateway (API + web pages), and prints their URLs.

Options (each also an environment variable):
  --port <n>            PORT            the gateway: API and web pages (${DEFAULT_PORTS.port})
  --mailbox-port <n>    MAILBOX_PORT    local SES and its mailbox viewer (${DEFAULT_PORTS.mailboxPort})
  --dynamodb-port <n>   DYNAMODB_PORT   DynamoDB Local (${DEFAULT_PORTS.dynamodbPort})
  --sfn-port <n>        SFN_PORT        the local Step Functions endpoint (${DEFAULT_PORTS.sfnPort})
  --host <addr>         HOST            interface to listen on (127.0.0.1; 0.0.0.0 for all)
  --data-dir <path>     DATA_DIR        where data is kept between runs (.local/)
  --clock-start <iso>   CLOCK_START     start the simulated clock at this instant (with its
                                        offset), e.g. 2026-11-23T09:00:00+08:00
  --clock-speed <n>     CLOCK_SPEED     simulated seconds per real second (1);
                                        e.g. 600: ten minutes a second, a day in 2.4 min
  -h, --help                            this text
  LOG_LEVEL=INFO|DEBUG                  show the handlers' logs (WARN by default)

The simulated clock stands still until the stack is ready. Its position is kept in the
data folder: a restart continues from there, never back to CLOCK_START.

Stop with Ctrl-C; starting again keeps every complaint (and the mailbox), and every
journey continues where it was (waiting steps keep their deadline) — also after kill -9:
answered actions are journaled before they are answered. Delete the data folder to
start afresh. One stack per data folder: a second npm start on the same DATA_DIR refuses
(DATA_DIR/stack.lock). More in local/README.md.

Staff sign in at /local/sign-in (local only): POST {"role","department"?} → {"token"}.`;

function main(): Promise<void> | void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'mailbox-port': { type: 'string' },
        'dynamodb-port': { type: 'string' },
        'sfn-port': { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'clock-start': { type: 'string' },
        'clock-speed': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\nSee npm start -- --help`);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const pick = (flag: string, env: string) =>
    (values[flag] as string | undefined) ?? process.env[env] ?? undefined;
  const port = (flag: string, env: string) => {
    const raw = pick(flag, env);
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      fail(`${env} must be a port number (1–65535), got "${raw}".`);
    return n;
  };
  const speedRaw = pick('clock-speed', 'CLOCK_SPEED');
  const clockSpeed = speedRaw ? Number(speedRaw) : undefined;
  if (clockSpeed !== undefined && (!Number.isFinite(clockSpeed) || clockSpeed <= 0)) {
    fail(`CLOCK_SPEED must be a positive number (simulated seconds per real second), got "${speedRaw}".`);
  }
  const clockStart = pick('clock-start', 'CLOCK_START');
  if (clockStart) {
    const parsed = parseClockStart(clockStart);
    if (typeof parsed === 'string') fail(parsed);
  }
  return run({
    port: port('port', 'PORT'),
    mailboxPort: port('mailbox-port', 'MAILBOX_PORT'),
    dynamodbPort: port('dynamodb-port', 'DYNAMODB_PORT'),
    sfnPort: port('sfn-port', 'SFN_PORT'),
    host: pick('host', 'HOST'),
    dataDir: pick('data-dir', 'DATA_DIR'),
    clockStart,
    clockSpeed,
  });
}

async function run(raw: Record<string, string | number | undefined>): Promise<void> {
  const options = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  console.log('Starting the local stack…');
  // Ctrl-C while starting: stop what has started (DynamoDB Local's java included) and release
  // the data folder, instead of dying and leaving java holding the port and the database.
  let stack: LocalStack | undefined;
  let stopping = false;
  let firstSignalAt = 0;
  const starting = new AbortController();
  const shutdown = (signal: string) => {
    if (stopping) {
      // Ctrl-C reaches every process of the terminal's group, and npm forwards it once more:
      // a second signal within a moment is the same Ctrl-C, not a request to force.
      if (Date.now() - firstSignalAt < FORCE_AFTER_MS) return;
      console.log('Forced: stopping now (the data stays; the next start resumes every journey).');
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    if (!stack) {
      console.log(`\n${signal}: stopping what has started…`);
      starting.abort();
      return;
    }
    console.log(`\n${signal}: stopping…`);
    const running = stack;
    // a stop that hangs still ends: the exit handlers release the folder and end DynamoDB Local
    setTimeout(() => {
      console.error('Stopping took too long; exiting (the data stays).');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    running
      .stop()
      .then(() => {
        console.log('Stopped. Data kept in', running.dataDir);
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error('Stopping failed:', error instanceof Error ? error.message : String(error));
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    // Imported now: the product's clock module reads CLOCK_START when it loads, and the
    // settings above are checked first so that a typo gets a sentence, not a stack trace.
    const { startLocalStack } = await import('./stack.js');
    stack = await startLocalStack({
      ...options,
      log: (line) => console.log(`  ${line}`),
      signal: starting.signal,
    });
  } catch (error) {
    if (starting.signal.aborted) {
      console.log('Stopped before it was ready.');
      process.exit(130);
    }
    if (error instanceof PreflightError) fail(error.message);
    if (error instanceof Error && /CLOCK_|must be/.test(error.message)) fail(error.message);
    fail(`The local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (starting.signal.aborted) {
    // Ctrl-C came as the start finished
    await stack.stop();
    console.log('Stopped before it was ready.');
    process.exit(130);
  }
  const { urls } = stack;
  const lines = [
    '',
    'The complaint journey is running locally:',
    `  Complaint form   ${urls.form}`,
    `  Status page      ${urls.status}?id=<id>#token=<token>  (the link is in each customer email)`,
    `  Staff console    ${urls.console}`,
    `  Staff sign-in    ${urls.signIn}  (POST {"role","department"?} → {"token"})`,
    `  API              ${urls.api}  (GET ${urls.health})`,
    `  Mailbox          ${urls.mailbox}  (every email sent; JSON at ${urls.mailbox}/store)`,
    `  DynamoDB Local   ${urls.dynamodb}`,
    `  Step Functions   ${urls.stepFunctions}`,
    `  Data             ${stack.dataDir}`,
    `  Clock            ${
      !stack.clockSimulated
        ? 'system time'
        : `simulated, now ${stack.clock.now().toISOString()}, ×${stack.clockSpeed}`
    }`,
  ];
  if (stack.resumed.length > 0)
    lines.push(
      `  Resumed ${stack.resumed.length} waiting journey(s): ${stack.resumed.slice(0, 5).join(', ')}${
        stack.resumed.length > 5 ? ', …' : ''
      }`,
    );
  for (const note of stack.notes) lines.push(`  Note: ${note}`);
  lines.push('', 'Ready. Ctrl-C stops it; the data stays.');
  console.log(lines.join('\n'));
}

/** A signal this long after the first one forces the stop (a person pressing Ctrl-C twice). */
const FORCE_AFTER_MS = 2_000;
/** The longest a stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 30_000;

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

await main();
