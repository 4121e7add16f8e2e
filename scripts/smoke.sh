#!/usr/bin/env bash
# End-to-end smoke test of the docker compose stack, for a machine with Docker (Compose v2) — CI has no
# Docker engine and validates the stack statically instead (test/deploy/compose.test.ts).
#
#   scripts/smoke.sh
#
# 1. docker compose up -d --wait (builds the app image; every healthcheck must pass)
# 2. Langfuse GET /api/public/health, the backend's /healthz and /readyz
# 3. one chat request to the backend; its response carries the trace id
# 4. polls Langfuse's public API until that trace, with a generation and a tool observation, is there
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
  langfuse_get "/api/public/traces?limit=1" > /dev/null || fail "GET /api/public/traces with the INIT project keys failed"
  ok "keys of project $(env_value LANGFUSE_INIT_PROJECT_ID sommelier) accepted"
}

# Prints the trace's observation types, one per line; fails if the trace cannot be read.
observation_types() {
  langfuse_get "/api/public/traces/$1" | jq -r '.observations[]?.type'
}

start_stack
check_health

SESSION_ID="smoke-$(date +%s)"
step "chat request (session ${SESSION_ID})"
REQUEST="$(jq -n --arg message "$MESSAGE" --arg sessionId "$SESSION_ID" '{message: $message, sessionId: $sessionId}')"
RESPONSE="$(curl -fsS --max-time 120 -H 'Content-Type: application/json' -d "$REQUEST" "${BACKEND_URL}/api/v1/chat")" ||
  fail "POST /api/v1/chat failed"
TRACE_ID="$(jq -r '.traceId // empty' <<< "$RESPONSE")"
[[ -n "$TRACE_ID" ]] || fail "the chat response has no traceId: $RESPONSE"
ok "answered; traceId ${TRACE_ID}"

step "trace ${TRACE_ID} appears in Langfuse (session ${SESSION_ID}, up to ${TRACE_TIMEOUT}s)"
deadline=$((SECONDS + TRACE_TIMEOUT))
found=""
types=""
while ((SECONDS < deadline)); do
  # Ingestion is asynchronous (web queues, the worker writes ClickHouse): a trace can show up before
  # all of its observations do, so wait for every expected type, not just the trace.
  if langfuse_get "/api/public/traces?sessionId=${SESSION_ID}" |
    jq -e --arg id "$TRACE_ID" 'any(.data[]; .id == $id)' > /dev/null 2>&1; then
    types="$(observation_types "$TRACE_ID" 2> /dev/null | sort -u | tr '\n' ' ' || true)"
    found="yes"
    for type in $EXPECT_TYPES; do
      [[ " $types " == *" $type "* ]] || found=""
    done
    [[ -n "$found" ]] && break
  fi
  sleep 3
done
[[ -n "$found" ]] || fail "trace ${TRACE_ID} with observation types [${EXPECT_TYPES}] not found within ${TRACE_TIMEOUT}s (types seen: [${types}])"
ok "trace found with observation types: ${types}"

step "docker compose down (volumes kept)"
compose down || fail "docker compose down failed"
ok "stack stopped"

start_stack
check_health

step "trace ${TRACE_ID} survived down + up"
langfuse_get "/api/public/traces/${TRACE_ID}" | jq -e --arg id "$TRACE_ID" '.id == $id' > /dev/null ||
  fail "trace ${TRACE_ID} is gone after down + up"
ok "trace still there"

printf '\nSmoke test passed: Langfuse UI %s/project/%s/traces/%s\n' \
  "$LANGFUSE_URL" "$(env_value LANGFUSE_INIT_PROJECT_ID sommelier)" "$TRACE_ID"
