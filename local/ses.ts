/**
 * aws-ses-v2-local, in this process: an SES endpoint (v1 and v2 APIs) that keeps every
 * email in memory and shows them in a mailbox viewer at its root URL. Its JSON API:
 * `GET /store` (`?since=<epoch seconds>`), `POST /clear-store`, `GET /health-check`.
 *
 * The mailbox survives a crash: each email is appended to a JSON-lines file as it arrives
 * (before SES answers), never by rewriting the whole file; a start loads the file.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
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

const closers = new Map<string, () => void>();

// The package is CommonJS with `exports.default`; under ESM interop it may arrive wrapped.
type StartSes = (config?: { port?: number; host?: string }) => Promise<Server>;
const start: StartSes =
  (sesServer as unknown as { default?: StartSes }).default ?? (sesServer as unknown as StartSes);

interface MailStore {
  getStoreReadonly(): { emails: unknown[] };
  clearStore(): void;
  saveEmail(email: unknown): void;
}

/**
 * The package's in-memory mailbox (one per process): its CommonJS exports object, the one its
 * routes call `saveEmail` / `clearStore` through, so that wrapping them here takes effect.
 */
function mailStore(): MailStore {
  return createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as MailStore;
}

/** the package's own functions, before a running mailbox wrapped them */
let original: Pick<MailStore, 'saveEmail' | 'clearStore'> | undefined;

/**
 * Reads a mailbox file: one email a line (a torn last line from a crash is skipped), or the
 * whole-file `{"emails": [...]}` of earlier versions.
 */
export function readMailboxFile(file: string): unknown[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const emails: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      emails.push(JSON.parse(line));
    } catch {
      // a line cut by a crash: that email only
    }
  }
  return emails;
}

/**
 * Starts aws-ses-v2-local on `port`. With `file` (JSON lines), the mailbox is kept there
 * between runs: loaded on start, each new email appended as it arrives. `legacyFile`: a
 * whole-file mailbox of an earlier version, moved into `file` once.
 */
export async function startSes(options: {
  port: number;
  host: string;
  file?: string;
  legacyFile?: string;
}): Promise<RunningSes> {
  const store = mailStore();
  original ??= { saveEmail: store.saveEmail, clearStore: store.clearStore };
  const { file } = options;
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    if (options.legacyFile && existsSync(options.legacyFile)) {
      try {
        const kept = JSON.parse(readFileSync(options.legacyFile, 'utf8')) as { emails?: unknown[] };
        appendFileSync(file, (kept.emails ?? []).map((e) => `${JSON.stringify(e)}\n`).join(''));
      } catch {
        // an unreadable old mailbox only loses old emails
      }
      rmSync(options.legacyFile, { force: true });
    }
    // pushed as stored, not through saveEmail (which would forward to SMTP again)
    store.getStoreReadonly().emails.push(...readMailboxFile(file));
    const saveEmail = original.saveEmail;
    const clearStore = original.clearStore;
    const fd = openSync(file, 'a');
    store.saveEmail = (email: unknown) => {
      // on disk before SES answers: a kill -9 right after keeps it
      const buffer = Buffer.from(`${JSON.stringify(email)}\n`, 'utf8');
      let offset = 0;
      while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
      saveEmail(email);
    };
    store.clearStore = () => {
      clearStore();
      writeFileSync(file, '');
    };
    closers.set(file, () => {
      store.saveEmail = saveEmail;
      store.clearStore = clearStore;
      closeSync(fd);
    });
  }
  const server: Server = await start({ port: options.port, host: options.host });
  // Express 5 hands a listen error to the callback, which the package ignores: check.
  if (!server.listening) {
    server.close();
    if (file) closers.get(file)?.();
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
      if (file) {
        closers.get(file)?.();
        closers.delete(file);
        // the next mailbox in this process (a restart in a test) loads the file again
        store.getStoreReadonly().emails.length = 0;
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
