#!/usr/bin/env bash
# End-to-end smoke test of the docker compose stack, for a machine with Docker (Compose v2) — CI has no
# Docker engine and validates the stack statically instead (test/deploy/compose.test.ts).
#
#   scripts/smoke.sh
#
# 1. docker compose up -d --wait (builds the app image; every healthcheck must pass)
# 2. Langfuse GET /api/public/health, the backend's /healthz and /readyz
# 3. one chat request to the backend; its response carries the trace id
# 4. polls Langfuse 4's Observations API (v2) until that trace is there: one root observation, plus a
#    generation and a tool observation (Langfuse 4 answers 404 on v3's trace read endpoints)
# 5. docker compose down, up -d --wait again: the same trace is still there (persistent volumes)
# Prints each check; exits non-zero at the first failure. Needs docker, curl and jq.
#
# Environment (all optional):
#   SMOKE_TRACE_TIMEOUT  seconds to wait for the trace to appear (default 180)
#   SMOKE_EXPECT_TYPES   observation types the trace must contain (default "GENERATION TOOL")
#   SMOKE_MESSAGE        the chat message (default asks for a wine pairing, which uses the catalogue tools)
#   COMPOSE              the compose command (default "docker compose")
set -euo pipefail

cd "$(dirname "$0")/.."

BACKEND_URL="http://localhost:8000"
LANGFUSE_URL="http://localhost:3000"
TRACE_TIMEOUT="${SMOKE_TRACE_TIMEOUT:-180}"
EXPECT_TYPES="${SMOKE_EXPECT_TYPES:-GENERATION TOOL}"
MESSAGE="${SMOKE_MESSAGE:-Which red wine would you recommend with a grilled steak?}"
read -r -a COMPOSE_CMD <<< "${COMPOSE:-docker compose}"

step() { printf '==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
fail() {
  printf '    FAIL: %s\n' "$*" >&2
  exit 1
}

compose() { "${COMPOSE_CMD[@]}" "$@"; }

# The value docker compose will use for NAME: the last NAME= line of .env, else the compose default.
env_value() {
  local name="$1" fallback="$2" value=""
  if [[ -f .env ]]; then
    value="$(sed -n "s/^${name}=//p" .env | tail -n 1)"
  fi
  printf '%s' "${value:-$fallback}"
}

for tool in docker curl jq; do
  command -v "$tool" > /dev/null || fail "$tool is not installed"
done

PUBLIC_KEY="$(env_value LANGFUSE_INIT_PROJECT_PUBLIC_KEY pk-lf-sommelier-dev)"
SECRET_KEY="$(env_value LANGFUSE_INIT_PROJECT_SECRET_KEY sk-lf-sommelier-dev)"
AUTH="${PUBLIC_KEY}:${SECRET_KEY}"
# The backend's /api/* needs this bearer token when API_TOKEN is set in .env.
API_TOKEN="$(env_value API_TOKEN "")"

# GET a Langfuse public API path with the project's keys; prints the body, fails on non-2xx.
langfuse_get() {
  curl -fsS --max-time 10 -u "$AUTH" "${LANGFUSE_URL}$1"
}

start_stack() {
  step "docker compose up -d --wait"
  compose up -d --build --wait || fail "the stack did not become healthy (docker compose ps; docker compose logs)"
  ok "all services healthy"
}

check_health() {
  step "Langfuse GET /api/public/health"
  local body
  body="$(curl -fsS --max-time 10 "${LANGFUSE_URL}/api/public/health")" || fail "Langfuse health check failed"
  ok "$body"

  step "backend GET /healthz and /readyz"
  curl -fsS --max-time 10 "${BACKEND_URL}/healthz" > /dev/null || fail "backend /healthz failed"
  curl -fsS --max-time 10 "${BACKEND_URL}/readyz" > /dev/null || fail "backend /readyz failed"
  ok "backend live and ready"

  step "Langfuse accepts the project's API keys"
  langfuse_get "/api/public/v2/observations?limit=1" > /dev/null ||
    fail "GET /api/public/v2/observations with the INIT project keys failed"
  ok "keys of project $(env_value LANGFUSE_INIT_PROJECT_ID sommelier) accepted"
}

# Prints the trace's observations (Langfuse 4 has no trace object: a trace is its observations, and its
# root is the one without a parent) as a JSON array; fails if they cannot be read.
trace_observations() {
  langfuse_get "/api/public/v2/observations?traceId=$1&limit=1000" | jq -c '.data'
}

start_stack
check_health

step "chat request"
REQUEST="$(jq -n --arg message "$MESSAGE" '{message: $message}')"
chat_headers=(-H 'Content-Type: application/json')
[[ -n "$API_TOKEN" ]] && chat_headers+=(-H "Authorization: Bearer ${API_TOKEN}")
RESPONSE="$(curl -fsS --max-time 120 "${chat_headers[@]}" -d "$REQUEST" "${BACKEND_URL}/api/v1/chat")" ||
  fail "POST /api/v1/chat failed"
TRACE_ID="$(jq -r '.traceId // empty' <<< "$RESPONSE")"
[[ -n "$TRACE_ID" ]] || fail "the chat response has no traceId: $RESPONSE"
ok "answered; traceId ${TRACE_ID}"

step "trace ${TRACE_ID} appears in Langfuse (up to ${TRACE_TIMEOUT}s)"
deadline=$((SECONDS + TRACE_TIMEOUT))
found=""
types=""
roots=""
while ((SECONDS < deadline)); do
  # Ingestion is asynchronous (web queues, the worker writes ClickHouse): a trace's observations arrive
  # one by one, so wait for its root and every expected type, not just the first row.
  if observations="$(trace_observations "$TRACE_ID" 2> /dev/null)" && [[ "$observations" != "[]" ]]; then
    types="$(jq -r '.[].type' <<< "$observations" | sort -u | tr '\n' ' ')"
    roots="$(jq '[.[] | select(.parentObservationId == null)] | length' <<< "$observations")"
    found="yes"
    [[ "$roots" == "1" ]] || found=""
    for type in $EXPECT_TYPES; do
      [[ " $types " == *" $type "* ]] || found=""
    done
    [[ -n "$found" ]] && break
  fi
  sleep 3
done
[[ -n "$found" ]] ||
  fail "trace ${TRACE_ID} with one root and observation types [${EXPECT_TYPES}] not found within ${TRACE_TIMEOUT}s (roots: ${roots:-0}, types seen: [${types}])"
ok "trace found: one root observation, types ${types}"

step "docker compose down (volumes kept)"
compose down || fail "docker compose down failed"
ok "stack stopped"

start_stack
check_health

step "trace ${TRACE_ID} survived down + up"
trace_observations "$TRACE_ID" | jq -e --arg id "$TRACE_ID" 'length > 0 and all(.[]; .traceId == $id)' > /dev/null ||
  fail "trace ${TRACE_ID} is gone after down + up"
ok "trace still there"

printf '\nSmoke test passed: Langfuse UI %s/project/%s/traces/%s\n' \
  "$LANGFUSE_URL" "$(env_value LANGFUSE_INIT_PROJECT_ID sommelier)" "$TRACE_ID"
