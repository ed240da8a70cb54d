import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../runtime/powertools.js';

/**
 * The AWS SDK clients, created once per container. Region and credentials come from the
 * Lambda environment; endpoints from the SDK-native variables `AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_SES` (the local stack sets them). The Tracer
 * wraps them on Lambda and leaves them untouched elsewhere.
 */
export const dynamoDbClient: DynamoDBClient = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** Document client over `dynamoDbClient`: plain JS values, `undefined` attributes dropped. */
export const documentClient: DynamoDBDocumentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

export const sfnClient: SFNClient = tracer.captureAWSv3Client(new SFNClient({}));

export const sesClient: SESClient = tracer.captureAWSv3Client(new SESClient({}));
