/**
 * aws-ses-v2-local, in this process: an SES endpoint (v1 and v2 APIs) that keeps every
 * email in memory and shows them in a mailbox viewer at its root URL. Its JSON API:
 * `GET /store` (`?since=<epoch seconds>`), `POST /clear-store`, `GET /health-check`.
 */
import type { Server } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import { PreflightError } from './preflight.js';

export interface RunningSes {
  /** the SES endpoint and the mailbox viewer, e.g. http://127.0.0.1:8005 */
  url: string;
  stop(): Promise<void>;
}

/** One email as the mailbox keeps it (the subset of aws-ses-v2-local's `Email` we read). */
export interface MailboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** epoch seconds */
  at: number;
}

// The package is CommonJS with `exports.default`; under ESM interop it may arrive wrapped.
type StartSes = (config?: { port?: number; host?: string }) => Promise<Server>;
const start: StartSes =
  (sesServer as unknown as { default?: StartSes }).default ?? (sesServer as unknown as StartSes);

export async function startSes(options: { port: number; host: string }): Promise<RunningSes> {
  const server: Server = await start({ port: options.port, host: options.host });
  // Express 5 hands a listen error to the callback, which the package ignores: check.
  if (!server.listening) {
    server.close();
    throw new PreflightError(
      `Port ${options.port} is in use (the local mailbox); set MAILBOX_PORT=<another port>, e.g. MAILBOX_PORT=${options.port + 1} npm start`,
    );
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads the local mailbox (for tests, the demo and anyone scripting the local stack). */
export async function readMailbox(mailboxUrl: string): Promise<MailboxEmail[]> {
  const response = await fetch(`${mailboxUrl}/store`);
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  const store = (await response.json()) as { emails: MailboxEmail[] };
  return store.emails;
}
