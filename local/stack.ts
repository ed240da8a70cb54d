/**
 * The whole system on one machine: DynamoDB Local (data in a folder), the local Step
 * Functions engine behind an HTTP endpoint, aws-ses-v2-local with its mailbox viewer, and
 * the local gateway serving the API (from ROUTES) and the web pages. Used by
 * `npm start` (local/start.ts), the end-to-end tests and `npm run demo`.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '../functions/adapters/dynamodb/table.js';
import { type Clock, setClock } from '../functions/domain/clock.js';
import { loadProductConfig } from '../functions/domain/product-config.js';
import { ROUTES, type RouteDefinition } from '../functions/routes.js';
import { createLocalAuth } from './auth.js';
import { chooseClock } from './clock-state.js';
import { lockDataDir } from './data-lock.js';
import {
  awaitLocalCommits,
  LOCAL_AWS,
  LOCAL_REPORT_QUERY_LIMIT,
  type RunningDynamoDb,
  startDynamoDb,
} from './dynamodb.js';
import { type HttpHandler, type RunningGateway, startGateway } from './gateway.js';
import { type LocalJourney, STATE_MACHINE_ARN, startJourney } from './journey.js';
import { checkJava, checkPortsFree } from './preflight.js';
import { startEvidenceStorage } from './s3.js';
import { type RunningSes, startSes } from './ses.js';

export const ROOT_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface LocalStackOptions {
  /** the gateway (API + web pages); 3000 */
  port?: number;
  /** aws-ses-v2-local and its mailbox viewer; 8005 */
  mailboxPort?: number;
  /** DynamoDB Local; 8000 */
  dynamodbPort?: number;
  /**
   * Use a DynamoDB Local that is already running (e.g. one shared by tests) instead of
   * starting one; `dynamodbPort` is then unused.
   */
  dynamodbEndpoint?: string;
  /** the local Step Functions endpoint; 8083 */
  sfnPort?: number;
  /** the local S3-compatible server (attachments); 0 = any free port */
  s3Port?: number;
  /** the interface every service listens on; 127.0.0.1 */
  host?: string;
  /** where DynamoDB Local keeps its files, the clock and the sign-in key; `<repo>/.local` */
  dataDir?: string;
  /** ISO instant: the simulated clock starts here */
  clockStart?: string;
  /** simulated seconds per real second */
  clockSpeed?: number;
  /** a clock to use instead (tests: a ManualClock) */
  clock?: Clock;
  /** operator configuration; `<repo>/config` */
  configDir?: string;
  tableName?: string;
  /** one line per event worth telling a person; silent unless given */
  log?: (line: string) => void;
  /**
   * Aborts the start (Ctrl-C while starting): what has started is stopped, the data folder
   * released, and the promise rejects with StartAbortedError.
   */
  signal?: AbortSignal;
}

/** The start was aborted through `signal`; everything it had started is stopped. */
export class StartAbortedError extends Error {
  constructor() {
    super('The start of the local stack was interrupted.');
    this.name = 'StartAbortedError';
  }
}

export interface LocalStackUrls {
  /** the gateway: API and web pages */
  app: string;
  api: string;
  form: string;
  status: string;
  console: string;
  signIn: string;
  health: string;
  mailbox: string;
  dynamodb: string;
  stepFunctions: string;
}

export interface LocalStack {
  urls: LocalStackUrls;
  clock: Clock;
  /** simulated seconds per real second */
  clockSpeed: number;
  /** false when the clock is the system clock */
  clockSimulated: boolean;
  dataDir: string;
  /** journeys restarted at their waiting step on this start */
  resumed: string[];
  notes: string[];
  stop(): Promise<void>;
}

/** How often the local stack runs the stalled-journey sweeper, in simulated time (as on AWS). */
const SWEEP_EVERY_SIMULATED_MS = 5 * 60_000;

