/**
 * web/oauth.js: the console's authorization code + PKCE pieces (RFC 7636), in Node's
 * WebCrypto. The sign-in round trip uses an in-memory storage and a fake token endpoint.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  base64url,
  callbackParams,
  codeChallenge,
  exchangeCode,
  finishSignIn,
  hostedUiOrigin,
  isCodeVerifier,
  logoutUrl,
  OAuthError,
  PENDING_KEY,
  randomString,
  redirectUriOf,
  SCOPES,
  startSignIn,
  tokenRequestBody,
  tokenUrl,
  withoutCallbackParams,
} from '../../web/oauth.js';

const DOMAIN = 'https://acme-complaints.auth.ap-east-1.amazoncognito.com';
const CLIENT_ID = '1example23456789abcdefghij';
const CONSOLE = 'https://complaints.example.com/console.html';
// RFC 7636 Appendix B (the challenge checked with `openssl dgst -sha256 -binary | base64`, url-safe, no padding)
const RFC_VERIFIER_BYTES = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
  240, 91, 88, 5, 88, 83, 132, 141, 121,
];
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
}

type Call = { url: string; init: RequestInit };
function fakeTokenEndpoint(status: number, body: unknown) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return { ok: status >= 200 && status < 300, status, json: async () => body };
  };
  return { calls, fetch };
}

describe('base64url', () => {
  it('encodes the RFC 7636 verifier bytes', () => {
    expect(base64url(new Uint8Array(RFC_VERIFIER_BYTES))).toBe(RFC_VERIFIER);
  });

  it('uses - and _ and no padding', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64url(new Uint8Array([0xff]))).toBe('_w');
    expect(base64url(new Uint8Array([]))).toBe('');
  });
});

describe('randomString', () => {
  it('is 43 base64url characters from 32 random bytes, different each time', () => {
    const a = randomString();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isCodeVerifier(a)).toBe(true);
    expect(randomString()).not.toBe(a);
  });

  it('uses crypto.getRandomValues', () => {
    const crypto = {
      getRandomValues: (bytes: Uint8Array) => {
        bytes.set(RFC_VERIFIER_BYTES);
        return bytes;
      },
    } as unknown as Crypto;
    expect(randomString(32, crypto)).toBe(RFC_VERIFIER);
  });
});

describe('codeChallenge', () => {
  it('is the RFC 7636 S256 challenge of the verifier', async () => {
    await expect(codeChallenge(RFC_VERIFIER)).resolves.toBe(RFC_CHALLENGE);
  });

  it('agrees with node:crypto on random verifiers', async () => {
    for (let i = 0; i < 20; i++) {
      const verifier = randomString(32 + i * 3);
      expect(await codeChallenge(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
    }
  });

  it('refuses what is not a code verifier (43-128 unreserved characters)', async () => {
    await expect(codeChallenge('too-short')).rejects.toBeInstanceOf(OAuthError);
    await expect(codeChallenge(`${RFC_VERIFIER}+`)).rejects.toBeInstanceOf(OAuthError);
    expect(isCodeVerifier('a'.repeat(128))).toBe(true);
    expect(isCodeVerifier('a'.repeat(129))).toBe(false);
  });
});

describe('URLs', () => {
  it('builds the authorize URL: code grant, PKCE S256, the three scopes, state, redirect URI', () => {
    const href = authorizeUrl({
      domain: DOMAIN,
      clientId: CLIENT_ID,
      redirectUri: CONSOLE,
      state: 'st4te',
      codeChallenge: RFC_CHALLENGE,
    });
    const url = new URL(href);
    expect(url.origin + url.pathname).toBe(`${DOMAIN}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: CONSOLE,
      scope: 'openid email profile',
      state: 'st4te',
      code_challenge: RFC_CHALLENGE,
      code_challenge_method: 'S256',
    });
    expect(href).toContain('scope=openid+email+profile');
    expect(href).toContain(`redirect_uri=${encodeURIComponent(CONSOLE)}`);
    expect(SCOPES).toEqual(['openid', 'email', 'profile']);
  });

  it('accepts the domain with a trailing slash or as a bare host name, and refuses none', () => {
    expect(hostedUiOrigin(`${DOMAIN}/`)).toBe(DOMAIN);
    expect(hostedUiOrigin('acme-complaints.auth.ap-east-1.amazoncognito.com')).toBe(DOMAIN);
    expect(tokenUrl(`${DOMAIN}/`)).toBe(`${DOMAIN}/oauth2/token`);
    expect(() => hostedUiOrigin('')).toThrow(OAuthError);
    expect(() => hostedUiOrigin(undefined)).toThrow(/cognito\.domain/);
  });

  it('builds the token request body', () => {
    const body = tokenRequestBody({
      clientId: CLIENT_ID,
      code: 'c0de',
      redirectUri: CONSOLE,
      codeVerifier: RFC_VERIFIER,
    });
    expect(body).toBe(
      `grant_type=authorization_code&client_id=${CLIENT_ID}&code=c0de&redirect_uri=${encodeURIComponent(CONSOLE)}&code_verifier=${RFC_VERIFIER}`,
    );
  });

  it('builds the logout URL and the redirect URI (no query, no fragment)', () => {
    expect(logoutUrl({ domain: DOMAIN, clientId: CLIENT_ID, logoutUri: CONSOLE })).toBe(
      `${DOMAIN}/logout?client_id=${CLIENT_ID}&logout_uri=${encodeURIComponent(CONSOLE)}`,
    );
    expect(redirectUriOf(new URL(`${CONSOLE}?code=x&state=y#C-1`))).toBe(CONSOLE);
  });

  it('reads the callback parameters and removes them from the address', () => {
    expect(callbackParams('?code=abc&state=xyz')).toEqual({ code: 'abc', state: 'xyz' });
    expect(callbackParams('?error=access_denied&error_description=no&state=xyz')).toEqual({
      error: 'access_denied',
      state: 'xyz',
    });
    expect(callbackParams('')).toBeUndefined();
    expect(callbackParams('?lang=en')).toBeUndefined();
    expect(withoutCallbackParams(`${CONSOLE}?code=abc&state=xyz`)).toBe('/console.html');
    expect(withoutCallbackParams(`${CONSOLE}?lang=en&code=abc&state=xyz#C-1`)).toBe(
      '/console.html?lang=en#C-1',
    );
  });
});

describe('exchangeCode', () => {
  const request = {
    domain: DOMAIN,
    clientId: CLIENT_ID,
    code: 'c0de',
    redirectUri: CONSOLE,
    codeVerifier: RFC_VERIFIER,
  };

  it('POSTs the form to the token endpoint and returns the ID token', async () => {
    const endpoint = fakeTokenEndpoint(200, { id_token: ID_TOKEN, access_token: 'a.b.c', expires_in: 3600 });
    await expect(exchangeCode(request, endpoint.fetch)).resolves.toEqual({
      idToken: ID_TOKEN,
      accessToken: 'a.b.c',
      expiresIn: 3600,
    });
    expect(endpoint.calls).toHaveLength(1);
    const [{ url, init }] = endpoint.calls as [Call];
    expect(url).toBe(`${DOMAIN}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
    expect(Object.fromEntries(new URLSearchParams(init.body as string))).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: 'c0de',
      redirect_uri: CONSOLE,
      code_verifier: RFC_VERIFIER,
    });
  });

  it('fails with the endpoint error, on network failure, and without an ID token', async () => {
    await expect(
      exchangeCode(request, fakeTokenEndpoint(400, { error: 'invalid_grant' }).fetch),
    ).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    await expect(exchangeCode(request, fakeTokenEndpoint(500, undefined).fetch)).rejects.toMatchObject({
      code: 'http_500',
    });
    const offline = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(exchangeCode(request, offline)).rejects.toMatchObject({ code: 'network' });
    await expect(
      exchangeCode(request, fakeTokenEndpoint(200, { access_token: 'a.b.c' }).fetch),
    ).rejects.toMatchObject({
      code: 'no_id_token',
    });
  });
});

describe('startSignIn / finishSignIn', () => {
  const location = new URL(`${CONSOLE}?lang=en#C-20261123-0001`);

  async function begin(storage = memoryStorage()) {
    const href = await startSignIn({ domain: DOMAIN, clientId: CLIENT_ID, location, storage });
    const pending = JSON.parse(storage.map.get(PENDING_KEY) ?? 'null');
    return { storage, url: new URL(href), pending };
  }

  it('keeps a fresh state and verifier in the storage and sends their challenge', async () => {
    const { url, pending } = await begin();
    expect(pending).toEqual({
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      codeVerifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      redirectUri: CONSOLE,
      returnHash: '#C-20261123-0001',
    });
    expect(pending.state).not.toBe(pending.codeVerifier);
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('redirect_uri')).toBe(CONSOLE);
    expect(url.searchParams.get('code_challenge')).toBe(await codeChallenge(pending.codeVerifier));
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect((await begin()).pending.state).not.toBe(pending.state);
  });

  it('refuses to start without a client id or a domain', async () => {
    const storage = memoryStorage();
    await expect(startSignIn({ domain: DOMAIN, clientId: '', location, storage })).rejects.toMatchObject({
      code: 'not_configured',
    });
    await expect(startSignIn({ domain: '', clientId: CLIENT_ID, location, storage })).rejects.toMatchObject({
      code: 'not_configured',
    });
    expect(storage.map.size).toBe(0);
  });

  it('exchanges the code with the stored verifier and redirect URI, once', async () => {
    const { storage, pending } = await begin();
    const endpoint = fakeTokenEndpoint(200, { id_token: ID_TOKEN });
    const options = { domain: DOMAIN, clientId: CLIENT_ID, storage, fetch: endpoint.fetch };
    await expect(finishSignIn({ code: 'c0de', state: pending.state }, options)).resolves.toEqual({
      idToken: ID_TOKEN,
      returnHash: '#C-20261123-0001',
    });
    const form = new URLSearchParams(endpoint.calls[0]?.init.body as string);
    expect(form.get('code_verifier')).toBe(pending.codeVerifier);
    expect(form.get('redirect_uri')).toBe(CONSOLE);
    expect(form.get('code')).toBe('c0de');
    expect(storage.map.has(PENDING_KEY)).toBe(false);
    // a reload of the callback address cannot use the same state again
    await expect(finishSignIn({ code: 'c0de', state: pending.state }, options)).resolves.toEqual({
      error: 'state_mismatch',
    });
    expect(endpoint.calls).toHaveLength(1);
  });

  it('refuses a foreign or missing state without calling the token endpoint', async () => {
    const { storage } = await begin();
    const endpoint = fakeTokenEndpoint(200, { id_token: ID_TOKEN });
    const options = { domain: DOMAIN, clientId: CLIENT_ID, storage, fetch: endpoint.fetch };
    await expect(finishSignIn({ code: 'c0de', state: 'forged' }, options)).resolves.toEqual({
      error: 'state_mismatch',
    });
    expect(storage.map.has(PENDING_KEY)).toBe(false);
    await expect(finishSignIn({ code: 'c0de' }, options)).resolves.toEqual({ error: 'state_mismatch' });
    expect(endpoint.calls).toHaveLength(0);
  });

  it('returns the hosted UI error and the token endpoint error instead of throwing', async () => {
    const first = await begin();
    const options = { domain: DOMAIN, clientId: CLIENT_ID, storage: first.storage };
    await expect(
      finishSignIn(
        { error: 'access_denied', state: first.pending.state },
        { ...options, fetch: fakeTokenEndpoint(200, {}).fetch },
      ),
    ).resolves.toEqual({ error: 'access_denied' });
    await expect(finishSignIn({ error: '<b>spoofed text</b>' }, options)).resolves.toEqual({
      error: 'error',
    });
    const second = await begin(first.storage);
    await expect(
      finishSignIn(
        { code: 'expired', state: second.pending.state },
        { ...options, fetch: fakeTokenEndpoint(400, { error: 'invalid_grant' }).fetch },
      ),
    ).resolves.toEqual({ error: 'invalid_grant' });
  });
});
