#!/usr/bin/env bash
# Installs dependencies and starts the portal on its embedded default:
# SQLite in memory, no Redis, no Stripe, guest sign-in, the demo APIs.
# Frontend on http://localhost:3000, backend on http://localhost:7007.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PORTICO_ROOT"
yarn install --immutable
exec yarn start "$@"
