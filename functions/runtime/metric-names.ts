/**
 * CloudWatch metric names (namespace `ComplaintJourney`), one source for the handlers and
 * for CDK's alarms and dashboard. See docs/ARCHITECTURE.md, "Metrics".
 */
export const METRIC_NAMESPACE = 'ComplaintJourney';
export const SERVICE_NAME = 'complaints';

export const MetricName = {
  /** Count; dimensions `channel`, and separately `category` when known. Emitted by the API on create. */
  ComplaintsReceived: 'ComplaintsReceived',
  /** Count; dimensions `stage`, `level`. */
  Escalations: 'Escalations',
  /** Count; level ≥ 2, drives the managers' alarm. */
  HighLevelEscalations: 'HighLevelEscalations',
  /** Count; a step's own deadline passed (escalation level 1). */
  DeadlinesMissed: 'DeadlinesMissed',
  /** Count; dimension `outcome`. */
  ComplaintsClosed: 'ComplaintsClosed',
  /** None; the survey rating 1–5. */
  SatisfactionRating: 'SatisfactionRating',
  /** None; 1 answered by the promised date, else 0. */
  TimelyHandling: 'TimelyHandling',
  /** Count. */
  NotificationFailures: 'NotificationFailures',
  /** Count. */
  NeedsAttention: 'NeedsAttention',
  /** Count; dimension `stage` (gauge every 5 minutes). */
  OpenComplaints: 'OpenComplaints',
  /** Count; an improvement action opened (functions/api/improvements.ts). */
  ImprovementActionsOpened: 'ImprovementActionsOpened',
  /** Count; a manager found an improvement action effective. */
  ImprovementActionsVerified: 'ImprovementActionsVerified',
  /** Count; dimension `level`: an improvement action's deadline missed (functions/scheduled/improvement-deadlines.ts). */
  ImprovementActionEscalations: 'ImprovementActionEscalations',
  /** Count; dimensions `stage`, `level`: a staff step's owner warned before its deadline (functions/scheduled/step-warnings.ts). */
  DeadlineWarnings: 'DeadlineWarnings',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];
