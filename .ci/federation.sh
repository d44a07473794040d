#!/usr/bin/env bash
# Federation: the gateway as a Federation 2 subgraph composed and served by
# an existing router. Builds the gateway and serves it in sandbox mode with
# API keys (so the router must forward the caller's credential), starts a
# small orders subgraph (.ci/federation/orders.mjs) that extends Customer,
# composes the two subgraphs' _service SDL with
# @theguild/federation-composition (compose.mjs), serves the supergraph with
# Hive Gateway (`hive-gateway supergraph`, gateway.config.mjs forwarding
# Authorization and X-API-Key) and runs check.mjs through it: a customer
# page joined with its orders, three customers of that page resolved as
# entities in one batch (the gateway's metrics say so), a scoped key seeing
# nothing of others' customers, and 401 UNAUTHENTICATED without a
# credential. Offline but for `npm ci` (pinned by package-lock.json).
# Needs Go, Node 20+, npm, curl.
set -euo pipefail
here="$(cd "$(dirname "$0")/federation" && pwd)"
root="$(cd "$here/../.." && pwd)"

tmp="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

logs() {
  for f in gateway orders router; do
    echo "--- $f log:"; tail -n 40 "$tmp/$f.log" 2>/dev/null || true
  done
}

echo "building the gateway"
(cd "$root" && go build -o "$tmp/gateway" .)

echo "installing Hive Gateway, the composition library and the orders subgraph's packages"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# Free loopback ports: the kernel picks them, node reports and releases them.
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
gw_port="$(free_port)"; metrics_port="$(free_port)"; orders_port="$(free_port)"; router_port="$(free_port)"

# Two callers: the router's clients (introspect, for composition's _service,
# and personal-data) and a key scoped to the staff member lina.
key="ci-federation-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
lina_key="ci-federation-lina-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
api_keys="[{\"id\":\"router-client\",\"sha256\":\"$(sha "$key")\",\"permissions\":[\"introspect\",\"personal-data\"]},
{\"id\":\"lina\",\"sha256\":\"$(sha "$lina_key")\",\"staff\":[\"lina\"]}]"

# Sandbox mode (no Tanma credentials) with caller authentication: an empty
# environment but for these, whatever the caller's shell exports.
env -i PATH="$PATH" HOME="$tmp" PORT="$gw_port" METRICS_ADDR="127.0.0.1:$metrics_port" \
  API_KEYS="$api_keys" LOG_LEVEL=info "$tmp/gateway" >"$tmp/gateway.log" 2>&1 &
pids+=($!)
(cd "$here" && PORT="$orders_port" exec node orders.mjs) >"$tmp/orders.log" 2>&1 &
pids+=($!)

wait_for() { # name, command
  for _ in $(seq 1 150); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not answer within 15 s"; logs; exit 1
}
wait_for "the gateway" "curl -fsS http://127.0.0.1:$gw_port/readyz"
wait_for "the orders subgraph" "curl -fsS -H 'content-type: application/json' -d '{\"query\":\"{__typename}\"}' http://127.0.0.1:$orders_port/"

echo "composing the supergraph from the subgraphs' _service SDL"
(cd "$here" && TANMA_URL="http://127.0.0.1:$gw_port/query" ORDERS_URL="http://127.0.0.1:$orders_port/" \
  API_KEY="$key" OUT="$tmp/supergraph.graphql" node compose.mjs) || { logs; exit 1; }

echo "serving it with Hive Gateway"
(cd "$here" && exec ./node_modules/.bin/hive-gateway supergraph "$tmp/supergraph.graphql" \
  --config-path gateway.config.mjs --host 127.0.0.1 --port "$router_port" --disable-websockets) >"$tmp/router.log" 2>&1 &
pids+=($!)
wait_for "Hive Gateway" "curl -fsS http://127.0.0.1:$router_port/readiness"

echo "querying through the router"
status=0
(cd "$here" && ROUTER_URL="http://127.0.0.1:$router_port/graphql" METRICS_URL="http://127.0.0.1:$metrics_port/metrics" \
  API_KEY="$key" LINA_KEY="$lina_key" node check.mjs) || status=$?
if [ "$status" -ne 0 ]; then logs; fi
exit "$status"
