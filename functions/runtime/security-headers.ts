/**
 * The security headers of the web pages, in one place: the local gateway sends them with every
 * file of `web/` (local/gateway.ts), and CDK puts the same values in the CloudFront
 * response-headers policy of the deployed site (infra/constructs/site.ts).
 *
 * The pages also carry the policy's directives (without `frame-ancestors`, which a `<meta>`
 * tag cannot set) in a `<meta http-equiv="Content-Security-Policy">`; test/infra/site.test.ts
 * fails when the two drift apart.
 */

/** The Content-Security-Policy of every page: same-origin scripts and styles only, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // the API is on the same origin; the console also calls the Cognito hosted UI's token endpoint;
  // attachments are PUT to S3 presigned URLs (https) or, locally, to s3rver on loopback (http)
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
  "form-action 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Referrer-Policy: the status page's address carries the complaint id (and its token in the
 * fragment); nothing of it leaves with a link.
 */
export const REFERRER_POLICY = 'no-referrer';

/** Headers of every static page file (local gateway; CloudFront adds HSTS on top). */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': REFERRER_POLICY,
};
