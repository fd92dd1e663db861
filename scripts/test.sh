#!/usr/bin/env bash
# Installs dependencies and runs every check and test: release pins, types,
# lint, formatting, unit and store tests against real PostgreSQL, Redis and
# SQLite, and the end-to-end test in Debian's Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PORTICO_ROOT"

export CI=true
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING="${BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING:-redis://127.0.0.1:6379}"

step() { printf '\n==> %s\n' "$*"; }

step "install"
yarn install --immutable

step "services: PostgreSQL and Redis must answer (no test skips for a missing service)"
node scripts/check-services.js

step "Backstage release pins"
node scripts/check-backstage-release.js

step "generated OpenAPI router specs are up to date"
node scripts/generate-openapi-spec.js plugins/api-marketplace-backend --check

step "type check"
yarn tsc

step "lint"
yarn backstage-cli repo lint

step "prettier"
yarn prettier --check .

step "system packages: Chromium (end-to-end), nginx (auth_request example)"
missing=()
[ -x "${PORTICO_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
  else
    echo "Missing system packages: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

step "unit, store and integration tests"
yarn backstage-cli repo test --maxWorkers=2

step "end-to-end in Chromium"
yarn playwright test
