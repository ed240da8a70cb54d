/**
 * Staff sign-in on AWS with oidc-client-ts (served as /vendor/oidc-client-ts.min.js, see
 * web/vendor.json): the authorization code grant with PKCE (S256) against the Cognito hosted
 * UI, and the refresh token grant to renew the ID token without leaving the page. Cognito's
 * endpoints are given (it has no discovery document on the hosted-UI domain). The library is
 * loaded only when `config.signIn` is 'cognito'.
 */
import { config } from '../config.js';

/** The scopes the console asks for (the app client allows exactly these). */
export const SCOPES = 'openid email profile';
/** The query parameters the hosted UI adds when it sends the browser back. */
const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];

export class SignInError extends Error {
  constructor(code) {
    super(`sign-in failed: ${code}`);
    this.code = code;
  }
}

/** The hosted UI's origin: the stack output `UserPoolDomainUrl`, or the bare host name. */
export function hostedUiOrigin(domain) {
  const text = typeof domain === 'string' ? domain.trim() : '';
  if (!text) throw new SignInError('not_configured');
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).origin;
  } catch {
    throw new SignInError('not_configured');
  }
}

/** The redirect (and sign-out) URI: the page without query and fragment. */
export const redirectUri = () => `${location.origin}${location.pathname}`;

let library;
function loadLibrary() {
  library ??= new Promise((resolve, reject) => {
    if (globalThis.oidc) {
      resolve(globalThis.oidc);
      return;
    }
    const script = document.createElement('script');
    script.src = new URL('vendor/oidc-client-ts.min.js', location.href).href;
    script.onload = () =>
      globalThis.oidc ? resolve(globalThis.oidc) : reject(new SignInError('no_library'));
    script.onerror = () => reject(new SignInError('no_library'));
    document.head.append(script);
  });
  return library;
}

let manager;
async function userManager() {
  if (manager) return manager;
  const { domain, clientId } = config.cognito ?? {};
  const origin = hostedUiOrigin(domain);
  if (!clientId) throw new SignInError('not_configured');
  const oidc = await loadLibrary();
  manager = new oidc.UserManager({
    authority: origin,
    client_id: clientId,
    redirect_uri: redirectUri(),
    post_logout_redirect_uri: redirectUri(),
    response_type: 'code',
    scope: SCOPES,
    metadata: {
      issuer: origin,
      authorization_endpoint: `${origin}/oauth2/authorize`,
      token_endpoint: `${origin}/oauth2/token`,
      end_session_endpoint: `${origin}/logout`,
      userinfo_endpoint: `${origin}/oauth2/userInfo`,
    },
    userStore: new oidc.WebStorageStateStore({ store: localStorage }),
    stateStore: new oidc.WebStorageStateStore({ store: sessionStorage }),
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
  });
  return manager;
}

/** Sends the browser to the hosted UI; the fragment (an open complaint) comes back after. */
export async function startSignIn() {
  await (await userManager()).signinRedirect({ state: { returnHash: location.hash } });
}

/** true when the address is the hosted UI sending the browser back */
export function isCallback() {
  const params = new URLSearchParams(location.search);
  return params.has('error') || (params.has('code') && params.has('state'));
}

/**
 * Back from the hosted UI: takes the parameters out of the address, checks the state and
 * trades the code (with the PKCE verifier) for tokens. Returns the ID token, or throws
 * SignInError with the OAuth error code (`access_denied`, …) or `state_mismatch`.
 */
export async function finishSignIn() {
  const href = location.href;
  const url = new URL(href);
  for (const key of CALLBACK_PARAMS) url.searchParams.delete(key);
  history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  const error = new URL(href).searchParams.get('error');
  if (error) throw new SignInError(error);
  let user;
  try {
    user = await (await userManager()).signinRedirectCallback(href);
  } catch (failure) {
    if (failure instanceof SignInError) throw failure;
    const message = String(failure?.message ?? '');
    throw new SignInError(
      failure?.error ?? (/state/i.test(message) ? 'state_mismatch' : 'token_request_failed'),
    );
  }
  const returnHash = user.state?.returnHash;
  if (returnHash && !location.hash)
    history.replaceState(null, '', `${location.pathname}${location.search}${returnHash}`);
  if (!user.id_token) throw new SignInError('no_id_token');
  return user.id_token;
}

/** A fresh ID token through the refresh token, or nothing when there is none (or it failed). */
export async function refreshIdToken() {
  try {
    const mgr = await userManager();
    const user = await mgr.getUser();
    if (!user?.refresh_token) return undefined;
    const renewed = await mgr.signinSilent();
    return renewed?.id_token;
  } catch {
    return undefined;
  }
}

/** Forgets the tokens here; returns the hosted UI's sign-out address (ends its session too). */
export async function signOutUrl() {
  try {
    await (await userManager()).removeUser();
  } catch {
    // nothing stored, or the library could not load: sign out here only
  }
  const { domain, clientId } = config.cognito ?? {};
  try {
    const url = new URL('/logout', hostedUiOrigin(domain));
    url.search = new URLSearchParams({ client_id: clientId, logout_uri: redirectUri() }).toString();
    return clientId ? url.href : undefined;
  } catch {
    return undefined;
  }
}
