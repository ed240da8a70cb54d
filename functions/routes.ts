/**
 * Every HTTP route of the product, in one place. CDK deploys API Gateway (HTTP API,
 * payload format 2.0) from this table, and the local gateway routes from the same table,
 * so the two cannot drift. `entry` is relative to the repository root; each file exports
 * `handler`.
 *
 * auth:
 * - 'public'   no authorizer (the customer routes check the access token themselves)
 * - 'staff'    the Cognito JWT authorizer; the handler reads `cognito:groups` and the
 *              `custom:department` claim from requestContext.authorizer.jwt.claims
 */
import { ACTIONS } from './domain/steps/index.js';

const pascal = (action: string) => `${action[0]?.toUpperCase()}${action.slice(1)}`;

export interface RouteDefinition {
  /** unique, used for construct ids and Lambda names */
  name: string;
  method: 'GET' | 'POST';
  /** API Gateway route path, e.g. /complaints/{id} */
  path: string;
  entry: string;
  auth: 'public' | 'staff';
}

export const ROUTES: readonly RouteDefinition[] = [
  { name: 'Health', method: 'GET', path: '/health', entry: 'functions/api/health.ts', auth: 'public' },
  {
    name: 'CreateComplaint',
    method: 'POST',
    path: '/complaints',
    entry: 'functions/api/create-complaint.ts',
    auth: 'public',
  },
  {
    name: 'GetComplaint',
    method: 'GET',
    path: '/complaints/{id}',
    entry: 'functions/api/get-complaint.ts',
    auth: 'public',
  },
  // the actions a customer answers (the step catalogue's `customer`)
  ...ACTIONS.filter((a) => a.customer).map(
    (a): RouteDefinition => ({
      name: `Customer${pascal(a.action)}`,
      method: 'POST',
      path: `/complaints/{id}/${a.action}`,
      entry: 'functions/api/customer-action.ts',
      auth: 'public',
    }),
  ),
  {
    name: 'StaffListComplaints',
    method: 'GET',
    path: '/staff/complaints',
    entry: 'functions/api/staff-list.ts',
    auth: 'staff',
  },
  {
    name: 'StaffCallTasks',
    method: 'GET',
    path: '/staff/call-tasks',
    entry: 'functions/api/staff-call-tasks.ts',
    auth: 'staff',
  },
  {
    name: 'StaffRegisterComplaint',
    method: 'POST',
    path: '/staff/complaints',
    entry: 'functions/api/create-complaint.ts',
    auth: 'staff',
  },
  {
    name: 'StaffGetComplaint',
    method: 'GET',
    path: '/staff/complaints/{id}',
    entry: 'functions/api/staff-get.ts',
    auth: 'staff',
  },
  // one route per action of the step catalogue (functions/domain/steps/)
  ...ACTIONS.map(
    (a): RouteDefinition => ({
      name: `Staff${pascal(a.action)}`,
      method: 'POST',
      path: `/staff/complaints/{id}/${a.action}`,
      entry: 'functions/api/staff-action.ts',
      auth: 'staff',
    }),
  ),
  {
    name: 'StaffAddNote',
    method: 'POST',
    path: '/staff/complaints/{id}/notes',
    entry: 'functions/api/staff-notes.ts',
    auth: 'staff',
  },
  {
    name: 'StaffAssign',
    method: 'POST',
    path: '/staff/complaints/{id}/assign',
    entry: 'functions/api/staff-assign.ts',
    auth: 'staff',
  },
  {
    name: 'StaffExtension',
    method: 'POST',
    path: '/staff/complaints/{id}/extension',
    entry: 'functions/api/extension.ts',
    auth: 'staff',
  },
  {
    name: 'StaffReports',
    method: 'GET',
    path: '/staff/reports',
    entry: 'functions/api/reports.ts',
    auth: 'staff',
  },
  // improvement actions (functions/domain/improvements.ts)
  {
    name: 'OpenImprovement',
    method: 'POST',
    path: '/staff/improvements',
    entry: 'functions/api/improvements.ts',
    auth: 'staff',
  },
  {
    name: 'ListImprovements',
    method: 'GET',
    path: '/staff/improvements',
    entry: 'functions/api/improvements-read.ts',
    auth: 'staff',
  },
  {
    name: 'GetImprovement',
    method: 'GET',
    path: '/staff/improvements/{id}',
    entry: 'functions/api/improvements-read.ts',
    auth: 'staff',
  },
  {
    name: 'ImprovementProgress',
    method: 'POST',
    path: '/staff/improvements/{id}/progress',
    entry: 'functions/api/improvements.ts',
    auth: 'staff',
  },
  {
    name: 'ImprovementReview',
    method: 'POST',
    path: '/staff/improvements/{id}/review',
    entry: 'functions/api/improvements.ts',
    auth: 'staff',
  },
  // evidence (functions/domain/attachments.ts)
  {
    name: 'CustomerAttach',
    method: 'POST',
    path: '/complaints/{id}/attachments',
    entry: 'functions/api/attachments.ts',
    auth: 'public',
  },
  {
    name: 'CustomerAttachmentDownload',
    method: 'GET',
    path: '/complaints/{id}/attachments/{attachmentId}',
    entry: 'functions/api/attachment-download.ts',
    auth: 'public',
  },
  {
    name: 'StaffAttach',
    method: 'POST',
    path: '/staff/complaints/{id}/attachments',
    entry: 'functions/api/attachments.ts',
    auth: 'staff',
  },
  {
    name: 'StaffAttachmentDownload',
    method: 'GET',
    path: '/staff/complaints/{id}/attachments/{attachmentId}',
    entry: 'functions/api/attachment-download.ts',
    auth: 'staff',
  },
];

/**
 * The journey's task handlers, invoked by the state machine. `key` is the name used in
 * the ASL's definitionSubstitutions: `${<key>FunctionArn}`.
 */
export interface JourneyTaskDefinition {
  key: string;
  entry: string;
}

export const JOURNEY_TASKS: readonly JourneyTaskDefinition[] = [
  { key: 'PlanStep', entry: 'functions/journey/plan-step.ts' },
  { key: 'AwaitStep', entry: 'functions/journey/await-step.ts' },
  { key: 'Escalate', entry: 'functions/journey/escalate.ts' },
  { key: 'Record', entry: 'functions/journey/record.ts' },
  { key: 'Notify', entry: 'functions/journey/notify.ts' },
  { key: 'Close', entry: 'functions/journey/close.ts' },
  { key: 'NeedsAttention', entry: 'functions/journey/needs-attention.ts' },
];
