#!/usr/bin/env bash
# Creates the first platform administrator in the local identity database and prints a one-time
# enrolment link (choose a password, set up an authenticator). Refused once an administrator exists.
# Usage: deploy/local/bootstrap-admin.sh --email you@example.org [--user name]
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dll="$ROOT/services/Identity/bin/Release/net10.0/Protection.Identity.dll"
[ -f "$dll" ] || fail "the identity service is not built; run deploy/local/up.sh first"
cd "$(dirname "$dll")"
exec env ASPNETCORE_ENVIRONMENT=Development \
  "Auth__Authority=http://localhost:$(port_of gateway)/" \
  "ConnectionStrings__Postgres=Host=127.0.0.1;Port=5432;Database=protection_identity;Username=$PG_USER;Password=$PG_PASSWORD;$PG_LOCAL_OPTIONS" \
  dotnet "$dll" bootstrap-admin "$@"
