import type { SESClient } from '@aws-sdk/client-ses';
import {
  type ImprovementEmail,
  type ImprovementEmailData,
  renderImprovementEmail,
} from '../domain/email/improvements.js';
import type { Improvement, ImprovementStore } from '../domain/improvements.js';
import {
  escalationRecipients,
  loadNotificationsConfig,
  type NotificationsConfig,
} from '../domain/notifications-config.js';
import { MetricName } from '../runtime/metric-names.js';
import { logger as sharedLogger } from '../runtime/powertools.js';
import { SES_LIMITS, sesClient } from './clients.js';
import {
  type NotifierLogger,
  type NotifierMetrics,
  type NotifyResult,
  powertoolsMetrics,
  sendEmail,
} from './ses-notifier.js';
import { getImprovementStore } from './store.js';

/**
 * The improvement actions' emails (functions/domain/email/improvements.ts) sent with SES, in
 * the staff language (config/notifications.json `staffLanguage`), to:
 * - opened, reminder: the owner department's mailbox;
 * - escalation of level L: the journey's escalation chain for L (`escalationRecipients`, the
 *   action's department as the owner);
 * - done: the managers.
 * Never blocking: a failed send (after the SDK's retries, bounded by `sendDeadlineMs`) or a
 * missing recipient answers `{sent:false}`; the outcome is an audit event of the action
 * (`notification_sent` / `notification_failed` with the template, the audience and the
 * error's identifiers, never an address), plus the `NotificationFailures` metric and a warning
 * log. If even that record fails, it is logged and swallowed: the action's change stands.
 */
export interface ImprovementNotifier {
  notify(improvement: Improvement, kind: ImprovementEmail, ctx?: { level?: number }): Promise<NotifyResult>;
}

export interface ImprovementNotifierDeps {
  ses: Pick<SESClient, 'send'>;
  config: NotificationsConfig;
  store: Pick<ImprovementStore, 'update'>;
  metrics?: NotifierMetrics;
  logger?: NotifierLogger;
  sendDeadlineMs?: number;
}

export function createImprovementNotifier(deps: ImprovementNotifierDeps): ImprovementNotifier {
  const { ses, config, store } = deps;
  const metrics = deps.metrics ?? powertoolsMetrics();
  const log = deps.logger ?? sharedLogger;
  const sendDeadlineMs = deps.sendDeadlineMs ?? SES_LIMITS.sendDeadlineMs;

  function recipients(
    i: Improvement,
    kind: ImprovementEmail,
    level: number,
  ): { to: string[]; audience: string } {
    const department = config.departments[i.department];
    switch (kind) {
      case 'improvement_opened':
      case 'improvement_reminder':
        return { to: department ? [department.email] : [], audience: 'department' };
      case 'improvement_escalation':
        return {
          to: escalationRecipients(config, level, i.department),
          audience: `escalation_level_${level}`,
        };
      case 'improvement_done':
        return { to: config.managers, audience: 'managers' };
    }
  }

  async function record(
    id: string,
    type: 'notification_sent' | 'notification_failed',
    data: Record<string, unknown>,
  ) {
    try {
      await store.update(id, () => ({ set: {}, event: { type, actor: { kind: 'system' }, data } }));
    } catch (error) {
      log.warn('improvement notification could not be recorded', {
        improvementId: id,
        template: data.template,
        error: (error as Error)?.name,
      });
    }
  }

  return {
    async notify(improvement, kind, ctx = {}) {
      const level = Math.max(1, Math.trunc(ctx.level ?? improvement.escalationLevel ?? 1));
      const { to, audience } = recipients(improvement, kind, level);
      const logContext = { improvementId: improvement.id, template: kind, audience };
      if (to.length === 0) {
        log.warn('improvement notification skipped: no recipients configured', logContext);
        await record(improvement.id, 'notification_failed', {
          template: kind,
          to: audience,
          error: 'NoRecipients',
        });
        return { sent: false, skipped: 'no_recipients' };
      }
      const language = config.staffLanguage;
      const data: ImprovementEmailData = {
        id: improvement.id,
        title: improvement.title,
        departmentName: config.departments[improvement.department]?.name[language] ?? improvement.department,
        dueAt:
          kind === 'improvement_escalation' && improvement.escalationDueAt
            ? improvement.escalationDueAt
            : improvement.dueAt,
        ...(improvement.provisional ? { provisional: true } : {}),
        ...(kind === 'improvement_escalation' ? { level } : {}),
        consoleUrl: `${config.consoleBaseUrl}/console.html`,
      };
      const sent = await sendEmail(
        ses,
        config,
        to,
        () => renderImprovementEmail(kind, data, language),
        kind,
        sendDeadlineMs,
      );
      if ('cause' in sent) {
        const { cause } = sent;
        log.warn('improvement notification failed after retries', { ...logContext, ...cause });
        metrics.add(MetricName.NotificationFailures, 'Count', 1);
        await record(improvement.id, 'notification_failed', { template: kind, to: audience, ...cause });
        return { sent: false, failure: cause.error };
      }
      const { messageId } = sent;
      await record(improvement.id, 'notification_sent', {
        template: kind,
        to: audience,
        ...(messageId ? { messageId } : {}),
      });
      log.info('improvement notification sent', { ...logContext, messageId });
      return { sent: true, ...(messageId ? { messageId } : {}) };
    },
  };
}

let current: ImprovementNotifier | undefined;

/** The handlers' notifier: the SES client, config/notifications.json, the improvement store. */
export function getImprovementNotifier(): ImprovementNotifier {
  current ??= createImprovementNotifier({
    ses: sesClient,
    config: loadNotificationsConfig(),
    store: { update: (id, change) => getImprovementStore().update(id, change) },
  });
  return current;
}

/** Replaces the default notifier (tests, the local stack); `undefined` goes back to the default. */
export function setImprovementNotifier(next: ImprovementNotifier | undefined): void {
  current = next;
}

/**
 * Sends and never throws, whatever goes wrong (an invalid notifications file included): the
 * caller's change is already stored.
 */
export async function notifyImprovement(
  improvement: Improvement,
  kind: ImprovementEmail,
  ctx?: { level?: number },
): Promise<void> {
  try {
    await getImprovementNotifier().notify(improvement, kind, ctx);
  } catch (error) {
    sharedLogger.warn('improvement notification not sent', {
      improvementId: improvement.id,
      template: kind,
      error: (error as Error)?.name,
    });
  }
}
