/**
 * The attachment routes end to end against a real S3-compatible server (s3rver on a free port,
 * the local stack's stand-in for the bucket): presigned upload, the check of the stored object,
 * the download link's headers, limits, visibility, scoping, and the object-created event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  S3EvidenceObjects,
  s3ClientConfig,
  setEvidenceObjects,
} from '../../../functions/adapters/s3-evidence.js';
import { setStore } from '../../../functions/adapters/store.js';
import { handler as download } from '../../../functions/api/attachment-download.js';
import { handler as attach } from '../../../functions/api/attachments.js';
import { handler as getComplaint } from '../../../functions/api/get-complaint.js';
import { handler as staffGet } from '../../../functions/api/staff-get.js';
import { attachmentKey, loadAttachmentsConfig } from '../../../functions/domain/attachments.js';
import { ManualClock, setClock, systemClock } from '../../../functions/domain/clock.js';
import { handler as objectCreated } from '../../../functions/events/attachment-uploaded.js';
import { type RunningS3, startLocalS3 } from '../../../local/s3.js';
import { apiEvent, invoke, staffClaims } from '../../support/api-events.js';
import { freePort } from '../../support/free-port.js';
import { MemoryComplaintStore } from '../../support/memory-store.js';
import { captureOutput, givenComplaint } from './helpers.js';

const CREDENTIALS = { accessKeyId: 'evidence-test', secretAccessKey: 'evidence-test-secret' };
const CONFIG = loadAttachmentsConfig(path.resolve('config'));
const FILE_NAME = '破损样品 张三.jpg';

let s3: RunningS3;
let dir: string;
let objects: S3EvidenceObjects;
let client: S3Client;
let store: MemoryComplaintStore;
let output: ReturnType<typeof captureOutput>;
/** when set, the server's object-created events run the Lambda handler, as S3 does on AWS */
let eventsOn = false;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'evidence-'));
  s3 = await startLocalS3({
    port: await freePort(),
    directory: dir,
    bucket: 'evidence-test',
    credentials: CREDENTIALS,
    onObjectCreated: (event) => (eventsOn ? objectCreated(event) : Promise.resolve()),
  });
  client = new S3Client({
    ...s3ClientConfig({ S3_FORCE_PATH_STYLE: 'true' }),
    region: 'us-east-1',
    endpoint: s3.endpoint,
    credentials: CREDENTIALS,
  });
  objects = new S3EvidenceObjects(client, s3.bucket);
  setEvidenceObjects(objects);
});

afterAll(async () => {
  setEvidenceObjects(undefined);
  client.destroy();
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  store = new MemoryComplaintStore();
  setStore(store);
  setClock(new ManualClock('2026-11-25T03:00:00Z'));
  eventsOn = false;
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  setStore(undefined);
  setClock(systemClock);
});

