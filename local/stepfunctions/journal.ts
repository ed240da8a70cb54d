/**
 * The local engine's write-ahead journal: what Step Functions keeps durable on AWS, kept in
 * one append-only file of JSON lines so that a restart — after Ctrl-C or `kill -9` at any
 * moment — resumes every unfinished execution from its last Task state, replays the callbacks
 * that were answered but not yet consumed, and keeps every waiting task's token and deadline.
 *
 * Records (one JSON object a line, `t` = kind):
 * - `start` `{n, i}`: StartExecution accepted (fsync before the API answers);
 * - `enter` `{n, s, i, tok?, dl?}`: the Task state `s` entered with state input `i`; a
 *   callback task also has its token and deadline (epoch ms), written before its handler runs;
 * - `ready` `{tok}`: the callback task's handler returned (the pending step is stored);
 * - `ok` `{tok, o}` / `fail` `{tok, e, c}`: SendTaskSuccess / SendTaskFailure accepted
 *   (fsync before the API answers 200);
 * - `end` `{n, st}`: the execution finished (its name stays taken, as on AWS).
 *
 * `write()` lands in the operating system's page cache, which a killed process cannot lose;
 * `fsync` (on the answers the API gives) also survives a machine crash, and flushes what
 * was written before it. A torn last line (a crash inside a write) is ignored on reading.
 * The fsyncs the API waits for run off the event loop (`sync()`) and are shared: the answers
 * written while one runs wait for the next one, which covers them all (group commit), so
 * concurrent StartExecutions cost one fsync, not one each, and block no other request.
 *
 * Compaction rewrites the file from the live state (one `start`/`enter`/`ready`/`ok` group
 * per unfinished execution and the names of finished ones) into a temporary file, fsyncs it
 * and renames it over the journal, so the file stays proportional to what is unfinished.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export type JournalRecord =
  | { t: 'start'; n: string; i: unknown }
  | { t: 'enter'; n: string; s: string; i: unknown; tok?: string; dl?: number }
  | { t: 'ready'; tok: string }
  | { t: 'ok'; tok: string; o: unknown }
  | { t: 'fail'; tok: string; e?: string; c?: string }
  | { t: 'end'; n: string; st: string };

/** What the journal says about one execution. */
export interface JournaledExecution {
  name: string;
  /** the StartExecution input, when the journal still has it */
  input?: unknown;
  /** the last Task state entered, with its state input (and token / deadline for a callback) */
  enter?: { s: string; i: unknown; tok?: string; dl?: number };
  /** the callback task's handler returned */
  ready: boolean;
  /** an answered callback of the last Task state, not yet consumed by the execution */
  outcome?: { ok: true; output: unknown } | { ok: false; error?: string; cause?: string };
  ended: boolean;
}

export interface JournalOptions {
  file: string;
  /**
   * Compact when this many bytes were appended since the last compaction and the file is
   * more than twice its compacted size (default 8 MiB).
   */
  compactAfterBytes?: number;
}

export class Journal {
  readonly file: string;
  private fd: number | undefined;
  private appended = 0;
  private compactedSize = 0;
  private readonly compactAfterBytes: number;
  /** set by the engine: the live state to rewrite the file from */
  snapshot: (() => JournalRecord[]) | undefined;
  /** the fsync running now (sync()) */
  private syncing: Promise<void> | undefined;
  /** the fsync that starts when the running one is done: what was written meanwhile waits for it */
  private queued: Promise<void> | undefined;
  /** bumped whenever the descriptor is replaced or closed, each time after an fsync of everything */
  private generation = 0;

  constructor(options: JournalOptions) {
    this.file = options.file;
    this.compactAfterBytes = options.compactAfterBytes ?? 8 * 1024 * 1024;
  }