export const DEFAULT_PORTS = { port: 3000, mailboxPort: 8005, dynamodbPort: 8000, sfnPort: 8083 } as const;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORTS.port;
  const mailboxPort = options.mailboxPort ?? DEFAULT_PORTS.mailboxPort;
  const dynamodbPort = options.dynamodbPort ?? DEFAULT_PORTS.dynamodbPort;
  const sfnPort = options.sfnPort ?? DEFAULT_PORTS.sfnPort;
  const dataDir = resolve(options.dataDir ?? resolve(ROOT_DIR, '.local'));
  const configDir = resolve(options.configDir ?? resolve(ROOT_DIR, 'config'));
  const tableName = options.tableName ?? 'complaints-local';
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  const { signal } = options;
  const checkAborted = () => {
    if (signal?.aborted) throw new StartAbortedError();
  };
  checkAborted();

  // One stack per data folder: a second one would share DynamoDB Local's database file.
  const lock = lockDataDir(dataDir);
  try {
    await checkPortsFree(
      [
        { label: 'the gateway', port, envVar: 'PORT' },
        { label: 'the local mailbox', port: mailboxPort, envVar: 'MAILBOX_PORT' },
        ...(options.dynamodbEndpoint
          ? []
          : [{ label: 'DynamoDB Local', port: dynamodbPort, envVar: 'DYNAMODB_PORT' }]),
        { label: 'the local Step Functions endpoint', port: sfnPort, envVar: 'SFN_PORT' },
      ],
      host,
    );
    if (!options.dynamodbEndpoint) await checkJava();
    checkAborted();
  } catch (error) {
    lock.release();
    throw error;
  }

  let clockChoice: ReturnType<typeof chooseClock>;
  try {
    clockChoice = chooseClock({
      file: resolve(dataDir, 'clock.json'),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.clockStart ? { clockStart: options.clockStart } : {}),
      ...(options.clockSpeed !== undefined ? { clockSpeed: options.clockSpeed } : {}),
    });
  } catch (error) {
    lock.release();
    throw error;
  }
  if (clockChoice.note) notes.push(clockChoice.note);
  // Every handler reads clock() from functions/domain/clock.ts: the same module instance.
  setClock(clockChoice.clock);

  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    /** URLs for people and for email links */
    const origin = (p: number) => `http://${displayHost(host)}:${p}`;
    /** endpoints for the SDK clients: the address itself, no name resolution */
    const direct = (p: number) =>
      `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host}:${p}`;
    // The handlers' SDK clients read their endpoints once, when first imported: set the
    // environment before anything imports them.
    const env = handlerEnvironment({
      tableName,
      configDir,
      dynamoEndpoint: options.dynamodbEndpoint ?? direct(dynamodbPort),
      sesEndpoint: direct(mailboxPort),
      sfnEndpoint: direct(sfnPort),
      stateMachineArn: STATE_MACHINE_ARN,
      statusPageBaseUrl: origin(port),
    });
    claimProcessEnvironment(env);

    const dynamo: RunningDynamoDb = options.dynamodbEndpoint
      ? { endpoint: options.dynamodbEndpoint, pid: undefined, stop: async () => undefined }
      : await startDynamoDb({
          port: dynamodbPort,
          host,
          dataDir: resolve(dataDir, 'dynamodb'),
          ...(signal ? { signal } : {}),
        });
    stoppers.push(dynamo.stop);
    lock.setDynamoDbPid(dynamo.pid);
    checkAborted();
    log(
      options.dynamodbEndpoint
        ? `DynamoDB Local is up (${dynamo.endpoint}, already running)`
        : `DynamoDB Local is up (${dynamo.endpoint}, data in ${resolve(dataDir, 'dynamodb')})`,
    );

    const ses: RunningSes = await startSes({
      port: mailboxPort,
      host,
      file: resolve(dataDir, 'mailbox.jsonl'),
      legacyFile: resolve(dataDir, 'mailbox.json'),
    });
    stoppers.push(ses.stop);
    checkAborted();

    const s3 = await startEvidenceStorage({
      port: options.s3Port,
      host,
      dataDir,
      credentials: LOCAL_AWS.credentials,
      log,
    });
    stoppers.push(s3.stop);
    checkAborted();

    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
    try {
      await createTable(client, tableName);
    } finally {
      client.destroy();
    }
    // the handlers' client: DynamoDB Local's acknowledged transactions made durable (see there)
    awaitLocalCommits((await import('../functions/adapters/clients.js')).dynamoDbClient, tableName);

    const journey: LocalJourney = await startJourney({
      port: sfnPort,
      host,
      rootDir: ROOT_DIR,
      clock: clockChoice.clock,
      log,
      journalFile: resolve(dataDir, 'stepfunctions', 'journal.jsonl'),
    });
    stoppers.push(journey.stop);
    checkAborted();

    const handlers = new Map<string, Promise<HttpHandler>>();
    const handlerFor = (route: RouteDefinition) => {
      let loaded = handlers.get(route.entry);
      if (!loaded) {
        loaded = importHandler(route.entry);
        handlers.set(route.entry, loaded);
      }
      return loaded;
    };
    // Import every handler now: configuration errors show at start, not on a first request.
    for (const route of ROUTES.filter((r, i) => ROUTES.findIndex((o) => o.entry === r.entry) === i)) {
      await handlerFor(route).catch((error: unknown) => {
        notes.push(
          `${route.entry} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }

    checkAborted();
    const resume = await journey.resumeWaiting();
    const { resumed, skipped, failed } = resume;
    log(
      `resumed ${resumed.length} journey(s) (${resume.fromJournal} from the journal, ${resume.fromStore} from waiting complaints) in ${(resume.ms / 1000).toFixed(1)} s`,
    );
    if (resume.later) stoppers.push(async () => void (await resume.later));
    if (skipped.length > 0) notes.push(`not resumed (closed or needing attention): ${skipped.join(', ')}`);
    if (failed.length > 0) {
      notes.push(
        `${failed.length} journey(s) could not be resumed and are flagged as needing attention: ${failed
          .map((f) => f.id)
          .join(', ')}`,
      );
    }

    // The scheduled sweeper that EventBridge runs every 5 minutes on AWS: it starts the
    // journeys of complaints still `received` (a stop before their journey began included).
    const sweeper = (await import('../functions/scheduled/start-stalled-journeys.js')).handler;
    const sweep = () =>
      sweeper().catch((error: unknown) => {
        log(`start-stalled-journeys failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    // The improvement actions' deadline check (EventBridge every 5 minutes on AWS).
    const improvementCheck = (await import('../functions/scheduled/improvement-deadlines.js')).handler;
    const checkImprovements = () =>
      improvementCheck().catch((error: unknown) => {
        log(`improvement-deadlines failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    // The pre-breach warnings (EventBridge every 15 minutes on AWS; here with the sweep, every
    // 5 simulated minutes, on the simulated clock).
    const warningCheck = (await import('../functions/scheduled/step-warnings.js')).handler;
    const checkWarnings = () =>
      warningCheck().catch((error: unknown) => {
        log(`step-warnings failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    await sweep();
    await checkImprovements();
    await checkWarnings();
    const sweepTimer = setInterval(
      () => {
        void sweep();
        void checkImprovements();
        void checkWarnings();
      },
      Math.max(1_000, SWEEP_EVERY_SIMULATED_MS / clockChoice.speed),
    );
    sweepTimer.unref();
    stoppers.push(async () => clearInterval(sweepTimer));

    checkAborted();
    const departments = loadProductConfig(configDir, env).departments.map((d) => d.id);
    const auth = createLocalAuth({ keyFile: resolve(dataDir, 'sign-in.key'), departments });
    const gateway: RunningGateway = await startGateway({
      port,
      host,
      routes: ROUTES,
      handlerFor,
      auth,
      webDir: resolve(ROOT_DIR, 'web'),
      localPages: { '/local/sign-in': resolve(ROOT_DIR, 'local/sign-in.html') },
      clock: clockChoice.clock,
      clockSpeed: clockChoice.speed,
      log,
      onError: (error, route) => {
        log(
          `${route.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      },
    });
    stoppers.push(gateway.stop);
    checkAborted();

    // The simulated clock starts when the stack is ready; its position is kept so that a
    // restart continues from it.
    clockChoice.run();
    clockChoice.save();
    const clockTimer = setInterval(() => clockChoice.save(), 2_000);
    clockTimer.unref();
    stoppers.splice(1, 0, async () => {
      clearInterval(clockTimer);
      clockChoice.save();
    });

    const app = origin(port);
    const urls: LocalStackUrls = {
      app,
      api: app,
      form: `${app}/`,
      status: `${app}/status.html`,
      console: `${app}/console.html`,
      signIn: `${app}/local/sign-in`,
      health: `${app}/health`,
      mailbox: origin(mailboxPort),
      dynamodb: dynamo.endpoint,
      stepFunctions: journey.endpoint,
    };
    let stopping: Promise<void> | undefined;
    return {
      urls,
      clock: clockChoice.clock,
      clockSpeed: clockChoice.speed,
      clockSimulated: clockChoice.simulated,
      dataDir,
      resumed,
      notes,
      stop: () => {
        stopping ??= stopAll().finally(() => lock.release());
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    lock.release();
    throw signal?.aborted ? new StartAbortedError() : error;
  }
}

/** The environment the handlers read (docs/ARCHITECTURE.md), pointed at the local services. */
function handlerEnvironment(input: {
  tableName: string;
  configDir: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  sfnEndpoint: string;
  stateMachineArn: string;
  statusPageBaseUrl: string;
}): Record<string, string> {
  return {
    TABLE_NAME: input.tableName,
    CONFIG_DIR: input.configDir,
    STATE_MACHINE_ARN: input.stateMachineArn,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamoEndpoint,
    REPORT_QUERY_LIMIT: String(LOCAL_REPORT_QUERY_LIMIT),
    AWS_ENDPOINT_URL_SES: input.sesEndpoint,
    AWS_ENDPOINT_URL_SFN: input.sfnEndpoint,
    STATUS_PAGE_BASE_URL: input.statusPageBaseUrl,
    AWS_REGION: process.env.AWS_REGION ?? LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    POWERTOOLS_SERVICE_NAME: 'complaints',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}

/** the environment of the first stack this process started */
let processEnvironment: Record<string, string> | undefined;

/**
 * Sets the handlers' environment. The SDK clients and configuration are module-level, read
 * once per process; a second stack in the same process (a restart in a test) must therefore
 * use the same ports, table and config.
 */
function claimProcessEnvironment(env: Record<string, string>): void {
  if (processEnvironment) {
    const fixed = [
      'TABLE_NAME',
      'CONFIG_DIR',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_SES',
      'AWS_ENDPOINT_URL_SFN',
    ];
    const differs = fixed.filter((key) => processEnvironment?.[key] !== env[key]);
    if (differs.length > 0) {
      throw new Error(
        `This process already ran a local stack with other settings (${differs.join(', ')}); ` +
          'start it again with the same ports, table and config, or in a new process.',
      );
    }
  }
  processEnvironment = env;
  Object.assign(process.env, env);
}

async function importHandler(entry: string): Promise<HttpHandler> {
  const module = (await import(pathToFileURL(resolve(ROOT_DIR, entry)).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${entry} exports no handler`);
  return module.handler as HttpHandler;
}

/** How URLs name a listening address: loopback and wildcard as `localhost`. */
export function displayHost(host: string): string {
  if (['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
