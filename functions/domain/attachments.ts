import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { DomainError, ValidationError } from './errors.js';
import type { Actor } from './model.js';

/**
 * Evidence: files attached to a complaint (photos, defective-sample reports, letters).
 * AWS-free: limits and types from `config/attachments.json`, the request checks, the check of
 * an uploaded object, who may see what, and the port to the object storage (S3 on AWS, a local
 * S3-compatible server on one machine; functions/adapters/s3-evidence.ts).
 *
 * The bytes never pass through the API: the client asks for an upload (POST), PUTs the bytes
 * to a presigned URL, and the file is listed once the stored object was checked (its size and
 * type match what was declared, and its first bytes look like that type).
 */

// ---------------------------------------------------------------- configuration

export const ATTACHMENT_KINDS = ['image', 'document', 'audio', 'video'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

const configSchema = z.lazy(() =>
  z
    .object({
      maxFileBytes: z.number().int().positive(),
      maxBytesByKind: z.partialRecord(z.enum(ATTACHMENT_KINDS), z.number().int().positive()).default({}),
      maxFilesPerComplaint: z.number().int().positive().max(1000),
      /** how long a presigned upload URL works (real time) */
      uploadUrlSeconds: z
        .number()
        .int()
        .min(60)
        .max(7 * 24 * 3600),
      /** how long a presigned download URL works (real time) */
      downloadUrlSeconds: z.number().int().min(10).max(3600),
      types: z
        .record(
          z.string().regex(MEDIA_TYPE, 'a lower-case media type, like image/jpeg'),
          z.object({
            kind: z.enum(ATTACHMENT_KINDS),
            extensions: z.array(z.string().regex(/^[a-z0-9]{1,10}$/, 'lower case, no dot')).min(1),
          }),
        )
        .refine((types) => Object.keys(types).length > 0, 'at least one type'),
    })
    .strict(),
);

export type AttachmentsConfig = z.output<typeof configSchema>;

/** Validates the configuration; an Error naming every bad entry otherwise. */
export function parseAttachmentsConfig(raw: unknown): AttachmentsConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`config/attachments.json is invalid:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** Reads `<configDir>/attachments.json`. */
export function loadAttachmentsConfig(configDir: string): AttachmentsConfig {
  const file = path.join(configDir, 'attachments.json');
  return parseAttachmentsConfig(JSON.parse(readFileSync(file, 'utf8')));
}

/** The size limit of a type (its kind's limit, else the default). */
export function maxBytesFor(config: AttachmentsConfig, contentType: string): number {
  const kind = config.types[contentType]?.kind;
  return (kind && config.maxBytesByKind[kind]) || config.maxFileBytes;
}

// ---------------------------------------------------------------- errors

/** 413: the file is bigger than its type allows. */
export class FileTooLargeError extends DomainError {
  constructor(readonly maxBytes: number) {
    super(
      `The file is too large: at most ${formatMegabytes(maxBytes)} for this type of file.`,
      'file_too_large',
    );
  }
}

/** 415: this type of file is not accepted (or its name does not match its type). */
export class FileTypeNotAllowedError extends DomainError {
  constructor(message = 'This type of file is not accepted.') {
    super(message, 'file_type_not_allowed');
  }
}

/** 409: the complaint already has as many files as allowed. */
export class TooManyAttachmentsError extends DomainError {
  constructor(readonly maxFiles: number) {
    super(`A complaint can have at most ${maxFiles} files.`, 'too_many_attachments');
  }
}

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

// ---------------------------------------------------------------- the stored record

export type AttachmentStatus = 'pending' | 'uploaded' | 'rejected';

/** An attachment as stored (an item in the complaint's partition). */
export interface Attachment {
  complaintId: string;
  attachmentId: string;
  /** sanitized; personal data possibly: never in logs, keys or audit data */
  fileName: string;
  contentType: string;
  size: number;
  /** staff uploads are internal unless marked visible; a customer's own are always visible */
  visibleToCustomer: boolean;
  by: Actor;
  /** when the upload was asked for (business clock) */
  createdAt: string;
  status: AttachmentStatus;
  /** when the presigned upload URL stops working (real time: the storage checks it) */
  uploadExpiresAt: string;
  /** when the upload was confirmed (business clock) */
  uploadedAt?: string;
  /** why a pending upload was refused */
  rejectedReason?: RejectReason;
}

export type RejectReason = 'size_mismatch' | 'type_mismatch' | 'content_mismatch';

/** The object key of an attachment: ids only, never a name or personal data. */
export function attachmentKey(complaintId: string, attachmentId: string): string {
  return `${complaintId}/${attachmentId}`;
}

/** 22 characters of base64url: 128 random bits. */
export function newAttachmentId(): string {
  return randomBytes(16).toString('base64url');
}

export const ATTACHMENT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * true when the attachment takes one of the complaint's slots: uploaded, or pending with its
 * upload URL still valid at `nowMs` (an abandoned upload frees its slot when its URL expires).
 */
export function occupiesSlot(a: Pick<Attachment, 'status' | 'uploadExpiresAt'>, nowMs: number): boolean {
  return a.status === 'uploaded' || (a.status === 'pending' && Date.parse(a.uploadExpiresAt) > nowMs);
}

/** Oldest first (by the instant asked for; ties by id). */
export function byCreation(a: Pick<Attachment, 'createdAt' | 'attachmentId'>, b: typeof a): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.attachmentId < b.attachmentId ? -1 : 1);
}

/** The customer sees their own uploads and staff uploads marked visible; staff see every one. */
export function customerMaySee(a: Pick<Attachment, 'by' | 'visibleToCustomer'>): boolean {
  return a.by.kind === 'customer' || a.visibleToCustomer;
}

// ---------------------------------------------------------------- the request

/** C0 and C1 controls, DEL, and the invisible direction marks and overrides (spoofed extensions). */
function hasForbiddenChar(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
    if (c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e)) return true;
    if ((c >= 0x2066 && c <= 0x2069) || c === 0xfeff) return true;
  }
  return false;
}
export const MAX_FILE_NAME = 200;

/**
 * A file name safe to store and to offer for download: no control or bidirectional-override
 * characters (refused: the text rules), the last path segment only, characters that file
 * systems refuse (`<>:"/\|?*`) replaced by `_`, runs of spaces collapsed, no leading or trailing
 * dots and spaces, at most 200 characters (the extension kept). undefined when nothing is left.
 */
export function sanitizeFileName(raw: string): string | undefined {
  if (hasForbiddenChar(raw)) return undefined;
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (name === '') return undefined;
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME) {
    const ext = extensionOf(name);
    const tail = ext ? `.${ext}` : '';
    name = chars.slice(0, MAX_FILE_NAME - [...tail].length).join('') + tail;
  }
  return name;
}

