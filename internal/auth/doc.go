// Package auth authenticates callers of the gateway's HTTP API and carries
// the caller in the request context.
//
// A request is authenticated from its headers only, never its body, in one of
// three modes chosen by [Config]:
//
//   - API keys, sent as "X-API-Key: <key>" or "Authorization: ApiKey <key>".
//     Only the SHA-256 of each key is configured ([ParseAPIKeys] reads the
//     API_KEYS JSON array). Several keys may be valid at once, so keys can be
//     rotated without downtime.
//   - JWTs, sent as "Authorization: Bearer <token>", verified against the
//     issuer's JWKS (signature, algorithm allowlist, iss, aud, a required exp,
//     nbf and iat, with a small leeway, and a non-empty sub).
//   - Open: no authentication at all; every request is the anonymous,
//     unscoped caller with every permission. For development and the sandbox
//     only; whoever calls [New] decides when that is allowed.
//
// API keys and JWTs may be enabled together; a request sends exactly one
// credential. [Authenticator.Middleware] answers 401 with a WWW-Authenticate
// challenge and a GraphQL-shaped JSON error (extensions.code
// UNAUTHENTICATED) when a request is not authenticated, and otherwise calls
// the next handler with the [Caller] in the context, where resolvers read it
// with [FromContext]. A context without a caller must be treated as
// unauthenticated.
//
// OPTIONS requests (CORS preflights, which browsers send without
// credentials) pass through the middleware unauthenticated and without a
// caller. Put the CORS handler in front of the middleware, and make sure no
// OPTIONS request can run an operation.
//
// The package logs nothing. Its errors name what is wrong (missing
// credentials, unknown API key, expired token, wrong audience...) but never
// contain a key, a token or a hash of either, so they are safe to return to
// the client and to log.
package auth
