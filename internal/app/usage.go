package app

// usage is what `gateway --help` prints: the commands and the main
// settings (README's Configuration lists them all).
const usage = `gateway: a typed GraphQL API over the Tanma (探马) SCRM customer API.

Usage:
  go run .                 serve the gateway (with no settings: the embedded sandbox,
                           made-up data, at http://localhost:8080/, playground at /)
  go run . sandbox [flags] serve the sandbox alone: a fake Tanma for other tools
                           (go run . sandbox --help for its flags)
  go run . --help          this help

Main settings (environment variables; README "Configuration" lists every one):
  PORT                     listen port (default 8080)
  TANMA_APP_ID, TANMA_APP_KEY
                           your Tanma app's credentials (none: the sandbox)
  TANMA_BASE_URL           Tanma's OpenAPI base URL (default https://account.tanmarket.cn/apiServer;
                           /api/v2/... and /api/v3/... paths are appended)
  API_KEYS                 callers' API keys: [{"id","sha256","permissions","staff"}]
  JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_STAFF_CLAIM
                           callers' JWTs
  REDIS_URL                share quota, caches and events between replicas
  METRICS_ADDR             serve /metrics and /upstream-status on their own address
  TANMA_EVENTS_PATH        where Tanma pushes events (default /tanma/events)
  LOG_LEVEL                debug, info, warn, error

The tests: go test ./...  (CI: .ci/run)
`

// sandboxUsage heads the sandbox command's help; its flags follow.
const sandboxUsage = `gateway sandbox: a fake Tanma OpenAPI (signed calls, real cursor paging,
deterministic made-up data) for other tools and load tests. It listens on
loopback unless -addr says otherwise. Sign requests with app id
ww0000000000000000_TEST01 and app key testAppKey0123456789abcdefABCDEF.
Besides Tanma's endpoints it serves POST /sandbox/simulate/customer-tag,
/sandbox/simulate/new-customer and /sandbox/simulate/corp-tag (README "The
sandbox"), which push events to -push.

Flags:
`
