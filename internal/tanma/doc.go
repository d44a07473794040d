// Package tanma is the signed client for the Tanma (探马) SCRM OpenAPI.
//
// Every upstream call is a POST of a JSON body signed with
// sign = hex(SHA-256(appId + timestamp + rawBody + appKey)); answers come in a
// {code, message, data} envelope where code 0 is success. NewClient builds a
// Client; each endpoint is a method citing its upstream path. Sign and Verify
// are pure functions shared with the embedded sandbox. Every failure is turned
// into an *APIError in one place (see errors.go), so callers can use errors.Is
// with the sentinels below and never see the app key or a signature.
package tanma
