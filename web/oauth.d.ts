/** Types of web/oauth.js (a plain browser module) for the TypeScript tests. */

export declare const SCOPES: string[];
export declare const PENDING_KEY: string;

export declare class OAuthError extends Error {
  constructor(code: string, message?: string);
  readonly code: string;
}

type Bytes = Uint8Array | ArrayLike<number>;
interface LocationLike {
  origin: string;
  pathname: string;
  hash?: string;
}
interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
type FetchLike = (url: string, init: RequestInit) => Promise<Pick<Response, 'ok' | 'status' | 'json'>>;
export interface Callback {
  code?: string;
  state?: string;
  error?: string;
}

export declare function base64url(bytes: Bytes): string;
export declare function randomString(byteLength?: number, crypto?: Crypto): string;
export declare function isCodeVerifier(value: unknown): boolean;
export declare function codeChallenge(verifier: string, crypto?: Crypto): Promise<string>;
export declare function hostedUiOrigin(domain: string | undefined): string;
export declare function redirectUriOf(location: LocationLike): string;
export declare function authorizeUrl(options: {
  domain: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: string[];
}): string;
export declare function tokenUrl(domain: string): string;
export declare function tokenRequestBody(options: {
  clientId: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
}): string;
export declare function logoutUrl(options: { domain: string; clientId: string; logoutUri: string }): string;
export declare function callbackParams(search: string): Callback | undefined;
export declare function withoutCallbackParams(href: string): string;
export declare function exchangeCode(
  options: { domain: string; clientId: string; code: string; redirectUri: string; codeVerifier: string },
  fetchImpl?: FetchLike,
): Promise<{ idToken: string; accessToken?: string; expiresIn?: number }>;
export declare function startSignIn(options: {
  domain: string;
  clientId: string;
  location: LocationLike;
  storage: StorageLike;
  crypto?: Crypto;
}): Promise<string>;
export declare function finishSignIn(
  callback: Callback,
  options: { domain: string; clientId: string; storage: StorageLike; fetch?: FetchLike },
): Promise<{ idToken: string; returnHash: string } | { error: string }>;
