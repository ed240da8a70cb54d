/**
 * Where the pages find the API, and how staff sign in. The local stack serves this file as
 * it is; for a deployment, copy web/ to static hosting and set these values from the stack
 * outputs (infra/README.md, "Deploying the web pages").
 */
export const config = {
  /**
   * '' = the same origin as the pages (the local gateway); else the API Gateway URL, no trailing
   * slash: the stack output `ApiUrl`.
   */
  apiBaseUrl: '',
  /**
   * 'local': the console signs in with POST /local/sign-in (local stack only).
   * 'cognito': the console signs in through the Cognito hosted UI below (authorization code
   * grant with PKCE and refresh tokens, web/console/cognito.js with oidc-client-ts) and sends the ID token. The console must be opened at the
   * deploy key `consoleUrl` (the only address Cognito sends it back to).
   */
  signIn: 'local',
  cognito: {
    /** the stack output `UserPoolDomainUrl`, e.g. https://acme-complaints.auth.ap-east-1.amazoncognito.com */
    domain: '',
    /** the stack output `UserPoolClientId` */
    clientId: '',
  },
  /** the language the pages start in when neither the visitor nor the browser names one */
  defaultLanguage: 'zh-CN',
  /**
   * The operator's branding from config/branding.json (company name, logo, colours, hotline,
   * address, privacy notice URL). Not kept here by hand: the local gateway serves this file
   * with it filled in (local/branding.ts), a deployment writes it at deploy.
   */
  branding: null,
};
