#!/usr/bin/env bash
# Writes .env from .env.example with every development secret replaced by a freshly generated one.
#
#   scripts/generate-env.sh            # writes .env (refuses to overwrite an existing one)
#   scripts/generate-env.sh -o FILE    # writes FILE instead
#
# Run it before the first `docker compose up`: Langfuse creates the INIT project keys and user only once.
# Needs openssl. Prints the Langfuse login it generated.
set -euo pipefail

cd "$(dirname "$0")/.."

out=".env"
if [[ "${1:-}" == "-o" ]]; then
  [[ -n "${2:-}" ]] || { echo "usage: $0 [-o FILE]" >&2; exit 2; }
  out="$2"
fi
if [[ -e "$out" ]]; then
  echo "$out already exists; move it away first (Langfuse keeps the keys it was first started with)." >&2
  exit 1
fi
command -v openssl > /dev/null || { echo "openssl is not installed" >&2; exit 1; }

hex() { openssl rand -hex "$1"; }

declare -A secrets=(
  [SALT]="$(hex 32)"
  [ENCRYPTION_KEY]="$(hex 32)"
  [NEXTAUTH_SECRET]="$(hex 32)"
  [SOMMELIER_DB_PASSWORD]="$(hex 24)"
  [LANGFUSE_POSTGRES_PASSWORD]="$(hex 24)"
  [CLICKHOUSE_PASSWORD]="$(hex 24)"
  [REDIS_AUTH]="$(hex 24)"
  [MINIO_ROOT_PASSWORD]="$(hex 24)"
  [LANGFUSE_INIT_PROJECT_PUBLIC_KEY]="pk-lf-$(hex 16)"
  [LANGFUSE_INIT_PROJECT_SECRET_KEY]="sk-lf-$(hex 16)"
  [LANGFUSE_INIT_USER_PASSWORD]="$(hex 12)-A1"
  [BOT_BACKEND_TOKEN]="$(hex 32)"
)

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line || [[ -n "$line" ]]; do
  name="${line%%=*}"
  if [[ "$line" == *=* && "$line" != \#* && -n "${secrets[$name]+set}" ]]; then
    printf '%s=%s\n' "$name" "${secrets[$name]}"
  else
    printf '%s\n' "$line"
  fi
done < .env.example > "$tmp"
chmod 600 "$tmp"
mv "$tmp" "$out"
trap - EXIT

login="$(sed -n 's/^LANGFUSE_INIT_USER_EMAIL=//p' "$out" | tail -n 1)"
echo "Wrote $out with new secrets (mode 600)."
echo "Langfuse login: ${login} / ${secrets[LANGFUSE_INIT_USER_PASSWORD]}"