/** A small JPEG: the signature, then filler. */
function jpeg(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  return bytes;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function customerPost(id: string, token: string, body: unknown) {
  return invoke(
    attach,
    apiEvent({ route: '/complaints/{id}/attachments', pathParameters: { id }, body, headers: bearer(token) }),
  );
}

function customerDownload(id: string, token: string, attachmentId: string) {
  return invoke(
    download,
    apiEvent({
      route: '/complaints/{id}/attachments/{attachmentId}',
      pathParameters: { id, attachmentId },
      headers: bearer(token),
    }),
  );
}

function staffPost(id: string, body: unknown, claims = staffClaims('agent')) {
  return invoke(
    attach,
    apiEvent({ route: '/staff/complaints/{id}/attachments', pathParameters: { id }, body, claims }),
  );
}

function staffDownload(id: string, attachmentId: string, claims = staffClaims('agent')) {
  return invoke(
    download,
    apiEvent({
      route: '/staff/complaints/{id}/attachments/{attachmentId}',
      pathParameters: { id, attachmentId },
      claims,
    }),
  );
}

async function put(
  upload: { url: string; method: string; headers: Record<string, string> },
  body: Uint8Array,
) {
  return fetch(upload.url, { method: upload.method, headers: upload.headers, body: body as BodyInit });
}

const photo = (size = 2048) => ({ fileName: FILE_NAME, contentType: 'image/jpeg', size });

describe('customer: upload through the presigned URL, then download', () => {
  it('lists the file once uploaded and checked, and the link downloads it as an attachment', async () => {
    const { id, token } = await givenComplaint(store);
    const created = await customerPost(id, token, photo());
    expect(created.statusCode).toBe(201);
    expect(created.body).toEqual({
      attachmentId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      upload: {
        url: expect.stringContaining(s3.endpoint),
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg' },
      },
      expiresAt: expect.any(String),
    });
    // the object key is ids only: no file name in the URL
    const { attachmentId } = created.body;
    expect(new URL(created.body.upload.url).pathname).toBe(
      `/${s3.bucket}/${attachmentKey(id, attachmentId)}`,
    );
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(
      (CONFIG.uploadUrlSeconds - 60) * 1000,
    );

    // asked for, not uploaded: not listed, and no download yet
    const before = await invoke(
      getComplaint,
      apiEvent({ route: '/complaints/{id}', pathParameters: { id }, headers: bearer(token) }),
    );
    expect(before.body.attachments).toEqual([]);
    expect((await customerDownload(id, token, attachmentId)).body.error.code).toBe('upload_pending');

    const bytes = jpeg();
    expect((await put(created.body.upload, bytes)).status).toBe(200);

    const link = await customerDownload(id, token, attachmentId);
    expect(link.statusCode).toBe(200);
    expect(link.body.attachment).toEqual({
      attachmentId,
      fileName: FILE_NAME,
      contentType: 'image/jpeg',
      size: 2048,
      uploadedAt: '2026-11-25T03:00:00.000Z',
      by: 'customer',
    });
    const file = await fetch(link.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="____ __.jpg"; filename*=UTF-8''${encodeURIComponent(FILE_NAME)}`,
    );
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);

    const view = await invoke(
      getComplaint,
      apiEvent({ route: '/complaints/{id}', pathParameters: { id }, headers: bearer(token) }),
    );
    expect(view.body.attachments).toEqual([link.body.attachment]);
    const staff = await invoke(
      staffGet,
      apiEvent({ route: '/staff/complaints/{id}', pathParameters: { id }, claims: staffClaims('agent') }),
    );
    expect(staff.body.attachments).toEqual([
      { ...link.body.attachment, visibleToCustomer: true, actor: { kind: 'customer' } },
    ]);
    const added = staff.body.history.filter((e: { type: string }) => e.type === 'attachment_added');
    expect(added).toEqual([
      expect.objectContaining({
        actor: { kind: 'customer' },
        data: {
          attachmentId,
          contentType: 'image/jpeg',
          size: 2048,
          visibleToCustomer: true,
          by: 'customer',
        },
      }),
    ]);
    // a second GET settles nothing again
    await customerDownload(id, token, attachmentId);
    expect((await store.events(id)).filter((e) => e.type === 'attachment_added')).toHaveLength(1);
  });

  it('binds type and length into the upload signature; a mismatch that reaches the storage is refused', async () => {
    const { id, token } = await givenComplaint(store);
    const longer = await customerPost(id, token, photo(2048));
    // S3 enforces the signed headers; s3rver does not check SigV4 signatures, so the check after
    // the upload is what refuses such an object locally (and on AWS, whatever gets through)
    const signed = new URL(longer.body.upload.url).searchParams.get('X-Amz-SignedHeaders');
    expect(signed?.split(';')).toEqual(['content-length', 'content-type', 'host']);
    await put(longer.body.upload, jpeg(4096));
    expect((await customerDownload(id, token, longer.body.attachmentId)).body.error.code).toBe(
      'upload_refused',
    );

    const otherType = await customerPost(id, token, photo(2048));
    await fetch(otherType.body.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: jpeg(2048) as BodyInit,
    });
    expect((await customerDownload(id, token, otherType.body.attachmentId)).body.error.code).toBe(
      'upload_refused',
    );

    const reasons = (await store.events(id))
      .filter((e) => e.type === 'attachment_refused')
      .map((e) => e.data?.reason);
    expect(reasons).toEqual(['size_mismatch', 'type_mismatch']);
    for (const created of [longer, otherType]) {
      expect(await objects.head(attachmentKey(id, created.body.attachmentId))).toBeUndefined();
    }
  });

  it('refuses and deletes an object whose content is not its type', async () => {
    const { id, token } = await givenComplaint(store);
    const created = await customerPost(id, token, {
      fileName: 'scan.pdf',
      contentType: 'application/pdf',
      size: 64,
    });
    const notPdf = new TextEncoder().encode('<html><script>alert(1)</script></html>'.padEnd(64, ' '));
    expect((await put(created.body.upload, notPdf)).status).toBe(200);
    const answer = await customerDownload(id, token, created.body.attachmentId);
    expect(answer.statusCode).toBe(409);
    expect(answer.body.error.code).toBe('upload_refused');
    expect(await objects.head(attachmentKey(id, created.body.attachmentId))).toBeUndefined();
    expect((await store.events(id)).at(-1)).toMatchObject({
      type: 'attachment_refused',
      data: { attachmentId: created.body.attachmentId, reason: 'content_mismatch' },
    });
    const view = await invoke(
      getComplaint,
      apiEvent({ route: '/complaints/{id}', pathParameters: { id }, headers: bearer(token) }),
    );
    expect(view.body.attachments).toEqual([]);
  });

  it('lists an upload from the storage event alone, with no call from the client', async () => {
    eventsOn = true;
    const { id, token } = await givenComplaint(store);
    const created = await customerPost(id, token, photo());
    expect((await put(created.body.upload, jpeg())).status).toBe(200);
    await s3.settled();
    const view = await invoke(
      getComplaint,
      apiEvent({ route: '/complaints/{id}', pathParameters: { id }, headers: bearer(token) }),
    );
    expect(view.body.attachments.map((a: { attachmentId: string }) => a.attachmentId)).toEqual([
      created.body.attachmentId,
    ]);
  });
});

describe('limits and bad input', () => {
  it('413 over 10 MB for a photo; video may have 50 MB', async () => {
    const { id, token } = await givenComplaint(store);
    const big = await customerPost(id, token, photo(10 * 1024 * 1024 + 1));
    expect(big.statusCode).toBe(413);
    expect(big.body.error.code).toBe('file_too_large');
    expect((await customerPost(id, token, photo(10 * 1024 * 1024))).statusCode).toBe(201);
    const video = { fileName: 'unboxing.mp4', contentType: 'video/mp4' };
    expect((await customerPost(id, token, { ...video, size: 50 * 1024 * 1024 })).statusCode).toBe(201);
    expect((await customerPost(id, token, { ...video, size: 50 * 1024 * 1024 + 1 })).statusCode).toBe(413);
  });

  it('415 for a type not accepted, or a name that does not match its type', async () => {
    const { id, token } = await givenComplaint(store);
    const exe = await customerPost(id, token, {
      fileName: 'setup.exe',
      contentType: 'application/x-msdownload',
      size: 10,
    });
    expect(exe.statusCode).toBe(415);
    expect(exe.body.error.code).toBe('file_type_not_allowed');
    const disguised = await customerPost(id, token, {
      fileName: 'photo.html',
      contentType: 'image/jpeg',
      size: 10,
    });
    expect(disguised.statusCode).toBe(415);
    // parameters and case of the media type do not matter
    expect(
      (await customerPost(id, token, { ...photo(10), contentType: 'IMAGE/JPEG; charset=binary' })).statusCode,
    ).toBe(201);
  });

  it('400 names every bad field; a control character in the name is refused', async () => {
    const { id, token } = await givenComplaint(store);
    const bad = await customerPost(id, token, { fileName: 3, size: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'contentType',
      'fileName',
      'size',
    ]);
    const control = await customerPost(id, token, { ...photo(), fileName: 'a\u0007b.jpg' });
    expect(control.statusCode).toBe(400);
    expect(control.body.error.details).toEqual([
      expect.objectContaining({ path: 'fileName', message: expect.any(String) }),
    ]);
    expect(await store.attachments(id)).toEqual([]);
  });

  it(`409 after ${CONFIG.maxFilesPerComplaint} files`, async () => {
    const { id, token } = await givenComplaint(store);
    for (let i = 0; i < CONFIG.maxFilesPerComplaint; i++) {
      expect((await customerPost(id, token, photo(100))).statusCode).toBe(201);
    }
    const more = await customerPost(id, token, photo(100));
    expect(more.statusCode).toBe(409);
    expect(more.body.error.code).toBe('too_many_attachments');
    expect(await store.attachments(id)).toHaveLength(CONFIG.maxFilesPerComplaint);
  });

  it('404 for a wrong token, an unknown or malformed attachment id; 409 on a closed complaint', async () => {
    const { id, token } = await givenComplaint(store);
    expect((await customerPost(id, 'wrong-token', photo())).statusCode).toBe(404);
    expect((await customerDownload(id, token, 'A'.repeat(22))).statusCode).toBe(404);
    expect((await customerDownload(id, token, '../etc/passwd')).statusCode).toBe(404);
    const closed = await givenComplaint(store, { stage: 'closed', outcome: 'resolved' });
    const late = await customerPost(closed.id, closed.token, photo());
    expect(late.statusCode).toBe(409);
    expect(late.body.error.code).toBe('wrong_stage');
    // staff may still file material to a closed complaint (the archive)
    expect((await staffPost(closed.id, photo())).statusCode).toBe(201);
  });
});

describe('staff files: internal unless marked visible; role and department scoping', () => {
  async function uploaded(id: string, body: Record<string, unknown>) {
    const created = await staffPost(id, body);
    expect(created.statusCode).toBe(201);
    expect((await put(created.body.upload, jpeg(body.size as number))).status).toBe(200);
    expect((await staffDownload(id, created.body.attachmentId)).statusCode).toBe(200);
    return created.body.attachmentId as string;
  }

  it('the customer sees only the visible staff file, without who uploaded it', async () => {
    const { id, token } = await givenComplaint(store);
    const internal = await uploaded(id, {
      fileName: 'internal-report.jpg',
      contentType: 'image/jpeg',
      size: 300,
    });
    const visible = await uploaded(id, {
      fileName: 'repair-receipt.jpg',
      contentType: 'image/jpeg',
      size: 400,
      visibleToCustomer: true,
    });
    expect((await customerDownload(id, token, internal)).statusCode).toBe(404);
    const ok = await customerDownload(id, token, visible);
    expect(ok.statusCode).toBe(200);
    expect(ok.body.attachment.by).toBe('staff');
    const view = await invoke(
      getComplaint,
      apiEvent({ route: '/complaints/{id}', pathParameters: { id }, headers: bearer(token) }),
    );
    expect(view.body.attachments.map((a: { attachmentId: string }) => a.attachmentId)).toEqual([visible]);
    expect(JSON.stringify(view.body)).not.toContain('internal-report');
    expect(JSON.stringify(view.body.attachments)).not.toContain('"actor"');
    const staff = await invoke(
      staffGet,
      apiEvent({ route: '/staff/complaints/{id}', pathParameters: { id }, claims: staffClaims('agent') }),
    );
    // staff see both (in key order: the ids are random, so compare as a set)
    expect(
      staff.body.attachments
        .map((a: { attachmentId: string; visibleToCustomer: boolean }) => [
          a.attachmentId,
          a.visibleToCustomer,
        ])
        .sort(),
    ).toEqual(
      [
        [internal, false],
        [visible, true],
      ].sort(),
    );
  });

  it('a department reaches only its own complaints; analysts none', async () => {
    const { id } = await givenComplaint(store, { department: 'logistics' });
    const other = staffClaims('department', { department: 'billing' });
    const own = staffClaims('department', { department: 'logistics' });
    expect((await staffPost(id, photo(), other)).statusCode).toBe(404); // like an unknown id
    expect((await staffPost(id, photo(), staffClaims('analyst'))).statusCode).toBe(403);
    const created = await staffPost(id, photo(), own);
    expect(created.statusCode).toBe(201);
    expect((await staffDownload(id, created.body.attachmentId, other)).statusCode).toBe(404);
    expect((await staffDownload(id, created.body.attachmentId, own)).body.error.code).toBe('upload_pending');
  });
});

it('keeps file names out of the logs', async () => {
  const { id, token } = await givenComplaint(store);
  const created = await customerPost(id, token, photo());
  await put(created.body.upload, jpeg());
  await customerDownload(id, token, created.body.attachmentId);
  expect(output.lines.length).toBeGreaterThan(0);
  expect(output.text()).not.toContain('破损样品');
  expect(output.text()).not.toContain('张三');
});