/** The lower-case extension without the dot, or '' */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export const attachmentRequestBody = z.lazy(() =>
  z.object({
    fileName: z
      .string({ error: (i) => (i.input === undefined ? 'Required.' : 'Must be text.') })
      .max(1000, 'At most 1,000 characters.'),
    contentType: z
      .string({ error: (i) => (i.input === undefined ? 'Required.' : 'Must be text.') })
      .max(255, 'At most 255 characters.'),
    size: z
      .number({ error: (i) => (i.input === undefined ? 'Required.' : 'Must be a number of bytes.') })
      .int('Must be a whole number of bytes.')
      .positive('An empty file cannot be attached.')
      .max(Number.MAX_SAFE_INTEGER),
    visibleToCustomer: z.boolean({ error: 'Must be true or false.' }).optional(),
  }),
);

export type AttachmentRequest = z.output<typeof attachmentRequestBody>;

export interface CheckedRequest {
  fileName: string;
  contentType: string;
  size: number;
  kind: AttachmentKind;
  visibleToCustomer: boolean;
}

/**
 * Checks an upload request: 400 for a bad or empty name, 415 for a type not accepted or a
 * name whose extension does not belong to the type, 413 over the type's limit. The media type
 * is compared without parameters and in lower case. `staff`: staff may mark a file visible to
 * the customer; a customer's own file is always visible to them (the flag is ignored).
 */
export function checkAttachmentRequest(
  body: AttachmentRequest,
  config: AttachmentsConfig,
  options: { staff: boolean },
): CheckedRequest {
  const fileName = sanitizeFileName(body.fileName);
  if (!fileName) {
    throw new ValidationError('Some fields are missing or invalid.', [
      { path: 'fileName', message: 'Must be a file name without control characters.' },
    ]);
  }
  const contentType = (body.contentType.split(';')[0] ?? '').trim().toLowerCase();
  const type = config.types[contentType];
  if (!type) throw new FileTypeNotAllowedError();
  if (!type.extensions.includes(extensionOf(fileName))) {
    throw new FileTypeNotAllowedError('The file name does not end in an extension of its type.');
  }
  const max = maxBytesFor(config, contentType);
  if (body.size > max) throw new FileTooLargeError(max);
  return {
    fileName,
    contentType,
    size: body.size,
    kind: type.kind,
    visibleToCustomer: options.staff ? body.visibleToCustomer === true : true,
  };
}

// ---------------------------------------------------------------- the uploaded object

/** What the storage says of a stored object. */
export interface StoredObject {
  size: number;
  contentType?: string;
}

/** The object storage, as the domain needs it (S3 presigned URLs). */
export interface EvidenceObjects {
  /** a URL to PUT exactly `size` bytes of `contentType` to `key`, until `expiresAt` */
  uploadUrl(
    key: string,
    file: { contentType: string; size: number },
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string>; expiresAt: string }>;
  /** a URL to GET `key` as a download named `fileName`, until `expiresAt` */
  downloadUrl(
    key: string,
    file: { fileName: string; contentType: string },
    expiresInSeconds: number,
  ): Promise<{ url: string; expiresAt: string }>;
  /** the stored object, or undefined when nothing was uploaded */
  head(key: string): Promise<StoredObject | undefined>;
  /** up to `count` bytes from the start of the object */
  firstBytes(key: string, count: number): Promise<Uint8Array>;
  remove(key: string): Promise<void>;
}

