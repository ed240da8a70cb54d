/**
 * Where the pages find the API, and how staff sign in. The local stack serves this file as
 * it is; for a deployment, copy web/ to static hosting and edit these values.
 */
export const config = {
  /** '' = the same origin as the pages (the local gateway); else the API Gateway URL, no trailing slash */
  apiBaseUrl: '',
  /**
   * 'local': the console signs in with POST /local/sign-in (local stack only).
   * 'cognito': the console signs in through the Cognito hosted UI below (implicit flow, ID token).
   */
  signIn: 'local',
  cognito: {
    /** e.g. https://complaints-123456789012.auth.ap-east-1.amazoncognito.com */
    domain: '',
    clientId: '',
  },
  /** the language the pages start in when the visitor has not chosen one */
  defaultLanguage: 'zh-CN',
};
