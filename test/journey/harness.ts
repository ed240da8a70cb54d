/**
 * One journey world per test file: a fresh DynamoDB Local table, a ManualClock, the real ASL
 * on the local engine with the real journey task logic, the engine's HTTP endpoint (so the
 * API's resumeStep reaches it through @aws-sdk/client-sfn unchanged), and captured emails
 * and metrics.
 */
import './quiet-logs.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoComplaintStore } from '../../functions/adapters/dynamodb/complaint-store.js';
import { createTable } from '../../functions/adapters/dynamodb/table.js';
import type { NotifyContext } from '../../functions/adapters/ses-notifier.js';
import { defaultCalendar } from '../../functions/domain/calendar/index.js';
import { ManualClock, setClock } from '../../functions/domain/clock.js';
import type { Actor, Channel, Complaint, Severity, Step } from '../../functions/domain/model.js';
import { loadNotificationsConfig } from '../../functions/domain/notifications-config.js';
import { configuredPolicy, profileNamed, replyDeadline } from '../../functions/domain/policy.js';
import type { ApiAction, StepTaskOutput } from '../../functions/domain/steps/index.js';
import type { ComplaintStore } from '../../functions/domain/store.js';
import { createJourneyTasks, type JourneyDeps, type JourneyTemplate } from '../../functions/journey/tasks.js';
import { arrivalStepsOf, configuredJourneyPolicy, configureJourney } from '../../functions/journey/wiring.js';
import { JOURNEY_TASKS } from '../../functions/routes.js';
import { newAccessToken } from '../../functions/runtime/access.js';
import { LocalStepFunctions, type TaskHandler, type WaitingTask } from '../../local/stepfunctions/engine.js';
import { serveSfn } from '../../local/stepfunctions/http.js';
import { newComplaint as fixtureComplaint } from '../functions/domain/store/fixtures.js';
import { apiEvent, invoke, type ParsedResult, staffClaims } from '../support/api-events.js';
import { localAwsConfig } from '../support/dynamodb-local.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ASL_PATH = path.join(root, 'statemachines/complaint-journey.asl.json');

export const AGENT: Actor = { kind: 'staff', sub: 'agent-1', role: 'agent' };
export const DEPARTMENT: Actor = {
  kind: 'staff',
  sub: 'dept-1',
  role: 'department',
  department: 'after-sales',
};
export const SUPERVISOR: Actor = { kind: 'staff', sub: 'sup-1', role: 'supervisor' };
export const CUSTOMER: Actor = { kind: 'customer' };

export interface SentEmail {
  complaintId: string;
  template: JourneyTemplate;
  ctx?: NotifyContext;
}

export interface MetricPoint {
  name: string;
  value: number;
  dimensions?: Record<string, string>;
}

/** Monday 2026-11-23 10:00 in Shanghai */
export const START = '2026-11-23T02:00:00.000Z';

/**
 * `handlers: 'modules'` runs the Lambda handler modules of JOURNEY_TASKS (wired with
 * configureJourney) instead of the task logic directly. `notify`: a real notify port on the
 * world's store (e.g. createNotifier on an SES client) behind the captured `emails`; by
 * default every email counts as sent.
 */
