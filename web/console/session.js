/**
 * Who is signed in, and the API calls made as them. Locally the console signs in with
 * POST /local/sign-in; on AWS through Cognito's hosted UI (web/console/cognito.js:
 * oidc-client-ts, code + PKCE). A call refused with 401 does not throw the page away: on AWS
 * the ID token is renewed with the refresh token and the call sent again; where that is not
 * possible the console keeps what is on screen (a half-filled form included), asks for a new
 * sign-in, and sends the call again once signed in.
 */
import { ApiError, api } from '../api.js';
import { config } from '../config.js';
import { ROLES } from '../generated/catalogue.js';
import { t } from '../i18n.js';
import { finishSignIn, isCallback, refreshIdToken, signOutUrl, startSignIn } from './cognito.js';

export const TOKEN_KEY = 'complaints.staffToken';

export const useCognito = () => config.signIn === 'cognito';

function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      [...atob(payload)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** The staff member a token names (role, department, name), or nothing when expired or roleless. */
export function userFrom(token) {
  const claims = decodeClaims(token);
  if (!claims) return undefined;
  if (claims.exp && claims.exp * 1000 < Date.now()) return undefined;
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
  const role = ROLES.find((r) => groups.includes(r));
  if (!role) return undefined;
  return {
    role,
    sub: claims.sub,
    department: claims['custom:department'],
    name: claims.name ?? claims['cognito:username'] ?? claims.sub,
  };
}

export function signInErrorMessage(code) {
  const key =
    code === 'access_denied'
      ? 'console.signInCancelled'
      : code === 'not_configured'
        ? 'console.signInNotConfigured'
        : 'console.signInFailed';
  return `${t(key)} (${code})`;
}

/**
 * Back from the hosted UI (`?code=…&state=…` or `?error=…`): `{token}`, `{error}` for the
 * sign-in page, or `{}` when the page was opened normally.
 */
export async function takeCognitoToken() {
  if (!isCallback()) return {};
  let token;
  try {
    token = await finishSignIn();
  } catch (error) {
    return { error: signInErrorMessage(error?.code ?? 'error') };
  }
  if (!userFrom(token)) return { error: t('console.signInNoRole') };
  return { token };
}

export async function goToHostedUi() {
  await startSignIn();
}

/** The hosted UI's sign-out address, or nothing when Cognito is not configured. */
export async function hostedUiLogout() {
  if (!useCognito()) return undefined;
  return signOutUrl();
}

/**
 * The session: `state.token` / `state.user`, and `call()` for the API. `onExpired()` is told
 * when a call met 401; the call waits until `signedIn(token)` gives a new token, then goes again.
 */
export function createSession(state, { onExpired }) {
  let waiting = [];

  function store(token) {
    try {
      localStorage.setItem(TOKEN_KEY, token);
    } catch {
      // storage blocked: signed in for this page only
    }
  }

  return {
    /** Takes a token; true when it names a staff member. Calls waiting on a sign-in go again. */
    signedIn(token) {
      const user = userFrom(token);
      if (!user) {
        this.forget();
        return false;
      }
      store(token);
      state.token = token;
      state.user = user;
      const resume = waiting;
      waiting = [];
      for (const go of resume) go(token);
      return true;
    },
    saved() {
      try {
        return localStorage.getItem(TOKEN_KEY) ?? '';
      } catch {
        return '';
      }
    },
    forget() {
      try {
        localStorage.removeItem(TOKEN_KEY);
      } catch {
        // nothing stored
      }
      state.token = '';
      state.user = undefined;
      for (const go of waiting) go(undefined);
      waiting = [];
    },
    /** `api()` with the staff token; a 401 waits for a new sign-in and tries once more. */
    async call(path, options = {}) {
      try {
        return await api(path, { ...options, token: state.token });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
        const renewed = useCognito() ? await refreshIdToken() : undefined;
        if (renewed && this.signedIn(renewed)) return api(path, { ...options, token: renewed });
        const token = await new Promise((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 1) onExpired();
        });
        if (!token) throw error;
        return api(path, { ...options, token });
      }
    },
  };
}
