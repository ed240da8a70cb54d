/**
 * aws-ses-v2-local, in this process: an SES endpoint (v1 and v2 APIs) that keeps every
 * email in memory and shows them in a mailbox viewer at its root URL. Its JSON API:
 * `GET /store` (`?since=<epoch seconds>`), `POST /clear-store`, `GET /health-check`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname } from 'node:path';
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

interface MailStore {
  getStoreReadonly(): { emails: unknown[] };
  clearStore(): void;
}

/** The package's in-memory mailbox (one per process). */
async function mailStore(): Promise<MailStore> {
  const module = (await import('aws-ses-v2-local/dist/store.js')) as MailStore & { default?: MailStore };
  return typeof module.getStoreReadonly === 'function' ? module : (module.default as MailStore);
}

/**
 * Starts aws-ses-v2-local on `port`. With `file`, the mailbox is kept there between runs:
 * loaded on start, written (and emptied in memory) on stop.
 */
export async function startSes(options: { port: number; host: string; file?: string }): Promise<RunningSes> {
  const store = await mailStore();
  if (options.file && existsSync(options.file)) {
    try {
      const kept = JSON.parse(readFileSync(options.file, 'utf8')) as { emails?: unknown[] };
      // pushed as stored, not through saveEmail (which would forward to SMTP again)
      store.getStoreReadonly().emails.push(...(kept.emails ?? []));
    } catch {
      // an unreadable mailbox file only loses old emails
    }
  }
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
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (options.file) {
        mkdirSync(dirname(options.file), { recursive: true });
        writeFileSync(options.file, JSON.stringify({ emails: store.getStoreReadonly().emails }));
        store.clearStore();
      }
    },
  };
}

/** Reads the local mailbox (for tests, the demo and anyone scripting the local stack). */
export async function readMailbox(mailboxUrl: string): Promise<MailboxEmail[]> {
  const response = await fetch(`${mailboxUrl}/store`);
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  const store = (await response.json()) as { emails: MailboxEmail[] };
  return store.emails;
}
