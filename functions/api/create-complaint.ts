import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { startJourney } from '../adapters/sfn-journey.js';
import { getStore } from '../adapters/store.js';
import { clock } from '../domain/clock.js';
import {
  type CustomerComplaintBody,
  customerComplaintBody,
  type StaffComplaintBody,
  staffComplaintBodyFor,
} from '../domain/complaint-schemas.js';
import { ValidationError } from '../domain/errors.js';
import type { Actor, Complaint } from '../domain/model.js';
import { replyDeadline, selectProfile } from '../domain/policy.js';
import { newReference } from '../domain/reference.js';
import { customerKeys, orderKey } from '../domain/search.js';
import { statusOf } from '../domain/views.js';
import { canonicalJson, newAccessToken, sha256Hex } from '../runtime/access.js';
import { requireStaff } from '../runtime/auth.js';
import { apiHandler, bodyOf, header, isStaffRoute, json, parseWith } from '../runtime/http.js';
import { MetricName } from '../runtime/metric-names.js';
import { logger, metrics } from '../runtime/powertools.js';
import { deadlineConfig } from '../runtime/product-config.js';

/**
 * POST /complaints (customer, public) and POST /staff/complaints (agent, supervisor,
 * manager: a complaint received by phone, letter, walk-in, …).
 *
 * Validates, stores the complaint with its `registered` event, starts its journey (an
 * execution named by the id; starting again is harmless) and answers
 * `201 {id, accessToken, status, replyDueBy}`. The access token is shown once; only its
 * hash is kept. With an `Idempotency-Key`, the same key and body give the same complaint
 * (a replay gets a freshly minted token for it); the same key with another body is 409.
 */

/** An earlier complaint of the same customer within this many days makes a repeat complaint. */
export const REPEAT_WINDOW_DAYS = 90;

/**
 * The staff body's schema under the policy's receipt age: built on the first request, as the
 * deadline policy and calendar are read then (`deadlineConfig`, once per container; not at
 * import, so a cold start builds neither before it is asked for anything; `cdk synth` has
 * validated both files before any deployment).
 */
let staffBodySchema: ReturnType<typeof staffComplaintBodyFor> | undefined;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const BAD_IDEMPOTENCY_KEY = {
  path: 'Idempotency-Key',
  message: 'Must be 1 to 255 visible ASCII characters, e.g. a UUID.',
};

/**
 * The body and the Idempotency-Key, validated together: one 400 names every bad field,
 * the header included.
 */
function parseRequest<T>(parseBody: () => T, key: string | undefined): { body: T; key?: string } {
  const badKey = key !== undefined && !IDEMPOTENCY_KEY.test(key);
  let body: T;
  try {
    body = parseBody();
  } catch (error) {
    if (badKey && error instanceof ValidationError) {
      throw new ValidationError(error.message, [...error.details, BAD_IDEMPOTENCY_KEY]);
    }
    throw error;
  }
  if (badKey) throw new ValidationError('Some fields are missing or invalid.', [BAD_IDEMPOTENCY_KEY]);
  return { body, ...(key !== undefined ? { key } : {}) };
}

// the contact keys moved to the domain (search uses them too); kept importable from here
export { customerKeys, phoneKey } from '../domain/search.js';

export const handler = apiHandler(
  async (event) => {
    const { calendar, policy } = deadlineConfig();
    staffBodySchema ??= staffComplaintBodyFor(policy.receiptMaxAgeDays);
    const staffComplaintBody = staffBodySchema;
    const staff = isStaffRoute(event);
    const actor: Actor = staff ? requireStaff(event, 'register') : { kind: 'customer' };
    const { body, key } = parseRequest<CustomerComplaintBody | StaffComplaintBody>(
      () =>
        staff
          ? parseWith(staffComplaintBody, bodyOf(event))
          : parseWith(customerComplaintBody, bodyOf(event)),
      header(event, 'idempotency-key'),
    );

    const store = getStore();
    const now = clock().now();
    const createdAt = now.toISOString();
    // the deadline profile by channel and category (config/policy.json), kept on the complaint
    const profile = selectProfile(policy, { channel: body.channel, category: body.category });
    // a letter or referral registered later counts from when it arrived
    const receivedAt = 'receivedAt' in body ? body.receivedAt : undefined;
    const reply = replyDeadline(profile, receivedAt ? new Date(receivedAt) : now, calendar);
    const custKeys = customerKeys(body.customer);
    const order = body.orderRef ? orderKey(body.orderRef) : undefined;
    const since = new Date(now.getTime() - REPEAT_WINDOW_DAYS * 24 * 3600 * 1000).toISOString();
    const repeat = await store.hasEarlierByCustomer(custKeys, since, createdAt);

    const { customer } = body;
    const complaint: Omit<Complaint, 'version'> = {
      id: newReference(now),
      channel: body.channel,
      customer: {
        name: customer.name,
        language: customer.language,
        ...(customer.email ? { email: customer.email } : {}),
        ...(customer.phone ? { phone: customer.phone } : {}),
        ...(customer.organization ? { organization: customer.organization } : {}),
      },
      subject: body.subject,
      description: body.description,
      ...(body.category ? { category: body.category } : {}),
      ...('severity' in body && body.severity ? { severity: body.severity } : {}),
      ...(body.orderRef ? { orderRef: body.orderRef } : {}),
      ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}),
      stage: 'received',
      createdAt,
      ...(receivedAt ? { receivedAt } : {}),
      replyDueBy: reply.dueAt,
      replyDueProvisional: reply.provisional,
      profile: profile.name,
      declines: 0,
      reopens: 0,
      proposalRounds: 0,
      escalations: 0,
      maxEscalationLevel: 0,
      repeat,
      ...(staff ? { registeredBy: actor } : {}),
    };

    const access = newAccessToken();
    const { complaint: stored, created } = await store.create({
      complaint,
      accessTokenHash: access.hash,
      customerKeys: custKeys,
      ...(order ? { orderKey: order } : {}),
      actor,
      ...(key
        ? {
            idempotency: {
              // the two routes keep separate key spaces
              key: `${staff ? 'staff' : 'public'}:${key}`,
              bodyHash: sha256Hex(canonicalJson(body)),
            },
          }
        : {}),
    });
    logger.appendKeys({ complaintId: stored.id });
    // a replay hands out a new token for the stored complaint (the first one was shown once)
    if (!created) await getStore().addAccessToken(stored.id, access.hash);
    // again on a replay: heals a crash between storing and starting (idempotent by name)
    const { started } = await startJourney(stored.id);

    if (created) {
      metrics.addDimension('channel', stored.channel);
      if (stored.category) metrics.addDimensions({ category: stored.category });
      metrics.addMetric(MetricName.ComplaintsReceived, MetricUnit.Count, 1);
    }
    logger.info(created ? 'complaint registered' : 'complaint replayed', {
      channel: stored.channel,
      byStaff: staff,
      repeat: stored.repeat,
      journeyStarted: started,
    });
    return json(
      201,
      { id: stored.id, accessToken: access.token, status: statusOf(stored), replyDueBy: stored.replyDueBy },
      created ? {} : { 'idempotent-replayed': 'true' },
    );
  },
  { jsonBody: true },
);
