/**
 * The local engine behind the Step Functions API: AWS JSON 1.0 (POST, `X-Amz-Target:
 * AWSStepFunctions.<Operation>`, `application/x-amz-json-1.0`), the protocol the installed
 * `@aws-sdk/client-sfn` speaks, so handlers reach it unchanged through AWS_ENDPOINT_URL_SFN.
 * Errors are AWS-shaped: status 400, body `{"__type": "com.amazonaws.sfn#<Code>", "message"}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExecutionSnapshot, type LocalStepFunctions, SfnApiError } from './engine.js';

export interface RunningSfnEndpoint {
  /** e.g. http://127.0.0.1:8083 — give it to handlers as AWS_ENDPOINT_URL_SFN */
  endpoint: string;
  server: Server;
  close(): Promise<void>;
}

type Operation = (engine: LocalStepFunctions, body: Record<string, any>) => unknown;

const epochSeconds = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);

function describe(e: ExecutionSnapshot) {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startDate),
    ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
    input: JSON.stringify(e.input),
    inputDetails: { included: true },
    ...(e.output !== undefined
      ? { output: JSON.stringify(e.output), outputDetails: { included: true } }
      : {}),
    ...(e.error ? { error: e.error } : {}),
    ...(e.cause ? { cause: e.cause } : {}),
  };
}

function parseJson(text: unknown, code: 'InvalidOutput' | 'InvalidExecutionInput'): unknown {
  if (text === undefined) return code === 'InvalidExecutionInput' ? {} : undefined;
  if (typeof text !== 'string') throw new SfnApiError(code, 'must be a JSON string');
  try {
    return JSON.parse(text);
  } catch {
    throw new SfnApiError(code, 'Invalid JSON');
  }
}

const OPERATIONS: Record<string, Operation> = {
  StartExecution: (engine, body) => {
    if (body.stateMachineArn !== engine.stateMachineArn) {
      throw new SfnApiError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${body.stateMachineArn}'`,
      );
    }
    const started = engine.startExecution({
      name: body.name,
      input: parseJson(body.input, 'InvalidExecutionInput'),
    });
    // answered once its journal record is on disk
    return engine
      .durable()
      .then(() => ({ executionArn: started.executionArn, startDate: epochSeconds(started.startDate) }));
  },
  SendTaskSuccess: (engine, body) => {
    const output = parseJson(body.output, 'InvalidOutput');
    if (output === undefined) throw new SfnApiError('InvalidOutput', 'output is required');
    engine.sendTaskSuccess(body.taskToken, output);
    return engine.durable().then(() => ({}));
  },
  SendTaskFailure: (engine, body) => {
    engine.sendTaskFailure(body.taskToken, body.error, body.cause);
    return engine.durable().then(() => ({}));
  },
  SendTaskHeartbeat: (engine, body) => {
    engine.sendTaskHeartbeat(body.taskToken);
    return {};
  },
  DescribeExecution: (engine, body) => describe(engine.describeExecution(String(body.executionArn))),
  StopExecution: (engine, body) => ({
    stopDate: epochSeconds(engine.stopExecution(String(body.executionArn), body.error, body.cause).stopDate),
  }),
  ListExecutions: (engine, body) => ({
    executions: engine
      .listExecutions(body.statusFilter)
      .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
        executionArn,
        stateMachineArn,
        name,
        status,
        startDate: epochSeconds(startDate),
        ...(stopDate ? { stopDate: epochSeconds(stopDate) } : {}),
      })),
  }),
  GetExecutionHistory: (engine, body) => {
    const execution = engine.describeExecution(String(body.executionArn));
    const events = execution.history.map((h, i) => ({
      id: h.id,
      previousEventId: i === 0 ? 0 : h.id - 1,
      timestamp: epochSeconds(h.at),
      type: h.type,
      ...(h.type.endsWith('StateEntered') ? { stateEnteredEventDetails: { name: h.stateName } } : {}),
      ...(h.type.endsWith('StateExited') ? { stateExitedEventDetails: { name: h.stateName } } : {}),
      ...(h.error ? { executionFailedEventDetails: { error: h.error, cause: h.cause } } : {}),
    }));
    return { events: body.reverseOrder ? events.reverse() : events };
  },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

/** Handles one request; exported for gateways that want to mount it themselves. */
export async function handleSfnRequest(
  engine: LocalStepFunctions,
  req: IncomingMessage,
  res: ServerResponse,
) {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSStepFunctions.')
      ? OPERATIONS[target.slice('AWSStepFunctions.'.length)]
      : undefined;
    if (req.method !== 'POST' || !operation) {
      send(
        res,
        400,
        { __type: 'com.amazonaws.sfn#UnknownOperationException', message: `Unknown operation ${target}` },
        'UnknownOperationException',
      );
      return;
    }
    const text = await readBody(req);
    let body: Record<string, any>;
    try {
      body = text ? (JSON.parse(text) as Record<string, any>) : {};
    } catch {
      send(
        res,
        400,
        { __type: 'com.amazonaws.sfn#SerializationException', message: 'Malformed JSON' },
        'SerializationException',
      );
      return;
    }
    send(res, 200, await operation(engine, body));
  } catch (error) {
    if (error instanceof SfnApiError) {
      send(res, 400, { __type: `com.amazonaws.sfn#${error.code}`, message: error.message }, error.code);
      return;
    }
    send(
      res,
      500,
      { __type: 'com.amazonaws.sfn#InternalFailure', message: 'Internal failure' },
      'InternalFailure',
    );
  }
}

/** Serves the engine on 127.0.0.1:`port` (0 = a free port). */
export async function serveSfn(
  engine: LocalStepFunctions,
  port = 0,
  host = '127.0.0.1',
): Promise<RunningSfnEndpoint> {
  const server = createServer((req, res) => {
    void handleSfnRequest(engine, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
