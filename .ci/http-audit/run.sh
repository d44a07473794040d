#!/usr/bin/env bash
# GraphQL over HTTP compliance: builds the gateway, serves it in sandbox mode
# on a free loopback port, and runs graphql-http's server audits against it
# (audit.mjs). Fails when a MUST audit fails. Needs Go, Node 20+, npm, curl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "building the gateway"
(cd "$root" && go build -o "$tmp/gateway" .)

echo "installing the audit suite"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# A free loopback port: the kernel picks one, node reports and releases it.
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"

# Sandbox mode: an empty environment (no Tanma credentials, no caller
# authentication, introspection on), whatever the caller's shell exports.
env -i PATH="$PATH" HOME="$tmp" PORT="$port" LOG_LEVEL=warn "$tmp/gateway" >"$tmp/gateway.log" 2>&1 &
pid=$!

url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the gateway exited before serving:"; cat "$tmp/gateway.log"; exit 1
  fi
  sleep 0.1
done
if ! curl -fsS -o /dev/null "$url/healthz"; then
  echo "the gateway did not answer /healthz within 10 s:"; cat "$tmp/gateway.log"; exit 1
fi

echo "auditing $url/query"
status=0
(cd "$here" && GATEWAY_URL="$url/query" node audit.mjs) || status=$?
if [ "$status" -ne 0 ]; then
  echo "gateway log:"; cat "$tmp/gateway.log"
fi
exit "$status"