  /** Reads what the file holds (an absent file holds nothing), ignoring a torn last line. */
  read(): { executions: Map<string, JournaledExecution>; records: number; skipped: number } {
    const executions = new Map<string, JournaledExecution>();
    if (!existsSync(this.file)) return { executions, records: 0, skipped: 0 };
    const text = readFileSync(this.file, 'utf8');
    const byToken = new Map<string, JournaledExecution>();
    let records = 0;
    let skipped = 0;
    const of = (name: string) => {
      let entry = executions.get(name);
      if (!entry) {
        entry = { name, ready: false, ended: false };
        executions.set(name, entry);
      }
      return entry;
    };
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.trim() === '') continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        skipped++;
        continue;
      }
      records++;
      switch (record.t) {
        case 'start': {
          // a name starts once; a later start of a finished name is a new run (local only)
          const entry = of(record.n);
          entry.input = record.i;
          entry.ended = false;
          delete entry.enter;
          delete entry.outcome;
          entry.ready = false;
          break;
        }
        case 'enter': {
          const entry = of(record.n);
          entry.ended = false;
          entry.enter = {
            s: record.s,
            i: record.i,
            ...(record.tok !== undefined ? { tok: record.tok } : {}),
            ...(record.dl !== undefined ? { dl: record.dl } : {}),
          };
          entry.ready = false;
          delete entry.outcome;
          if (record.tok) byToken.set(record.tok, entry);
          break;
        }
        case 'ready': {
          const entry = byToken.get(record.tok);
          if (entry?.enter?.tok === record.tok) entry.ready = true;
          break;
        }
        case 'ok':
        case 'fail': {
          const entry = byToken.get(record.tok);
          if (entry?.enter?.tok === record.tok && !entry.outcome) {
            entry.outcome =
              record.t === 'ok'
                ? { ok: true, output: record.o }
                : {
                    ok: false,
                    ...(record.e !== undefined ? { error: record.e } : {}),
                    ...(record.c !== undefined ? { cause: record.c } : {}),
                  };
          }
          break;
        }
        case 'end': {
          const entry = of(record.n);
          entry.ended = true;
          delete entry.enter;
          delete entry.outcome;
          delete entry.input;
          entry.ready = false;
          break;
        }
        default:
          skipped++;
      }
    }
    return { executions, records, skipped };
  }

  /** Opens the file for appending (creating its folder). */
  open(): void {
    if (this.fd !== undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    this.fd = openSync(this.file, 'a');
    this.compactedSize = fstatSync(this.fd).size;
    this.appended = 0;
  }

  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /**
   * Appends one record. `sync`: fsync before returning (the caller then answers the API).
   * Throws when the file cannot be written: the caller must not act as if it was.
   */
  append(record: JournalRecord, sync = false): void {
    if (this.fd === undefined) throw new Error('The journal is closed');
    const line = `${JSON.stringify(record)}\n`;
    const buffer = Buffer.from(line, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
    if (sync) fsyncSync(this.fd);
    this.appended += buffer.length;
    if (this.appended > this.compactAfterBytes && this.appended > this.compactedSize) this.compact();
  }

  /**
   * Resolves once everything appended before the call is on disk (fsync), without blocking
   * the event loop; rejects when the fsync fails. Calls made while an fsync runs share the
   * next one.
   */
  sync(): Promise<void> {
    if (this.fd === undefined) return Promise.reject(new Error('The journal is closed'));
    if (!this.syncing) return this.startSync();
    this.queued ??= this.syncing.then(ignore, ignore).then(() => {
      this.queued = undefined;
      return this.syncing ?? this.startSync();
    });
    return this.queued;
  }

  private startSync(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return Promise.reject(new Error('The journal is closed'));
    const generation = this.generation;
    const done = new Promise<void>((resolve, reject) => {
      fsync(fd, (error) => {
        if (this.syncing === done) this.syncing = undefined;
        // the descriptor was replaced (compaction) or closed meanwhile: both fsync everything first
        if (error && generation === this.generation) reject(error);
        else resolve();
      });
    });
    this.syncing = done;
    return done;
  }

  /** Rewrites the file from the live state (the engine's `snapshot`). */
  compact(): void {
    if (this.fd === undefined || !this.snapshot) return;
    const records = this.snapshot();
    const temp = `${this.file}.compact`;
    const fd = openSync(temp, 'w');
    let size = 0;
    try {
      const chunk: string[] = [];
      const flush = () => {
        if (chunk.length === 0) return;
        const buffer = Buffer.from(chunk.join(''), 'utf8');
        let offset = 0;
        while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
        size += buffer.length;
        chunk.length = 0;
      };
      for (const record of records) {
        chunk.push(`${JSON.stringify(record)}\n`);
        if (chunk.length >= 1000) flush();
      }
      flush();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    syncFolder(dirname(this.file));
    this.generation++;
    closeSync(this.fd);
    this.fd = openSync(this.file, 'a');
    this.compactedSize = size;
    this.appended = 0;
  }

  /** fsyncs and closes; later appends throw. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } finally {
      this.generation++;
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

const ignore = () => undefined;

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not every platform can fsync a folder; the rename itself is atomic
  }
}
