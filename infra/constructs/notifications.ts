import { CfnOutput } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/**
 * The notifier's `CONSOLE_BASE_URL` (staff emails link to `<base>/console.html#<id>`) from the
 * deployed console page: its folder when the page is `console.html`, else undefined (the
 * notifier then falls back to config/notifications.json, then to the status page's base).
 */
export function consoleBaseUrlOf(consoleUrl: string): string | undefined {
  const suffix = '/console.html';
  return consoleUrl.endsWith(suffix) ? consoleUrl.slice(0, -suffix.length) : undefined;
}

export interface NotificationsProps {
  /** A domain (e.g. example.com) or an email address (deploy config `sesIdentity`). */
  readonly sesIdentity: string;
  /** The From address (deploy config `senderEmail`), inside the identity. */
  readonly senderEmail: string;
  /** Base URL of the status page (deploy config `statusPageBaseUrl`). */
  readonly statusPageBaseUrl: string;
  /** The staff console page (deploy config `consoleUrl`): staff emails link to it. */
  readonly consoleUrl?: string;
  /** The functions that send email (the notifier's callers). */
  readonly emailingFunctions: readonly IFunction[];
}

/**
 * The SES sending identity, and `ses:SendEmail` on that identity only and with the From
 * address `senderEmail` only (condition `ses:FromAddress`), for the functions that email. They also get SENDER_EMAIL, STATUS_PAGE_BASE_URL and CONSOLE_BASE_URL (from consoleUrl) from
 * the deploy config.
 *
 * A domain identity needs its three DKIM CNAME records in DNS (stack outputs DkimRecord1..3);
 * an email identity needs its verification link clicked. While the account is in the SES
 * sandbox, recipients must be verified identities too.
 */
export class Notifications extends Construct {
  readonly identity: EmailIdentity;
  private readonly props: NotificationsProps;

  /**
   * Lets a function email: ses:SendEmail from the sender only, and the sender settings in its
   * environment (for functions made after this construct, e.g. the scheduled improvement check).
   */
  grantEmailing(fn: IFunction): void {
    const props = this.props;
    const consoleBaseUrl = props.consoleUrl ? consoleBaseUrlOf(props.consoleUrl) : undefined;
    // A domain identity covers every address of the domain: a compromised function must not
    // be able to send as anyone@domain, only as the configured sender.
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identity.emailIdentityArn],
      conditions: { StringEquals: { 'ses:FromAddress': props.senderEmail } },
    });
    if ('addEnvironment' in fn && typeof fn.addEnvironment === 'function') {
      fn.addEnvironment('SENDER_EMAIL', props.senderEmail);
      fn.addEnvironment('STATUS_PAGE_BASE_URL', props.statusPageBaseUrl);
      if (consoleBaseUrl) fn.addEnvironment('CONSOLE_BASE_URL', consoleBaseUrl);
    }
  }

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const isEmail = props.sesIdentity.includes('@');
    this.identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: isEmail ? Identity.email(props.sesIdentity) : Identity.domain(props.sesIdentity),
    });

    this.props = props;
    for (const fn of props.emailingFunctions) this.grantEmailing(fn);

    if (!isEmail) {
      const tokens = [
        [this.identity.dkimDnsTokenName1, this.identity.dkimDnsTokenValue1],
        [this.identity.dkimDnsTokenName2, this.identity.dkimDnsTokenValue2],
        [this.identity.dkimDnsTokenName3, this.identity.dkimDnsTokenValue3],
      ] as const;
      tokens.forEach(([name, value], i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          description: `DKIM CNAME record ${i + 1} of ${props.sesIdentity}: name → value`,
          value: `${name} CNAME ${value}`,
        });
      });
    }
  }
}
