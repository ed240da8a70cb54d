/**
 * Staff sign-in on AWS: the OAuth 2.0 authorization code grant with PKCE (RFC 7636, S256)
 * against the Cognito hosted UI. Small functions without page state (the console wires them
 * to the page), so they run in Node 22 as well (WebCrypto, URL, fetch): test/web/oauth.test.ts.
 *
 * 1. startSignIn: a random `state` and `code_verifier` go to sessionStorage, the browser goes
 *    to `<domain>/oauth2/authorize?response_type=code&…&code_challenge=…&code_challenge_method=S256`.
 * 2. The hosted UI sends it back to the console page with `?code=…&state=…` (or `?error=…`).
 * 3. finishSignIn: checks `state`, POSTs the code and the verifier to `<domain>/oauth2/token`,
 *    and returns the ID token (it carries `cognito:groups` and `custom:department`).
 */

/** The scopes the console asks for (the app client allows exactly these). */
export const SCOPES = ['openid', 'email', 'profile'];

/** sessionStorage key of the sign-in in progress: {state, codeVerifier, redirectUri, returnHash}. */
export const PENDING_KEY = 'complaints.oauth.pending';

/** The query parameters the hosted UI adds when it sends the browser back. */
const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];

/** A failed sign-in; `code` is an OAuth error code (`invalid_grant`, …) or one of ours. */
export class OAuthError extends Error {
  constructor(code, message) {
    super(message ?? `sign-in failed: ${code}`);
    this.name = 'OAuthError';
    this.code = code;
  }
}

/** Bytes as base64url without padding (RFC 4648 §5). */
export function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random base64url string of `byteLength` random bytes (32 → 43 characters). */
export function randomString(byteLength = 32, crypto = globalThis.crypto) {
  const bytes = new Uint8Array(byteLength);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
export function isCodeVerifier(value) {
  return typeof value === 'string' && /^[A-Za-z0-9\-._~]{43,128}$/.test(value);
}

/** The S256 code challenge: base64url(SHA-256(ASCII(verifier))). */
export async function codeChallenge(verifier, crypto = globalThis.crypto) {
  if (!isCodeVerifier(verifier)) throw new OAuthError('invalid_verifier', 'not an RFC 7636 code verifier');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * The hosted UI's origin from the configured domain: the stack output `UserPoolDomainUrl`
 * (`https://<prefix>.auth.<region>.amazoncognito.com`), or the bare host name.
 */
export function hostedUiOrigin(domain) {
  const text = typeof domain === 'string' ? domain.trim() : '';
  if (!text) throw new OAuthError('not_configured', 'cognito.domain is not set');
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).origin;
  } catch {
    throw new OAuthError('not_configured', `cognito.domain ${JSON.stringify(text)} is not a URL`);
  }
}

/** The redirect (and sign-out) URI: the page without query and fragment. */
export function redirectUriOf(location) {
  return `${location.origin}${location.pathname}`;
}

/** `<domain>/oauth2/authorize?response_type=code&…&code_challenge_method=S256` */
export function authorizeUrl({ domain, clientId, redirectUri, state, codeChallenge, scopes = SCOPES }) {
  const url = new URL('/oauth2/authorize', hostedUiOrigin(domain));
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: scopes.join(' '),
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

/** `<domain>/oauth2/token` */
export function tokenUrl(domain) {
  return new URL('/oauth2/token', hostedUiOrigin(domain)).href;
}

/** The `application/x-www-form-urlencoded` body of the code-for-tokens request. */
export function tokenRequestBody({ clientId, code, redirectUri, codeVerifier }) {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: codeVerifier,
  }).toString();
}

/** `<domain>/logout?client_id=…&logout_uri=…`: ends the hosted-UI session, then back to the page. */
export function logoutUrl({ domain, clientId, logoutUri }) {
  const url = new URL('/logout', hostedUiOrigin(domain));
  url.search = new URLSearchParams({ client_id: clientId, logout_uri: logoutUri }).toString();
  return url.href;
}