export async function createJourneyWorld(
  tag: string,
  options: { handlers?: 'logic' | 'modules'; notify?: (store: ComplaintStore) => JourneyDeps['notify'] } = {},
) {
  const endpoint = inject('dynamoEndpoint');
  const ddb = new DynamoDBClient({ ...localAwsConfig, endpoint });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = `journey-${tag}-${randomBytes(4).toString('hex')}`;
  await createTable(ddb, tableName);
  const clock = new ManualClock(START);
  setClock(clock);
  const calendar = defaultCalendar();
  const store = new DynamoComplaintStore({ client: doc, tableName, clock: () => clock.now() });
  const emails: SentEmail[] = [];
  const metrics: MetricPoint[] = [];
  const realNotify = options.notify?.(store);
  const deps: JourneyDeps = {
    store,
    notify: async (complaint, template, ctx) => {
      emails.push({ complaintId: complaint.id, template, ...(ctx ? { ctx } : {}) });
      return realNotify ? realNotify(complaint, template, ctx) : { sent: true };
    },
    policy: configuredJourneyPolicy(calendar),
    metrics: {
      add: (name, _unit, value, dimensions) =>
        metrics.push({ name, value, ...(dimensions ? { dimensions } : {}) }),
    },
    clock: () => clock,
    arrivalSteps: arrivalStepsOf(loadNotificationsConfig({ configDir: path.join(root, 'config'), env: {} })),
  };
  let handlers: Record<string, TaskHandler> = createJourneyTasks(deps);
  if (options.handlers === 'modules') {
    configureJourney(deps);
    handlers = {};
    for (const task of JOURNEY_TASKS) {
      const module = (await import(path.join(root, task.entry))) as { handler?: TaskHandler };
      if (typeof module.handler !== 'function') throw new Error(`${task.entry} exports no handler`);
      handlers[task.key] = module.handler;
    }
  }
  const engine = new LocalStepFunctions({
    definition: readFileSync(ASL_PATH, 'utf8'),
    handlers,
    clock,
    retryDelayMs: 0,
  });
  const sfn = await serveSfn(engine);
  // the API side (functions/adapters/sfn-journey.ts) talks to the engine over HTTP, like on AWS
  process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
  process.env.AWS_REGION = localAwsConfig.region;
  process.env.AWS_ACCESS_KEY_ID = localAwsConfig.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = localAwsConfig.credentials.secretAccessKey;
  process.env.STATE_MACHINE_ARN = engine.stateMachineArn;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const commonsStore = await import('../../functions/adapters/store.js');
  commonsStore.setStore(store);
  const api = await import('../../functions/adapters/sfn-journey.js');
  // the real API handlers of the human actions
  const staffAction = (await import('../../functions/api/staff-action.js')).handler;
  const customerAction = (await import('../../functions/api/customer-action.js')).handler;
  const getComplaint = (await import('../../functions/api/get-complaint.js')).handler;
  const accessTokens = new Map<string, string>();

  /** `profile`: a deadline profile of the configured policy (the reply date follows it) */
  /** `receivedAt`: a registration dated back to when the letter arrived (the reply date counts from it) */
  /** `customer`: who complains (default: an English-speaking customer with an email address) */
  type NewComplaint = {
    severity?: Severity;
    staff?: boolean;
    channel?: Channel;
    profile?: string;
    receivedAt?: string;
    customer?: Complaint['customer'];
  };
  async function newComplaint(options: NewComplaint = {}): Promise<Complaint> {
    const createdAt = clock.now().toISOString();
    const access = newAccessToken();
    const from = options.receivedAt ? new Date(options.receivedAt) : clock.now();
    const reply = options.profile
      ? replyDeadline(profileNamed(configuredPolicy(), options.profile), from, calendar)
      : calendar.addWorkingDays(from, 5);
    const { complaint } = await store.create({
      complaint: fixtureComplaint({
        createdAt,
        channel: options.channel ?? (options.staff ? 'phone' : 'web'),
        ...(options.profile ? { profile: options.profile } : {}),
        customer: options.customer ?? {
          name: 'Test Customer',
          email: 'customer@example.com',
          language: 'en',
        },
        subject: 'Late delivery',
        description: 'The parcel came two weeks late.',
        replyDueBy: reply.dueAt,
        replyDueProvisional: reply.provisional,
        ...(options.severity ? { severity: options.severity } : {}),
        ...(options.staff ? { registeredBy: AGENT } : {}),
        ...(options.receivedAt ? { receivedAt: new Date(options.receivedAt).toISOString() } : {}),
      }),
      accessTokenHash: access.hash,
      customerKeys: [randomBytes(8).toString('hex')],
      actor: options.staff ? AGENT : CUSTOMER,
    });
    accessTokens.set(complaint.id, access.token);
    return complaint;
  }

  async function start(options: NewComplaint = {}): Promise<string> {
    const complaint = await newComplaint(options);
    const started = await api.startJourney(complaint.id);
    if (!started.started) throw new Error('journey not started');
    return complaint.id;
  }

  /** POSTs an action to the real API handler, as the actor (customer: with its access token) */
  function post(id: string, action: ApiAction, body: unknown, actor: Actor): Promise<ParsedResult> {
    if (actor.kind === 'customer') {
      return invoke(
        customerAction,
        apiEvent({
          method: 'POST',
          route: `/complaints/{id}/${action}`,
          pathParameters: { id },
          headers: { authorization: `Bearer ${accessTokens.get(id)}` },
          body,
        }),
      );
    }
    if (actor.kind !== 'staff') throw new Error('only customers and staff act');
    return invoke(
      staffAction,
      apiEvent({
        method: 'POST',
        route: `/staff/complaints/{id}/${action}`,
        pathParameters: { id },
        body,
        claims: staffClaims(actor.role, {
          sub: actor.sub,
          ...(actor.department ? { department: actor.department } : {}),
        }),
      }),
    );
  }

  /** GET /complaints/{id} as the customer (with its access token): the customer view */
  function view(id: string): Promise<ParsedResult> {
    return invoke(
      getComplaint,
      apiEvent({
        method: 'GET',
        route: '/complaints/{id}',
        pathParameters: { id },
        headers: { authorization: `Bearer ${accessTokens.get(id)}` },
      }),
    );
  }

  /** waits for the step to be pending, then acts on it through the API; expects 202 */
  async function act<A extends ApiAction>(
    id: string,
    state: string,
    _steps: readonly Step[],
    action: A,
    data: StepTaskOutput<A>['data'],
    actor: Actor,
  ): Promise<ParsedResult> {
    await engine.waitForTask(id, state);
    const res = await post(id, action, data, actor);
    if (res.statusCode !== 202)
      throw new Error(`${action} answered ${res.statusCode}: ${JSON.stringify(res.body)}`);
    return res;
  }

  /** lets the waiting task's deadline pass; resolves with the task waiting next in `nextState` */
  async function miss(id: string, state: string, nextState = state): Promise<WaitingTask> {
    const task = await engine.waitForTask(id, state);
    if (!task.deadline) throw new Error(`${state} has no deadline`);
    clock.set(task.deadline);
    const fired = engine.fireDueTimeouts();
    if (fired !== 1) throw new Error(`expected one timeout, ${fired} fired`);
    return engine.waitForTask(id, nextState, { notToken: task.token });
  }

  const steps = {
    investigate: (id: string, data: Partial<StepTaskOutput<'investigation'>['data']> = {}) =>
      act(
        id,
        'AwaitInvestigation',
        ['investigation'],
        'investigation',
        {
          valid: true,
          category: 'delivery',
          severity: 'general',
          department: 'after-sales',
          findings: 'Carrier delay confirmed.',
          ...data,
        } as StepTaskOutput<'investigation'>['data'],
        AGENT,
      ),
    propose: (id: string) =>
      act(id, 'AwaitProposal', ['proposal'], 'proposal', { plan: 'Refund the shipping fee.' }, DEPARTMENT),
    review: (id: string, approved = true) =>
      act(
        id,
        'AwaitReview',
        ['review'],
        'review',
        (approved ? { approved } : { approved, comment: 'Offer more.' }) as StepTaskOutput<'review'>['data'],
        SUPERVISOR,
      ),
    decide: (id: string, accept = true) =>
      act(
        id,
        'AwaitCustomerDecision',
        ['customer_decision'],
        'decision',
        (accept ? { accept } : { accept, comment: 'Not enough.' }) as StepTaskOutput<'decision'>['data'],
        CUSTOMER,
      ),
    implement: (id: string) =>
      act(
        id,
        'AwaitImplementation',
        ['implementation'],
        'implementation',
        { result: 'Refunded.', basis: 'Delivery terms §4.' } as StepTaskOutput<'implementation'>['data'],
        DEPARTMENT,
      ),
    survey: (id: string, rating: number, state = 'AwaitFollowUp', actor: Actor = CUSTOMER) =>
      act(
        id,
        state,
        ['follow_up', 'agent_follow_up'],
        'survey',
        { rating } as StepTaskOutput<'survey'>['data'],
        actor,
      ),
  };

  async function finish(id: string) {
    const execution = await engine.waitForCompletion(id);
    const complaint = await store.get(id);
    const events = await store.events(id);
    return {
      execution,
      states: execution.statesVisited.map((s) => s.name),
      complaint: complaint!,
      events: events.map((e) => e.type),
      auditEvents: events,
      /** the journey's emails except the staff's arrival notices (see `notices`) */
      emails: emails.filter((e) => e.complaintId === id && e.template !== 'arrival').map((e) => e.template),
      /** the arrival notices: the steps that announced their opening */
      notices: emails.filter((e) => e.complaintId === id && e.template === 'arrival').map((e) => e.ctx?.step),
    };
  }

  return {
    clock,
    store: store as ComplaintStore,
    engine,
    emails,
    metrics,
    api,
    start,
    post,
    view,
    act,
    miss,
    steps,
    finish,
    async close() {
      engine.close();
      await sfn.close();
      ddb.destroy();
    },
  };
}

export type JourneyWorld = Awaited<ReturnType<typeof createJourneyWorld>>;

/** The states of the path from intake to the customer's decision, one proposal round. */
export const TO_DECISION = [
  'PlanInvestigation',
  'AwaitInvestigation',
  'RecordInvestigation',
  'InvestigationOutcome',
  'AwaitProposal',
  'RecordProposal',
  'AwaitReview',
  'RecordReview',
  'ReviewOutcome',
  'AwaitCustomerDecision',
];
