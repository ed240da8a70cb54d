import { type AttachmentsConfig, loadAttachmentsConfig } from '../domain/attachments.js';
import { NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/model.js';
import { parseReference } from '../domain/reference.js';
import { authorizeCustomer } from '../runtime/access.js';
import { requireStaff } from '../runtime/auth.js';
import { configDir } from '../runtime/env.js';
import { type ApiEvent, isStaffRoute, pathParameter } from '../runtime/http.js';

/**
 * Who calls an attachment route (functions/api/attachments.ts, attachment-download.ts): the
 * customer with the complaint's access token (404 otherwise), or staff who may read complaints
 * (agent, department, supervisor, manager; the department scope is checked on the complaint).
 */
export interface AttachmentCaller {
  id: string;
  actor: Actor;
  staff: boolean;
}

export async function attachmentCaller(event: ApiEvent): Promise<AttachmentCaller> {
  if (!isStaffRoute(event))
    return { id: await authorizeCustomer(event), actor: { kind: 'customer' }, staff: false };
  const actor = requireStaff(event, 'get');
  const id = parseReference(pathParameter(event, 'id') ?? '');
  if (!id) throw new NotFoundError();
  return { id, actor, staff: true };
}

let config: AttachmentsConfig | undefined;

/** config/attachments.json, read once. */
export function attachmentsConfig(): AttachmentsConfig {
  config ??= loadAttachmentsConfig(configDir());
  return config;
}