/** How many bytes `looksLike` wants. */
export const SNIFF_BYTES = 16;

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));
const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  signature.every((b, i) => bytes[offset + i] === b);

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const isFtyp = (b: Uint8Array) => ascii(b, 4, 8) === 'ftyp';

/** Signatures ("magic numbers") of the accepted types, by media type. */
const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/gif': (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a',
  'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
  'image/heic': isFtyp,
  'application/pdf': (b) => ascii(b, 0, 5) === '%PDF-',
  'application/msword': (b) => startsWith(b, OLE),
  'application/vnd.ms-excel': (b) => startsWith(b, OLE),
  'application/vnd.ms-powerpoint': (b) => startsWith(b, OLE),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (b) => startsWith(b, ZIP),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (b) => startsWith(b, ZIP),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': (b) => startsWith(b, ZIP),
  'audio/mpeg': (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  'audio/mp4': isFtyp,
  'audio/wav': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE',
  'audio/ogg': (b) => ascii(b, 0, 4) === 'OggS',
  'video/mp4': isFtyp,
  'video/quicktime': (b) => isFtyp(b) || ['moov', 'mdat', 'wide', 'free'].includes(ascii(b, 4, 8)),
  'video/webm': (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]),
};

/**
 * true when the first bytes fit the type's signature; true as well for a configured type with
 * no known signature (the size and declared type are still checked).
 */
export function looksLike(contentType: string, firstBytes: Uint8Array): boolean {
  const check = SIGNATURES[contentType];
  return check ? check(firstBytes) : true;
}

/** Media types that looksLike() knows a signature of. */
export const SNIFFED_TYPES: readonly string[] = Object.keys(SIGNATURES);

/**
 * The verdict on an uploaded object: `ok`, or why it is refused. The presigned URL binds the
 * size and type already; this catches a storage that does not enforce them and content that
 * is not what its type says.
 */
export function checkUploaded(
  a: Pick<Attachment, 'size' | 'contentType'>,
  object: StoredObject,
  firstBytes: Uint8Array,
): 'ok' | RejectReason {
  if (object.size !== a.size) return 'size_mismatch';
  const stored = (object.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (stored !== a.contentType) return 'type_mismatch';
  if (!looksLike(a.contentType, firstBytes)) return 'content_mismatch';
  return 'ok';
}

// ---------------------------------------------------------------- download

/**
 * `Content-Disposition: attachment` with the file name (RFC 6266): an ASCII fallback in
 * `filename` (non-ASCII, quotes and backslashes replaced by `_`) and the exact name in
 * `filename*` (RFC 5987: UTF-8, percent-encoded).
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// ---------------------------------------------------------------- confirming an upload

/** The store methods settleUpload needs (functions/domain/store.ts). */
export interface AttachmentSettler {
  settleAttachment(
    complaintId: string,
    attachmentId: string,
    outcome:
      | { status: 'uploaded'; at: string; actor: Actor }
      | { status: 'rejected'; reason: RejectReason; actor: Actor },
  ): Promise<Attachment>;
}

/**
 * Confirms a pending upload from what the storage holds: nothing yet → still pending; an
 * object of the declared size and type whose first bytes fit that type → `uploaded` (audit
 * `attachment_added`, by the uploader); anything else → the object is deleted and the
 * attachment `rejected` (audit `attachment_refused` with the reason). Idempotent; run by the
 * storage's "object created" event and by a GET of the attachment, whichever comes first.
 */
export async function settleUpload(
  store: AttachmentSettler,
  objects: Pick<EvidenceObjects, 'head' | 'firstBytes' | 'remove'>,
  a: Attachment,
  nowIso: string,
): Promise<Attachment> {
  if (a.status !== 'pending') return a;
  const key = attachmentKey(a.complaintId, a.attachmentId);
  const object = await objects.head(key);
  if (!object) return a;
  const verdict = checkUploaded(a, object, await objects.firstBytes(key, SNIFF_BYTES));
  if (verdict === 'ok') {
    return store.settleAttachment(a.complaintId, a.attachmentId, {
      status: 'uploaded',
      at: nowIso,
      actor: a.by,
    });
  }
  await objects.remove(key);
  return store.settleAttachment(a.complaintId, a.attachmentId, {
    status: 'rejected',
    reason: verdict,
    actor: { kind: 'system' },
  });
}

/** Splits an object key made by attachmentKey(); undefined for any other key. */
export function parseAttachmentKey(key: string): { complaintId: string; attachmentId: string } | undefined {
  const m = /^([A-Z0-9-]{1,40})\/([A-Za-z0-9_-]{22})$/.exec(key);
  return m?.[1] && m[2] ? { complaintId: m[1], attachmentId: m[2] } : undefined;
}
