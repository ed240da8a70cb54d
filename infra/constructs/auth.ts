import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type StaffRole } from '../../functions/domain/model.js';

/** The custom attribute carrying a department user's department; a claim in the ID token. */
export const DEPARTMENT_ATTRIBUTE = 'department';

const GROUP_DESCRIPTIONS: Record<StaffRole, string> = {
  agent: 'Customer service agents: register, investigate, follow up',
  department: 'Responsible department staff (scoped by custom:department): propose and implement',
  supervisor: 'Department supervisors: approve plans before the customer sees them',
  manager: 'Complaints managers: escalations, every action, reports',
  analyst: 'Analysts: reports only, no personal data',
};

export interface AuthProps {
  /** The hosted-UI domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** The staff console page: the app client's callback and sign-out URL. */
  readonly consoleUrl: string;
}

/**
 * Staff identity: a Cognito user pool (administrator-created users only, strong passwords,
 * TOTP MFA required, threat protection), one group per role, the `custom:department`
 * attribute (readable, not writable by the user), its hosted-UI domain, and the staff
 * console's app client: public (no secret, the console is a static page), OAuth
 * authorization code grant only (the console adds PKCE), back to the console page only.
 * API Gateway's JWT authorizer accepts the ID tokens of this client: the handlers read
 * `cognito:groups` and `custom:department` from them.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'StaffUserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        [DEPARTMENT_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of ROLES) {
      this.userPool.addGroup(`Group${role[0]?.toUpperCase()}${role.slice(1)}`, {
        groupName: role,
        description: GROUP_DESCRIPTIONS[role],
      });
    }

    // The classic hosted UI: the newer managed login needs a branding resource to render.
    this.domain = this.userPool.addDomain('HostedUiDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });

    this.client = this.userPool.addClient('StaffConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // Without an explicit oAuth block CDK enables the implicit grant and https://example.com.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(DEPARTMENT_ATTRIBUTE),
      // Users must not change their own department (it scopes what they see), email or name
      // (the audit trail shows `name` as who acted): administrators set them. Only the locale
      // is theirs (an empty list would mean "every attribute" to Cognito).
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });
  }
}
