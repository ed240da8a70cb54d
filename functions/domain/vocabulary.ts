/**
 * The closed lists of the complaint domain (channels, languages, categories, severities,
 * stages, outcomes, staff roles), declared once. No imports: the step catalogue
 * (functions/domain/steps/) and the request schemas read them without a cycle through
 * model.ts; the pages get them from web/generated/catalogue.js (`npm run generate`).
 */
export const CHANNELS = [
  'web',
  'phone',
  'email',
  'chat',
  'social',
  'app',
  'letter',
  'walk_in',
  'regulator',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels a customer may claim on the public `POST /complaints`; staff register the others. */
export const PUBLIC_CHANNELS = ['web', 'app'] as const satisfies readonly Channel[];

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CATEGORIES = ['service', 'product', 'delivery', 'price', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['minor', 'general', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STAGES = [
  'received',
  'investigation',
  'proposal',
  'review',
  'customer_decision',
  'implementation',
  'follow_up',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

/** Every stage but `closed`: the stages of the open queues. */
export const OPEN_STAGES = STAGES.filter((stage): stage is Exclude<Stage, 'closed'> => stage !== 'closed');
export type OpenStage = (typeof OPEN_STAGES)[number];

export const OUTCOMES = ['resolved', 'rejected', 'no_response'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ROLES = ['agent', 'department', 'supervisor', 'manager', 'analyst'] as const;
export type StaffRole = (typeof ROLES)[number];

/** What a staff note records: an internal note, or a contact with the customer (the communication log). */
export const NOTE_KINDS = ['note', 'call', 'visit', 'letter', 'email'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];
