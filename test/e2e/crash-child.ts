/**
 * The local stack as the crash test runs it: a child process (killed with SIGKILL at random
 * moments) on the test's DynamoDB Local, its data folder, ports and table from the
 * environment. Prints `READY <urls as JSON>` once it serves.
 */
import { startLocalStack } from '../../local/stack.js';

const env = process.env;
const stack = await startLocalStack({
  port: Number(env.PORT),
  mailboxPort: Number(env.MAILBOX_PORT),
  sfnPort: Number(env.SFN_PORT),
  ...(env.DYNAMODB_ENDPOINT
    ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT }
    : { dynamodbPort: Number(env.DYNAMODB_PORT) }),
  dataDir: String(env.DATA_DIR),
  tableName: String(env.TABLE_NAME),
  log: (line) => process.stdout.write(`  ${line}\n`),
});
process.stdout.write(
  `READY ${JSON.stringify({ urls: stack.urls, resumed: stack.resumed.length, notes: stack.notes })}\n`,
);