/**
 * What the hosted UI sent back in the query string: `{code, state}`, `{error, state}`, or
 * undefined when the page was not opened by the hosted UI.
 */
export function callbackParams(search) {
  const params = new URLSearchParams(search);
  const state = params.get('state') ?? undefined;
  const error = params.get('error');
  if (error) return { error, state };
  const code = params.get('code');
  if (code) return { code, state };
  return undefined;
}

/** The address (path, query, fragment) without the hosted UI's parameters. */
export function withoutCallbackParams(href) {
  const url = new URL(href);
  for (const key of CALLBACK_PARAMS) url.searchParams.delete(key);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * POSTs the code to the token endpoint and returns `{idToken, accessToken, expiresIn}`.
 * Throws OAuthError: the endpoint's `error` (`invalid_grant`, …), `network`, or `no_id_token`.
 */
export async function exchangeCode(
  { domain, clientId, code, redirectUri, codeVerifier },
  fetchImpl = (...args) => globalThis.fetch(...args),
) {
  let response;
  try {
    response = await fetchImpl(tokenUrl(domain), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: tokenRequestBody({ clientId, code, redirectUri, codeVerifier }),
    });
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError('network', 'the token endpoint cannot be reached');
  }
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const code = typeof body?.error === 'string' ? body.error : `http_${response.status}`;
    throw new OAuthError(code);
  }
  if (typeof body?.id_token !== 'string' || body.id_token.split('.').length !== 3)
    throw new OAuthError('no_id_token', 'the token endpoint returned no ID token');
  return { idToken: body.id_token, accessToken: body.access_token, expiresIn: body.expires_in };
}

/**
 * Step 1: remembers a new state and verifier in `storage` (sessionStorage) and returns the
 * authorize URL to send the browser to. `location` gives the redirect URI and the fragment
 * (an open complaint) to come back to.
 */
export async function startSignIn({ domain, clientId, location, storage, crypto = globalThis.crypto }) {
  if (!clientId) throw new OAuthError('not_configured', 'cognito.clientId is not set');
  hostedUiOrigin(domain);
  const state = randomString(32, crypto);
  const codeVerifier = randomString(32, crypto);
  const redirectUri = redirectUriOf(location);
  const challenge = await codeChallenge(codeVerifier, crypto);
  storage.setItem(
    PENDING_KEY,
    JSON.stringify({ state, codeVerifier, redirectUri, returnHash: location.hash ?? '' }),
  );
  return authorizeUrl({ domain, clientId, redirectUri, state, codeChallenge: challenge });
}

/**
 * Steps 2–3: given callbackParams(location.search), returns `{idToken, returnHash}` or
 * `{error}` (an error code; never throws). The pending sign-in is used once: it is removed
 * from `storage` whatever the outcome.
 */
export async function finishSignIn(callback, { domain, clientId, storage, fetch: fetchImpl }) {
  let pending;
  try {
    pending = JSON.parse(storage.getItem(PENDING_KEY) ?? 'null');
  } catch {
    pending = null;
  }
  storage.removeItem(PENDING_KEY);
  if (callback.error) return { error: /^[a-z_]{1,64}$/.test(callback.error) ? callback.error : 'error' };
  if (!pending || typeof pending.state !== 'string' || pending.state !== callback.state)
    return { error: 'state_mismatch' };
  if (!isCodeVerifier(pending.codeVerifier)) return { error: 'state_mismatch' };
  try {
    const { idToken } = await exchangeCode(
      {
        domain,
        clientId,
        code: callback.code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
      },
      ...(fetchImpl ? [fetchImpl] : []),
    );
    return { idToken, returnHash: typeof pending.returnHash === 'string' ? pending.returnHash : '' };
  } catch (error) {
    return { error: error instanceof OAuthError ? error.code : 'error' };
  }
}
