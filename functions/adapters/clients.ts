import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, type SESClientConfig } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The AWS SDK clients, created once per container. Region and credentials come from the
 * Lambda environment; endpoints from the SDK-native variables `AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_SES` (the local stack sets them). Plain SDK
 * clients: the Lambda runtime's active tracing records the invocations (no X-Ray SDK).
 */
export const dynamoDbClient: DynamoDBClient = new DynamoDBClient({});

/** Document client over `dynamoDbClient`: plain JS values, `undefined` attributes dropped. */
export const documentClient: DynamoDBDocumentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

export const sfnClient: SFNClient = new SFNClient({});

/**
 * How long one email may take. SES answers a SendEmail in well under a second; a slow or
 * dead endpoint must not hold the journey's task: each attempt gets `connectionTimeoutMs`
 * to connect and `requestTimeoutMs` for the whole request (a hang is an error, not a
 * warning), and the SDK retries once (`maxAttempts` 2: throttling, 5xx, network errors).
 * A hanging SES thus costs ≈ 2 × 2 s + a backoff of at most 0.2 s per email; a refused
 * connection a few milliseconds. The notifier adds `sendDeadlineMs` over the whole send,
 * retries included, for what the per-attempt timers cannot see (a reply that trickles in).
 */
export const SES_LIMITS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 2,
  sendDeadlineMs: 5_000,
} as const;

/**
 * A new SES client with the bounds of `SES_LIMITS`; `overrides` (tests: endpoint,
 * credentials, region) are merged over them.
 */
export function newSesClient(overrides: SESClientConfig = {}): SESClient {
  return new SESClient({
    maxAttempts: SES_LIMITS.maxAttempts,
    requestHandler: {
      connectionTimeout: SES_LIMITS.connectionTimeoutMs,
      requestTimeout: SES_LIMITS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...overrides,
  });
}

export const sesClient: SESClient = newSesClient();
