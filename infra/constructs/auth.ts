import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type StaffRole } from '../../functions/shared/model.js';

/** The custom attribute carrying a department user's department; a claim in the ID token. */
export const DEPARTMENT_ATTRIBUTE = 'department';

const GROUP_DESCRIPTIONS: Record<StaffRole, string> = {
  agent: 'Customer service agents: register, investigate, follow up',
  department: 'Responsible department staff (scoped by custom:department): propose and implement',
  supervisor: 'Department supervisors: approve plans before the customer sees them',
  manager: 'Complaints managers: escalations, every action, reports',
  analyst: 'Analysts: reports only, no personal data',
};

/**
 * Staff identity: a Cognito user pool (administrator-created users only, strong passwords,
 * TOTP MFA required, threat protection), one group per role, the `custom:department`
 * attribute (readable, not writable by the user), and the staff console's app client.
 * API Gateway's JWT authorizer accepts the ID tokens of this client: the handlers read
 * `cognito:groups` and `custom:department` from them.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
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

    this.client = this.userPool.addClient('StaffConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(DEPARTMENT_ATTRIBUTE),
      // Users must not change their own department (it scopes what they see).
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }
}
